"""The handover record (交接班记录, EN-8.5–8.7) and the list of handovers.

The record is read from the content both signatures bind (never from today's
rows, which may have moved on), so the printout shows exactly what was signed:
the shift's duty log in time order, patrols, readings, the register, the items
with their acknowledgements, the read-back, both signatures with their meaning
and time, the content hash and the audit chain's head (EN-8.7.1: kept for
inspection). Discrepancies found later (EN-8.6.4) follow, marked as not signed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.domain import handover as handovers
from dutydesk.domain.reports import Header, Period, header
from dutydesk.domain.site import site_timezone
from dutydesk.errors import NotFound, RuleViolation
from dutydesk.i18n import N_
from dutydesk.models import Handover, Shift, ShiftTemplate, Signature, Staff


@dataclass(frozen=True)
class Person:
    staff_no: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.staff_no})"


@dataclass(frozen=True)
class SignatureLine:
    printed_name: str
    staff_no: str
    meaning: str
    signed_at: arrow.Arrow


@dataclass(frozen=True)
class HandoverSummary:
    """One handover of the list (any state but draft)."""

    id: int
    desk_code: str
    state: str  # signed / refused / aborted / draft
    started_at: arrow.Arrow
    signed_at: arrow.Arrow | None
    outgoing: Person
    incoming: Person | None
    outgoing_shift: str  # "2026-12-01 early"
    end_reason: str
    signatures: tuple[SignatureLine, ...]
    items_carried: int


@dataclass(frozen=True)
class ShiftLabel:
    name_zh: str
    name_en: str
    business_date: str
    start: arrow.Arrow
    end: arrow.Arrow


@dataclass(frozen=True)
class LogLine:
    at: arrow.Arrow
    by: str
    kind: str
    text: str
    result: str


@dataclass(frozen=True)
class RoundLine:
    due_at: arrow.Arrow
    name: str
    state: str
    reason: str
    skipped: tuple[tuple[str, str], ...]  # (checkpoint, note)
    missed: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    kind: str
    ref_type: str
    text: str
    reason: str
    acknowledged_at: arrow.Arrow | None
    acknowledged_by: Person | None
    carried_over: bool
    resolved_at: arrow.Arrow | None


@dataclass(frozen=True)
class CheckAnswer:
    key: str
    question: str  # English msgid
    rule: str
    ok: bool | None
    note: str


@dataclass(frozen=True)
class Discrepancy:
    created_at: arrow.Arrow
    by: Person
    text: str


@dataclass(frozen=True)
class HandoverRecord:
    header: Header
    id: int
    outgoing_shift: ShiftLabel | None
    incoming_shift: ShiftLabel | None
    started_at: arrow.Arrow
    started_by: Person | None
    signed_at: arrow.Arrow | None
    early_reason: str
    notes: str
    duty_log: tuple[LogLine, ...]
    patrol: tuple[RoundLine, ...]
    readings: tuple[tuple[arrow.Arrow | None, str, str], ...]  # (at, text, note)
    tools: tuple[tuple[str, int], ...]
    keys_out: tuple[tuple[str, str, arrow.Arrow | None], ...]  # (key, borrower, since)
    items: tuple[Item, ...]
    checklist: tuple[CheckAnswer, ...]
    read_back: int | None
    teams: dict[str, tuple[Person, ...]]
    signatures: tuple[SignatureLine, ...]
    content_hash: str
    chain_head_seq: int | None
    chain_head_hash: str
    discrepancies: tuple[Discrepancy, ...]

    @property
    def carried(self) -> int:
        return sum(1 for i in self.items if i.carried_over)

    @property
    def resolved(self) -> tuple[Item, ...]:
        """Items met and cleared during the handover (what blocked or was open)."""
        return tuple(i for i in self.items if i.resolved_at is not None)

    @property
    def chain_head(self) -> str:
        return f"{self.chain_head_seq}:{self.chain_head_hash[:16]}"


def _at(value: Any) -> arrow.Arrow | None:
    return arrow.get(value) if value else None


def _shift_label(info: dict[str, Any] | None) -> ShiftLabel | None:
    if not info:
        return None
    return ShiftLabel(
        info["name_zh"],
        info["name_en"],
        str(info["business_date"]),
        arrow.get(info["planned_start"]),
        arrow.get(info["planned_end"]),
    )


def _signatures(handover_id: int) -> tuple[SignatureLine, ...]:
    return tuple(
        SignatureLine(s.printed_name, s.staff_no, s.meaning, s.signed_at)
        for s in Signature.select().where(Signature.handover == handover_id).order_by(Signature.id)
    )


def handover_record(handover_id: int, now: arrow.Arrow) -> HandoverRecord:
    """The signed record of one handover (RuleViolation while it is not signed)."""
    h = Handover.get_or_none(Handover.id == handover_id)
    if h is None:
        raise NotFound(N_("No handover {id}"), id=handover_id)
    if h.state != handovers.HandoverState.SIGNED:
        raise RuleViolation(N_("Handover {id} is not signed ({state})"), id=h.id, state=h.state)
    rec, ctx = h.content["record"], h.content["context"]
    people = {k: Person(v["staff_no"], v["name"]) for k, v in (ctx.get("people") or {}).items()}

    def who(staff_id: Any) -> Person | None:
        return people.get(str(staff_id)) if staff_id is not None else None

    sections = handovers.HandoverSections.from_plain(ctx.get("sections"))
    # The signed content keeps the order it was built in; the record reads in time order.
    duty = sorted(
        (LogLine(arrow.get(e.at), e.by, e.kind, e.text, e.result) for e in sections.duty_log),
        key=lambda line: line.at,
    )
    rounds = sorted(
        (
            RoundLine(
                arrow.get(r.due_at),
                r.name,
                r.state,
                r.reason,
                tuple((c.checkpoint, c.note) for c in r.skipped),
                r.missed,
            )
            for r in sections.patrol
        ),
        key=lambda r: r.due_at,
    )
    answers = rec.get("checklist") or {}
    checklist = tuple(
        CheckAnswer(
            key,
            question,
            rule,
            None if answers.get(key) is None else bool(answers[key]["ok"]),
            (answers.get(key) or {}).get("note", ""),
        )
        for key, question, rule in handovers.CHECKLIST
    )
    teams = {
        side: tuple(
            Person(p["staff_no"], p["name"]) for p in (ctx.get("teams") or {}).get(side, [])
        )
        for side in ("outgoing", "incoming")
    }
    found = [d for d in handovers.discrepancies() if d.handover_id == h.id]
    desk_header = header(h.desk_id, now)
    return HandoverRecord(
        header=desk_header,
        id=h.id,
        outgoing_shift=_shift_label(ctx.get("outgoing_shift")),
        incoming_shift=_shift_label(ctx.get("incoming_shift")),
        started_at=arrow.get(rec["started_at"]),
        started_by=who(rec.get("started_by")),
        signed_at=_at(rec.get("signed_at")),
        early_reason=rec.get("early_reason") or "",
        notes=rec.get("notes") or "",
        duty_log=tuple(duty),
        patrol=tuple(rounds),
        readings=tuple(
            (_at(r.at), r.text, r.note) for r in sorted(sections.readings, key=lambda r: r.at)
        ),
        tools=tuple((t.name, t.quantity) for t in sections.tools),
        keys_out=tuple((k.key, k.borrower, _at(k.out_at)) for k in sections.keys_out),
        items=tuple(
            Item(
                i["kind"],
                i.get("ref_type", ""),
                i.get("text", ""),
                i.get("reason", ""),
                _at(i.get("acknowledged_at")),
                who(i.get("acknowledged_by")),
                bool(i.get("carried_over")),
                _at(i.get("resolved_at")),
            )
            for i in rec.get("items") or []
        ),
        checklist=checklist,
        read_back=rec.get("read_back"),
        teams=teams,
        signatures=tuple(
            SignatureLine(s["printed_name"], s["staff_no"], s["meaning"], arrow.get(s["signed_at"]))
            for s in rec.get("signatures") or []
        ),
        content_hash=h.content_hash,
        chain_head_seq=(rec.get("chain_head") or {}).get("seq"),
        chain_head_hash=(rec.get("chain_head") or {}).get("hash") or "",
        discrepancies=tuple(
            Discrepancy(d.created_at, Person(d.author.staff_no, d.author.name), d.text)
            for d in found
        ),
    )


def _summaries(q: Any) -> list[HandoverSummary]:
    rows = list(q)
    staff_ids = {r.started_by_id for r in rows} | {r.incoming_staff_id for r in rows}
    people = {
        s.id: Person(s.staff_no, s.name)
        for s in Staff.select().where(Staff.id.in_([i for i in staff_ids if i is not None]))
    }
    shift_ids = [r.outgoing_shift_id for r in rows if r.outgoing_shift_id is not None]
    shift_labels = {
        s.id: f"{s.business_date.isoformat()} {s.template.code}"
        for s in Shift.select(Shift, ShiftTemplate)
        .join(ShiftTemplate)
        .where(Shift.id.in_(shift_ids))
    }
    out = []
    for r in rows:
        carried = 0
        if r.state == handovers.HandoverState.SIGNED and r.content:
            carried = sum(1 for i in r.content["record"].get("items", []) if i.get("carried_over"))
        out.append(
            HandoverSummary(
                r.id,
                r.desk.code,
                r.state,
                r.started_at,
                r.signed_at,
                people[r.started_by_id],
                people.get(r.incoming_staff_id) if r.incoming_staff_id else None,
                shift_labels.get(r.outgoing_shift_id, ""),
                r.end_reason,
                _signatures(r.id) if r.state == handovers.HandoverState.SIGNED else (),
                carried,
            )
        )
    return out


def list_handovers(desk_id: int | None = None, days: Period | None = None) -> list[HandoverSummary]:
    """Handovers started in the days (all of them without), oldest first."""
    q = Handover.select()
    if desk_id is not None:
        q = q.where(Handover.desk == desk_id)
    if days is not None:
        start, end = days.bounds(site_timezone())
        q = q.where((Handover.started_at >= start) & (Handover.started_at < end))
    return _summaries(q.order_by(Handover.started_at, Handover.id))


def handovers_of_shifts(shift_ids: list[int]) -> list[HandoverSummary]:
    """The handovers that ended or started one of the shifts (drafts left out)."""
    if not shift_ids:
        return []
    q = Handover.select().where(
        (Handover.outgoing_shift.in_(shift_ids) | Handover.incoming_shift.in_(shift_ids))
        & (Handover.state != handovers.HandoverState.DRAFT)
    )
    return _summaries(q.order_by(Handover.started_at, Handover.id))


def last_signed(desk_id: int) -> HandoverSummary | None:
    """The desk's most recently signed handover (F5 shows its number)."""
    q = (
        Handover.select()
        .where((Handover.desk == desk_id) & (Handover.state == handovers.HandoverState.SIGNED))
        .order_by(Handover.signed_at.desc(), Handover.id.desc())
        .limit(1)
    )
    found = _summaries(q)
    return found[0] if found else None


def latest_signed_id(desk_id: int, day: dt.date | None = None) -> int | None:
    """The number of the desk's last handover signed (on or before ``day``)."""
    q = Handover.select(Handover.id).where(
        (Handover.desk == desk_id) & (Handover.state == handovers.HandoverState.SIGNED)
    )
    if day is not None:
        end = Period(day, day).bounds(site_timezone())[1]
        q = q.where(Handover.signed_at < end)
    row = q.order_by(Handover.signed_at.desc(), Handover.id.desc()).first()
    return row.id if row else None
