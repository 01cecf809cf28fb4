"""Roster entries as the editing and swap rules read them: lookups and refusals."""

from __future__ import annotations

import datetime as dt

import arrow

from dutydesk.domain.roster.calendar import ShiftCalendar, ShiftRef
from dutydesk.domain.roster.kinds import (
    PENDING,
)
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import RosterEntry, ShiftTemplate, Staff, SwapRequest


def _template_of_desk(desk_id: int, template_id: int) -> ShiftTemplate:
    t: ShiftTemplate | None = ShiftTemplate.get_or_none(
        (ShiftTemplate.id == template_id) & (ShiftTemplate.desk == desk_id)
    )
    if t is None:
        raise NotFound(N_("No such shift at this desk"))
    return t


def _active_staff(staff_id: int) -> Staff:
    s: Staff | None = Staff.get_or_none(Staff.id == staff_id)
    if s is None:
        raise NotFound(N_("No such staff member"))
    if not s.active:
        raise ValidationError(N_("{name} is not active"), field="staff", name=s.name)
    return s


def _refuse_if_ended(ref: ShiftRef, now: arrow.Arrow) -> None:
    # A finished shift is a record of what happened: the roster of it stays.
    if ref.end <= now:
        raise RuleViolation(
            N_("The shift {shift} is over; its roster cannot change"),
            shift=ref.label(),
            rule="SE-3",
        )


def _on_cell(template_id: int, day: dt.date, staff_id: int) -> bool:
    return bool(
        RosterEntry.select()
        .where(
            (RosterEntry.template == template_id)
            & (RosterEntry.business_date == day)
            & (RosterEntry.staff == staff_id)
        )
        .exists()
    )


def _refuse_if_on_cell(template_id: int, day: dt.date, person: Staff, field: str) -> None:
    """A person is on a shift occurrence once: refuse putting them there again."""
    if _on_cell(template_id, day, person.id):
        raise ValidationError(N_("{name} is already on this shift"), field=field, name=person.name)


def _colleague(e: RosterEntry, colleague_id: int) -> Staff:
    """The active colleague a request on ``e`` names: never its requester."""
    colleague = _active_staff(colleague_id)
    if colleague.id == e.staff_id:
        raise ValidationError(N_("Choose a colleague, not yourself"), field="colleague")
    return colleague


def _entry_audit(cal: ShiftCalendar, e: RosterEntry, staff_no: str) -> dict[str, object]:
    t = cal.templates[e.template_id]
    return {
        "desk": cal.desks[t.desk_id].code,
        "shift": t.code,
        "business_date": e.business_date,
        "staff_no": staff_no,
        "source": e.source,
    }


def _entry(entry_id: int) -> RosterEntry:
    e: RosterEntry | None = RosterEntry.get_or_none(RosterEntry.id == entry_id)
    if e is None:
        raise NotFound(N_("No such roster entry"))
    return e


def _has_requests(entry_id: int) -> bool:
    return bool(
        SwapRequest.select()
        .where((SwapRequest.entry == entry_id) | (SwapRequest.colleague_entry == entry_id))
        .exists()
    )


def _pending_on(entry_id: int) -> SwapRequest | None:
    found: SwapRequest | None = (
        SwapRequest.select()
        .where(
            ((SwapRequest.entry == entry_id) | (SwapRequest.colleague_entry == entry_id))
            & SwapRequest.state.in_(PENDING)
        )
        .first()
    )
    return found
