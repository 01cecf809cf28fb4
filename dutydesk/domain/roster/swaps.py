"""Swap requests and absences: asking, and reading them (CS8, EN-8.3.5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import LEADER_ROLES, Actor
from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import ShiftCalendar, ShiftRef
from dutydesk.domain.roster.entries import (
    _colleague,
    _entry,
    _pending_on,
    _refuse_if_ended,
    _refuse_if_on_cell,
)
from dutydesk.domain.roster.kinds import (
    PENDING,
    WITH_COLLEAGUE,
    SwapKind,
    SwapState,
    WaitingFor,
)
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import RosterEntry, Staff, SwapRequest


@dataclass(frozen=True)
class SwapInfo:
    """A swap request as the screens show it."""

    id: int
    kind: SwapKind
    state: SwapState
    requester: Person
    slot: ShiftRef
    colleague: Person | None
    colleague_slot: ShiftRef | None
    reason: str
    created_at: arrow.Arrow
    accepted_at: arrow.Arrow | None
    decided_by: Person | None
    decided_at: arrow.Arrow | None
    decision_note: str

    @property
    def waiting_for(self) -> WaitingFor | None:
        """``colleague`` (to accept), ``supervisor`` (to decide) or None when settled."""
        if self.state == SwapState.ASKED and self.kind in WITH_COLLEAGUE:
            return WaitingFor.COLLEAGUE
        if self.state in PENDING:
            return WaitingFor.SUPERVISOR
        return None


def _swap_info(r: SwapRequest, cal: ShiftCalendar) -> SwapInfo:
    other = r.colleague_entry  # None (and no query) when the request names no second entry
    colleague_ref = cal.ref(other.template_id, other.business_date) if other is not None else None
    return SwapInfo(
        r.id,
        SwapKind(r.kind),
        SwapState(r.state),
        Person.of(r.requester),
        cal.ref(r.entry.template_id, r.entry.business_date),
        Person.of(r.colleague) if r.colleague is not None else None,
        colleague_ref,
        r.reason,
        r.created_at,
        r.accepted_at,
        Person.of(r.decided_by) if r.decided_by is not None else None,
        r.decided_at,
        r.decision_note,
    )


def get_request(request_id: int) -> SwapInfo:
    return _swap_info(_request(request_id), ShiftCalendar())


def _request(request_id: int) -> SwapRequest:
    r: SwapRequest | None = SwapRequest.get_or_none(SwapRequest.id == request_id)
    if r is None:
        raise NotFound(N_("No such swap request"))
    return r


def pending_requests(desk_id: int | None = None) -> list[SwapInfo]:
    """Requests not yet decided, oldest shift first — for the supervisor's shift screen."""
    rows = list(SwapRequest.select().where(SwapRequest.state.in_(PENDING)))
    if not rows:
        return []  # the calendar (zone, desks, templates) is read only when needed
    cal = ShiftCalendar()
    found = [_swap_info(r, cal) for r in rows]
    if desk_id is not None:
        found = [
            i
            for i in found
            if desk_id in (i.slot.desk_id, i.colleague_slot.desk_id if i.colleague_slot else None)
        ]
    return sorted(found, key=lambda i: (i.slot.start, i.id))


def requests_needing_my_acceptance(staff_id: int, now: arrow.Arrow | None = None) -> list[SwapInfo]:
    """Exchanges and covers a colleague asked of ``staff_id``, still to accept (at login)."""
    q = SwapRequest.select().where(
        (SwapRequest.state == SwapState.ASKED)
        & (SwapRequest.colleague == staff_id)
        & SwapRequest.kind.in_(WITH_COLLEAGUE)
    )
    rows = list(q)
    if not rows:
        return []  # the calendar (zone, desks, templates) is read only when needed
    cal = ShiftCalendar()
    found = [_swap_info(r, cal) for r in rows]
    if now is not None:
        found = [i for i in found if i.slot.start > now]
    return sorted(found, key=lambda i: (i.slot.start, i.id))


def my_requests(staff_id: int) -> list[SwapInfo]:
    """The requests ``staff_id`` made, newest first."""
    cal = ShiftCalendar()
    q = SwapRequest.select().where(SwapRequest.requester == staff_id)
    return sorted((_swap_info(r, cal) for r in q), key=lambda i: -i.id)


def _refuse_if_started(ref: ShiftRef, now: arrow.Arrow) -> None:
    # CS8: a swap is arranged in advance; once the shift has begun it is too late.
    if ref.start <= now:
        raise RuleViolation(
            N_(
                "The shift {shift} has already started: a swap must be asked for before it "
                "starts (report an absence instead)"
            ),
            shift=ref.label(),
            rule="CS8",
        )


def _refuse_if_pending(entry_id: int) -> None:
    if _pending_on(entry_id) is not None:
        raise RuleViolation(N_("A swap request for this shift is already waiting"), rule="CS8")


def _requester_entry(actor: Actor, entry_id: int) -> RosterEntry:
    actor.require_staff()
    e = _entry(entry_id)
    if e.staff_id != actor.staff_id:
        raise RuleViolation(N_("You can only ask for a swap of your own shift"), rule="CS8")
    return e


def _create_request(
    actor: Actor,
    cal: ShiftCalendar,
    kind: SwapKind,
    e: RosterEntry,
    reason: str,
    colleague: Staff | None = None,
    other: RosterEntry | None = None,
) -> SwapInfo:
    """A new request (asked) for ``e``, by the person on it, audited."""
    r = SwapRequest.create(
        created_at=actor.now(),
        state=SwapState.ASKED,
        kind=kind,
        requester=e.staff_id,
        entry=e.id,
        colleague=colleague.id if colleague is not None else None,
        colleague_entry=other.id if other is not None else None,
        reason=reason.strip(),
    )
    info = _swap_info(r, cal)
    audit.record(actor, f"swap.{info.kind}", "swap_request", r.id, new=_swap_audit(info))
    return info


def _swap_audit(i: SwapInfo) -> dict[str, object]:
    out: dict[str, object] = {
        "kind": i.kind,
        "state": i.state,
        "requester": i.requester.staff_no,
        "desk": i.slot.desk_code,
        "shift": i.slot.code,
        "business_date": i.slot.business_date,
        "reason": i.reason,
    }
    if i.colleague is not None:
        out["colleague"] = i.colleague.staff_no
    if i.colleague_slot is not None:
        out["colleague_shift"] = [
            i.colleague_slot.desk_code,
            i.colleague_slot.code,
            i.colleague_slot.business_date,
        ]
    return out


def request_exchange(
    actor: Actor, entry_id: int, colleague_id: int, colleague_entry_id: int, reason: str = ""
) -> SwapInfo:
    """Ask to trade one's own shift for a colleague's (CS8); the colleague must accept."""
    with write():
        e = _requester_entry(actor, entry_id)
        other = _entry(colleague_entry_id)
        colleague = _colleague(e, colleague_id)
        if other.staff_id != colleague.id:
            raise ValidationError(
                N_("That shift is not {name}'s"), field="colleague_entry", name=colleague.name
            )
        cal = ShiftCalendar()
        now = actor.now()
        _refuse_if_started(cal.ref(e.template_id, e.business_date), now)
        _refuse_if_started(cal.ref(other.template_id, other.business_date), now)
        _check_exchange_fits(e, other, colleague)
        _refuse_if_pending(e.id)
        _refuse_if_pending(other.id)
        return _create_request(actor, cal, SwapKind.EXCHANGE, e, reason, colleague, other)


def _check_exchange_fits(e: RosterEntry, other: RosterEntry, colleague: Staff) -> None:
    if e.template_id == other.template_id and e.business_date == other.business_date:
        raise ValidationError(N_("You are both on this shift already"), field="colleague_entry")
    _refuse_if_on_cell(e.template_id, e.business_date, colleague, "colleague")
    _refuse_if_on_cell(other.template_id, other.business_date, e.staff, "colleague_entry")


def request_cover(actor: Actor, entry_id: int, colleague_id: int, reason: str = "") -> SwapInfo:
    """Ask a named colleague to take one's shift (CS8); the colleague must accept."""
    with write():
        e = _requester_entry(actor, entry_id)
        colleague = _colleague(e, colleague_id)
        cal = ShiftCalendar()
        _refuse_if_started(cal.ref(e.template_id, e.business_date), actor.now())
        _refuse_if_on_cell(e.template_id, e.business_date, colleague, "colleague")
        _refuse_if_pending(e.id)
        return _create_request(actor, cal, SwapKind.COVER, e, reason, colleague)


def request_needs_cover(actor: Actor, entry_id: int, reason: str) -> SwapInfo:
    """Say, before the shift, that one cannot work it: the supervisor finds cover (CS8)."""
    if not reason.strip():
        raise ValidationError(N_("Say why you need cover"), field="reason")
    with write():
        e = _requester_entry(actor, entry_id)
        cal = ShiftCalendar()
        _refuse_if_started(cal.ref(e.template_id, e.business_date), actor.now())
        _refuse_if_pending(e.id)
        return _create_request(actor, cal, SwapKind.NEEDS_COVER, e, reason)


def report_absence(actor: Actor, entry_id: int, reason: str) -> SwapInfo:
    """Sickness on the day: an absence that asks the supervisor to assign cover.

    The absent person reports it, or a leader or supervisor does for them. It
    may come after the shift has started (not after it ended).
    """
    if not reason.strip():
        raise ValidationError(N_("Say why the shift cannot be worked"), field="reason")
    actor.require_staff()
    with write():
        e = _entry(entry_id)
        if e.staff_id != actor.staff_id:
            me = Staff.get_by_id(actor.staff_id)
            if me.role not in LEADER_ROLES:
                raise RuleViolation(N_("Only the person or a leader can report an absence"))
        cal = ShiftCalendar()
        _refuse_if_ended(cal.ref(e.template_id, e.business_date), actor.now())
        _refuse_if_pending(e.id)
        return _create_request(actor, cal, SwapKind.ABSENCE, e, reason)


def displaced_by_swaps(entry_ids: Iterable[int]) -> dict[int, set[int]]:
    """entry id → the people approved swaps moved off it (for rotations)."""
    ids = list(entry_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    q = SwapRequest.select().where(
        (SwapRequest.state == SwapState.APPROVED)
        & (SwapRequest.entry.in_(ids) | SwapRequest.colleague_entry.in_(ids))
    )
    for r in q:
        if r.entry_id in ids:
            found[r.entry_id].add(r.requester_id)
        if r.colleague_entry_id in ids and r.colleague_id is not None:
            found[r.colleague_entry_id].add(r.colleague_id)
    return found


def entries_with_requests(entry_ids: Iterable[int]) -> set[int]:
    """Those of ``entry_ids`` that any swap request refers to."""
    ids = list(entry_ids)
    if not ids:
        return set()
    q = SwapRequest.select(SwapRequest.entry, SwapRequest.colleague_entry).where(
        SwapRequest.entry.in_(ids) | SwapRequest.colleague_entry.in_(ids)
    )
    found: set[int] = set()
    for r in q:
        found.update(x for x in (r.entry_id, r.colleague_entry_id) if x in ids)
    return found
