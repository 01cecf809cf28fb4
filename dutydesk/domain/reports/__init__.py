"""Records that leave the kiosk: the reports a site prints, files and exports.

Each module builds one report as frozen dataclasses from the other areas'
domain functions (logs, incidents, patrols, handover, roster); nothing here
formats for a medium: :mod:`dutydesk.render` turns a report into HTML, text,
CSV or XLSX. The records kept and checked are asked for by CS3, CS5-2.6, SE-4
and EN-8.7.1 (the handover record is kept for inspection).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import LEADER_ROLES, Actor
from dutydesk.domain.site import DeskInfo, desk_info, get_site, site_timezone
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Staff

KINDS = ("day", "handover", "incident", "patrol", "month", "export")
# Reports of the whole site, a month or the raw records are for supervisors and
# leaders; anyone may print their own desk's day, handover and patrol records.
OPEN_TO_ALL = frozenset({"day", "handover", "patrol"})
MAX_RANGE_DAYS = 366


# The desk a report is about (None in a report means the whole site).
DeskRef = DeskInfo


@dataclass(frozen=True)
class Period:
    """Calendar days ``first``..``last`` (both included) in the site's zone."""

    first: dt.date
    last: dt.date

    def bounds(self, tz: str) -> tuple[arrow.Arrow, arrow.Arrow]:
        """The instants [start, end) the days span."""
        start = arrow.get(dt.datetime(self.first.year, self.first.month, self.first.day), tz)
        end = arrow.get(dt.datetime(self.last.year, self.last.month, self.last.day), tz)
        return start, end.shift(days=1)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass(frozen=True)
class Header:
    """What every report names at its top."""

    site: str
    tz: str
    desk: DeskRef | None
    made_at: arrow.Arrow


def desk_ref(desk_id: int) -> DeskRef:
    return desk_info(desk_id)


def header(desk_id: int | None, now: arrow.Arrow) -> Header:
    site = get_site()
    return Header(site.name, site.tz, desk_ref(desk_id) if desk_id is not None else None, now)


def parse_day(text: str) -> dt.date:
    """``YYYY-MM-DD`` (ValidationError otherwise)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            N_("Not a date (YYYY-MM-DD): {text}"), field="date", text=text
        ) from None


def parse_month(text: str) -> Period:
    """``YYYY-MM`` as the period of that month."""
    try:
        first = dt.date.fromisoformat(text.strip() + "-01")
    except ValueError:
        raise ValidationError(
            N_("Not a month (YYYY-MM): {text}"), field="month", text=text
        ) from None
    return month_period(first.year, first.month)


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(first, nxt - dt.timedelta(days=1))


def period(first: dt.date, last: dt.date) -> Period:
    """A checked range: the end not before the start, at most a year."""
    if last < first:
        raise ValidationError(
            N_("The range ends ({last}) before it starts ({first})"),
            field="to",
            first=first.isoformat(),
            last=last.isoformat(),
        )
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(N_("A range is at most {days} days"), field="to", days=MAX_RANGE_DAYS)
    return Period(first, last)


def today(now: arrow.Arrow) -> dt.date:
    return now.to(site_timezone()).date()


def may_make(role: str, kind: str, desk_id: int | None, own_desk_id: int | None) -> bool:
    """May someone of ``role`` working at ``own_desk_id`` make this report?"""
    if role in LEADER_ROLES:
        return True
    return kind in OPEN_TO_ALL and desk_id is not None and desk_id == own_desk_id


def check_allowed(actor: Actor, kind: str, desk_id: int | None) -> None:
    """RuleViolation unless the actor may make the report (the CLI runs as "cli")."""
    if actor.staff_id is None:
        return
    role = Staff.get_by_id(actor.staff_id).role
    if not may_make(role, kind, desk_id, actor.desk_id):
        raise RuleViolation(N_("Only supervisors and leaders make site-wide and monthly reports"))


def record_made(
    actor: Actor, kind: str, desk_id: int | None, what: str, fmt: str, path: str = ""
) -> None:
    """Audit one report made: who (or "cli"), which, of what range, where written."""
    with write():
        audit.record(
            actor,
            "report.made",
            "report",
            None,
            new={
                "report": kind,
                "desk": desk_id,
                "range": what,
                "format": fmt,
                "path": path,
                "by": "cli" if actor.staff_id is None else None,
            },
            staff_no="" if actor.staff_id is not None else "cli",
        )
