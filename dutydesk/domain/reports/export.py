"""Exports of the raw records for a date range: every log kind, incidents, patrol
checks and repair requests, one table each, for a spreadsheet or an archive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
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


# A column of a table: its name and how a record gives its value.
Column = tuple[str, Callable[[Any], Any]]


def _plain(names: str) -> list[Column]:
    """Columns holding a record's attribute of the same name, as it is."""
    return [(n, attrgetter(n)) for n in names.split()]


def _times(names: str, tz: str) -> list[Column]:
    """Columns holding a record's instant of the same name, in the site's zone."""

    def local(name: str) -> Callable[[Any], str]:
        return lambda r: _local(getattr(r, name), tz)

    return [(n, local(n)) for n in names.split()]


def _table(name: str, columns: Sequence[Column], records: Iterable[Any]) -> Table:
    rows = tuple(tuple(get(r) for _n, get in columns) for r in records)
    return Table(name, tuple(n for n, _get in columns), rows)


def _desk_column(codes: dict[int, str], desk_of: Callable[[Any], int]) -> Column:
    return ("desk", lambda r: codes.get(desk_of(r), ""))


def _field_value(name: str, tz: str) -> Callable[[Any], Any]:
    return lambda e: _value(e.values.get(name), tz)


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
    columns: list[Column] = [
        *_plain("id"),
        _desk_column(codes, attrgetter("desk_id")),
        *_times("at", tz),
        ("author_no", attrgetter("author_no")),
        ("author", attrgetter("author_name")),
        ("entry_kind", lambda e: e.entry_kind or kind),
        *[(f, _field_value(f, tz)) for f in fields],
        ("corrects", lambda e: e.corrects_id or ""),
        ("corrected_by", lambda e: e.corrected_by_id or ""),
        *_plain("correction_reason"),
        *_times("created_at", tz),
    ]
    return _table(f"log_{kind}", columns, entries)


def _minutes(delay: dt.timedelta | None) -> float | str:
    return round(delay.total_seconds() / 60, 1) if delay is not None else ""


def _incident_table(
    desk_id: int | None, start: arrow.Arrow, end: arrow.Arrow, tz: str, codes: dict[int, str]
) -> Table:
    columns: list[Column] = [
        *_plain("id"),
        _desk_column(codes, attrgetter("desk_id")),
        *_times("occurred_at", tz),
        *_plain("place"),
        ("category", attrgetter("category_name")),
        ("subcategory", attrgetter("subcategory_name")),
        *_plain("severity status people_count description actions result author_no"),
        ("first_report_minutes", lambda i: _minutes(i.first_report_delay)),
        *_times("report_due_at report_filed_at closed_at", tz),
    ]
    return _table("incidents", columns, incidents_between(desk_id, start, end, tz))


def _check_table(desk_id: int | None, period: Period, tz: str, codes: dict[int, str]) -> Table:
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
    columns: list[Column] = [
        *_plain("id"),
        _desk_column(codes, lambda c: c.round.shift.desk_id),
        ("business_date", lambda c: c.round.shift.business_date.isoformat()),
        ("round", attrgetter("round_id")),
        ("round_due_at", lambda c: _local(c.round.due_at, tz)),
        ("checkpoint", lambda c: c.checkpoint.code),
        ("checkpoint_name", lambda c: c.checkpoint.name),
        ("result", lambda c: c.result or ""),
        ("value", lambda c: "" if c.value is None else c.value),
        ("unit", lambda c: c.checkpoint.unit),
        ("out_of_range", lambda c: "yes" if c.out_of_range else ""),
        *_plain("note"),
        *_times("marked_at", tz),
        ("marked_by", lambda c: who.get(c.marked_by_id, "")),
        ("corrects", lambda c: c.corrects_id or ""),
        *_plain("correction_reason"),
    ]
    return _table("patrol_checks", columns, q)


def _repair_table(desk_id: int | None, period: Period, tz: str, codes: dict[int, str]) -> Table:
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
    columns: list[Column] = [
        *_plain("id"),
        _desk_column(codes, attrgetter("desk_id")),
        *_times("received_at", tz),
        *_plain("from_name from_unit from_phone place problem status action reason"),
        *_times("handled_at", tz),
    ]
    return _table("repairs", columns, found)


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
