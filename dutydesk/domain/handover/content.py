"""The canonical content a signature binds: the record part and the context."""

from __future__ import annotations

from typing import Any

import arrow

from dutydesk.domain import canonical, logs, patrols, shifts, staff
from dutydesk.domain.handover.kinds import FORMAT
from dutydesk.domain.handover.records import (
    _checkpoint_name,
    _checks_of,
    _plain,
    _reading_text,
    _round_name,
    _rounds,
    _tz,
)
from dutydesk.domain.handover.sections import HandoverSections
from dutydesk.domain.site import get_site
from dutydesk.domain.staff import StaffInfo
from dutydesk.models import (
    DutyLogEntry,
    Handover,
    HandoverItem,
    LoginSession,
    Shift,
    ShiftTemplate,
    Signature,
    Staff,
    ToolItem,
)

# A round whose unmarked checks were never checked.
_FINISHED = frozenset({patrols.MISSED, patrols.DONE, patrols.DONE_LATE})


def build_sections(h: Handover) -> HandoverSections:
    """The shift's data the record shows: duty log, patrols, readings, register, keys."""
    shift_id = h.outgoing_shift_id
    duty: list[dict[str, Any]] = []
    patrol: list[dict[str, Any]] = []
    readings: list[dict[str, Any]] = []
    if shift_id is not None:
        corrected = {
            e.corrects_id
            for e in DutyLogEntry.select(DutyLogEntry.corrects).where(
                (DutyLogEntry.shift == shift_id) & DutyLogEntry.corrects.is_null(False)
            )
        }
        for e in (
            DutyLogEntry.select(DutyLogEntry, Staff.staff_no)
            .join(Staff, on=(DutyLogEntry.author == Staff.id))
            .where(DutyLogEntry.shift == shift_id)
            .order_by(DutyLogEntry.occurred_at, DutyLogEntry.id)
        ):
            if e.id in corrected:
                continue
            duty.append(
                {
                    "id": e.id,
                    "at": e.occurred_at,
                    "kind": e.kind,
                    "text": e.text,
                    "result": e.result,
                    "by": e.author.staff_no,
                }
            )
        rounds = _rounds(shift_id)
        checks = _checks_of([r.id for r in rounds])
        for r in rounds:
            mine = [c for c in checks if c.round_id == r.id]
            finished = r.finished_at is not None or r.state in _FINISHED
            patrol.append(
                {
                    "id": r.id,
                    "name": _round_name(r),
                    "due_at": r.due_at,
                    "state": r.state,
                    "reason": r.skip_reason,
                    "skipped": [
                        {"checkpoint": _checkpoint_name(c.checkpoint_id), "note": c.note}
                        for c in mine
                        if c.result == patrols.SKIP
                    ],
                    "missed": [
                        _checkpoint_name(c.checkpoint_id)
                        for c in mine
                        if finished and c.result is None
                    ],
                }
            )
        for c in checks:
            if c.out_of_range:
                readings.append(
                    {"id": c.id, "text": _reading_text(c), "at": c.marked_at, "note": c.note}
                )
    tools = [
        {"name": t.name, "quantity": t.quantity}
        for t in ToolItem.select()
        .where((ToolItem.desk == h.desk_id) & (ToolItem.active == True))  # noqa: E712
        .order_by(ToolItem.name, ToolItem.id)
    ]
    keys = [
        {
            "id": k.id,
            "key": k.values.get("key_name", ""),
            "borrower": k.values.get("borrower", ""),
            "out_at": k.at,
        }
        for k in logs.keys_out(h.desk_id)
    ]
    plain = {"duty_log": duty, "patrol": patrol, "readings": readings, "tools": tools}
    return HandoverSections.from_plain(_plain({**plain, "keys_out": keys}))


# --- the canonical content a signature binds ----------------------------------------------


def _signature_part(
    staff_id: int, staff_no: str, name: str, meaning: str, signed_at: arrow.Arrow
) -> dict[str, Any]:
    return {
        "staff": staff_id,
        "staff_no": staff_no,
        "printed_name": name,
        "meaning": meaning,
        "signed_at": signed_at,
    }


def record_part(
    h: Handover,
    signatures: list[dict[str, Any]] | None = None,
    *,
    item_rows: list[HandoverItem] | None = None,
    signature_rows: list[Signature] | None = None,
) -> dict[str, Any]:
    """The part of the content rebuilt from the handover, item and signature rows
    (``signatures`` given: the ones about to be made). ``item_rows`` and
    ``signature_rows`` (in id order) are the handover's rows already read, so
    ``verify`` can read them for many handovers at once."""
    if item_rows is None:
        item_rows = list(
            HandoverItem.select().where(HandoverItem.handover == h.id).order_by(HandoverItem.id)
        )
    if signatures is None and signature_rows is None:
        signature_rows = list(
            Signature.select().where(Signature.handover == h.id).order_by(Signature.id)
        )
    items = [
        {
            "id": i.id,
            "kind": i.kind,
            "ref_type": i.ref_type,
            "ref_id": i.ref_id,
            "text": i.text,
            "reason": i.reason,
            "acknowledged_at": i.acknowledged_at,
            "acknowledged_by": i.acknowledged_by_id,
            "carried_over": bool(i.carried_over),
            "resolved_at": i.resolved_at,
        }
        for i in item_rows
    ]
    if signatures is None:
        signatures = [
            _signature_part(s.staff_id, s.staff_no, s.printed_name, s.meaning, s.signed_at)
            for s in signature_rows or []
        ]
    return _plain(
        {
            "format": FORMAT,
            "handover_id": h.id,
            "desk_id": h.desk_id,
            "outgoing_shift_id": h.outgoing_shift_id,
            "incoming_shift_id": h.incoming_shift_id,
            "started_by": h.started_by_id,
            "started_at": h.started_at,
            "early_reason": h.early_reason,
            "notes": h.notes,
            "incoming_staff": h.incoming_staff_id,
            "identified_at": h.identified_at,
            "checklist": h.checklist or {},
            "read_back": h.read_back,
            "signed_at": h.signed_at,
            "chain_head": {"seq": h.chain_head_seq, "hash": h.chain_head_hash},
            "items": items,
            "signatures": signatures,
        }
    )


def _shift_info(shift_id: int | None) -> dict[str, Any] | None:
    if shift_id is None:
        return None
    s = Shift.get_by_id(shift_id)
    t = ShiftTemplate.get_by_id(s.template_id)
    return {
        "id": s.id,
        "code": t.code,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "business_date": s.business_date,
        "planned_start": s.planned_start,
        "planned_end": s.planned_end,
    }


def _team(shift_id: int | None, exclude: set[int]) -> list[dict[str, str]]:
    """Others working the shift: rostered on it, or logged in at the desk during it."""
    if shift_id is None:
        return []
    s = Shift.get_by_id(shift_id)
    people: dict[int, StaffInfo] = {
        p.id: staff.info(p) for p in shifts.rostered(s.template_id, s.business_date)
    }
    for session in LoginSession.select().where(LoginSession.shift == shift_id):
        if session.staff_id not in people:
            people[session.staff_id] = staff.get(session.staff_id)
    return [
        {"staff_no": p.staff_no, "name": p.name}
        for p in sorted(people.values(), key=lambda p: p.staff_no)
        if p.id not in exclude
    ]


def _context(h: Handover) -> dict[str, Any]:
    site = get_site()
    desk = next(d for d in site.desks if d.id == h.desk_id)
    ids = {h.started_by_id, h.incoming_staff_id}
    ids |= {
        i.acknowledged_by_id for i in HandoverItem.select().where(HandoverItem.handover == h.id)
    }
    people = {
        str(p.id): {"staff_no": p.staff_no, "name": p.name}
        for p in (staff.get(i) for i in sorted(i for i in ids if i is not None))
    }
    signers = {h.started_by_id, h.incoming_staff_id}
    return _plain(
        {
            "site": site.name,
            "site_tz": _tz(),
            "desk": {
                "code": desk.code,
                "name": desk.name,
                "name_en": desk.name_en,
                "location": desk.location,
            },
            "outgoing_shift": _shift_info(h.outgoing_shift_id),
            "incoming_shift": _shift_info(h.incoming_shift_id),
            "people": people,
            "teams": {
                "outgoing": _team(h.outgoing_shift_id, signers),
                "incoming": _team(h.incoming_shift_id, signers),
            },
            "sections": build_sections(h).to_plain(),
        }
    )


def content_of(record: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The canonical content: ``{"record": …, "context": …}`` (hashed whole)."""
    return {"record": record, "context": context}


def content_hash(content: dict[str, Any]) -> str:
    return canonical.sha256(content)
