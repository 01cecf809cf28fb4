"""The warnings engine (pure: slots in, warnings out) and the roster's warnings (SE-3, CS1, CS9)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dutydesk.domain.holidays import holidays_between
from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import (
    RosterSlot,
    ShiftCalendar,
    ShiftRef,
    _days,
    load_slots,
)
from dutydesk.domain.roster.kinds import (
    PENDING,
    WITHOUT_COLLEAGUE,
    WarningKind,
)
from dutydesk.domain.roster.settings import RosterRules, roster_rules, warning_margin
from dutydesk.i18n import N_, gettext
from dutydesk.models import RosterEntry, Staff, SwapRequest


@dataclass(frozen=True)
class RosterWarning:
    """Something wrong with the roster, shown beside the grid.

    ``kind``: ``unstaffed`` / ``short`` (fewer than required; on a holiday, CS9),
    ``overlap``, ``rest``, ``nights``, ``needs_cover`` / ``absence`` (a pending
    request). ``shift`` is the cell it belongs to (the later of two shifts);
    ``other`` the earlier shift of an overlap or short rest.
    """

    kind: WarningKind
    rule: str
    shift: ShiftRef
    staff: Person | None = None
    other: ShiftRef | None = None
    assigned: int = 0
    required: int = 0
    holiday: str = ""
    rest_minutes: int = 0
    nights: int = 0
    limit: float = 0
    reason: str = ""

    def text(self) -> str:
        """The warning in the current language."""
        name = self.staff.name if self.staff else ""
        both_desks = self.other is not None and self.other.desk_id != self.shift.desk_id
        values: dict[str, object] = {
            "shift": self.shift.label(),
            "name": name,
            "assigned": self.assigned,
            "required": self.required,
            "holiday": self.holiday,
            "reason": self.reason,
        }
        if self.kind in (WarningKind.UNSTAFFED, WarningKind.SHORT) and self.holiday:
            msgid = N_("{shift} ({holiday}, holiday): {assigned} of {required} staff rostered")
        elif self.kind == WarningKind.UNSTAFFED:
            msgid = N_("{shift}: nobody rostered, {required} needed")
        elif self.kind == WarningKind.SHORT:
            msgid = N_("{shift}: {assigned} of {required} staff rostered")
        elif self.kind == WarningKind.OVERLAP:
            msgid = N_("{name} is on two overlapping shifts: {first} and {second}")
        elif self.kind == WarningKind.REST:
            msgid = N_(
                "{name} rests only {hours} h between {first} and {second} (minimum {minimum} h)"
            )
        elif self.kind == WarningKind.NIGHTS:
            msgid = N_("{name} works {nights} nights in a row up to {shift} (at most {maximum})")
        elif self.kind == WarningKind.ABSENCE:
            msgid = N_("{shift}: {name} is absent ({reason}); assign cover")
        else:
            msgid = N_("{shift}: {name} needs cover ({reason})")
        if self.other is not None:
            values["first"] = self.other.label(both_desks)
            values["second"] = self.shift.label(both_desks)
        values["hours"] = _hours(self.rest_minutes)
        values["minimum"] = _hours(int(self.limit * 60))
        values["nights"] = self.nights
        values["maximum"] = int(self.limit)
        return gettext(msgid).format(**values)


def _hours(minutes: int) -> str:
    """90 → ``1.5``; 480 → ``8``."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _staffing_warnings(
    cal: ShiftCalendar,
    slots: Iterable[RosterSlot],
    desk_ids: Iterable[int],
    first: dt.date,
    last: dt.date,
    holidays: dict[dt.date, str],
) -> list[RosterWarning]:
    counts: dict[tuple[int, dt.date], int] = defaultdict(int)
    for s in slots:
        counts[s.shift.key] += 1
    found = []
    for desk_id in desk_ids:
        templates = cal.active_templates(desk_id)
        for day in _days(first, last):
            holiday = holidays.get(day, "")
            for t in templates:
                required = cal.required(t.id, bool(holiday))
                assigned = counts.get((t.id, day), 0)
                if assigned >= required:
                    continue
                found.append(
                    RosterWarning(
                        WarningKind.UNSTAFFED if assigned == 0 else WarningKind.SHORT,
                        "CS9" if holiday and assigned >= t.required_staff else "CS1",
                        cal.ref(t.id, day),
                        assigned=assigned,
                        required=required,
                        holiday=holiday,
                    )
                )
    return found


def _person_warnings(
    slots: Iterable[RosterSlot],
    rules: RosterRules,
    first: dt.date,
    last: dt.date,
    desk_ids: set[int] | None,
) -> list[RosterWarning]:
    """Overlaps, short rests and long runs of nights, person by person, in real instants."""

    def wanted(*refs: ShiftRef) -> bool:
        return desk_ids is None or any(r.desk_id in desk_ids for r in refs)

    by_person: dict[int, dict[tuple[int, dt.date], RosterSlot]] = defaultdict(dict)
    for s in slots:
        by_person[s.staff.id][s.shift.key] = s
    found: list[RosterWarning] = []
    for items in by_person.values():
        ordered = sorted(items.values(), key=lambda s: (s.shift.start, s.shift.end))
        latest: RosterSlot | None = None  # the shift ending last so far
        for s in ordered:
            if (
                latest is not None
                and first <= s.shift.business_date <= last
                and wanted(s.shift, latest.shift)
            ):
                if s.shift.start < latest.shift.end:
                    found.append(
                        RosterWarning(WarningKind.OVERLAP, "SE-3", s.shift, s.staff, latest.shift)
                    )
                else:
                    gap = s.shift.start - latest.shift.end
                    if gap < rules.min_rest:
                        found.append(
                            RosterWarning(
                                WarningKind.REST,
                                "SE-3",
                                s.shift,
                                s.staff,
                                latest.shift,
                                rest_minutes=int(gap.total_seconds() // 60),
                                limit=rules.min_rest_hours,
                            )
                        )
            if latest is None or s.shift.end > latest.shift.end:
                latest = s
        nights = [
            n
            for _day, n in sorted(
                {s.shift.business_date: s for s in ordered if s.shift.is_night}.items()
            )
        ]
        for run in _runs(nights):
            excess = run[rules.max_consecutive_nights :]
            in_range = [x for x in excess if first <= x.shift.business_date <= last]
            if in_range and wanted(*(x.shift for x in excess)):
                found.append(
                    RosterWarning(
                        WarningKind.NIGHTS,
                        "SE-3",
                        excess[0].shift,
                        excess[0].staff,
                        nights=len(run),
                        limit=rules.max_consecutive_nights,
                    )
                )
    return found


def _runs(nights: list[RosterSlot]) -> list[list[RosterSlot]]:
    """Nights (in date order) split into runs of consecutive business dates."""
    runs: list[list[RosterSlot]] = []
    for s in nights:
        if runs and s.shift.business_date == runs[-1][-1].shift.business_date + dt.timedelta(
            days=1
        ):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _request_warnings(
    cal: ShiftCalendar, first: dt.date, last: dt.date, desk_ids: set[int] | None
) -> list[RosterWarning]:
    """Pending "needs cover" and absences: the supervisor has to find someone (CS8)."""
    q = (
        SwapRequest.select(SwapRequest, RosterEntry, Staff)
        .join(RosterEntry, on=(SwapRequest.entry == RosterEntry.id))
        .switch(SwapRequest)
        .join(Staff, on=(SwapRequest.requester == Staff.id))
        .where(
            SwapRequest.state.in_(PENDING)
            & SwapRequest.kind.in_(WITHOUT_COLLEAGUE)
            & (RosterEntry.business_date >= first)
            & (RosterEntry.business_date <= last)
        )
    )
    found = []
    for r in q:
        ref = cal.ref(r.entry.template_id, r.entry.business_date)
        if desk_ids is None or ref.desk_id in desk_ids:
            found.append(
                RosterWarning(
                    WarningKind(r.kind), "CS8", ref, Person.of(r.requester), reason=r.reason
                )
            )
    return found


def compute_warnings(
    cal: ShiftCalendar,
    slots: list[RosterSlot],
    first: dt.date,
    last: dt.date,
    desk_ids: set[int] | None,
    rules: RosterRules,
) -> list[RosterWarning]:
    holidays = holidays_between(first, last)
    staffing_desks = sorted(desk_ids) if desk_ids is not None else sorted(cal.desks)
    found = _staffing_warnings(cal, slots, staffing_desks, first, last, holidays)
    found += _person_warnings(slots, rules, first, last, desk_ids)
    found += _request_warnings(cal, first, last, desk_ids)
    found.sort(
        key=lambda w: (w.shift.start, w.shift.desk_id, w.kind, w.staff.staff_no if w.staff else "")
    )
    return found


def roster_warnings(
    first: dt.date, last: dt.date, desk_id: int | None = None
) -> list[RosterWarning]:
    """The roster's warnings for business dates ``first..last`` (one desk or all).

    Two queries whatever the range's length; overlaps and rests look at every
    desk, since one person can be rostered at two.
    """
    rules = roster_rules()
    cal = ShiftCalendar()
    margin = warning_margin(rules)
    slots = load_slots(cal, first - margin, last + margin)
    desks = {desk_id} if desk_id is not None else None
    return compute_warnings(cal, slots, first, last, desks, rules)


def warnings_with(
    add: Sequence[RosterSlot],
    remove: Iterable[tuple[int, dt.date, int]],
    first: dt.date,
    last: dt.date,
    desk_id: int | None = None,
) -> list[RosterWarning]:
    """The warnings the roster would have after adding and removing slots (what-if)."""
    rules = roster_rules()
    cal = ShiftCalendar()
    margin = warning_margin(rules)
    removed = set(remove)
    slots = [s for s in load_slots(cal, first - margin, last + margin) if s.key not in removed]
    slots += list(add)
    desks = {desk_id} if desk_id is not None else None
    return compute_warnings(cal, slots, first, last, desks, rules)
