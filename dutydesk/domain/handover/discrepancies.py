"""After the handover: items carried over (CS-R2) and discrepancies (EN-8.6.4)."""

from __future__ import annotations

from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, repairs, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.kinds import FREE_KINDS, ITEM_LABELS, HandoverState, RefType
from dutydesk.domain.handover.records import _get, _person, _resolved_carried_ids
from dutydesk.domain.incidents.enums import IncidentStatus
from dutydesk.domain.logs import DutyKind
from dutydesk.domain.people import Person
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import DutyLogEntry, Handover, HandoverDiscrepancy, HandoverItem

# --- after the handover: carried items, discrepancies -------------------------------------


@dataclass(frozen=True)
class CarriedItem:
    """An item the last signed handover passed on, still unresolved (CS-R2)."""

    id: int
    handover_id: int
    kind: str
    text: str
    reason: str
    signed_at: arrow.Arrow

    def label(self) -> str:
        return _(ITEM_LABELS.get(self.kind, self.kind))


def _in_list(values: tuple[str, ...]) -> str:
    assert all("'" not in v for v in values)
    return ", ".join(f"'{v}'" for v in values)


# The query of carried_over_items, written out once: Peewee takes ~0.9 ms to build
# this SQL and SQLite ~0.06 ms to run it (the F2 screen loads it every minute).
_CARRIED_SQL = """
SELECT i.id, i.handover_id, i.kind, i.text, i.reason, h.signed_at
FROM handover_item AS i JOIN handover AS h ON h.id = i.handover_id
WHERE i.handover_id = (
        SELECT s.id FROM handover AS s WHERE s.desk_id = {p} AND s.state = '{signed}'
        ORDER BY s.signed_at DESC, s.id DESC LIMIT 1)
  AND i.carried_over = {p} AND i.resolved_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM duty_log_entry AS e
                  WHERE e.ref_type = '{item}' AND e.ref_id = i.id)
  AND (i.ref_type != '{incident}' OR EXISTS (
        SELECT 1 FROM incident AS r WHERE r.id = i.ref_id AND r.status != '{resolved}'))
  AND (i.ref_type != '{repair}' OR EXISTS (
        SELECT 1 FROM repair_request AS r
        WHERE r.id = i.ref_id AND r.status IN ({unresolved})))
  AND (i.ref_type != '{key}' OR EXISTS (
        SELECT 1 FROM key_loan AS r WHERE r.id = i.ref_id AND r.back_at IS NULL))
ORDER BY i.id
"""
for _name, _value in {
    "{signed}": HandoverState.SIGNED,
    "{item}": RefType.ITEM,
    "{incident}": RefType.INCIDENT,
    "{resolved}": IncidentStatus.RESOLVED,
    "{repair}": RefType.REPAIR,
    "{key}": RefType.KEY,
    "{unresolved}": _in_list(repairs.UNRESOLVED_STATUSES),
}.items():
    _CARRIED_SQL = _CARRIED_SQL.replace(_name, str(_value))


def carried_over_items(desk_id: int) -> list[CarriedItem]:
    """What the previous shift left unfinished, for the shift screen to show first.

    One query (the F2 screen's budget): the items the last signed handover carried
    over, less those resolved since by a linked duty-log entry (CS-R2) and those
    whose record has closed: an incident resolved, a repair no longer unresolved
    (:data:`dutydesk.domain.repairs.UNRESOLVED_STATUSES`), a key back.
    """
    db = HandoverItem._meta.database
    rows = db.execute_sql(_CARRIED_SQL.format(p=db.param), (desk_id, True)).fetchall()
    found = []
    for item_id, handover_id, kind, text, reason, at in rows:
        signed_at = Handover.signed_at.python_value(at)
        assert signed_at is not None  # a signed handover
        found.append(CarriedItem(item_id, handover_id, kind, text, reason, signed_at))
    return found


def resolve_carried_item(actor: Actor, item_id: int, result: str) -> int:
    """Record that a carried-over item is dealt with: a duty-log entry linked to it
    (the signed item itself never changes). Returns the entry's id."""
    desk_id, staff_id = actor.require_login()
    if not result.strip():
        raise ValidationError(N_("Write how it was resolved"), field="result")
    with write():
        item = HandoverItem.get_or_none(HandoverItem.id == item_id)
        if item is None or not item.carried_over:
            raise NotFound(N_("No such carried-over item"))
        if item.kind not in FREE_KINDS:
            raise RuleViolation(N_("This item ends when its own record is closed"))
        if item.handover.desk_id != desk_id:
            raise RuleViolation(N_("This item belongs to another desk"))
        if _resolved_carried_ids([item.id]):
            raise RuleViolation(N_("This item is already resolved"))
        shift = shifts.open_shift_of(desk_id)
        now = actor.now()
        entry = DutyLogEntry.create(
            desk=desk_id,
            shift=shift.id if shift else None,
            author=staff_id,
            created_at=now,
            kind=DutyKind.DUTY,
            occurred_at=now,
            category="routine",
            text=item.text,
            result=result.strip(),
            ref_type=RefType.ITEM,
            ref_id=item.id,
        )
        audit.record(
            actor,
            "handover.item_resolved",
            "duty_log_entry",
            entry.id,
            new={"handover_item": item.id, "result": result.strip()},
        )
    return int(entry.id)


@dataclass(frozen=True)
class DiscrepancyView:
    id: int
    handover_id: int
    author: Person
    text: str
    created_at: arrow.Arrow
    seen: bool


def record_discrepancy(actor: Actor, handover_id: int, text: str) -> int:
    """After taking over, the incoming records a problem the outgoing did not report
    (EN-8.6.4): a new record linked to the signed handover, for the supervisor."""
    _desk_id, staff_id = actor.require_login()
    if not text.strip():
        raise ValidationError(N_("Describe the problem that was not reported"), field="text")
    with write():
        h = _get(handover_id)
        if h.state != HandoverState.SIGNED:
            raise RuleViolation(N_("Only a signed handover can be questioned"))
        if h.incoming_staff_id != staff_id:
            raise RuleViolation(
                N_("Only the person who took over can record this"), rule="EN-8.6.4"
            )
        d = HandoverDiscrepancy.create(
            handover=h.id, author=staff_id, text=text.strip(), created_at=actor.now()
        )
        audit.record(
            actor,
            "handover.discrepancy",
            "handover_discrepancy",
            d.id,
            new={"handover": h.id, "text": d.text},
        )
    return int(d.id)


def discrepancies(unseen_only: bool = False) -> list[DiscrepancyView]:
    """Discrepancies recorded against signed handovers, newest first (supervisor)."""
    q = HandoverDiscrepancy.select().order_by(HandoverDiscrepancy.created_at.desc())
    if unseen_only:
        q = q.where(HandoverDiscrepancy.seen_at.is_null())
    return [
        DiscrepancyView(
            d.id,
            d.handover_id,
            _person(d.author_id),  # type: ignore[arg-type]
            d.text,
            d.created_at,
            d.seen_at is not None,
        )
        for d in q
    ]


def mark_discrepancy_seen(actor: Actor, discrepancy_id: int) -> None:
    """A supervisor has read the discrepancy."""
    with write():
        me = actor.require_role()
        d = HandoverDiscrepancy.get_or_none(HandoverDiscrepancy.id == discrepancy_id)
        if d is None:
            raise NotFound(N_("No such discrepancy"))
        if d.seen_at is None:
            d.seen_by = me.id
            d.seen_at = actor.now()
            d.save()
            audit.record(actor, "handover.discrepancy_seen", "handover_discrepancy", d.id)
