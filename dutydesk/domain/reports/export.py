"""Exports of the raw records for a date range: every log kind, incidents, patrol
checks and repair requests, one table each, for a spreadsheet or an archive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.domain import logs, repairs
from dutydesk.domain.reports import Header, Period, header
from dutydesk.domain.reports.day import incidents_between, log_between
from dutydesk.domain.reports.month import round_ids
from dutydesk.domain.site import site_timezone
from dutydesk.models import Checkpoint, Desk, PatrolCheck, PatrolRound, Shift, Staff


@dataclass(frozen=True)
class Table:
    """One sheet: a name, column names and rows of plain values."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Export:
    header: Header
    period: Period
    tables: tuple[Table, ...]


def _local(at: arrow.Arrow | None, tz: str) -> str:
    return at.to(tz).format("YYYY-MM-DD HH:mm:ss") if at is not None else ""


def _value(v: Any, tz: str) -> Any:
    if isinstance(v, arrow.Arrow):
        return _local(v, tz)
    if v is None:
        return ""
    return v


def _log_table(
    kind: str,
    desk_id: int | None,
    start: arrow.Arrow,
    end: arrow.Arrow,
    tz: str,
    codes: dict[int, str],
) -> Table:
    fields = logs.FIELDS[kind]
    desks = [desk_id] if desk_id is not None else list(codes)
    entries = []
    for d in desks:
        entries += log_between(d, [kind], start, end)
    entries.sort(key=lambda e: (e.at, e.id))
    columns = (
        "id",
        "desk",
        "at",
        "author_no",
        "author",
        "entry_kind",
        *fields,
        "corrects",
        "corrected_by",
        "correction_reason",
        "created_at",
    )
    rows = tuple(
        (
            e.id,
            codes.get(e.desk_id, ""),
            _local(e.at, tz),
            e.author_no,
            e.author_name,
            e.entry_kind or kind,
            *(_value(e.values.get(f), tz) for f in fields),
            e.corrects_id or "",
            e.corrected_by_id or "",
            e.correction_reason,
            _local(e.created_at, tz),
        )
        for e in entries
    )
    return Table(f"log_{kind}", columns, rows)


def _incident_table(
    desk_id: int | None, start: arrow.Arrow, end: arrow.Arrow, tz: str, codes: dict[int, str]
) -> Table:
    columns = (
        "id",
        "desk",
        "occurred_at",
        "place",
        "category",
        "subcategory",
        "severity",
        "status",
        "people_count",
        "description",
        "actions",
        "result",
        "author_no",
        "first_report_minutes",
        "report_due_at",
        "report_filed_at",
        "closed_at",
    )
    rows = []
    for i in incidents_between(desk_id, start, end, tz):
        delay = i.first_report_delay
        rows.append(
            (
                i.id,
                codes.get(i.desk_id, ""),
                _local(i.occurred_at, tz),
                i.place,
                i.category_name,
                i.subcategory_name,
                i.severity,
                i.status,
                i.people_count,
                i.description,
                i.actions,
                i.result,
                i.author_no,
                round(delay.total_seconds() / 60, 1) if delay is not None else "",
                _local(i.report_due_at, tz),
                _local(i.report_filed_at, tz),
                _local(i.closed_at, tz),
            )
        )
    return Table("incidents", columns, tuple(rows))


def _check_table(desk_id: int | None, period: Period, tz: str, codes: dict[int, str]) -> Table:
    columns = (
        "id",
        "desk",
        "business_date",
        "round",
        "round_due_at",
        "checkpoint",
        "checkpoint_name",
        "result",
        "value",
        "unit",
        "out_of_range",
        "note",
        "marked_at",
        "marked_by",
        "corrects",
        "correction_reason",
    )
    q = (
        PatrolCheck.select(PatrolCheck, PatrolRound, Shift, Checkpoint)
        .join(PatrolRound)
        .join(Shift)
        .switch(PatrolCheck)
        .join(Checkpoint)
        # By the rounds of the period's shifts: the round index, not ten years of checks.
        .where(PatrolCheck.round.in_(round_ids(desk_id, period)))
        .order_by(PatrolRound.due_at, PatrolCheck.position, PatrolCheck.id)
    )
    who = {s.id: s.staff_no for s in Staff.select(Staff.id, Staff.staff_no)}
    rows = tuple(
        (
            c.id,
            codes.get(c.round.shift.desk_id, ""),
            c.round.shift.business_date.isoformat(),
            c.round_id,
            _local(c.round.due_at, tz),
            c.checkpoint.code,
            c.checkpoint.name,
            c.result or "",
            "" if c.value is None else c.value,
            c.checkpoint.unit,
            "yes" if c.out_of_range else "",
            c.note,
            _local(c.marked_at, tz),
            who.get(c.marked_by_id, ""),
            c.corrects_id or "",
            c.correction_reason,
        )
        for c in q
    )
    return Table("patrol_checks", columns, rows)


def _repair_table(desk_id: int | None, period: Period, tz: str, codes: dict[int, str]) -> Table:
    columns = (
        "id",
        "desk",
        "received_at",
        "from_name",
        "from_unit",
        "from_phone",
        "place",
        "problem",
        "status",
        "action",
        "reason",
        "handled_at",
    )
    found = []
    page = 0
    while True:
        got = repairs.list_repairs(
            desk_id, day_from=period.first, day_to=period.last, page=page, page_size=200
        )
        found += got.items
        if not got.has_more:
            break
        page += 1
    found.sort(key=lambda r: (r.received_at, r.id))
    rows = tuple(
        (
            r.id,
            codes.get(r.desk_id, ""),
            _local(r.received_at, tz),
            r.from_name,
            r.from_unit,
            r.from_phone,
            r.place,
            r.problem,
            r.status,
            r.action,
            r.reason,
            _local(r.handled_at, tz),
        )
        for r in found
    )
    return Table("repairs", columns, rows)


def export_records(desk_id: int | None, period: Period, now: arrow.Arrow) -> Export:
    """The raw records of ``period`` at the desk (or every desk), one table per kind."""
    tz = site_timezone()
    start, end = period.bounds(tz)
    codes = {d.id: d.code for d in Desk.select(Desk.id, Desk.code).order_by(Desk.id)}
    tables = [_log_table(k, desk_id, start, end, tz, codes) for k in logs.KINDS]
    tables.append(_incident_table(desk_id, start, end, tz, codes))
    tables.append(_check_table(desk_id, period, tz, codes))
    tables.append(_repair_table(desk_id, period, tz, codes))
    return Export(header(desk_id, now), period, tuple(tables))
