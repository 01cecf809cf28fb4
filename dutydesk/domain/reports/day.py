"""The day's duty record (值班记录表) of a desk: one business day, or one shift of it.

Everything the desk recorded in the day's shifts, in time order: every log entry
with its author (corrections shown beside the entry they replace, CS3), the
incidents (SE-4), the patrol rounds with their outcome and the readings out of
range, visitors and keys (SG-2, SG-4), and the handovers with both signers
(EN-8.5). The printed form ends with lines to sign by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from dutydesk.domain import incidents, logs, shifts
from dutydesk.domain.incidents import IncidentInfo
from dutydesk.domain.logs import LogEntry
from dutydesk.domain.patrols import CheckInfo
from dutydesk.domain.reports import Header, header
from dutydesk.domain.reports.handover import HandoverSummary, handovers_of_shifts
from dutydesk.domain.reports.patrol import RoundLine, ShiftOfDay, round_lines, shifts_of_day
from dutydesk.domain.site import desk_specs
from dutydesk.errors import NotFound
from dutydesk.i18n import N_
from dutydesk.models import Desk


@dataclass(frozen=True)
class DayRecord:
    header: Header
    day: dt.date
    shift_code: str | None
    start: arrow.Arrow
    end: arrow.Arrow
    shifts: tuple[ShiftOfDay, ...]
    log: tuple[LogEntry, ...]  # every kind, oldest first
    incidents: tuple[IncidentInfo, ...]
    rounds: tuple[RoundLine, ...]
    handovers: tuple[HandoverSummary, ...]

    @property
    def readings_out_of_range(self) -> tuple[tuple[RoundLine, CheckInfo], ...]:
        return tuple((r, c) for r in self.rounds for c in r.out_of_range)

    @property
    def visitors(self) -> tuple[LogEntry, ...]:
        return tuple(e for e in self.log if e.kind == "visitor")

    @property
    def keys(self) -> tuple[LogEntry, ...]:
        return tuple(e for e in self.log if e.kind == "key")


def span(
    desk_id: int, day: dt.date, shift_code: str | None = None
) -> tuple[arrow.Arrow, arrow.Arrow]:
    """From the start of the day's first shift to the end of its last (or the one shift)."""
    codes = [s.code for s in desk_specs(desk_id)]
    if shift_code is not None:
        if shift_code not in codes:
            raise NotFound(N_("No shift {code} at this desk"), code=shift_code)
        codes = [shift_code]
    windows = [shifts.planned_on(desk_id, day, code) for code in codes]
    return min(w.start for w in windows), max(w.end for w in windows)


def log_between(
    desk_id: int, kinds: list[str], start: arrow.Arrow, end: arrow.Arrow
) -> list[LogEntry]:
    """Every entry of ``kinds`` at the desk in [start, end), oldest first."""
    out: list[LogEntry] = []
    for kind in kinds:
        cursor = None
        while True:
            page = logs.list_entries(
                kind, desk_id=desk_id, start=start, end=end, limit=logs.MAX_PAGE, after=cursor
            )
            out.extend(page.entries)
            cursor = page.next_cursor
            if cursor is None:
                break
    out.sort(key=lambda e: (e.at, e.created_at, e.id))
    return out


def incidents_between(
    desk_id: int | None, start: arrow.Arrow, end: arrow.Arrow, tz: str
) -> list[IncidentInfo]:
    """The incidents that occurred in [start, end), oldest first."""
    out: list[IncidentInfo] = []
    page = 0
    first = start.to(tz).date()
    last = end.shift(microseconds=-1).to(tz).date()
    while True:
        found = incidents.list_incidents(
            desk_id, day_from=first, day_to=last, page=page, page_size=incidents.MAX_PAGE_SIZE
        )
        out.extend(i for i in found.items if start <= i.occurred_at < end)
        if not found.has_more:
            break
        page += 1
    out.sort(key=lambda i: (i.occurred_at, i.id))
    return out


def day_record(
    desk_id: int, day: dt.date, now: arrow.Arrow, shift_code: str | None = None
) -> DayRecord:
    """The duty record of the desk's business ``day`` (or one shift of it) as of ``now``."""
    head = header(desk_id, now)
    start, end = span(desk_id, day, shift_code)
    kinds = logs.kinds_for_desk(Desk.get_by_id(desk_id).kind)
    opened = shifts_of_day(desk_id, day, shift_code)
    return DayRecord(
        head,
        day,
        shift_code,
        start,
        end,
        tuple(opened),
        tuple(log_between(desk_id, kinds, start, end)),
        tuple(incidents_between(desk_id, start, end, head.tz)),
        tuple(round_lines(opened, now)),
        tuple(handovers_of_shifts([s.id for s in opened])),
    )
