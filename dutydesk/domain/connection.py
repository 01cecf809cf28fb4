"""Is the site database reachable? (A PostgreSQL site server can go away; a SQLite
file cannot.) The kiosk asks every second and shows a banner while it is lost."""

from __future__ import annotations

from dutydesk.errors import ConnectionLost
from dutydesk.models import SchemaVersion, database_proxy


def lost() -> bool:
    """Did the last statement find the server gone (and none has succeeded since)?"""
    return bool(getattr(database_proxy.obj, "lost", False))


def probe() -> bool:
    """One cheap read; True if the database answers (a lost server is reconnected)."""
    try:
        SchemaVersion.select().limit(1).count()
    except ConnectionLost:
        return False
    return True
