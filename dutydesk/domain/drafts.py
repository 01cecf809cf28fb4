"""Drafts: half-filled forms kept per person and desk through a lock, a restart
or a crash. Drafts are not audited (they are not records); they are deleted
when the form is saved or deliberately dropped.
"""

from __future__ import annotations

from typing import Any

from dutydesk.db import write
from dutydesk.domain.context import Actor
from dutydesk.models import Draft


def save(actor: Actor, form: str, data: dict[str, Any]) -> None:
    """Keep ``data`` as the person's draft of ``form`` at this desk (replacing any)."""
    if actor.staff_id is None or actor.desk_id is None:
        return
    if load(actor, form) == data:
        return  # nothing to write: no write transaction (a busy or full database)
    with write():
        row = Draft.get_or_none(
            (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
        )
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
    row = Draft.get_or_none(
        (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
    )
    return dict(row.data) if row else None


def discard(actor: Actor, form: str) -> None:
    if actor.staff_id is None or actor.desk_id is None:
        return
    if load(actor, form) is None:
        return  # nothing to delete: no write transaction
    with write():
        Draft.delete().where(
            (Draft.staff == actor.staff_id) & (Draft.desk == actor.desk_id) & (Draft.form == form)
        ).execute()


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
