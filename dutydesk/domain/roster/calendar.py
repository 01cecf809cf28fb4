"""Shift occurrences in real instants, the people on them, and loading the roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dutydesk.domain import patterns
from dutydesk.domain.people import Person
from dutydesk.domain.roster.kinds import (
    EntrySource,
)
from dutydesk.domain.shifts import PlannedShift
from dutydesk.domain.site import site_timezone, times_on
from dutydesk.domain.site import time_changes as site_time_changes
from dutydesk.i18n import pick
from dutydesk.models import Desk, RosterEntry, ShiftTemplate, Staff


@dataclass(frozen=True)
class ShiftRef(PlannedShift):
    """One occurrence of a desk's shift, with its real start and end instants, and
    the desk's code."""

    desk_code: str
    desk_name_zh: str = ""
    desk_name_en: str = ""

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def desk_name(self) -> str:
        """The desk's name in the reader's language (its code when it has none)."""
        return pick(self.desk_name_zh, self.desk_name_en) or self.desk_code

    @property
    def key(self) -> tuple[int, dt.date]:
        return (self.template_id, self.business_date)

    def label(self, with_desk: bool = False) -> str:
        """``2026-12-01 Early`` (``2026-12-01 Security booth · Early`` with the desk)."""
        where = f"{self.desk_name} · " if with_desk else ""
        return f"{self.business_date.isoformat()} {where}{self.name}"


@dataclass(frozen=True)
class RosterSlot:
    """A person on a shift occurrence: a roster entry, or one a rotation plans."""

    shift: ShiftRef
    staff: Person
    source: EntrySource = EntrySource.MANUAL
    entry_id: int | None = None

    @property
    def key(self) -> tuple[int, dt.date, int]:
        return (self.shift.template_id, self.shift.business_date, self.staff.id)


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
                desk_id=t.desk_id,
                template_id=t.id,
                code=t.code,
                name_zh=t.name_zh,
                name_en=t.name_en,
                business_date=day,
                start=w.start.to("UTC"),
                end=w.end.to("UTC"),
                is_night=t.is_night,
                desk_code=self.desks[t.desk_id].code,
                desk_name_zh=self.desks[t.desk_id].name,
                desk_name_en=self.desks[t.desk_id].name_en,
            )
            self._refs[key] = found
        return found

    def active_templates(self, desk_id: int) -> list[ShiftTemplate]:
        return sorted(
            (t for t in self.templates.values() if t.desk_id == desk_id and t.active),
            key=lambda t: (t.position, t.id),
        )

    def template_at(self, desk_id: int, code: str) -> ShiftTemplate | None:
        found: ShiftTemplate | None = None
        for t in self.templates.values():
            if t.desk_id == desk_id and t.code == code:
                found = t
                break
        return found

    def required(self, template_id: int, holiday: bool) -> int:
        t = self.templates[template_id]
        # CS9: a holiday needs the reinforced number, never fewer than usual.
        needed = max(t.required_staff, t.holiday_required_staff) if holiday else t.required_staff
        return int(needed)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def load_slots(
    cal: ShiftCalendar, first: dt.date, last: dt.date, staff_id: int | None = None
) -> list[RosterSlot]:
    """Every roster entry (all desks; one person's with ``staff_id``) with a business
    date in ``first..last``: one query."""
    # Only the columns a slot needs: a week with its margins is ~170 rows, and
    # converting every timestamp and PIN hash cost more than the query.
    wanted = (RosterEntry.business_date >= first) & (RosterEntry.business_date <= last)
    if staff_id is not None:
        wanted &= RosterEntry.staff == staff_id
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
        .where(wanted)
    )
    return [
        RosterSlot(
            cal.ref(r.template_id, r.business_date), Person.of(r.staff), EntrySource(r.source), r.id
        )
        for r in rows
    ]
