"""The equipment operation log (EN-8.3.4): every reading of a desk, newest first, and
one checkpoint's trend for a sparkline."""

from __future__ import annotations

from dataclasses import dataclass

import arrow
import peewee as pw

from dutydesk.domain.patrols.checkpoints import range_text
from dutydesk.domain.patrols.states import COUNT, READING
from dutydesk.i18n import pick
from dutydesk.models import Checkpoint, PatrolCheck, Staff

# --- the equipment operation log (EN-8.3.4) ---------------------------------------------


@dataclass(frozen=True)
class LogCursor:
    """Where a page of the operation log ended (keyset paging on marked_at, id)."""

    marked_at: arrow.Arrow
    id: int


@dataclass(frozen=True)
class LogRow:
    check_id: int
    marked_at: arrow.Arrow
    checkpoint_id: int
    code: str
    name: str
    area: str
    unit: str
    value: float
    out_of_range: bool
    range_text: str
    note: str
    marked_by: str  # staff number
    corrects_id: int | None  # this row corrects that one
    superseded: bool  # a later correction replaces this value


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    next_cursor: LogCursor | None  # None: no older rows


def _reading_value(check: PatrolCheck) -> float:
    """The value of a ``reading`` mark, which always stores one (:func:`_mark_values`)."""
    assert check.value is not None, f"reading {check.id} without a value"
    return check.value


def operation_log_query(
    desk_id: int, after: LogCursor | None = None, checkpoint_id: int | None = None, limit: int = 50
) -> pw.ModelSelect[PatrolCheck]:
    """The query behind :func:`operation_log` (exposed for EXPLAIN QUERY PLAN tests).

    It walks the (result, marked_at) index backwards from the cursor, so a page
    costs the same on the first day and after ten years.
    """
    q = (
        PatrolCheck.select(PatrolCheck, Checkpoint, Staff.staff_no)
        .join(Checkpoint, on=(PatrolCheck.checkpoint == Checkpoint.id))
        .switch(PatrolCheck)
        .join(Staff, pw.JOIN.LEFT_OUTER, on=(PatrolCheck.marked_by == Staff.id))
        .where((PatrolCheck.result == READING) & (Checkpoint.desk == desk_id))
    )
    if checkpoint_id is not None:
        q = q.where(PatrolCheck.checkpoint == checkpoint_id)
    if after is not None:
        # marked_at <= t bounds the index range; the OR breaks ties on id.
        q = q.where(
            (PatrolCheck.marked_at <= after.marked_at)
            & ((PatrolCheck.marked_at < after.marked_at) | (PatrolCheck.id < after.id))
        )
    page: pw.ModelSelect[PatrolCheck] = q.order_by(
        PatrolCheck.marked_at.desc(), PatrolCheck.id.desc()
    ).limit(limit)
    return page


def _checkpoints_with_readings(desk_id: int) -> list[int]:
    has_reading = PatrolCheck.select(PatrolCheck.id).where(
        (PatrolCheck.checkpoint == Checkpoint.id) & (PatrolCheck.result == READING)
    )
    return [
        c.id
        for c in Checkpoint.select(Checkpoint.id).where(
            (Checkpoint.desk == desk_id) & pw.fn.EXISTS(has_reading)
        )
    ]


def operation_log(
    desk_id: int,
    after: LogCursor | None = None,
    *,
    checkpoint_id: int | None = None,
    limit: int = 50,
) -> LogPage:
    """All readings of a desk, newest first, by time and checkpoint, out-of-range
    values marked (EN-8.3.4). Pass the page's ``next_cursor`` for the next page."""
    if checkpoint_id is None:
        # The (result, marked_at) walk reads every desk's readings: a desk with few or
        # none of its own would read years of them for one page. Its checkpoints that
        # have readings, from the (checkpoint, result, marked_at) index:
        read = _checkpoints_with_readings(desk_id)
        if not read:
            return LogPage([], None)
        if len(read) == 1:
            checkpoint_id = read[0]
    rows = list(operation_log_query(desk_id, after, checkpoint_id, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r.id for r in rows]
    superseded = (
        {
            c.corrects_id
            for c in PatrolCheck.select(PatrolCheck.corrects).where(PatrolCheck.corrects.in_(ids))
        }
        if ids
        else set()
    )
    out = [
        LogRow(
            r.id,
            r.marked_at,
            r.checkpoint_id,
            r.checkpoint.code,
            pick(r.checkpoint.name, r.checkpoint.name_en),
            r.checkpoint.area,
            r.checkpoint.unit,
            _reading_value(r),
            r.out_of_range,
            range_text(r.checkpoint.range_min, r.checkpoint.range_max, r.checkpoint.unit),
            r.note,
            getattr(r.marked_by, "staff_no", "") if r.marked_by_id else "",
            r.corrects_id,
            r.id in superseded,
        )
        for r in rows
    ]
    cursor = LogCursor(rows[-1].marked_at, rows[-1].id) if more and rows else None
    return LogPage(out, cursor)


@dataclass(frozen=True)
class TrendPoint:
    at: arrow.Arrow
    value: float
    out_of_range: bool


def trend(checkpoint_id: int, now: arrow.Arrow, days: int = 30) -> list[TrendPoint]:
    """One checkpoint's values over the last ``days`` days, oldest first (for a
    sparkline); a corrected value appears once, as corrected."""
    since = now.shift(days=-days)
    fix = PatrolCheck.alias()
    corrected = fix.select(fix.id).where(fix.corrects == PatrolCheck.id)
    rows = (
        PatrolCheck.select(PatrolCheck.marked_at, PatrolCheck.value, PatrolCheck.out_of_range)
        .where(
            (PatrolCheck.checkpoint == checkpoint_id)
            & (PatrolCheck.marked_at >= since)
            & (PatrolCheck.marked_at <= now)
            & PatrolCheck.result.in_([READING, COUNT])
            & ~pw.fn.EXISTS(corrected)
        )
        .order_by(PatrolCheck.marked_at, PatrolCheck.id)
    )
    return [TrendPoint(r.marked_at, r.value, r.out_of_range) for r in rows]
