"""The roster: who is on which shift (CS1, SE-3), its warnings, and shift swaps.

* **Grid.** :func:`roster_grid` / :func:`week_grid` give days × shifts of one
  desk with the names in each cell and the staff each cell needs (more on a
  holiday, CS9). :class:`GridCursor` moves through a week grid with the arrow
  keys and into the next or previous week at the edges.
* **Assignments.** :func:`assign`, :func:`unassign`, :func:`reassign`: only a
  supervisor edits the roster; every change is audited.
* **Warnings.** :func:`roster_warnings` computes, over a date range and from
  real instants (DST-safe), shifts with fewer staff than required, one person
  on two overlapping shifts (across desks too), less rest than the site's
  minimum between two shifts, and more consecutive nights than the site allows.
  The same pure engine checks a rotation's preview and a swap before approval.
* **Swaps and absences** (CS8, EN-8.3.5). A person asks, before the shift, for
  an exchange or a cover by a named colleague (who accepts with their own PIN)
  or says they need cover; sickness on the day is an absence. Only a
  supervisor who is neither the requester nor the colleague approves or
  rejects, with PIN; the roster changes in the same transaction (source
  ``swap``). :func:`expected_staff` is therefore simply the roster.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, patterns
from dutydesk.domain.context import LEADER_ROLES, SUPERVISOR_ROLES, Actor
from dutydesk.domain.holidays import holidays_between
from dutydesk.domain.site import site_timezone, times_on
from dutydesk.domain.site import time_changes as site_time_changes
from dutydesk.domain.staff import StaffInfo, authenticate
from dutydesk.domain.staff import info as staff_info
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, gettext, pick
from dutydesk.models import Desk, RosterEntry, ShiftTemplate, Site, Staff, SwapRequest

# --- settings -----------------------------------------------------------------------

DEFAULT_MIN_REST_HOURS = 8.0
DEFAULT_MAX_CONSECUTIVE_NIGHTS = 6
_SETTINGS_KEY = "roster"


@dataclass(frozen=True)
class RosterRules:
    """The site's limits for the roster warnings (``Site.settings["roster"]``)."""

    min_rest_hours: float = DEFAULT_MIN_REST_HOURS
    max_consecutive_nights: int = DEFAULT_MAX_CONSECUTIVE_NIGHTS

    @property
    def min_rest(self) -> dt.timedelta:
        return dt.timedelta(hours=self.min_rest_hours)


def roster_rules() -> RosterRules:
    """The site's roster limits; defaults 8 h rest and 6 nights in a row."""
    site = Site.select(Site.settings).first()
    stored = (site.settings or {}).get(_SETTINGS_KEY, {}) if site else {}
    return RosterRules(
        float(stored.get("min_rest_hours", DEFAULT_MIN_REST_HOURS)),
        int(stored.get("max_consecutive_nights", DEFAULT_MAX_CONSECUTIVE_NIGHTS)),
    )


def set_roster_rules(
    actor: Actor, *, min_rest_hours: float, max_consecutive_nights: int
) -> RosterRules:
    """Change the site's roster limits — supervisors only, audited."""
    if not 0 <= min_rest_hours <= 48:
        raise ValidationError(
            N_("The minimum rest must be between 0 and 48 hours"), field="min_rest_hours"
        )
    if not 1 <= max_consecutive_nights <= 31:
        raise ValidationError(
            N_("Consecutive nights must be between 1 and 31"), field="max_consecutive_nights"
        )
    with write():
        actor.require_role()
        site = Site.select().first()
        if site is None:
            raise NotFound(N_("This database holds no site yet"))
        settings = dict(site.settings or {})
        old = settings.get(_SETTINGS_KEY, {})
        new = {"min_rest_hours": min_rest_hours, "max_consecutive_nights": max_consecutive_nights}
        settings[_SETTINGS_KEY] = new
        site.settings = settings
        site.save()
        audit.record(actor, "roster.rules", "site", site.id, old=old, new=new)
    return RosterRules(min_rest_hours, max_consecutive_nights)


def set_required_staff(
    actor: Actor, desk_id: int, code: str, *, required: int, holiday_required: int
) -> None:
    """How many people a desk's shift needs, on ordinary days and on holidays (CS9)."""
    if required < 0 or holiday_required < 0:
        raise ValidationError(N_("The number of staff cannot be negative"), field="required")
    with write():
        actor.require_role()
        row = ShiftTemplate.get_or_none(
            (ShiftTemplate.desk == desk_id) & (ShiftTemplate.code == code)
        )
        if row is None:
            raise NotFound(N_("No shift {code} at this desk"), code=code)
        old = {"required": row.required_staff, "holiday_required": row.holiday_required_staff}
        row.required_staff, row.holiday_required_staff = required, holiday_required
        row.save()
        audit.record(
            actor,
            "shift_template.staffing",
            "shift_template",
            row.id,
            old=old,
            new={"required": required, "holiday_required": holiday_required},
        )


# --- value objects --------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRef:
    """One occurrence of a desk's shift, with its real start and end instants."""

    desk_id: int
    desk_code: str
    template_id: int
    code: str
    name_zh: str
    name_en: str
    business_date: dt.date
    start: arrow.Arrow
    end: arrow.Arrow
    is_night: bool

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def key(self) -> tuple[int, dt.date]:
        return (self.template_id, self.business_date)

    def label(self, with_desk: bool = False) -> str:
        """``2026-12-01 Early`` (``2026-12-01 security/Early`` with the desk)."""
        where = f"{self.desk_code}/" if with_desk else ""
        return f"{self.business_date.isoformat()} {where}{self.name}"


@dataclass(frozen=True)
class Person:
    id: int
    staff_no: str
    name: str


@dataclass(frozen=True)
class RosterSlot:
    """A person on a shift occurrence: a roster entry, or one a rotation plans."""

    shift: ShiftRef
    staff: Person
    source: str = "manual"
    entry_id: int | None = None

    @property
    def key(self) -> tuple[int, dt.date, int]:
        return (self.shift.template_id, self.shift.business_date, self.staff.id)


@dataclass(frozen=True)
class RosterWarning:
    """Something wrong with the roster, shown beside the grid.

    ``kind``: ``unstaffed`` / ``short`` (fewer than required; on a holiday, CS9),
    ``overlap``, ``rest``, ``nights``, ``needs_cover`` / ``absence`` (a pending
    request). ``shift`` is the cell it belongs to (the later of two shifts);
    ``other`` the earlier shift of an overlap or short rest.
    """

    kind: str
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
        if self.kind in ("unstaffed", "short") and self.holiday:
            msgid = N_("{shift} ({holiday}, holiday): {assigned} of {required} staff rostered")
        elif self.kind == "unstaffed":
            msgid = N_("{shift}: nobody rostered, {required} needed")
        elif self.kind == "short":
            msgid = N_("{shift}: {assigned} of {required} staff rostered")
        elif self.kind == "overlap":
            msgid = N_("{name} is on two overlapping shifts: {first} and {second}")
        elif self.kind == "rest":
            msgid = N_(
                "{name} rests only {hours} h between {first} and {second} (minimum {minimum} h)"
            )
        elif self.kind == "nights":
            msgid = N_("{name} works {nights} nights in a row up to {shift} (at most {maximum})")
        elif self.kind == "absence":
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


# --- the calendar of shift occurrences --------------------------------------------------


class ShiftCalendar:
    """Shift templates and the site zone, loaded once; occurrences computed and cached."""

    def __init__(self) -> None:
        self.tz = site_timezone()
        self.desks = {d.id: d for d in Desk.select()}
        self.templates = {t.id: t for t in ShiftTemplate.select()}
        self.time_changes = site_time_changes()  # shift times changed from a date on
        self._refs: dict[tuple[int, dt.date], ShiftRef] = {}

    def ref(self, template_id: int, day: dt.date) -> ShiftRef:
        key = (template_id, day)
        found = self._refs.get(key)
        if found is None:
            t = self.templates[template_id]
            start, end = times_on((t.start_time, t.end_time), self.time_changes.get(t.id, []), day)
            spec = patterns.ShiftSpec(
                t.code, t.name_zh, t.name_en, start, end, t.is_night, t.required_staff
            )
            w = patterns.window(spec, day, self.tz)
            found = ShiftRef(
                t.desk_id,
                self.desks[t.desk_id].code,
                t.id,
                t.code,
                t.name_zh,
                t.name_en,
                day,
                w.start.to("UTC"),
                w.end.to("UTC"),
                t.is_night,
            )
            self._refs[key] = found
        return found

    def active_templates(self, desk_id: int) -> list[ShiftTemplate]:
        return sorted(
            (t for t in self.templates.values() if t.desk_id == desk_id and t.active),
            key=lambda t: (t.position, t.id),
        )

    def template_at(self, desk_id: int, code: str) -> ShiftTemplate | None:
        for t in self.templates.values():
            if t.desk_id == desk_id and t.code == code:
                return t
        return None

    def required(self, template_id: int, holiday: bool) -> int:
        t = self.templates[template_id]
        # CS9: a holiday needs the reinforced number, never fewer than usual.
        return max(t.required_staff, t.holiday_required_staff) if holiday else t.required_staff


def _person(s: Staff) -> Person:
    return Person(s.id, s.staff_no, s.name)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def load_slots(cal: ShiftCalendar, first: dt.date, last: dt.date) -> list[RosterSlot]:
    """Every roster entry (all desks) with a business date in ``first..last``: one query."""
    # Only the columns a slot needs: a week with its margins is ~170 rows, and
    # converting every timestamp and PIN hash cost more than the query.
    rows = (
        RosterEntry.select(
            RosterEntry.id,
            RosterEntry.template,
            RosterEntry.business_date,
            RosterEntry.source,
            RosterEntry.staff,
            Staff.id,
            Staff.staff_no,
            Staff.name,
        )
        .join(Staff)
        .where((RosterEntry.business_date >= first) & (RosterEntry.business_date <= last))
    )
    return [
        RosterSlot(cal.ref(r.template_id, r.business_date), _person(r.staff), r.source, r.id)
        for r in rows
    ]


def warning_margin(rules: RosterRules) -> dt.timedelta:
    """How far around a range entries matter: a short rest, a run of nights."""
    return dt.timedelta(days=max(2, rules.max_consecutive_nights + 1))


# --- the warnings engine (pure: slots in, warnings out) -----------------------------------


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
                        "unstaffed" if assigned == 0 else "short",
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
                    found.append(RosterWarning("overlap", "SE-3", s.shift, s.staff, latest.shift))
                else:
                    gap = s.shift.start - latest.shift.end
                    if gap < rules.min_rest:
                        found.append(
                            RosterWarning(
                                "rest",
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
                        "nights",
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
            SwapRequest.state.in_(_PENDING)
            & SwapRequest.kind.in_(("needs_cover", "absence"))
            & (RosterEntry.business_date >= first)
            & (RosterEntry.business_date <= last)
        )
    )
    found = []
    for r in q:
        ref = cal.ref(r.entry.template_id, r.entry.business_date)
        if desk_ids is None or ref.desk_id in desk_ids:
            found.append(RosterWarning(r.kind, "CS8", ref, _person(r.requester), reason=r.reason))
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


# --- the grid ---------------------------------------------------------------------


@dataclass(frozen=True)
class GridColumn:
    """A shift of the desk's pattern: one column of the grid."""

    template_id: int
    code: str
    name_zh: str
    name_en: str
    start_time: str
    end_time: str
    is_night: bool

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


@dataclass(frozen=True)
class GridCell:
    shift: ShiftRef
    holiday: str
    required: int
    staff: tuple[RosterSlot, ...]
    warnings: tuple[RosterWarning, ...] = ()

    @property
    def short(self) -> bool:
        return len(self.staff) < self.required

    def names(self, sep: str = ", ") -> str:
        return sep.join(s.staff.name for s in self.staff)


@dataclass(frozen=True)
class RosterGrid:
    """Days (rows) × shifts (columns) of one desk, with the range's warnings."""

    desk_id: int
    desk_code: str
    desk_name: str
    desk_name_en: str
    first: dt.date
    last: dt.date
    days: tuple[dt.date, ...]
    columns: tuple[GridColumn, ...]
    rows: tuple[tuple[GridCell, ...], ...]
    holidays: dict[dt.date, str] = field(default_factory=dict)
    warnings: tuple[RosterWarning, ...] = ()

    @property
    def desk_label(self) -> str:
        return pick(self.desk_name, self.desk_name_en)

    def cell(self, day: int, column: int) -> GridCell:
        return self.rows[day][column]

    def cell_at(self, cursor: GridCursor) -> GridCell:
        """The cell under a cursor of this grid's week."""
        return self.rows[cursor.day][min(cursor.column, len(self.columns) - 1)]


def roster_grid(desk_id: int, first: dt.date, last: dt.date) -> RosterGrid:
    """The desk's roster for ``first..last`` as a grid, with warnings placed in cells."""
    desk = Desk.get_or_none(Desk.id == desk_id)
    if desk is None:
        raise NotFound(N_("No such desk"))
    rules = roster_rules()
    cal = ShiftCalendar()
    margin = warning_margin(rules)
    slots = load_slots(cal, first - margin, last + margin)
    warnings = compute_warnings(cal, slots, first, last, {desk_id}, rules)
    holidays = holidays_between(first, last)
    by_cell: dict[tuple[int, dt.date], list[RosterSlot]] = defaultdict(list)
    for s in slots:
        by_cell[s.shift.key].append(s)
    cell_warnings: dict[tuple[int, dt.date], list[RosterWarning]] = defaultdict(list)
    for w in warnings:
        cell_warnings[w.shift.key].append(w)
        if w.other is not None and w.other.key != w.shift.key:
            cell_warnings[w.other.key].append(w)
    templates = cal.active_templates(desk_id)
    columns = tuple(
        GridColumn(t.id, t.code, t.name_zh, t.name_en, t.start_time, t.end_time, t.is_night)
        for t in templates
    )
    days = tuple(_days(first, last))
    rows = []
    for day in days:
        holiday = holidays.get(day, "")
        row = []
        for t in templates:
            key = (t.id, day)
            staff = tuple(sorted(by_cell.get(key, []), key=lambda s: s.staff.staff_no))
            row.append(
                GridCell(
                    cal.ref(t.id, day),
                    holiday,
                    cal.required(t.id, bool(holiday)),
                    staff,
                    tuple(cell_warnings.get(key, [])),
                )
            )
        rows.append(tuple(row))
    return RosterGrid(
        desk.id,
        desk.code,
        desk.name,
        desk.name_en,
        first,
        last,
        days,
        columns,
        tuple(rows),
        holidays,
        tuple(warnings),
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_grid(desk_id: int, day: dt.date) -> RosterGrid:
    """The Monday-to-Sunday grid of the week holding ``day``."""
    monday = week_start(day)
    return roster_grid(desk_id, monday, monday + dt.timedelta(days=6))


def month_grid(desk_id: int, year: int, month: int) -> RosterGrid:
    """The grid of one calendar month (for export and printing)."""
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return roster_grid(desk_id, first, nxt - dt.timedelta(days=1))


@dataclass(frozen=True)
class GridCursor:
    """The selected cell of a week grid: ``day`` 0–6 (Mon–Sun), ``column`` a shift.

    Moving off the top or bottom goes into the previous or next week, so a
    screen reloads :func:`week_grid` when ``week`` changes.
    """

    week: dt.date
    day: int = 0
    column: int = 0

    @classmethod
    def on(cls, day: dt.date, column: int = 0) -> GridCursor:
        return cls(week_start(day), day.weekday(), column)

    @property
    def date(self) -> dt.date:
        return self.week + dt.timedelta(days=self.day)

    def moved(self, key: str, columns: int) -> GridCursor:
        """The cursor after ``key``: up, down, left, right, pageup, pagedown, home, end."""
        last_column = max(columns - 1, 0)
        if key == "left":
            return replace(self, column=max(self.column - 1, 0))
        if key == "right":
            return replace(self, column=min(self.column + 1, last_column))
        if key in ("up", "down"):
            return GridCursor.on(
                self.date + dt.timedelta(days=-1 if key == "up" else 1), self.column
            )
        if key in ("pageup", "pagedown"):
            step = dt.timedelta(days=-7 if key == "pageup" else 7)
            return replace(self, week=self.week + step)
        if key == "home":
            return replace(self, day=0)
        if key == "end":
            return replace(self, day=6)
        return self


# --- editing the roster (supervisors) ----------------------------------------------------


def _template_of_desk(desk_id: int, template_id: int) -> ShiftTemplate:
    t = ShiftTemplate.get_or_none(
        (ShiftTemplate.id == template_id) & (ShiftTemplate.desk == desk_id)
    )
    if t is None:
        raise NotFound(N_("No such shift at this desk"))
    return t


def _active_staff(staff_id: int) -> Staff:
    s = Staff.get_or_none(Staff.id == staff_id)
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
    return (
        RosterEntry.select()
        .where(
            (RosterEntry.template == template_id)
            & (RosterEntry.business_date == day)
            & (RosterEntry.staff == staff_id)
        )
        .exists()
    )


def _entry_audit(cal: ShiftCalendar, e: RosterEntry, staff_no: str) -> dict[str, object]:
    t = cal.templates[e.template_id]
    return {
        "desk": cal.desks[t.desk_id].code,
        "shift": t.code,
        "business_date": e.business_date,
        "staff_no": staff_no,
        "source": e.source,
    }


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
        if _on_cell(t.id, business_date, s.id):
            raise ValidationError(N_("{name} is already on this shift"), field="staff", name=s.name)
        e = RosterEntry.create(
            template=t.id,
            business_date=business_date,
            staff=s.id,
            source="manual",
            created_at=actor.now(),
        )
        audit.record(
            actor, "roster.assign", "roster_entry", e.id, new=_entry_audit(cal, e, s.staff_no)
        )
    return RosterSlot(ref, _person(s), "manual", e.id)


def _entry(entry_id: int) -> RosterEntry:
    e = RosterEntry.get_or_none(RosterEntry.id == entry_id)
    if e is None:
        raise NotFound(N_("No such roster entry"))
    return e


def _has_requests(entry_id: int) -> bool:
    return (
        SwapRequest.select()
        .where((SwapRequest.entry == entry_id) | (SwapRequest.colleague_entry == entry_id))
        .exists()
    )


def _pending_on(entry_id: int) -> SwapRequest | None:
    return (
        SwapRequest.select()
        .where(
            ((SwapRequest.entry == entry_id) | (SwapRequest.colleague_entry == entry_id))
            & SwapRequest.state.in_(_PENDING)
        )
        .first()
    )


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
        if _on_cell(e.template_id, e.business_date, s.id):
            raise ValidationError(N_("{name} is already on this shift"), field="staff", name=s.name)
        old = _entry_audit(cal, e, e.staff.staff_no)
        e.staff, e.source = s.id, "manual"
        e.save()
        audit.record(
            actor,
            "roster.reassign",
            "roster_entry",
            e.id,
            old=old,
            new=_entry_audit(cal, e, s.staff_no),
        )
    return RosterSlot(ref, _person(s), "manual", e.id)


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
        _person(s)
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
    cal = ShiftCalendar()
    rows = (
        RosterEntry.select(RosterEntry, Staff)
        .join(Staff)
        .where(
            (RosterEntry.staff == staff_id)
            & (RosterEntry.business_date >= first)
            & (RosterEntry.business_date <= last)
        )
    )
    found = [
        RosterSlot(cal.ref(r.template_id, r.business_date), _person(r.staff), r.source, r.id)
        for r in rows
    ]
    return sorted(found, key=lambda s: s.shift.start)


def upcoming_slots(staff_id: int, now: arrow.Arrow, days: int = 31) -> list[RosterSlot]:
    """A person's shifts that have not started yet: what a swap can be asked for."""
    today = now.to(site_timezone()).date()
    return [
        s
        for s in slots_of(staff_id, today - dt.timedelta(days=1), today + dt.timedelta(days=days))
        if s.shift.start > now
    ]


# --- swaps and absences (CS8, EN-8.3.5) ----------------------------------------------------

_PENDING = ("asked", "accepted")
KINDS = ("exchange", "cover", "needs_cover", "absence")


@dataclass(frozen=True)
class SwapInfo:
    """A swap request as the screens show it."""

    id: int
    kind: str
    state: str
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
    def waiting_for(self) -> str | None:
        """``colleague`` (to accept), ``supervisor`` (to decide) or None when settled."""
        if self.state == "asked" and self.kind in ("exchange", "cover"):
            return "colleague"
        if self.state in _PENDING:
            return "supervisor"
        return None


def _swap_info(r: SwapRequest, cal: ShiftCalendar) -> SwapInfo:
    other = r.colleague_entry  # None (and no query) when the request names no second entry
    colleague_ref = cal.ref(other.template_id, other.business_date) if other is not None else None
    return SwapInfo(
        r.id,
        r.kind,
        r.state,
        _person(r.requester),
        cal.ref(r.entry.template_id, r.entry.business_date),
        _person(r.colleague) if r.colleague is not None else None,
        colleague_ref,
        r.reason,
        r.created_at,
        r.accepted_at,
        _person(r.decided_by) if r.decided_by is not None else None,
        r.decided_at,
        r.decision_note,
    )


def get_request(request_id: int) -> SwapInfo:
    return _swap_info(_request(request_id), ShiftCalendar())


def _request(request_id: int) -> SwapRequest:
    r = SwapRequest.get_or_none(SwapRequest.id == request_id)
    if r is None:
        raise NotFound(N_("No such swap request"))
    return r


def pending_requests(desk_id: int | None = None) -> list[SwapInfo]:
    """Requests not yet decided, oldest shift first — for the supervisor's shift screen."""
    rows = list(SwapRequest.select().where(SwapRequest.state.in_(_PENDING)))
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
        (SwapRequest.state == "asked")
        & (SwapRequest.colleague == staff_id)
        & SwapRequest.kind.in_(("exchange", "cover"))
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


def _create_request(actor: Actor, cal: ShiftCalendar, **fields: object) -> SwapInfo:
    r = SwapRequest.create(created_at=actor.now(), state="asked", **fields)
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
        colleague = _active_staff(colleague_id)
        if colleague.id == e.staff_id:
            raise ValidationError(N_("Choose a colleague, not yourself"), field="colleague")
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
        return _create_request(
            actor,
            cal,
            kind="exchange",
            requester=e.staff_id,
            entry=e.id,
            colleague=colleague.id,
            colleague_entry=other.id,
            reason=reason.strip(),
        )


def _check_exchange_fits(e: RosterEntry, other: RosterEntry, colleague: Staff) -> None:
    if e.template_id == other.template_id and e.business_date == other.business_date:
        raise ValidationError(N_("You are both on this shift already"), field="colleague_entry")
    if _on_cell(e.template_id, e.business_date, colleague.id):
        raise ValidationError(
            N_("{name} is already on this shift"), field="colleague", name=colleague.name
        )
    if _on_cell(other.template_id, other.business_date, e.staff_id):
        raise ValidationError(
            N_("{name} is already on this shift"), field="colleague_entry", name=e.staff.name
        )


def request_cover(actor: Actor, entry_id: int, colleague_id: int, reason: str = "") -> SwapInfo:
    """Ask a named colleague to take one's shift (CS8); the colleague must accept."""
    with write():
        e = _requester_entry(actor, entry_id)
        colleague = _active_staff(colleague_id)
        if colleague.id == e.staff_id:
            raise ValidationError(N_("Choose a colleague, not yourself"), field="colleague")
        cal = ShiftCalendar()
        _refuse_if_started(cal.ref(e.template_id, e.business_date), actor.now())
        if _on_cell(e.template_id, e.business_date, colleague.id):
            raise ValidationError(
                N_("{name} is already on this shift"), field="colleague", name=colleague.name
            )
        _refuse_if_pending(e.id)
        return _create_request(
            actor,
            cal,
            kind="cover",
            requester=e.staff_id,
            entry=e.id,
            colleague=colleague.id,
            reason=reason.strip(),
        )


def request_needs_cover(actor: Actor, entry_id: int, reason: str) -> SwapInfo:
    """Say, before the shift, that one cannot work it: the supervisor finds cover (CS8)."""
    if not reason.strip():
        raise ValidationError(N_("Say why you need cover"), field="reason")
    with write():
        e = _requester_entry(actor, entry_id)
        cal = ShiftCalendar()
        _refuse_if_started(cal.ref(e.template_id, e.business_date), actor.now())
        _refuse_if_pending(e.id)
        return _create_request(
            actor, cal, kind="needs_cover", requester=e.staff_id, entry=e.id, reason=reason.strip()
        )


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
        return _create_request(
            actor, cal, kind="absence", requester=e.staff_id, entry=e.id, reason=reason.strip()
        )


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
    if r.kind not in ("exchange", "cover") or r.colleague_id != who.id:
        raise _refused(
            actor,
            who,
            r.id,
            "swap.answer_refused",
            RuleViolation(N_("Only the colleague named in the request can answer it"), rule="CS8"),
        )
    if r.state != "asked":
        raise RuleViolation(N_("This request is no longer waiting for an answer"))
    return r, who


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
        if r.state != "asked":
            raise RuleViolation(N_("This request is no longer waiting for an answer"))
        r.state, r.accepted_at = "accepted", now
        r.save()
        audit.record(
            me,
            "swap.accept",
            "swap_request",
            r.id,
            old={"state": "asked"},
            new={"state": "accepted"},
        )
        return _swap_info(r, cal)


def decline(actor: Actor, request_id: int, staff_no: str, pin: str, note: str = "") -> SwapInfo:
    """The named colleague declines with their own PIN; the request is closed."""
    r, who = _colleague_answer(actor, request_id, staff_no, pin)
    with write():
        r = _request(request_id)
        r.state, r.decision_note = "declined", note.strip()
        r.save()
        audit.record(
            actor.as_staff(who.id),
            "swap.decline",
            "swap_request",
            r.id,
            old={"state": "asked"},
            new={"state": "declined", "note": note.strip()},
        )
        return _swap_info(r, ShiftCalendar())


def withdraw(actor: Actor, request_id: int) -> SwapInfo:
    """The requester takes back a request not yet decided."""
    with write():
        r = _request(request_id)
        if actor.staff_id is None or r.requester_id != actor.staff_id:
            raise RuleViolation(N_("Only the person who asked can withdraw the request"))
        if r.state not in _PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        old = r.state
        r.state = "withdrawn"
        r.save()
        audit.record(
            actor,
            "swap.withdraw",
            "swap_request",
            r.id,
            old={"state": old},
            new={"state": "withdrawn"},
        )
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
    if r.kind == "exchange":
        assert r.colleague_entry is not None  # an exchange always names the second entry
        return [(r.entry, r.colleague_id), (r.colleague_entry, r.requester_id)]
    if r.kind == "cover":
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
        s.id: _person(s) for s in Staff.select().where(Staff.id.in_([new for _e, new in changes]))
    }
    adds = [
        RosterSlot(cal.ref(e.template_id, e.business_date), staff[new], "swap", e.id)
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
        if r.state not in _PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        if r.kind in ("exchange", "cover") and r.state != "accepted":
            raise RuleViolation(N_("The colleague has not accepted yet"), rule="CS8")
        if r.kind in ("needs_cover", "absence") and cover_id is not None:
            if cover_id == who.id:
                raise RuleViolation(
                    N_("{name} is part of this swap and cannot decide it; another supervisor must"),
                    name=who.name,
                    rule="EN-8.3.5",
                )
            cover = _active_staff(cover_id)
            if _on_cell(r.entry.template_id, r.entry.business_date, cover.id):
                raise ValidationError(
                    N_("{name} is already on this shift"), field="cover", name=cover.name
                )
            r.colleague = cover
        changes = _swap_changes(r, cover_id)
        cal = ShiftCalendar()
        now = actor.now()
        for e, _new in changes:
            ref = cal.ref(e.template_id, e.business_date)
            if r.kind == "absence":
                _refuse_if_ended(ref, now)
            else:
                _refuse_if_started(ref, now)
        if r.kind == "exchange":
            other, colleague = r.colleague_entry, r.colleague
            assert other is not None and colleague is not None  # an exchange names both
            _check_exchange_fits(r.entry, other, colleague)
        elif r.kind == "cover" and _on_cell(
            r.entry.template_id, r.entry.business_date, r.colleague_id
        ):
            colleague = r.colleague
            assert colleague is not None  # a cover names who covers
            raise ValidationError(
                N_("{name} is already on this shift"), field="colleague", name=colleague.name
            )
        before = [_entry_audit(cal, e, e.staff.staff_no) for e, _new in changes]
        # Move people one entry at a time through the unique (shift, day, person) index.
        for e, new in changes:
            e.staff_id, e.source = new, "swap"
            e.save()
        old_state = r.state
        r.state, r.decided_by_id, r.decided_at = "approved", who.id, now
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
        if r.state not in _PENDING:
            raise RuleViolation(N_("This request has already been decided"))
        old = r.state
        r.state, r.decided_by_id, r.decided_at = "rejected", who.id, actor.now()
        r.decision_note = note.strip()
        r.save()
        audit.record(
            actor.as_staff(who.id),
            "swap.reject",
            "swap_request",
            r.id,
            old={"state": old},
            new={"state": "rejected", "note": note.strip()},
        )
        return _swap_info(r, ShiftCalendar())


def displaced_by_swaps(entry_ids: Iterable[int]) -> dict[int, set[int]]:
    """entry id → the people approved swaps moved off it (for rotations)."""
    ids = list(entry_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    q = SwapRequest.select().where(
        (SwapRequest.state == "approved")
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
