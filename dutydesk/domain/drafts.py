"""Drafts: half-filled forms kept per person and desk through a lock, a restart
or a crash. Drafts are not audited (they are not records); they are deleted
when the form is saved or deliberately dropped.

While a site server cannot be reached, drafts go to a local file instead
(:data:`OFFLINE_ENV`, else ``offline-drafts.json`` in the user data folder) and
move into the database at the next save or load once it answers again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dutydesk.db import write
from dutydesk.domain.context import Actor
from dutydesk.errors import ConnectionLost
from dutydesk.models import Draft

OFFLINE_ENV = "DUTYDESK_OFFLINE_DRAFTS"


def _offline_path() -> Path:
    chosen = os.environ.get(OFFLINE_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_data_path

    return user_data_path("dutydesk", appauthor=False) / "offline-drafts.json"


def _offline_key(actor: Actor, form: str) -> str:
    return f"{actor.staff_id}:{actor.desk_id}:{form}"


def _offline() -> dict[str, Any]:
    try:
        found = json.loads(_offline_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _keep_offline(key: str, data: dict[str, Any] | None) -> None:
    """Write (or with None, drop) one offline draft; the file goes when it is empty."""
    found = _offline()
    if data is None:
        if key not in found:
            return
        found.pop(key)
    else:
        found[key] = data
    path = _offline_path()
    if not found:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def save(actor: Actor, form: str, data: dict[str, Any]) -> None:
    """Keep ``data`` as the person's draft of ``form`` at this desk (replacing any)."""
    if actor.staff_id is None or actor.desk_id is None:
        return
    key = _offline_key(actor, form)
    try:
        _save(actor, form, data)
    except ConnectionLost:
        _keep_offline(key, data)
        return
    _keep_offline(key, None)


def _save(actor: Actor, form: str, data: dict[str, Any]) -> None:
    mine = (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
    row = Draft.get_or_none(mine)
    if row is not None and row.data == data:
        return  # nothing to write: no write transaction (a busy or full database)
    with write():
        row = Draft.get_or_none(mine)
        if row is None:
            Draft.create(
                staff=actor.staff_id,
                desk=actor.desk_id,
                form=form,
                data=data,
                updated_at=actor.now(),
            )
        elif row.data != data:
            row.data = data
            row.updated_at = actor.now()
            row.save()


def load(actor: Actor, form: str) -> dict[str, Any] | None:
    """The person's own draft of ``form`` at this desk, or None."""
    if actor.staff_id is None or actor.desk_id is None:
        return None
    kept = _offline().get(_offline_key(actor, form))
    try:
        if kept is not None:  # typed while the server was away: newer than the database's
            save(actor, form, kept)
            return dict(kept)
        row = Draft.get_or_none(
            (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
        )
    except ConnectionLost:
        return dict(kept) if kept is not None else None
    return dict(row.data) if row else None


def discard(actor: Actor, form: str) -> None:
    if actor.staff_id is None or actor.desk_id is None:
        return
    _keep_offline(_offline_key(actor, form), None)
    mine = (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
    try:
        if Draft.get_or_none(mine) is None:
            return  # nothing to delete: no write transaction
        with write():
            Draft.delete().where(mine).execute()
    except ConnectionLost:
        return  # the server's copy goes with the next discard or save


def forms_with_drafts(actor: Actor) -> list[str]:
    """Which forms the person has unsaved drafts of (a handover blocker, EN-8.6)."""
    if actor.staff_id is None or actor.desk_id is None:
        return []
    q = (
        Draft.select(Draft.form)
        .where((Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id))
        .order_by(Draft.form)
    )
    return [r.form for r in q]
