"""Patrol rounds: checkpoints, schedules, the rounds of a shift, marking checks, the
equipment operation log.

How a round works: the person on duty starts a round (the time is the
clock's, never typed), walks it, comes back and marks each check — OK, problem
(with a note), a reading, a count, or skipped with a reason — and finishes it.
While the round is open the last mark of a check can be undone; once finished
its marks are final and only a linked correction with a reason changes them.
There is deliberately no "mark all OK": one call per check.

The package, from the bottom up:

- :mod:`.states`: round states, check results, schedule and checkpoint kinds;
- :mod:`.checkpoints`: what is checked, where and how (files: ``dutydesk.domain.checkpoints``);
- :mod:`.schedules`: schedules and the planning of a shift's round times (SE-3, SG-6);
- :mod:`.rounds`: generating, starting, skipping, finishing rounds (SE-3);
- :mod:`.overdue`: overdue and missed rounds, and the progress F2 shows (SE-3);
- :mod:`.checks`: marking, undoing and correcting checks (EN-8.3.3);
- :mod:`.operation_log`: the equipment operation log (EN-8.3.4).

The screens drive it with the keys of docs/keys.md: ``o`` :func:`mark_ok`,
``x`` :func:`mark_problem`, ``r`` :func:`mark_reading` (preview with
:func:`check_reading`), ``s`` :func:`skip_check`, ``u`` :func:`undo_check`.
"""

from __future__ import annotations

from dutydesk.domain.patrols.checkpoints import CheckpointInfo, CheckpointSpec, range_text
from dutydesk.domain.patrols.checks import (
    CheckInfo,
    IncidentOffer,
    MarkResult,
    PreviousValue,
    Reading,
    check_reading,
    correct_check,
    last_marked,
    mark_ok,
    mark_problem,
    mark_reading,
    parse_reading,
    previous_value,
    previous_values,
    round_checks,
    skip_check,
    undo_check,
)
from dutydesk.domain.patrols.operation_log import (
    LogCursor,
    LogPage,
    LogRow,
    TrendPoint,
    operation_log,
    operation_log_query,
    trend,
)
from dutydesk.domain.patrols.overdue import Progress, note_overdue, progress
from dutydesk.domain.patrols.rounds import (
    FinishResult,
    RoundInfo,
    add_extra_round,
    compute_state,
    ensure_rounds,
    finish_round,
    get_round,
    rounds_of_shift,
    skip_round,
    start_round,
    unskip_round,
)
from dutydesk.domain.patrols.schedules import (
    _RNG,
    ScheduleInfo,
    ScheduleSpec,
    add_schedule,
    fixed_times,
    interval_times,
    irregular_times,
    list_schedules,
    set_schedule_active,
    update_schedule,
)
from dutydesk.domain.patrols.states import (
    COUNT,
    DEFAULT_TOLERANCE_MINUTES,
    DONE,
    DONE_LATE,
    DUE,
    FINAL_STATES,
    IN_PROGRESS,
    MISSED,
    NOT_STARTED,
    OK,
    OVERDUE,
    PROBLEM,
    READING,
    ROUND_ROOM_MINUTES,
    SCHEDULE_KINDS,
    SKIP,
    SKIPPED,
    STATE_LABELS,
    UPCOMING,
    VALUE_KINDS,
    VALUE_RESULTS,
    CheckpointKind,
    CheckResult,
    RoundState,
    ScheduleKind,
    number_text,
)

__all__ = [
    "COUNT",
    "DEFAULT_TOLERANCE_MINUTES",
    "DONE",
    "DONE_LATE",
    "DUE",
    "FINAL_STATES",
    "IN_PROGRESS",
    "MISSED",
    "NOT_STARTED",
    "OK",
    "OVERDUE",
    "PROBLEM",
    "READING",
    "ROUND_ROOM_MINUTES",
    "SCHEDULE_KINDS",
    "SKIP",
    "SKIPPED",
    "STATE_LABELS",
    "UPCOMING",
    "VALUE_KINDS",
    "VALUE_RESULTS",
    "_RNG",
    "CheckInfo",
    "CheckResult",
    "CheckpointInfo",
    "CheckpointKind",
    "CheckpointSpec",
    "FinishResult",
    "IncidentOffer",
    "LogCursor",
    "LogPage",
    "LogRow",
    "MarkResult",
    "PreviousValue",
    "Progress",
    "Reading",
    "RoundInfo",
    "RoundState",
    "ScheduleInfo",
    "ScheduleKind",
    "ScheduleSpec",
    "TrendPoint",
    "add_extra_round",
    "add_schedule",
    "check_reading",
    "compute_state",
    "correct_check",
    "ensure_rounds",
    "finish_round",
    "fixed_times",
    "get_round",
    "interval_times",
    "irregular_times",
    "last_marked",
    "list_schedules",
    "mark_ok",
    "mark_problem",
    "mark_reading",
    "note_overdue",
    "number_text",
    "operation_log",
    "operation_log_query",
    "parse_reading",
    "previous_value",
    "previous_values",
    "progress",
    "range_text",
    "round_checks",
    "rounds_of_shift",
    "set_schedule_active",
    "skip_check",
    "skip_round",
    "start_round",
    "trend",
    "undo_check",
    "unskip_round",
    "update_schedule",
]
