"""The roster as a grid: days (rows) × a desk's shifts (columns) (CS1, CS9)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dutydesk.domain.holidays import holidays_between
from dutydesk.domain.roster.calendar import RosterSlot, ShiftCalendar, ShiftRef, _days, load_slots
from dutydesk.domain.roster.settings import roster_rules, warning_margin
from dutydesk.domain.roster.warnings import RosterWarning, compute_warnings
from dutydesk.errors import NotFound
from dutydesk.i18n import N_, pick
from dutydesk.models import Desk


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
        """The cell of day ``day`` (0: ``first``) and shift ``column`` (the last
        column when ``column`` is beyond it)."""
        return self.rows[day][min(column, len(self.columns) - 1)]


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
