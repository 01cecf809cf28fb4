"""Two-party handover (交接班): start, blockers, takeover, read-back, signatures.

A screen walks it one step at a time and asks :func:`view` (or :func:`refresh`)
after every call; ``HandoverView.step`` says what comes next::

    start ─► blockers cleared ─► identify_incoming ─► answer_check × 5
          ─► acknowledge × each item ─► confirm_read_back ─► sign
    (refuse by the incoming, or abort by the outgoing / an incident, at any step)

Blockers are recomputed at every step and signing is impossible while any
applies. The outgoing's side runs under the logged-in actor; the incoming acts
on the same terminal (EN-8.5.1) and is recorded as the author of their steps.

What a signature binds (the canonical content, see :func:`content_of`) is plain
JSON hashed with :mod:`dutydesk.domain.canonical`: sorted keys, UTF-8, no
insignificant whitespace, instants as UTC ISO 8601 with microseconds and ``Z``.
It holds two parts: the *record* (rebuilt from the handover, item and signature
rows by :func:`record_part`, so ``dutydesk verify`` can recompute it) and the
*context* frozen at signing (desk, shifts, names, teams, the shift's logs and
patrols, the tools register) which only the hash protects. The audit chain's
head at signing is in the record, so a printed copy anchors the chain.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import arrow

from dutydesk.clock import FixedClock
from dutydesk.db import write
from dutydesk.domain import audit, bounds, canonical, drafts, logs, patrols, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.site import site_timezone
from dutydesk.domain.staff import StaffInfo, authenticate
from dutydesk.errors import AuthError, NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import (
    Checkpoint,
    Desk,
    DutyLogEntry,
    Handover,
    HandoverDiscrepancy,
    HandoverItem,
    Incident,
    KeyLoan,
    LoginSession,
    PatrolCheck,
    PatrolRound,
    PatrolSchedule,
    RepairRequest,
    Shift,
    ShiftTemplate,
    Signature,
    Site,
    Staff,
    ToolItem,
)

FORMAT = "dutydesk.handover/1"

# A signature's meaning, stored in both languages so the row explains itself.
MEANING_OUT = "交班 / handed over"
MEANING_IN = "接班 / taken over"

# The takeover checklist (EN-8.4.1–4): key, question, rule.
CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("report_heard", N_("Heard the outgoing's report"), "EN-8.4.1"),
    ("logs_read", N_("Read the duty, operation and patrol logs"), "EN-8.4.2"),
    ("register_counted", N_("Counted every item of the tools-and-keys register"), "EN-8.4.3"),
    ("rooms_clean", N_("The rooms are clean and tidy"), "EN-8.4.4"),
    ("equipment_normal", N_("The equipment runs with normal parameters"), "EN-8.4.4"),
)
CHECK_KEYS = tuple(k for k, _q, _r in CHECKLIST)

ITEM_LABELS: dict[str, str] = {
    "incident": N_("Open incident"),
    "repair": N_("Open repair request"),
    "key": N_("Key lent out"),
    "patrol_missed": N_("Patrol round missed"),
    "patrol_skipped": N_("Patrol round skipped"),
    "reading": N_("Reading out of range"),
    "carried": N_("Carried over from the last handover"),
    "checklist": N_("Takeover check not passed"),
}
# Items that stay open after the handover and so are carried over (CS-R2).
CARRY_KINDS = frozenset({"incident", "repair", "key", "carried", "checklist"})
# Carried items need a stated reason why they are not resolved (CS-R6); a key
# lent out explains itself (who has it).
REASON_KINDS = frozenset({"incident", "repair", "carried", "checklist"})

STEPS = ("blockers", "identify", "checklist", "acknowledge", "read_back", "sign")


# --- what the screen sees -------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Something that makes signing impossible now, with the rule that says so."""

    rule: str
    msgid: str
    values: dict[str, Any] = field(default_factory=dict)
    # The record it is about, so a screen can offer the fix in place.
    ref_type: str = ""
    ref_id: int | None = None

    def text(self) -> str:
        return _(self.msgid, **self.values)


@dataclass(frozen=True)
class Person:
    id: int
    staff_no: str
    name: str


@dataclass(frozen=True)
class ItemView:
    id: int
    kind: str
    text: str
    reason: str
    acknowledged: bool
    resolved: bool
    ref_type: str
    ref_id: int | None

    @property
    def carries(self) -> bool:
        """Still open: it goes over to the incoming shift."""
        return self.kind in CARRY_KINDS and not self.resolved

    @property
    def needs_reason(self) -> bool:
        return self.carries and self.kind in REASON_KINDS and not self.reason.strip()

    def label(self) -> str:
        return _(ITEM_LABELS.get(self.kind, self.kind))


@dataclass(frozen=True)
class CheckView:
    key: str
    question: str
    rule: str
    answered: bool
    ok: bool | None
    note: str


@dataclass(frozen=True)
class HandoverView:
    id: int
    desk_id: int
    state: str  # draft / aborted / refused / signed
    outgoing_shift_id: int | None
    incoming_shift_id: int | None
    outgoing: Person
    incoming: Person | None
    started_at: arrow.Arrow
    signed_at: arrow.Arrow | None
    early_reason: str
    notes: str
    end_reason: str
    items: list[ItemView]
    checks: list[CheckView]
    blockers: list[Blocker]
    read_back: int | None
    sections: dict[str, Any]
    # Set once signed: the audit chain's head at signing and the hash both signatures bind.
    chain_head_seq: int | None = None
    chain_head_hash: str = ""
    content_hash: str = ""

    @property
    def chain_head(self) -> str:
        """``SEQ:HASH16`` as the printed record shows it ("" before signing)."""
        if self.chain_head_seq is None:
            return ""
        return f"{self.chain_head_seq}:{self.chain_head_hash[:16]}"

    @property
    def carry_count(self) -> int:
        """How many items go over to the incoming shift (what the read-back must say)."""
        return sum(1 for i in self.items if i.carries)

    @property
    def open_to_acknowledge(self) -> list[ItemView]:
        return [i for i in self.items if not i.acknowledged and not i.resolved]

    @property
    def checklist_done(self) -> bool:
        return all(c.answered for c in self.checks)

    @property
    def read_back_ok(self) -> bool:
        return self.read_back is not None and self.read_back == self.carry_count

    @property
    def step(self) -> str:
        """The next step of the walk, or the final state."""
        if self.state != "draft":
            return self.state
        if self.blockers:
            return "blockers"
        if self.incoming is None:
            return "identify"
        if not self.checklist_done:
            return "checklist"
        if self.open_to_acknowledge:
            return "acknowledge"
        if not self.read_back_ok:
            return "read_back"
        return "sign"


# --- reading other areas' records (the models are the shared truth) ---------------------


def _tz() -> str:
    return site_timezone()


def _hhmm(at: arrow.Arrow | None) -> str:
    return at.to(_tz()).format("HH:mm") if at else ""


def _open_incidents(desk_id: int) -> list[Incident]:
    return list(
        Incident.select()
        .where((Incident.desk == desk_id) & (Incident.status != "resolved"))
        .order_by(Incident.occurred_at, Incident.id)
    )


def _open_repairs(desk_id: int) -> list[RepairRequest]:
    # "not_handled" is still unresolved: it goes over with its reason (EN-8.3.2).
    return list(
        RepairRequest.select()
        .where(
            (RepairRequest.desk == desk_id) & (RepairRequest.status.in_(["open", "not_handled"]))
        )
        .order_by(RepairRequest.received_at, RepairRequest.id)
    )


def _rounds(shift_id: int) -> list[PatrolRound]:
    return list(
        PatrolRound.select()
        .where(PatrolRound.shift == shift_id)
        .order_by(PatrolRound.due_at, PatrolRound.id)
    )


def _round_name(r: PatrolRound) -> str:
    if r.schedule_id is None:
        return ""
    s = PatrolSchedule.get_or_none(PatrolSchedule.id == r.schedule_id)
    return s.name if s else ""


def _round_state(r: PatrolRound, shift_end: arrow.Arrow, now: arrow.Arrow) -> str:
    return patrols.compute_state(r, shift_end, now)


def _round_explained(state: str, r: PatrolRound) -> bool:
    """Done, skipped with a stated reason, or past (missed: then it is an item the
    incoming acknowledges, since a missed round can no longer be done) (EN-8.6.1)."""
    if state in (patrols.DONE, patrols.DONE_LATE, patrols.MISSED):
        return True
    return state == patrols.SKIPPED and bool(r.skip_reason.strip())


def _checks_of(round_ids: list[int]) -> list[PatrolCheck]:
    if not round_ids:
        return []
    corrected = {
        c.corrects_id
        for c in PatrolCheck.select(PatrolCheck.corrects).where(
            PatrolCheck.round.in_(round_ids) & PatrolCheck.corrects.is_null(False)
        )
    }
    return [
        c
        for c in PatrolCheck.select()
        .where(PatrolCheck.round.in_(round_ids))
        .order_by(PatrolCheck.round, PatrolCheck.position, PatrolCheck.id)
        if c.id not in corrected
    ]


def _checkpoint_name(checkpoint_id: int) -> str:
    cp = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
    return cp.name if cp else ""


def _reading_text(c: PatrolCheck) -> str:
    cp = Checkpoint.get_by_id(c.checkpoint_id)
    value = "" if c.value is None else f"{c.value:g}"
    lo = "" if cp.range_min is None else f"{cp.range_min:g}"
    hi = "" if cp.range_max is None else f"{cp.range_max:g}"
    return f"{cp.name}: {value} {cp.unit} ({lo}–{hi})".replace("  ", " ")


def _resolved_carried_ids(item_ids: list[int]) -> set[int]:
    """Carried items resolved since, by a duty-log entry linked to them (CS-R2)."""
    if not item_ids:
        return set()
    return {
        e.ref_id
        for e in DutyLogEntry.select(DutyLogEntry.ref_id).where(
            (DutyLogEntry.ref_type == "handover_item") & DutyLogEntry.ref_id.in_(item_ids)
        )
    }


def _last_signed(desk_id: int, before_id: int | None = None) -> Handover | None:
    q = Handover.select().where((Handover.desk == desk_id) & (Handover.state == "signed"))
    if before_id is not None:
        q = q.where(Handover.id != before_id)
    return q.order_by(Handover.signed_at.desc(), Handover.id.desc()).first()


def _previous_carried(desk_id: int, handover_id: int | None) -> list[HandoverItem]:
    return _carried_of(_last_signed(desk_id, handover_id))


def _carried_of(last: Handover | None) -> list[HandoverItem]:
    """The items ``last`` (a signed handover) carried over, in order."""
    if last is None:
        return []
    return list(
        HandoverItem.select()
        .where((HandoverItem.handover == last.id) & (HandoverItem.carried_over == True))  # noqa: E712
        .order_by(HandoverItem.id)
    )


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
    for inc in _open_incidents(desk_id):
        if inc.status == "handling":
            continue  # a blocker, not an item: it must end before the handover (EN-8.6.2)
        text = f"{_hhmm(inc.occurred_at)} {inc.place} — {inc.description}"
        found.append(_Source("incident", "incident", inc.id, text))
    for rr in _open_repairs(desk_id):
        text = f"{_hhmm(rr.received_at)} {rr.place} — {rr.problem}".replace("  ", " ")
        found.append(_Source("repair", "repair_request", rr.id, text, rr.reason))
    for key in logs.keys_out(desk_id):
        text = f"{key.values.get('key_name', '')} → {key.values.get('borrower', '')}"
        found.append(_Source("key", "key_loan", key.id, f"{text} ({_hhmm(key.at)})"))
    if h.outgoing_shift_id is not None:
        rounds = _rounds(h.outgoing_shift_id)
        end = Shift.get_by_id(h.outgoing_shift_id).planned_end
        for r in rounds:
            state = _round_state(r, end, now)
            if state in (patrols.MISSED, patrols.SKIPPED):
                text = f"{_round_name(r)} {_hhmm(r.due_at)}".strip()
                found.append(_Source(f"patrol_{state}", "patrol_round", r.id, text, r.skip_reason))
        for c in _checks_of([r.id for r in rounds]):
            if c.out_of_range:
                found.append(_Source("reading", "patrol_check", c.id, _reading_text(c), c.note))
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
    free = [i for i in previous if i.kind in ("carried", "checklist")]
    resolved = _resolved_carried_ids([i.id for i in free])
    for item in free:
        if item.id not in resolved:
            found.append(_Source("carried", "handover_item", item.id, item.text, item.reason))
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
            (HandoverItem.handover == h.id) & (HandoverItem.kind != "checklist")
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


# --- blockers --------------------------------------------------------------------------


def blockers_of(h: Handover, now: arrow.Arrow) -> list[Blocker]:
    """Everything that makes signing impossible now, with rule ids; empty: none."""
    # Imported here: the incident code calls abort_if_in_progress in this module.
    from dutydesk.domain import incidents

    found: list[Blocker] = []
    for inc in incidents.incidents_being_handled(h.desk_id):
        # EN-8.6.2: no handover while an incident is being handled
        found.append(
            Blocker(
                "EN-8.6.2",
                N_("Incident being handled: {what}"),
                {"what": f"{inc.place} — {inc.description}"},
                "incident",
                inc.id,
            )
        )
    for op in logs.running_operations(h.desk_id):  # EN-8.6.2: nor during switching
        found.append(
            Blocker(
                "EN-8.6.2",
                N_("Switching operation in progress: {what}"),
                {"what": str(op.values.get("what", ""))},
            )
        )
    if h.outgoing_shift_id is not None:
        end = Shift.get_by_id(h.outgoing_shift_id).planned_end
        for r in _rounds(h.outgoing_shift_id):
            state = _round_state(r, end, now)
            if not _round_explained(state, r):  # EN-8.6.1
                found.append(
                    Blocker(
                        "EN-8.6.1",
                        N_("Patrol round due {time} is in progress: finish it or skip the rest")
                        if state == patrols.IN_PROGRESS
                        else N_(
                            "Patrol round due {time} is neither done nor skipped with a reason"
                        ),
                        {"time": _hhmm(r.due_at)},
                        "patrol_round",
                        r.id,
                    )
                )
    outgoing = Actor(FixedClock(now), h.desk_id, h.started_by_id)
    for form in drafts.forms_with_drafts(outgoing):  # EN-8.6.1: records in order
        found.append(Blocker("EN-8.6.1", N_("Unsaved draft: {form}"), {"form": form}))
    for item in _items(h):
        if item.needs_reason:  # CS-R6: a problem passed on needs a stated reason
            found.append(
                Blocker(
                    "CS-R6",
                    N_("Say why this is not resolved: {what}"),
                    {"what": item.text},
                    "handover_item",
                    item.id,
                )
            )
    return found


# --- reading ---------------------------------------------------------------------------


def _get(handover_id: int) -> Handover:
    h = Handover.get_or_none(Handover.id == handover_id)
    if h is None:
        raise NotFound(N_("No such handover"))
    return h


def _person(staff_id: int | None) -> Person | None:
    if staff_id is None:
        return None
    s = Staff.get_by_id(staff_id)
    return Person(s.id, s.staff_no, s.name)


def _item_view(i: HandoverItem) -> ItemView:
    return ItemView(
        i.id,
        i.kind,
        i.text,
        i.reason,
        i.acknowledged_at is not None,
        i.resolved_at is not None,
        i.ref_type,
        i.ref_id,
    )


def _items(h: Handover) -> list[ItemView]:
    q = HandoverItem.select().where(HandoverItem.handover == h.id).order_by(HandoverItem.id)
    return [_item_view(i) for i in q]


def _checks(h: Handover) -> list[CheckView]:
    answers = h.checklist or {}
    out = []
    for key, question, rule in CHECKLIST:
        a = answers.get(key)
        out.append(
            CheckView(
                key,
                question,
                rule,
                a is not None,
                None if a is None else bool(a["ok"]),
                "" if a is None else a.get("note", ""),
            )
        )
    return out


def view(handover_id: int, now: arrow.Arrow) -> HandoverView:
    """The handover as the screen shows it, blockers recomputed at ``now``."""
    h = _get(handover_id)
    live = h.state == "draft"
    sections = _sections(h) if live else (h.content or {}).get("context", {}).get("sections", {})
    return HandoverView(
        id=h.id,
        desk_id=h.desk_id,
        state=h.state,
        outgoing_shift_id=h.outgoing_shift_id,
        incoming_shift_id=h.incoming_shift_id,
        outgoing=_person(h.started_by_id),  # type: ignore[arg-type]
        incoming=_person(h.incoming_staff_id),
        started_at=h.started_at,
        signed_at=h.signed_at,
        early_reason=h.early_reason,
        notes=h.notes,
        end_reason=h.end_reason,
        items=_items(h),
        checks=_checks(h),
        blockers=blockers_of(h, now) if live else [],
        read_back=h.read_back,
        sections=sections,
        chain_head_seq=h.chain_head_seq if h.state == "signed" else None,
        chain_head_hash=h.chain_head_hash if h.state == "signed" else "",
        content_hash=h.content_hash if h.state == "signed" else "",
    )


def latest(desk_id: int) -> int | None:
    """The id of the desk's most recent handover (any state), if any."""
    h = Handover.select(Handover.id).where(Handover.desk == desk_id).order_by(Handover.id.desc())
    first = h.first()
    return first.id if first else None


def in_progress(desk_id: int) -> int | None:
    """The id of the handover in progress at the desk, if any."""
    h = Handover.get_or_none((Handover.desk == desk_id) & (Handover.state == "draft"))
    return h.id if h else None


def refresh(actor: Actor, handover_id: int) -> HandoverView:
    """Re-read the records into the items (new keys out, repairs handled…) and view."""
    h = _active(actor, handover_id)
    with write():
        h = _get(h.id)
        if h.state == "draft" and _sync_items(actor, h):
            audit.record(actor, "handover.refresh", "handover", h.id)
    return view(handover_id, actor.now())


# --- the shift's record (sections) -------------------------------------------------------


def _sections(h: Handover) -> dict[str, Any]:
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
            finished = r.finished_at is not None or r.state in ("missed", "done", "done_late")
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
                        if c.result == "skipped"
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
    return _plain(
        {"duty_log": duty, "patrol": patrol, "readings": readings, "tools": tools, "keys_out": keys}
    )


def _plain(value: Any) -> Any:
    """Round-trip through canonical JSON: what is stored is exactly what was hashed."""
    return json.loads(canonical.dumps(value))


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
    people = {p.id: p for p in shifts.rostered(s.template_id, s.business_date)}
    for session in LoginSession.select().where(LoginSession.shift == shift_id):
        people.setdefault(session.staff_id, Staff.get_by_id(session.staff_id))
    return [
        {"staff_no": p.staff_no, "name": p.name}
        for p in sorted(people.values(), key=lambda p: p.staff_no)
        if p.id not in exclude
    ]


def _context(h: Handover) -> dict[str, Any]:
    desk = Desk.get_by_id(h.desk_id)
    ids = {h.started_by_id, h.incoming_staff_id}
    ids |= {
        i.acknowledged_by_id for i in HandoverItem.select().where(HandoverItem.handover == h.id)
    }
    people = {
        str(p.id): {"staff_no": p.staff_no, "name": p.name}
        for p in Staff.select().where(Staff.id.in_([i for i in ids if i is not None]))
    }
    signers = {h.started_by_id, h.incoming_staff_id}
    return _plain(
        {
            "site": Site.select(Site.name).scalar() or "",
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
            "sections": _sections(h),
        }
    )


def content_of(record: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The canonical content: ``{"record": …, "context": …}`` (hashed whole)."""
    return {"record": record, "context": context}


def content_hash(content: dict[str, Any]) -> str:
    return canonical.sha256(content)


# --- the walk ------------------------------------------------------------------------------


def start(actor: Actor, *, notes: str = "", early_reason: str = "") -> HandoverView:
    """The outgoing starts the handover of the desk's open shift.

    From ``desk.handover_window_minutes`` before the shift's planned end, or any
    time after; earlier needs a reason (the outgoing falls ill…).
    """
    desk_id, staff_id = actor.require_login()
    bounds.text(notes, "notes")
    bounds.text(early_reason, "early_reason")
    now = actor.now()
    with write():
        shift = shifts.open_shift_of(desk_id)
        if shift is None:
            raise RuleViolation(N_("No shift is open at this desk: there is nothing to hand over"))
        if in_progress(desk_id) is not None:
            raise RuleViolation(N_("A handover is already in progress at this desk"))
        window = Desk.get_by_id(desk_id).handover_window_minutes
        opens = shift.planned_end.shift(minutes=-window)
        if now < opens and not early_reason.strip():
            raise ValidationError(
                N_("The handover opens at {time}; say why you hand over early"),
                field="early_reason",
                time=_hhmm(opens),
            )
        if not notes.strip():
            notes = _notes_of_ended(shift.id)
        h = Handover.create(
            desk=desk_id,
            outgoing_shift=shift.id,
            started_by=staff_id,
            started_at=now,
            early_reason=early_reason.strip() if now < opens else "",
            notes=notes,
            state="draft",
        )
        _sync_items(actor, h)
        audit.record(
            actor,
            "handover.start",
            "handover",
            h.id,
            new={
                "shift": shift.id,
                "early_reason": h.early_reason,
                "notes": notes,
            },
        )
    return view(h.id, actor.now())


def _notes_of_ended(shift_id: int) -> str:
    """The outgoing's notes on the last refused or stopped handover of the same shift:
    a restarted handover carries them, so nothing written is lost (EN-8.5.3)."""
    last = (
        Handover.select(Handover.notes)
        .where((Handover.outgoing_shift == shift_id) & Handover.state.in_(["refused", "aborted"]))
        .order_by(Handover.id.desc())
        .first()
    )
    return last.notes if last is not None else ""


def _abort(actor: Actor, h: Handover, reason: str, *, rule: str = "") -> None:
    h.state = "aborted"
    h.end_reason = reason
    h.save()
    audit.record(actor, "handover.abort", "handover", h.id, new={"reason": reason, "rule": rule})


def abort_if_in_progress(actor: Actor, desk_id: int, reason: str) -> int | None:
    """Stop the desk's handover in progress, if any (EN-8.6.3: a fault during the
    handover stops it). Incident code calls this when an incident is opened; it
    runs inside the caller's transaction when there is one. Returns the id stopped.
    """
    with write():
        h = Handover.get_or_none((Handover.desk == desk_id) & (Handover.state == "draft"))
        if h is None:
            return None
        _abort(actor, h, reason, rule="EN-8.6.3")
        return h.id


def abort(actor: Actor, handover_id: int, reason: str) -> None:
    """The outgoing stops the handover (it can be started again later)."""
    actor.require_login()
    if not reason.strip():
        raise ValidationError(N_("Say why the handover is stopped"), field="reason")
    with write():
        h = _get(handover_id)
        _require_draft(h)
        _abort(actor, h, reason.strip())


def _require_draft(h: Handover) -> None:
    if h.state != "draft":
        raise RuleViolation(N_("This handover is no longer in progress"))


def _active(actor: Actor, handover_id: int) -> Handover:
    """The handover, still in progress; an incident opened since it started aborts it
    (EN-8.6.3) — committed before the error is raised."""
    h = _get(handover_id)
    _require_draft(h)
    stopped = False
    with write():
        h = _get(handover_id)
        _require_draft(h)
        newer = (
            Incident.select()
            .where((Incident.desk == h.desk_id) & (Incident.created_at > h.started_at))
            .order_by(Incident.created_at)
            .first()
        )
        if newer is not None:
            _abort(actor, h, f"incident {newer.id} opened during the handover", rule="EN-8.6.3")
            stopped = True
    if stopped:
        raise RuleViolation(
            N_(
                "An incident was opened during the handover, so it is stopped; "
                "start it again when the incident allows"
            ),
            rule="EN-8.6.3",
        )
    return h


def _as_outgoing(actor: Actor, h: Handover) -> None:
    if actor.staff_id != h.started_by_id:
        raise RuleViolation(N_("Only the outgoing person who started the handover can do this"))


def _incoming(h: Handover) -> int:
    if h.incoming_staff_id is None:
        raise RuleViolation(N_("The incoming person identifies first"), rule="EN-8.5.1")
    return h.incoming_staff_id


def set_notes(actor: Actor, handover_id: int, notes: str) -> None:
    """The outgoing's own notes on the record (EN-8.5.3)."""
    bounds.text(notes, "notes")
    h = _active(actor, handover_id)
    _as_outgoing(actor, h)
    with write():
        h = _get(handover_id)
        old = h.notes
        h.notes = notes
        h.save()
        audit.record(
            actor, "handover.notes", "handover", h.id, old={"notes": old}, new={"notes": notes}
        )


def set_reason(actor: Actor, handover_id: int, item_id: int, reason: str) -> None:
    """The outgoing says why an item passed on is not resolved (CS-R6)."""
    h = _active(actor, handover_id)
    _as_outgoing(actor, h)
    if not reason.strip():
        raise ValidationError(N_("Say why it is not resolved"), field="reason", rule="CS-R6")
    with write():
        item = _item(h, item_id)
        old = item.reason
        item.reason = reason.strip()
        # The incoming acknowledges what the item now says.
        item.acknowledged_at = None
        item.acknowledged_by = None
        item.save()
        audit.record(
            actor,
            "handover.item_reason",
            "handover_item",
            item.id,
            old={"reason": old},
            new={"reason": item.reason},
        )


def _item(h: Handover, item_id: int) -> HandoverItem:
    item = HandoverItem.get_or_none((HandoverItem.id == item_id) & (HandoverItem.handover == h.id))
    if item is None:
        raise NotFound(N_("No such item in this handover"))
    return item


def identify_incoming(actor: Actor, handover_id: int, staff_no: str, pin: str) -> Person:
    """The incoming identifies on the same terminal with staff number and PIN
    (EN-8.5.1): a different, active person. A new identification starts the
    takeover afresh."""
    h = _active(actor, handover_id)
    who = authenticate(actor, staff_no, pin, purpose="handover")  # refuses inactive staff
    if who.id == h.started_by_id:
        raise RuleViolation(
            N_("The incoming must be a different person from the outgoing"),
            rule="EN-8.5.1",
            field="staff_no",
        )
    with write():
        h = _get(handover_id)
        _require_draft(h)
        if h.incoming_staff_id != who.id:
            HandoverItem.delete().where(
                (HandoverItem.handover == h.id) & (HandoverItem.kind == "checklist")
            ).execute()
            HandoverItem.update(acknowledged_at=None, acknowledged_by=None).where(
                HandoverItem.handover == h.id
            ).execute()
            h.checklist = None
            h.read_back = None
        h.incoming_staff_id = who.id
        h.identified_at = actor.now()
        h.save()
        audit.record(
            actor.as_staff(who.id),
            "handover.identify",
            "handover",
            h.id,
            new={"incoming": who.staff_no},
        )
    return Person(who.id, who.staff_no, who.name)


def answer_check(actor: Actor, handover_id: int, key: str, ok: bool, note: str = "") -> None:
    """One answer of the takeover checklist (EN-8.4.1–4). A "no" needs a note and
    becomes an item carried over (with the note as its reason)."""
    bounds.text(note, "note")
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    rules = {k: r for k, _q, r in CHECKLIST}
    if key not in rules:
        raise NotFound(N_("No such check: {key}"), key=key)
    if not ok and not note.strip():
        raise ValidationError(N_("Say what is wrong"), field="note", rule=rules[key])
    now = actor.now()
    with write():
        h = _get(handover_id)
        answers = dict(h.checklist or {})
        answers[key] = {"ok": bool(ok), "note": "" if ok else note.strip()}
        h.checklist = answers
        h.read_back = None
        h.save()
        HandoverItem.delete().where(
            (HandoverItem.handover == h.id)
            & (HandoverItem.kind == "checklist")
            & (HandoverItem.ref_type == f"check:{key}")
        ).execute()
        if not ok:
            # Raised by the incoming, so acknowledged by them as it is made.
            HandoverItem.create(
                handover=h.id,
                kind="checklist",
                ref_type=f"check:{key}",
                text=note.strip(),
                reason=note.strip(),
                acknowledged_at=now,
                acknowledged_by=incoming,
            )
        audit.record(
            actor.as_staff(incoming),
            "handover.check",
            "handover",
            h.id,
            new={"key": key, "ok": bool(ok), "note": answers[key]["note"]},
        )


def acknowledge(actor: Actor, handover_id: int, item_id: int) -> None:
    """The incoming confirms one open item (EN-8.5.2–4): one call per item, no
    "accept all"."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    with write():
        item = _item(h, item_id)
        if item.resolved_at is not None:
            raise RuleViolation(N_("This item is resolved; there is nothing to acknowledge"))
        if item.acknowledged_at is not None:
            return
        item.acknowledged_at = actor.now()
        item.acknowledged_by_id = incoming
        item.save()
        audit.record(
            actor.as_staff(incoming),
            "handover.acknowledge",
            "handover_item",
            item.id,
            new={"kind": item.kind, "text": item.text},
        )


def confirm_read_back(actor: Actor, handover_id: int, count: int) -> None:
    """The incoming types how many items are carried over; it must match (EN-8.5.2)."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    wrong = False
    with write():
        h = _get(handover_id)
        _sync_items(actor, h)
        v = view(h.id, actor.now())
        if not v.checklist_done:
            raise RuleViolation(N_("Answer the takeover checklist first"), rule="EN-8.4.1")
        if v.open_to_acknowledge:
            raise RuleViolation(N_("Acknowledge every item first"), rule="EN-8.5.2")
        if count != v.carry_count:
            wrong = True
            audit.record(
                actor.as_staff(incoming),
                "handover.read_back_wrong",
                "handover",
                h.id,
                new={"count": count},
            )
        else:
            h.read_back = count
            h.save()
            audit.record(
                actor.as_staff(incoming),
                "handover.read_back",
                "handover",
                h.id,
                new={"count": count},
            )
    if wrong:
        raise ValidationError(
            N_("That is not the number of items carried over; count them again"),
            field="count",
            rule="EN-8.5.2",
        )


def refuse(actor: Actor, handover_id: int, reason: str) -> None:
    """The incoming refuses to take over, with a reason (EN-8.6.1). The outgoing
    stays on duty: the shift stays open."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    if not reason.strip():
        raise ValidationError(
            N_("Say why you refuse to take over"), field="reason", rule="EN-8.6.1"
        )
    with write():
        h = _get(handover_id)
        h.state = "refused"
        h.end_reason = reason.strip()
        h.save()
        audit.record(
            actor.as_staff(incoming),
            "handover.refuse",
            "handover",
            h.id,
            new={"reason": h.end_reason},
        )


def _signer(actor: Actor, staff_no: str, pin: str, side: str) -> StaffInfo:
    """Authenticate one signer at the moment of signing; the error names the side."""
    try:
        return authenticate(actor, staff_no, pin, purpose="sign")
    except AuthError as exc:
        exc.field = f"{side}_{exc.field or 'pin'}"
        raise


# Called with (actor, handover id) after a handover is signed and committed. The
# kiosk adds one that starts a backup in a background thread (never blocking).
AFTER_SIGN: list[Callable[[Actor, int], None]] = []


def sign(
    actor: Actor,
    handover_id: int,
    *,
    outgoing_no: str,
    outgoing_pin: str,
    incoming_no: str,
    incoming_pin: str,
) -> HandoverView:
    """Both sign, each re-entering staff number and PIN now (EN-8.5.1).

    In one transaction: the items carried over are marked, the content frozen
    and hashed with the chain head, both signatures made, the outgoing shift
    closed and the next one opened by the incoming (which ends any "relief
    overdue", CS-R4).
    """
    h = _active(actor, handover_id)
    with write():
        if _sync_items(actor, _get(handover_id)):
            audit.record(actor, "handover.refresh", "handover", handover_id)
    out = _signer(actor, outgoing_no, outgoing_pin, "outgoing")
    inc = _signer(actor, incoming_no, incoming_pin, "incoming")
    if out.id == inc.id:
        raise RuleViolation(N_("Two different people sign a handover"), rule="EN-8.5.1")
    if out.id != h.started_by_id:
        raise RuleViolation(
            N_("The outgoing who started the handover signs it"),
            rule="EN-8.5.1",
            field="outgoing_staff_no",
        )
    if inc.id != h.incoming_staff_id:
        raise RuleViolation(
            N_("The incoming who identified signs it"), rule="EN-8.5.1", field="incoming_staff_no"
        )
    with write():
        h = _get(handover_id)
        _require_draft(h)
        v = view(h.id, actor.now())
        if v.blockers:
            b = v.blockers[0]
            raise RuleViolation(b.msgid, rule=b.rule, **b.values)
        if not v.checklist_done:
            raise RuleViolation(N_("Answer the takeover checklist first"), rule="EN-8.4.1")
        if v.open_to_acknowledge:
            raise RuleViolation(N_("Acknowledge every item first"), rule="EN-8.5.2")
        if not v.read_back_ok:
            raise RuleViolation(
                N_("Read back the number of items carried over first"), rule="EN-8.5.2"
            )
        now = actor.now()
        as_out, as_in = actor.as_staff(out.id), actor.as_staff(inc.id)
        outgoing_shift = Shift.get_by_id(h.outgoing_shift_id)
        # The shift planned after the outgoing one (planned_next is strictly after).
        planned = shifts.planned_next(h.desk_id, outgoing_shift.planned_start)
        shifts.close_shift(as_out, outgoing_shift, f"handover {h.id}")
        incoming_shift = shifts.create_open_shift(as_in, planned, opened_by=inc.id)
        for item in HandoverItem.select().where(HandoverItem.handover == h.id):
            item.carried_over = item.kind in CARRY_KINDS and item.resolved_at is None
            item.save()
        head = audit.head()
        h.incoming_shift = incoming_shift.id
        h.signed_at = now
        h.chain_head_seq = head.seq if head else 0
        h.chain_head_hash = head.hash if head else audit.GENESIS
        h.save()
        signers = ((out, MEANING_OUT), (inc, MEANING_IN))
        record = record_part(
            h,
            signatures=[
                _signature_part(who.id, who.staff_no, who.name, meaning, now)
                for who, meaning in signers
            ],
        )
        content = content_of(record, _context(h))
        digest = content_hash(content)
        for who, meaning in signers:
            sig = Signature.create(
                handover=h.id,
                staff=who.id,
                printed_name=who.name,
                staff_no=who.staff_no,
                signed_at=now,
                meaning=meaning,
                content_hash=digest,
            )
            audit.record(
                as_out if who is out else as_in,
                "signature.create",
                "signature",
                sig.id,
                new={"handover": h.id, "meaning": meaning, "content_hash": digest},
            )
        # The rows now say exactly what was hashed.
        assert record_part(h) == record
        h.content = content
        h.content_hash = digest
        h.state = "signed"  # from here on the database refuses any change
        h.save()
        audit.record(
            as_in,
            "handover.sign",
            "handover",
            h.id,
            new={
                "content_hash": digest,
                "chain_head": f"{h.chain_head_seq}:{h.chain_head_hash}",
                "incoming_shift": incoming_shift.id,
            },
        )
    for listener in list(AFTER_SIGN):
        # After the commit (e.g. a background backup): the handover is signed whatever
        # a listener does, so its failure must not look like a failed signing.
        with contextlib.suppress(Exception):
            listener(actor, handover_id)
    return view(handover_id, actor.now())


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


# The query of carried_over_items, written out once: Peewee takes ~0.9 ms to build
# this SQL and SQLite ~0.06 ms to run it (the F2 screen loads it every minute).
_CARRIED_SQL = """
SELECT i.id, i.handover_id, i.kind, i.text, i.reason, h.signed_at
FROM handover_item AS i JOIN handover AS h ON h.id = i.handover_id
WHERE i.handover_id = (
        SELECT s.id FROM handover AS s WHERE s.desk_id = {p} AND s.state = 'signed'
        ORDER BY s.signed_at DESC, s.id DESC LIMIT 1)
  AND i.carried_over = {p} AND i.resolved_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM duty_log_entry AS e
                  WHERE e.ref_type = 'handover_item' AND e.ref_id = i.id)
  AND (i.ref_type != 'incident' OR EXISTS (
        SELECT 1 FROM incident AS r WHERE r.id = i.ref_id AND r.status != 'resolved'))
  AND (i.ref_type != 'repair_request' OR EXISTS (
        SELECT 1 FROM repair_request AS r
        WHERE r.id = i.ref_id AND r.status IN ('open', 'not_handled')))
  AND (i.ref_type != 'key_loan' OR EXISTS (
        SELECT 1 FROM key_loan AS r WHERE r.id = i.ref_id AND r.back_at IS NULL))
ORDER BY i.id
"""


def carried_over_items(desk_id: int) -> list[CarriedItem]:
    """What the previous shift left unfinished, for the shift screen to show first.

    One query (the F2 screen's budget): the items the last signed handover carried
    over, less those resolved since by a linked duty-log entry (CS-R2) and those
    whose record has closed (the SQL form of :func:`_record_still_open`).
    """
    db = HandoverItem._meta.database
    rows = db.execute_sql(_CARRIED_SQL.format(p=db.param), (desk_id, True)).fetchall()
    found = []
    for item_id, handover_id, kind, text, reason, at in rows:
        signed_at = Handover.signed_at.python_value(at)
        assert signed_at is not None  # a signed handover
        found.append(CarriedItem(item_id, handover_id, kind, text, reason, signed_at))
    return found


def _record_still_open(item: HandoverItem) -> bool:
    """An item about a record (incident, repair, key) ends when the record closes."""
    if item.ref_type == "incident":
        return (
            Incident.select()
            .where((Incident.id == item.ref_id) & (Incident.status != "resolved"))
            .exists()
        )
    if item.ref_type == "repair_request":
        return (
            RepairRequest.select()
            .where(
                (RepairRequest.id == item.ref_id)
                & RepairRequest.status.in_(["open", "not_handled"])
            )
            .exists()
        )
    if item.ref_type == "key_loan":
        return (
            KeyLoan.select().where((KeyLoan.id == item.ref_id) & KeyLoan.back_at.is_null()).exists()
        )
    return True


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
        if item.kind not in ("carried", "checklist"):
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
            kind="duty",
            occurred_at=now,
            category="routine",
            text=item.text,
            result=result.strip(),
            ref_type="handover_item",
            ref_id=item.id,
        )
        audit.record(
            actor,
            "handover.item_resolved",
            "duty_log_entry",
            entry.id,
            new={"handover_item": item.id, "result": result.strip()},
        )
    return entry.id


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
        if h.state != "signed":
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
    return d.id


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
