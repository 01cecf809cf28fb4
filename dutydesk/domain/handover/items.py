"""The items the incoming acknowledges, kept in line with the records."""

from __future__ import annotations

from dataclasses import dataclass

import arrow

from dutydesk.domain import incidents, logs, patrols, repairs
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.kinds import FREE_KINDS, ItemKind, RefType
from dutydesk.domain.handover.records import (
    _checks_of,
    _hhmm,
    _previous_carried,
    _reading_text,
    _resolved_carried_ids,
    _round_name,
    _round_state,
    _rounds,
)
from dutydesk.domain.incidents.enums import IncidentStatus
from dutydesk.models import Handover, HandoverItem, Shift

# --- the items the incoming acknowledges -------------------------------------------------


@dataclass(frozen=True)
class _Source:
    kind: str
    ref_type: str
    ref_id: int
    text: str
    reason: str = ""


def _sources(h: Handover, now: arrow.Arrow) -> list[_Source]:
    """Every open thing of the desk and shift, as it stands now."""
    found: list[_Source] = []
    desk_id = h.desk_id
    by_time = sorted(incidents.open_incidents(desk_id), key=lambda i: (i.occurred_at, i.id))
    for inc in by_time:
        if inc.status == IncidentStatus.HANDLING:
            continue  # a blocker, not an item: it must end before the handover (EN-8.6.2)
        text = f"{_hhmm(inc.occurred_at)} {inc.place} — {inc.description}"
        found.append(_Source(ItemKind.INCIDENT, RefType.INCIDENT, inc.id, text))
    for rr in repairs.unresolved_repairs(desk_id):
        text = f"{_hhmm(rr.received_at)} {rr.place} — {rr.problem}".replace("  ", " ")
        found.append(_Source(ItemKind.REPAIR, RefType.REPAIR, rr.id, text, rr.reason))
    for key in logs.keys_out(desk_id):
        text = f"{key.values.get('key_name', '')} → {key.values.get('borrower', '')}"
        found.append(_Source(ItemKind.KEY, RefType.KEY, key.id, f"{text} ({_hhmm(key.at)})"))
    if h.outgoing_shift_id is not None:
        rounds = _rounds(h.outgoing_shift_id)
        end = Shift.get_by_id(h.outgoing_shift_id).planned_end
        for r in rounds:
            state = _round_state(r, end, now)
            if state in (patrols.MISSED, patrols.SKIPPED):
                text = f"{_round_name(r)} {_hhmm(r.due_at)}".strip()
                kind = (
                    ItemKind.PATROL_MISSED if state == patrols.MISSED else ItemKind.PATROL_SKIPPED
                )
                found.append(_Source(kind, RefType.ROUND, r.id, text, r.skip_reason))
        for c in _checks_of([r.id for r in rounds]):
            if c.out_of_range:
                found.append(
                    _Source(ItemKind.READING, RefType.CHECK, c.id, _reading_text(c), c.note)
                )
    # From the last signed handover: items about a record (incident, repair, key)
    # come back through the record itself while it is open, keeping their reason;
    # free-text items (checklist, carried) come back until resolved in the duty log.
    previous = _previous_carried(desk_id, h.id)
    reasons = {(i.ref_type, i.ref_id): i.reason for i in previous if i.reason}
    found = [
        src
        if src.reason or (src.ref_type, src.ref_id) not in reasons
        else _Source(
            src.kind, src.ref_type, src.ref_id, src.text, reasons[(src.ref_type, src.ref_id)]
        )
        for src in found
    ]
    free = [i for i in previous if i.kind in FREE_KINDS]
    resolved = _resolved_carried_ids([i.id for i in free])
    for item in free:
        if item.id not in resolved:
            found.append(_Source(ItemKind.CARRIED, RefType.ITEM, item.id, item.text, item.reason))
    return found


def _sync_items(actor: Actor, h: Handover) -> bool:
    """Bring the items in line with the records (inside a write); True if anything changed.

    A new open record adds an item; a record closed since (key back, repair
    handled) marks its item resolved; a changed text asks for a new acknowledgement.
    """
    now = actor.now()
    changed = False
    existing = {
        (i.kind, i.ref_type, i.ref_id): i
        for i in HandoverItem.select().where(
            (HandoverItem.handover == h.id) & (HandoverItem.kind != ItemKind.CHECKLIST)
        )
    }
    seen: set[tuple[str, str, int | None]] = set()
    for src in _sources(h, now):
        key = (src.kind, src.ref_type, src.ref_id)
        seen.add(key)
        item = existing.get(key)
        if item is None:
            HandoverItem.create(
                handover=h.id,
                kind=src.kind,
                ref_type=src.ref_type,
                ref_id=src.ref_id,
                text=src.text,
                reason=src.reason,
            )
            changed = True
            continue
        if item.text != src.text or item.resolved_at is not None:
            item.text = src.text
            item.resolved_at = None
            item.acknowledged_at = None
            item.acknowledged_by = None
            item.save()
            changed = True
        if not item.reason and src.reason:
            item.reason = src.reason
            item.save()
    for key, item in existing.items():
        if key not in seen and item.resolved_at is None:
            item.resolved_at = now
            item.save()
            changed = True
    if changed and h.read_back is not None:
        h.read_back = None
        h.save()
    return changed
