"""Answering and deciding swap requests, each with the PIN of whoever answers (CS8, EN-8.3.5)."""

from __future__ import annotations

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import RosterSlot, ShiftCalendar
from dutydesk.domain.roster.entries import (
    _active_staff,
    _entry_audit,
    _refuse_if_ended,
    _refuse_if_on_cell,
)
from dutydesk.domain.roster.kinds import (
    PENDING,
    WITH_COLLEAGUE,
    WITHOUT_COLLEAGUE,
    EntrySource,
    SwapKind,
    SwapState,
)
from dutydesk.domain.roster.swaps import (
    SwapInfo,
    _check_exchange_fits,
    _refuse_if_started,
    _request,
    _swap_audit,
    _swap_info,
)
from dutydesk.domain.roster.warnings import RosterWarning, warnings_with
from dutydesk.domain.staff import StaffInfo, authenticate
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import RosterEntry, Staff, SwapRequest


def _refused(
    actor: Actor, who: StaffInfo, request_id: int, action: str, error: RuleViolation
) -> RuleViolation:
    """Audit a refused answer or decision by a person whose PIN was right, then hand
    back the error to raise: the trail must not read as if they had decided."""
    with write():
        audit.record(
            actor.as_staff(who.id),
            action,
            "swap_request",
            request_id,
            new={"refused": error.msgid, "rule": error.rule},
        )
    return error


def _colleague_answer(
    actor: Actor, request_id: int, staff_no: str, pin: str
) -> tuple[SwapRequest, StaffInfo]:
    who = authenticate(actor, staff_no, pin, purpose="swap_accept")
    r = _request(request_id)
    if r.kind not in WITH_COLLEAGUE or r.colleague_id != who.id:
        raise _refused(
            actor,
            who,
            r.id,
            "swap.answer_refused",
            RuleViolation(N_("Only the colleague named in the request can answer it"), rule="CS8"),
        )
    if r.state != SwapState.ASKED:
        raise RuleViolation(N_("This request is no longer waiting for an answer"))
    return r, who


def _move(actor: Actor, r: SwapRequest, state: SwapState, action: str, **new: object) -> None:
    """Save ``r`` (with whatever else the caller set) in ``state``; audit the step."""
    old = r.state
    r.state = state
    r.save()
    audit.record(
        actor, action, "swap_request", r.id, old={"state": old}, new={"state": state, **new}
    )


def accept(actor: Actor, request_id: int, staff_no: str, pin: str) -> SwapInfo:
    """The named colleague accepts with their own PIN, on the spot or at their next login."""
    r, who = _colleague_answer(actor, request_id, staff_no, pin)
    me = actor.as_staff(who.id)
    with write():
        r = _request(request_id)
        cal = ShiftCalendar()
        info = _swap_info(r, cal)
        now = actor.now()
        _refuse_if_started(info.slot, now)
        if info.colleague_slot is not None:
            _refuse_if_started(info.colleague_slot, now)
        if r.state != SwapState.ASKED:
            raise RuleViolation(N_("This request is no longer waiting for an answer"))
        r.accepted_at = now
        _move(me, r, SwapState.ACCEPTED, "swap.accept")
        return _swap_info(r, cal)


def decline(actor: Actor, request_id: int, staff_no: str, pin: str, note: str = "") -> SwapInfo:
    """The named colleague declines with their own PIN; the request is closed."""
    r, who = _colleague_answer(actor, request_id, staff_no, pin)
    with write():
        r = _request(request_id)
        r.decision_note = note.strip()
        _move(actor.as_staff(who.id), r, SwapState.DECLINED, "swap.decline", note=note.strip())
        return _swap_info(r, ShiftCalendar())


def withdraw(actor: Actor, request_id: int) -> SwapInfo:
    """The requester takes back a request not yet decided."""
    with write():
        r = _request(request_id)
        if actor.staff_id is None or r.requester_id != actor.staff_id:
            raise RuleViolation(N_("Only the person who asked can withdraw the request"))
        if r.state not in PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        _move(actor, r, SwapState.WITHDRAWN, "swap.withdraw")
        return _swap_info(r, ShiftCalendar())


def _approver(actor: Actor, r: SwapRequest, staff_no: str, pin: str, purpose: str) -> StaffInfo:
    who = authenticate(actor, staff_no, pin, purpose=purpose)
    if who.role not in SUPERVISOR_ROLES:
        raise _refused(
            actor,
            who,
            r.id,
            "swap.decision_refused",
            RuleViolation(N_("Only a supervisor can approve or reject a swap"), rule="EN-8.3.5"),
        )
    # EN-8.3.5: no private swaps — nobody decides a swap they are part of.
    if who.id in (r.requester_id, r.colleague_id):
        raise _refused(
            actor,
            who,
            r.id,
            "swap.decision_refused",
            RuleViolation(
                N_("{name} is part of this swap and cannot decide it; another supervisor must"),
                name=who.name,
                rule="EN-8.3.5",
            ),
        )
    return who


def _swap_changes(r: SwapRequest, cover_id: int | None) -> list[tuple[RosterEntry, int]]:
    """(entry, new staff id) pairs the approval writes."""
    if r.kind == SwapKind.EXCHANGE:
        assert r.colleague_entry is not None  # an exchange always names the second entry
        return [(r.entry, r.colleague_id), (r.colleague_entry, r.requester_id)]
    if r.kind == SwapKind.COVER:
        return [(r.entry, r.colleague_id)]
    if cover_id is None:
        raise ValidationError(N_("Choose who covers the shift"), field="cover")
    return [(r.entry, cover_id)]


def approval_warnings(request_id: int, cover_id: int | None = None) -> list[RosterWarning]:
    """The rest, overlap and night warnings the roster would have once this is approved."""
    r = _request(request_id)
    changes = _swap_changes(r, cover_id)
    cal = ShiftCalendar()
    staff = {
        s.id: Person.of(s) for s in Staff.select().where(Staff.id.in_([new for _e, new in changes]))
    }
    adds = [
        RosterSlot(cal.ref(e.template_id, e.business_date), staff[new], EntrySource.SWAP, e.id)
        for e, new in changes
    ]
    removes = [(e.template_id, e.business_date, e.staff_id) for e, _new in changes]
    days = [e.business_date for e, _new in changes]
    people = {new for _e, new in changes} | {e.staff_id for e, _new in changes}
    found = warnings_with(adds, removes, min(days), max(days))
    return [w for w in found if w.staff is not None and w.staff.id in people]


def approve(
    actor: Actor,
    request_id: int,
    staff_no: str,
    pin: str,
    *,
    cover_id: int | None = None,
    note: str = "",
) -> SwapInfo:
    """A supervisor approves with PIN; the roster changes in the same transaction.

    Exchanges and covers need the colleague's acceptance first; "needs cover"
    and absences need the supervisor to name who covers (``cover_id``).
    """
    r = _request(request_id)
    who = _approver(actor, r, staff_no, pin, "approve")
    me = actor.as_staff(who.id)
    with write():
        r = _request(request_id)
        if r.state not in PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        if r.kind in WITH_COLLEAGUE and r.state != SwapState.ACCEPTED:
            raise RuleViolation(N_("The colleague has not accepted yet"), rule="CS8")
        if r.kind in WITHOUT_COLLEAGUE and cover_id is not None:
            if cover_id == who.id:
                raise RuleViolation(
                    N_("{name} is part of this swap and cannot decide it; another supervisor must"),
                    name=who.name,
                    rule="EN-8.3.5",
                )
            cover = _active_staff(cover_id)
            _refuse_if_on_cell(r.entry.template_id, r.entry.business_date, cover, "cover")
            r.colleague = cover
        changes = _swap_changes(r, cover_id)
        cal = ShiftCalendar()
        now = actor.now()
        for e, _new in changes:
            ref = cal.ref(e.template_id, e.business_date)
            if r.kind == SwapKind.ABSENCE:
                _refuse_if_ended(ref, now)
            else:
                _refuse_if_started(ref, now)
        if r.kind == SwapKind.EXCHANGE:
            other, colleague = r.colleague_entry, r.colleague
            assert other is not None and colleague is not None  # an exchange names both
            _check_exchange_fits(r.entry, other, colleague)
        elif r.kind == SwapKind.COVER:
            colleague = r.colleague
            assert colleague is not None  # a cover names who covers
            _refuse_if_on_cell(r.entry.template_id, r.entry.business_date, colleague, "colleague")
        before = [_entry_audit(cal, e, e.staff.staff_no) for e, _new in changes]
        # Move people one entry at a time through the unique (shift, day, person) index.
        for e, new in changes:
            e.staff_id, e.source = new, EntrySource.SWAP
            e.save()
        old_state = r.state
        r.state, r.decided_by_id, r.decided_at = SwapState.APPROVED, who.id, now
        r.decision_note = note.strip()
        r.save()
        info = _swap_info(r, cal)
        audit.record(
            me,
            "swap.approve",
            "swap_request",
            r.id,
            old={"state": old_state},
            new={**_swap_audit(info), "note": note.strip()},
        )
        for (e, _new), old in zip(changes, before, strict=True):
            staff_no_new = Staff.get_by_id(e.staff_id).staff_no
            audit.record(
                me,
                "roster.swap",
                "roster_entry",
                e.id,
                old=old,
                new=_entry_audit(cal, e, staff_no_new),
            )
        return info


def reject(actor: Actor, request_id: int, staff_no: str, pin: str, note: str = "") -> SwapInfo:
    """A supervisor (not part of the swap) rejects it with PIN; the roster stays."""
    r = _request(request_id)
    who = _approver(actor, r, staff_no, pin, "approve")
    with write():
        r = _request(request_id)
        if r.state not in PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        r.decided_by_id, r.decided_at = who.id, actor.now()
        r.decision_note = note.strip()
        _move(actor.as_staff(who.id), r, SwapState.REJECTED, "swap.reject", note=note.strip())
        return _swap_info(r, ShiftCalendar())
