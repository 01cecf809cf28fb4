"""Where the demo lives, and building it there: its own SQLite file (never the
real site database), reused when it holds the demo already; a PostgreSQL site
server gets it built in a temporary file and moved in."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from dutydesk import models as m
from dutydesk.backends import is_postgres_target
from dutydesk.clock import Clock, SystemClock
from dutydesk.db import default_path, open_database, redact, sqlite_path_of
from dutydesk.demo.builder import Builder
from dutydesk.demo.data import BUILDING, DEMO_MARK
from dutydesk.domain.site import check_timezone, local_timezone
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_
from dutydesk.transfer import transfer

__all__ = ["BUILDING", "DEMO_MARK", "build_demo", "demo_path"]


def demo_path() -> Path:
    """``demo.db`` beside the default site database (never the real site's file)."""
    return default_path().with_name("demo.db")


def _demo_state(settings: Any) -> Any:
    """True (a finished demo), "building" (a build cut short), or None (not the demo)."""
    return settings.get(DEMO_MARK) if isinstance(settings, dict) else None


def _existing_site(path: Path) -> tuple[str, Any] | None:
    """(name, demo state) of the site in the file at ``path``, or None if it holds none."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    db = open_database(str(path), migrate=False, create=False)
    try:
        if not db.table_exists(m.Site._meta.table_name):
            return None
        site = m.Site.select().first()
        return (site.name, _demo_state(site.settings)) if site else None
    finally:
        db.close()


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def _build_on_server(target: str, days: int, rebuild: bool, clock: Clock | None) -> str:
    """The demo on a PostgreSQL site server: built in a temporary SQLite file with the
    fast bulk loader, then moved in by :func:`dutydesk.transfer.transfer`."""
    db = open_database(target)
    try:
        site = m.Site.select().first()
        found = (site.name, _demo_state(site.settings)) if site else None
    finally:
        db.close()
    if found is not None:
        if found[1] is True and not rebuild:
            return target
        # Signed records cannot be deleted from a server: a new demo needs a new database.
        raise ConfigError(
            N_("{path} holds the site {name}; build the demo into an empty database"),
            path=redact(target),
            name=found[0],
        )
    with tempfile.TemporaryDirectory(prefix="dutydesk-demo-") as folder:
        built = build_demo(str(Path(folder) / "demo.db"), days=days, clock=clock)
        report = transfer(built, target)
    if not report.ok:
        raise ConfigError(N_("The demo site could not be moved to {path}"), path=redact(target))
    return target


def build_demo(
    target: str | None, days: int = 30, rebuild: bool = False, clock: Clock | None = None
) -> str:
    """Build the demo site at ``target`` (default: :func:`demo_path`) and return its path.

    A file already holding the demo is reused unless ``rebuild``; a file holding
    another site is refused (even with ``rebuild``: a real site is never thrown away).
    A ``postgresql://`` target gets the demo built in a temporary file and moved in.
    """
    if target and is_postgres_target(target):
        return _build_on_server(target, days, rebuild, clock)
    path = Path(sqlite_path_of(target)).expanduser() if target else demo_path()
    if str(path) == ":memory:":
        raise ConfigError(N_("The demo site needs a database file, not {path}"), path=str(path))
    found = _existing_site(path)
    if found is not None:
        name, state = found
        if not state:
            raise ConfigError(
                N_("{path} holds the site {name}, not the demo; choose another file with --db"),
                path=str(path),
                name=name,
            )
        if state is True and not rebuild:
            return str(path)
        # A demo whose build was cut short is built again.
        rebuild = True
    if rebuild:
        _remove(path)
    if clock is None:
        clock = SystemClock(local_timezone())
    tz = clock.tz if clock.tz and clock.tz != "local" else local_timezone()
    check_timezone(tz)
    db = open_database(str(path))
    try:
        Builder(db, tz, clock.now().to(tz), max(0, days)).build()
    finally:
        db.close()
    return str(path)
