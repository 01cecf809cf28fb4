"""The words of patrolling: round states, check results, schedule and checkpoint kinds.

Each is a ``StrEnum`` whose values are the strings stored in the database, so a
member compares equal to the stored text and is written as it.
"""

from __future__ import annotations

from enum import StrEnum

from dutydesk.i18n import N_


class RoundState(StrEnum):
    """A round's state at a moment (SE-3): computed from the clock plus the final
    states stored (done, done late, skipped, missed)."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_LATE = "done_late"
    SKIPPED = "skipped"
    MISSED = "missed"


class CheckResult(StrEnum):
    """The result of a check. ``reading`` and ``count`` carry a value."""

    OK = "ok"
    PROBLEM = "problem"
    READING = "reading"
    COUNT = "count"
    SKIPPED = "skipped"


class ScheduleKind(StrEnum):
    """How a schedule places its rounds in a shift (SE-3, SG-6)."""

    INTERVAL = "interval"
    FIXED = "fixed"
    IRREGULAR = "irregular"


class CheckpointKind(StrEnum):
    """What a checkpoint asks for (CS4, CS5, SG-10, EN-8.3.3)."""

    CONDITION = "condition"
    SWITCH = "switch"
    READING = "reading"
    COUNT = "count"


UPCOMING = RoundState.UPCOMING
DUE = RoundState.DUE
OVERDUE = RoundState.OVERDUE
IN_PROGRESS = RoundState.IN_PROGRESS
DONE = RoundState.DONE
DONE_LATE = RoundState.DONE_LATE
SKIPPED = RoundState.SKIPPED
MISSED = RoundState.MISSED
FINAL_STATES = frozenset({DONE, DONE_LATE, SKIPPED, MISSED})
NOT_STARTED = (UPCOMING, DUE, OVERDUE)
STATE_LABELS: dict[str, str] = {
    UPCOMING: N_("upcoming"),
    DUE: N_("due"),
    OVERDUE: N_("overdue"),
    IN_PROGRESS: N_("in progress"),
    DONE: N_("done"),
    DONE_LATE: N_("done late"),
    SKIPPED: N_("skipped"),
    MISSED: N_("missed"),
}

OK = CheckResult.OK
PROBLEM = CheckResult.PROBLEM
READING = CheckResult.READING
COUNT = CheckResult.COUNT
SKIP = CheckResult.SKIPPED
VALUE_RESULTS = (READING, COUNT)
VALUE_KINDS = (CheckpointKind.READING, CheckpointKind.COUNT)  # checkpoints read as a value

SCHEDULE_KINDS = tuple(ScheduleKind)
# A round needs this long before the shift's end: no interval or irregular round
# is due later than end − ROUND_ROOM_MINUTES.
ROUND_ROOM_MINUTES = 30
DEFAULT_TOLERANCE_MINUTES = 15


def number_text(value: float) -> str:
    """A value as typed back: ``95`` for 95.0, ``0.6`` for 0.6."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
