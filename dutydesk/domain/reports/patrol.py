"""The patrol record of a desk's business day (CS4, SE-3, SG-6): every round with
its due, start and finish times, every check's mark, readings against their
limits, skips with their reasons, and the rounds missed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from dutydesk.domain import patrols
from dutydesk.domain.patrols import CheckInfo, RoundInfo
from dutydesk.domain.reports import Header, header
from dutydesk.domain.shifts import ShiftInfo, shift_info
from dutydesk.models import Shift, ShiftTemplate, Staff

# A shift of the day that was opened at the desk.
ShiftOfDay = ShiftInfo


@dataclass(frozen=True)
class RoundLine:
    """A round with the shift it belongs to, who started it and its checks."""

    round: RoundInfo
    shift_code: str
    started_by: str  # "name (staff no)" or ""
    checks: tuple[CheckInfo, ...]

    @property
    def skipped_checks(self) -> tuple[CheckInfo, ...]:
        return tuple(c for c in self.checks if c.result == "skipped")

    @property
    def out_of_range(self) -> tuple[CheckInfo, ...]:
        return tuple(c for c in self.checks if c.out_of_range)


@dataclass(frozen=True)
class PatrolRecord:
    header: Header
    day: dt.date
    shift_code: str | None
    shifts: tuple[ShiftOfDay, ...]
    rounds: tuple[RoundLine, ...]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rounds if r.round.state == state)

    @property
    def missed(self) -> tuple[RoundLine, ...]:
        return tuple(r for r in self.rounds if r.round.state == patrols.MISSED)


def shifts_of_day(desk_id: int, day: dt.date, shift_code: str | None = None) -> list[ShiftOfDay]:
    """The shifts opened at the desk with ``day`` as business date, by start."""
    q = (
        Shift.select(Shift, ShiftTemplate)
        .join(ShiftTemplate)
        .where((Shift.desk == desk_id) & (Shift.business_date == day))
    )
    if shift_code:
        q = q.where(ShiftTemplate.code == shift_code)
    return [shift_info(s) for s in q.order_by(Shift.planned_start)]


def round_lines(shifts: list[ShiftOfDay], now: arrow.Arrow) -> list[RoundLine]:
    """Every round of the shifts by due time, with its checks (patrols' own reads)."""
    out: list[RoundLine] = []
    starters: dict[int, str] = {}
    for s in shifts:
        for r in patrols.rounds_of_shift(s.id, now):
            who = ""
            if r.started_by_id is not None:
                if r.started_by_id not in starters:
                    p = Staff.get_by_id(r.started_by_id)
                    starters[r.started_by_id] = f"{p.name} ({p.staff_no})"
                who = starters[r.started_by_id]
            out.append(RoundLine(r, s.code, who, tuple(patrols.round_checks(r.id))))
    out.sort(key=lambda line: (line.round.due_at, line.round.id))
    return out


def patrol_record(
    desk_id: int, day: dt.date, now: arrow.Arrow, shift_code: str | None = None
) -> PatrolRecord:
    """The patrol record of ``day`` (business date) at the desk, states as of ``now``."""
    shifts = shifts_of_day(desk_id, day, shift_code)
    return PatrolRecord(
        header(desk_id, now), day, shift_code, tuple(shifts), tuple(round_lines(shifts, now))
    )
