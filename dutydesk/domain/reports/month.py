"""The monthly report of a desk or the whole site: the figures a supervisor files.

Incidents by nature (both levels) and severity, time to the first report (CS-R3:
median and longest), written reports on time / late / missing (CS6); patrol
completion per route (SE-3); readings out of range per checkpoint; handovers
with late reliefs (CS-R4), refusals and discrepancies (EN-8.6.4); staffing
deviations from the roster (CS1, CS9: short shifts, people at the desk who
were not on the roster). Counts are aggregated in the database: a month of a
desk on a ten-year site must still come back in well under two seconds.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

import arrow
import peewee as pw

from dutydesk.domain import patrols, roster
from dutydesk.domain.incidents import IncidentInfo
from dutydesk.domain.reports import Header, Period, header
from dutydesk.domain.reports.day import incidents_between
from dutydesk.domain.site import site_timezone
from dutydesk.i18n import pick
from dutydesk.models import (
    Checkpoint,
    Desk,
    Handover,
    HandoverDiscrepancy,
    LoginSession,
    PatrolCheck,
    PatrolRound,
    PatrolSchedule,
    Shift,
)

ROUND_OUTCOMES = ("done", "done_late", "skipped", "missed")


@dataclass(frozen=True)
class Count:
    """One labelled figure (a bar of a chart)."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class RouteCompletion:
    schedule_id: int | None
    name: str
    done: int
    done_late: int
    skipped: int
    missed: int
    open: int  # not finished yet (the month is still running)

    @property
    def total(self) -> int:
        return self.done + self.done_late + self.skipped + self.missed + self.open

    @property
    def completion(self) -> float | None:
        """Rounds walked (on time or late) of the rounds due and over, 0..1."""
        over = self.total - self.open
        return (self.done + self.done_late) / over if over else None


@dataclass(frozen=True)
class CheckpointReadings:
    checkpoint_id: int
    code: str
    name: str
    range_text: str
    out_of_range: int


@dataclass(frozen=True)
class MonthReport:
    header: Header
    period: Period
    incidents_total: int
    by_nature: tuple[Count, ...]  # level 1
    by_subnature: tuple[Count, ...]  # "level 1 / level 2"
    by_severity: tuple[Count, ...]
    per_day: tuple[int, ...]  # incidents per day of the period
    first_report_median: dt.timedelta | None
    first_report_max: dt.timedelta | None
    not_reported: int  # incidents nobody was reached about
    reports_on_time: int
    reports_late: int
    reports_missing: int  # overdue and not filed
    reports_pending: int  # not filed, not due yet
    routes: tuple[RouteCompletion, ...]
    readings: tuple[CheckpointReadings, ...]
    handovers_signed: int
    late_reliefs: int
    refusals: int
    discrepancies: int
    short_shifts: int  # shift occurrences with fewer people rostered than required
    short_shift_list: tuple[ShortShift, ...]
    off_roster_logins: int

    @property
    def rounds_total(self) -> int:
        return sum(r.total for r in self.routes)

    @property
    def completion(self) -> float | None:
        walked = sum(r.done + r.done_late for r in self.routes)
        over = sum(r.total - r.open for r in self.routes)
        return walked / over if over else None


def _nature_counts(found: list[IncidentInfo]) -> tuple[list[Count], list[Count]]:
    top: Counter[str] = Counter()
    sub: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for i in found:
        top[i.category] += 1
        names[i.category] = i.category_name
        if i.subcategory:
            sub[(i.category, i.subcategory)] += 1
            names[f"{i.category}/{i.subcategory}"] = f"{i.category_name} / {i.subcategory_name}"
    level1 = [Count(k, names[k], n) for k, n in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))]
    level2 = [
        Count(f"{a}/{b}", names[f"{a}/{b}"], n)
        for (a, b), n in sorted(sub.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return level1, level2


def _rounds(desk_id: int | None, days: Period, now: arrow.Arrow) -> list[RouteCompletion]:
    period = (Shift.business_date >= days.first) & (Shift.business_date <= days.last)
    if desk_id is not None:
        period &= Shift.desk == desk_id
    tally: dict[int | None, Counter[str]] = {}
    # Rounds with a stored final state are counted in the database; the few others
    # (the month still running) get their state from patrols.compute_state.
    final = (
        PatrolRound.select(
            PatrolRound.schedule, PatrolRound.state, pw.fn.COUNT(PatrolRound.id).alias("n")
        )
        .join(Shift)
        .where(period & PatrolRound.state.in_(list(patrols.FINAL_STATES)))
        .group_by(PatrolRound.schedule, PatrolRound.state)
    )
    for row in final:
        tally.setdefault(row.schedule_id, Counter())[row.state] += row.n
    others = (
        PatrolRound.select(PatrolRound, Shift.planned_end)
        .join(Shift)
        .where(period & PatrolRound.state.not_in(list(patrols.FINAL_STATES)))
    )
    for r in others:
        state = patrols.compute_state(r, r.shift.planned_end, now)
        tally.setdefault(r.schedule_id, Counter())[
            state if state in ROUND_OUTCOMES else "open"
        ] += 1
    names = {
        s.id: pick(s.name, s.name_en)
        for s in PatrolSchedule.select().where(PatrolSchedule.id.in_([k for k in tally if k]))
    }
    out = [
        RouteCompletion(
            k,
            names.get(k, "—") if k else "—",
            c["done"],
            c["done_late"],
            c["skipped"],
            c["missed"],
            c["open"],
        )
        for k, c in tally.items()
    ]
    out.sort(key=lambda r: r.name)
    return out


def round_ids(desk_id: int | None, days: Period) -> Any:
    """The rounds of the period's shifts, as a subquery (the checks are found by
    their round's index, never by scanning every check of ten years)."""
    q = (
        PatrolRound.select(PatrolRound.id)
        .join(Shift)
        .where((Shift.business_date >= days.first) & (Shift.business_date <= days.last))
    )
    return q.where(Shift.desk == desk_id) if desk_id is not None else q


def _readings(desk_id: int | None, days: Period) -> list[CheckpointReadings]:
    later = PatrolCheck.alias()
    q = (
        PatrolCheck.select(PatrolCheck.checkpoint, pw.fn.COUNT(PatrolCheck.id).alias("n"))
        .where(
            PatrolCheck.round.in_(round_ids(desk_id, days))
            & (PatrolCheck.out_of_range == True)  # noqa: E712
            # Only the effective mark: a check corrected later counts by its correction.
            & ~pw.fn.EXISTS(later.select(pw.SQL("1")).where(later.corrects == PatrolCheck.id))
        )
        .group_by(PatrolCheck.checkpoint)
    )
    counts = {row.checkpoint_id: row.n for row in q}
    from dutydesk.domain.checkpoints import range_text

    out = [
        CheckpointReadings(
            cp.id,
            cp.code,
            pick(cp.name, cp.name_en),
            range_text(cp.range_min, cp.range_max, cp.unit),
            counts[cp.id],
        )
        for cp in Checkpoint.select().where(Checkpoint.id.in_(list(counts)))
    ]
    out.sort(key=lambda c: (-c.out_of_range, c.code))
    return out


@dataclass(frozen=True)
class ShortShift:
    """A shift of a desk that had fewer people rostered than it needs, on these days."""

    desk_code: str
    shift: str
    days: tuple[dt.date, ...]


def _shortages(desk_id: int | None, days: Period) -> list[ShortShift]:
    desks = [desk_id] if desk_id is not None else [d.id for d in Desk.select(Desk.id)]
    out = []
    for d in desks:
        grid = roster.roster_grid(d, days.first, days.last)
        for n, column in enumerate(grid.columns):
            short = tuple(
                day for day, row in zip(grid.days, grid.rows, strict=True) if row[n].short
            )
            if short:
                out.append(ShortShift(grid.desk_code, column.name, short))
    return out


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    seconds = statistics.median(v.total_seconds() for v in values)
    return dt.timedelta(seconds=seconds)


def month_report(desk_id: int | None, days: Period, now: arrow.Arrow) -> MonthReport:
    """The figures of ``days`` (a month, usually) for one desk or, with None, the site."""
    tz = site_timezone()
    start, end = days.bounds(tz)
    found = incidents_between(desk_id, start, end, tz)
    level1, level2 = _nature_counts(found)
    severity = Counter(i.severity for i in found)
    per_day = [0] * days.days
    for i in found:
        per_day[(i.occurred_at.to(tz).date() - days.first).days] += 1
    delays = [d for d in (i.first_report_delay for i in found) if d is not None]
    on_time = late = missing = pending = 0
    for i in found:
        if i.report_due_at is None:
            continue
        if i.report_filed_at is not None:
            if i.report_filed_at <= i.report_due_at:
                on_time += 1
            else:
                late += 1
        elif now > i.report_due_at:
            missing += 1
        else:
            pending += 1

    shifts = Shift.select(Shift.id).where(
        (Shift.business_date >= days.first) & (Shift.business_date <= days.last)
    )
    handovers = Handover.select().where(
        (Handover.started_at >= start) & (Handover.started_at < end)
    )
    late_reliefs = shifts.where(Shift.relief_overdue_at.is_null(False))
    sessions = LoginSession.select().where(
        (LoginSession.started_at >= start)
        & (LoginSession.started_at < end)
        & (LoginSession.on_roster == False)  # noqa: E712
    )
    if desk_id is not None:
        handovers = handovers.where(Handover.desk == desk_id)
        late_reliefs = late_reliefs.where(Shift.desk == desk_id)
        sessions = sessions.where(LoginSession.desk == desk_id)
    discrepancies = (
        HandoverDiscrepancy.select()
        .join(Handover)
        .where((Handover.started_at >= start) & (Handover.started_at < end))
    )
    if desk_id is not None:
        discrepancies = discrepancies.where(Handover.desk == desk_id)
    short = _shortages(desk_id, days)
    return MonthReport(
        header=header(desk_id, now),
        period=days,
        incidents_total=len(found),
        by_nature=tuple(level1),
        by_subnature=tuple(level2),
        by_severity=tuple(
            Count(k, k, severity[k]) for k in ("normal", "major") if severity[k] or k == "normal"
        ),
        per_day=tuple(per_day),
        first_report_median=_median(delays),
        first_report_max=max(delays) if delays else None,
        not_reported=len(found) - len(delays),
        reports_on_time=on_time,
        reports_late=late,
        reports_missing=missing,
        reports_pending=pending,
        routes=tuple(_rounds(desk_id, days, now)),
        readings=tuple(_readings(desk_id, days)),
        handovers_signed=handovers.where(Handover.state == "signed").count(),
        late_reliefs=late_reliefs.count(),
        refusals=handovers.where(Handover.state == "refused").count(),
        discrepancies=discrepancies.count(),
        short_shifts=sum(len(x.days) for x in short),
        short_shift_list=tuple(short),
        off_roster_logins=sessions.count(),
    )
