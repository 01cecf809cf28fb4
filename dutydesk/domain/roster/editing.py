"""Editing the roster (supervisors only, audited) and who is expected at a desk."""

from __future__ import annotations

import datetime as dt

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import RosterSlot, ShiftCalendar, load_slots
from dutydesk.domain.roster.entries import (
    _active_staff,
    _entry,
    _entry_audit,
    _has_requests,
    _pending_on,
    _refuse_if_ended,
    _refuse_if_on_cell,
    _template_of_desk,
)
from dutydesk.domain.roster.kinds import (
    EntrySource,
)
from dutydesk.domain.site import site_timezone
from dutydesk.domain.staff import StaffInfo
from dutydesk.domain.staff import info as staff_info
from dutydesk.errors import RuleViolation
from dutydesk.i18n import N_
from dutydesk.models import Desk, RosterEntry, ShiftTemplate, Staff


def assign(
    actor: Actor, desk_id: int, template_id: int, business_date: dt.date, staff_id: int
) -> RosterSlot:
    """Put a person on a shift of the desk — supervisors only, audited (CS1, SE-3)."""
    with write():
        actor.require_role()
        t = _template_of_desk(desk_id, template_id)
        s = _active_staff(staff_id)
        cal = ShiftCalendar()
        ref = cal.ref(t.id, business_date)
        _refuse_if_ended(ref, actor.now())
        _refuse_if_on_cell(t.id, business_date, s, "staff")
        e = RosterEntry.create(
            template=t.id,
            business_date=business_date,
            staff=s.id,
            source=EntrySource.MANUAL,
            created_at=actor.now(),
        )
        audit.record(
            actor, "roster.assign", "roster_entry", e.id, new=_entry_audit(cal, e, s.staff_no)
        )
    return RosterSlot(ref, Person.of(s), EntrySource.MANUAL, e.id)


def unassign(actor: Actor, entry_id: int) -> None:
    """Take a person off a shift — supervisors only, audited.

    An entry with swap requests on record is never deleted (that would delete
    the requests with it): :func:`reassign` it instead.
    """
    with write():
        actor.require_role()
        e = _entry(entry_id)
        cal = ShiftCalendar()
        _refuse_if_ended(cal.ref(e.template_id, e.business_date), actor.now())
        if _pending_on(e.id) is not None:
            raise RuleViolation(
                N_("A swap request on this shift is waiting; decide it first"), rule="CS8"
            )
        if _has_requests(e.id):
            raise RuleViolation(
                N_("This entry has swap requests on record; put another person on it instead"),
                rule="CS8",
            )
        old = _entry_audit(cal, e, e.staff.staff_no)
        audit.record(actor, "roster.remove", "roster_entry", e.id, old=old)
        e.delete_instance()


def reassign(actor: Actor, entry_id: int, staff_id: int) -> RosterSlot:
    """Put another person on a roster entry — supervisors only, audited."""
    with write():
        actor.require_role()
        e = _entry(entry_id)
        s = _active_staff(staff_id)
        cal = ShiftCalendar()
        ref = cal.ref(e.template_id, e.business_date)
        _refuse_if_ended(ref, actor.now())
        if _pending_on(e.id) is not None:
            raise RuleViolation(
                N_("A swap request on this shift is waiting; decide it first"), rule="CS8"
            )
        _refuse_if_on_cell(e.template_id, e.business_date, s, "staff")
        old = _entry_audit(cal, e, e.staff.staff_no)
        e.staff, e.source = s.id, EntrySource.MANUAL
        e.save()
        audit.record(
            actor,
            "roster.reassign",
            "roster_entry",
            e.id,
            old=old,
            new=_entry_audit(cal, e, s.staff_no),
        )
    return RosterSlot(ref, Person.of(s), EntrySource.MANUAL, e.id)


def assignable_staff(template_id: int, business_date: dt.date) -> list[Person]:
    """Active staff not yet on this shift occurrence, home desk first, then by number."""
    t = ShiftTemplate.get_by_id(template_id)
    on = {
        r.staff_id
        for r in RosterEntry.select(RosterEntry.staff).where(
            (RosterEntry.template == template_id) & (RosterEntry.business_date == business_date)
        )
    }
    people = Staff.select().where(Staff.active == True).order_by(Staff.staff_no)  # noqa: E712
    return [
        Person.of(s)
        for s in sorted(
            (s for s in people if s.id not in on), key=lambda s: (s.home_desk_id != t.desk_id,)
        )
    ]


# --- who is expected at the desk ----------------------------------------------------------


def expected_staff(desk_id: int, template_id: int, business_date: dt.date) -> list[StaffInfo]:
    """Who should be on this shift: the roster, which approved swaps have already changed.

    Login and the shift screen compare the person at the desk with this; anyone
    else is the "not on roster" deviation.
    """
    _template_of_desk(desk_id, template_id)
    rows = (
        Staff.select()
        .join(RosterEntry)
        .where((RosterEntry.template == template_id) & (RosterEntry.business_date == business_date))
        .order_by(Staff.staff_no)
    )
    return [staff_info(s) for s in rows]


def on_roster(desk_id: int, staff_id: int, instant: arrow.Arrow) -> bool:
    """Is ``staff_id`` rostered at the desk around ``instant``?

    True for the shift on at ``instant``, the next one when it starts within
    the desk's handover window (the incoming person arrives early), and the
    previous one when it ended within that window (the outgoing waits, CS-R4).
    """
    desk = Desk.get_by_id(desk_id)
    window = dt.timedelta(minutes=desk.handover_window_minutes)
    day = instant.to(site_timezone()).date()
    cal = ShiftCalendar()
    rows = (
        RosterEntry.select()
        .join(ShiftTemplate)
        .where(
            (ShiftTemplate.desk == desk_id)
            & (RosterEntry.staff == staff_id)
            & (RosterEntry.business_date >= day - dt.timedelta(days=1))
            & (RosterEntry.business_date <= day + dt.timedelta(days=1))
        )
    )
    for e in rows:
        ref = cal.ref(e.template_id, e.business_date)
        if ref.start - window <= instant < ref.end + window:
            return True
    return False


def slots_of(staff_id: int, first: dt.date, last: dt.date) -> list[RosterSlot]:
    """One person's roster entries (all desks) in ``first..last``, in start order."""
    found = load_slots(ShiftCalendar(), first, last, staff_id)
    return sorted(found, key=lambda s: s.shift.start)


def upcoming_slots(staff_id: int, now: arrow.Arrow, days: int = 31) -> list[RosterSlot]:
    """A person's shifts that have not started yet: what a swap can be asked for."""
    today = now.to(site_timezone()).date()
    return [
        s
        for s in slots_of(staff_id, today - dt.timedelta(days=1), today + dt.timedelta(days=days))
        if s.shift.start > now
    ]
