"""Patrol rounds: schedules, the rounds of a shift, marking checks, the operation log.

How a round works: the person on duty starts a round (the time is the
clock's, never typed), walks it, comes back and marks each check — OK, problem
(with a note), a reading, a count, or skipped with a reason — and finishes it.
While the round is open the last mark of a check can be undone; once finished
its marks are final and only a linked correction with a reason changes them.
There is deliberately no "mark all OK": one call per check.

Schedules (SE-3, SG-6, SG-10, EN-8.3.3): every N hours within the shift, at
fixed clock times, or irregular — K rounds at times drawn at random inside the
shift when its rounds are generated. The draw uses the operating system's
randomness (``random.SystemRandom``), never a seed derived from the shift, so
the pattern across shifts cannot be learned; each irregular round walks the
whole route, so every checkpoint is still covered in the shift.

Round states are computed from the clock plus the final states stored:
upcoming → due (inside ± tolerance) → overdue → missed (not started by the
shift's planned end); started → in progress → done / done late (judged by the
start) ; skipped (with a reason).

The screens drive this module with the keys of KEYMAP.md: ``o`` :func:`mark_ok`,
``x`` :func:`mark_problem`, ``r`` :func:`mark_reading` (preview with
:func:`check_reading`), ``s`` :func:`skip_check`, ``u`` :func:`undo_check`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import arrow
import peewee as pw

from dutydesk.clock import SystemClock
from dutydesk.db import write
from dutydesk.domain import audit, bounds, patterns
from dutydesk.domain.checkpoints import CheckpointInfo, range_text
from dutydesk.domain.checkpoints import info as checkpoint_info
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.site import site_timezone
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import (
    Checkpoint,
    Desk,
    DutyLogEntry,
    PatrolCheck,
    PatrolRound,
    PatrolSchedule,
    RouteStop,
    Shift,
    ShiftTemplate,
    Staff,
)

SCHEDULE_KINDS = ("interval", "fixed", "irregular")
# A round needs this long before the shift's end: no interval or irregular round
# is due later than end − ROUND_ROOM_MINUTES.
ROUND_ROOM_MINUTES = 30
DEFAULT_TOLERANCE_MINUTES = 15

UPCOMING = "upcoming"
DUE = "due"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
DONE = "done"
DONE_LATE = "done_late"
SKIPPED = "skipped"
MISSED = "missed"
FINAL_STATES = frozenset({DONE, DONE_LATE, SKIPPED, MISSED})
STATE_LABELS = {
    UPCOMING: N_("upcoming"),
    DUE: N_("due"),
    OVERDUE: N_("overdue"),
    IN_PROGRESS: N_("in progress"),
    DONE: N_("done"),
    DONE_LATE: N_("done late"),
    SKIPPED: N_("skipped"),
    MISSED: N_("missed"),
}

# Results of a check. ``reading`` and ``count`` carry a value.
OK, PROBLEM, READING, COUNT, SKIP = "ok", "problem", "reading", "count", "skipped"

# Irregular times must not be guessable (SG-6): the OS's randomness, no seed.
_RNG = random.SystemRandom()


# --- schedules -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule as a supervisor types it. An empty route walks every active
    checkpoint of the desk in their order."""

    name: str
    kind: str
    name_en: str = ""
    interval_hours: float | None = None
    times: tuple[str, ...] = ()
    rounds_per_shift: int | None = None
    tolerance_minutes: int | None = None  # None: the desk's
    shift_codes: tuple[str, ...] = ()  # empty: every shift
    route: tuple[int, ...] = ()  # checkpoint ids in walking order


@dataclass(frozen=True)
class ScheduleInfo:
    id: int
    desk_id: int
    name: str
    name_en: str
    kind: str
    interval_hours: float | None
    times: tuple[str, ...]
    rounds_per_shift: int | None
    tolerance_minutes: int | None
    shift_codes: tuple[str, ...]
    route: tuple[int, ...]
    active: bool

    @property
    def display_name(self) -> str:
        return pick(self.name, self.name_en)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _schedule_info(s: PatrolSchedule) -> ScheduleInfo:
    route = tuple(
        r.checkpoint_id
        for r in RouteStop.select().where(RouteStop.schedule == s.id).order_by(RouteStop.position)
    )
    return ScheduleInfo(
        s.id,
        s.desk_id,
        s.name,
        s.name_en,
        s.kind,
        s.interval_hours,
        _split(s.times),
        s.rounds_per_shift,
        s.tolerance_minutes,
        _split(s.shift_codes),
        route,
        s.active,
    )


def _validate_schedule(desk_id: int, spec: ScheduleSpec) -> ScheduleSpec:
    if not spec.name.strip():
        raise ValidationError(N_("A schedule needs a name"), field="name")
    if spec.kind not in SCHEDULE_KINDS:
        raise ValidationError(
            N_("Unknown schedule kind {kind}; choose one of: {choices}"),
            field="kind",
            kind=spec.kind,
            choices=", ".join(SCHEDULE_KINDS),
        )
    if spec.kind == "interval" and not (
        spec.interval_hours is not None and 0 < spec.interval_hours <= 24
    ):
        raise ValidationError(
            N_("Every how many hours? A number above 0, at most 24"), field="interval_hours"
        )
    if spec.kind == "fixed":
        if not spec.times:
            raise ValidationError(N_("Give at least one clock time (HH:MM)"), field="times")
        for t in spec.times:
            try:
                patterns.parse_hhmm(t)
            except Exception:
                raise ValidationError(
                    N_("Not a time of day (HH:MM): {text}"), field="times", text=t
                ) from None
    if spec.kind == "irregular" and not (
        spec.rounds_per_shift is not None and 1 <= spec.rounds_per_shift <= 24
    ):
        raise ValidationError(N_("How many rounds per shift? 1 to 24"), field="rounds_per_shift")
    if spec.tolerance_minutes is not None and not 0 <= spec.tolerance_minutes <= 240:
        raise ValidationError(N_("The tolerance is 0 to 240 minutes"), field="tolerance_minutes")
    codes = {t.code for t in ShiftTemplate.select().where(ShiftTemplate.desk == desk_id)}
    for code in spec.shift_codes:
        if code not in codes:
            raise ValidationError(
                N_("No shift {code} at this desk"), field="shift_codes", code=code
            )
    if len(set(spec.route)) != len(spec.route):
        raise ValidationError(N_("A checkpoint appears twice in the route"), field="route")
    if spec.route:
        found = {
            c.id
            for c in Checkpoint.select(Checkpoint.id).where(
                (Checkpoint.desk == desk_id) & Checkpoint.id.in_(list(spec.route))
            )
        }
        if found != set(spec.route):
            raise ValidationError(N_("The route names a checkpoint of another desk"), field="route")
    return ScheduleSpec(
        spec.name.strip(),
        spec.kind,
        spec.name_en.strip(),
        spec.interval_hours if spec.kind == "interval" else None,
        tuple(t.strip() for t in spec.times) if spec.kind == "fixed" else (),
        spec.rounds_per_shift if spec.kind == "irregular" else None,
        spec.tolerance_minutes,
        spec.shift_codes,
        spec.route,
    )


def _schedule_values(spec: ScheduleSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "name_en": spec.name_en,
        "kind": spec.kind,
        "interval_hours": spec.interval_hours,
        "times": ",".join(spec.times),
        "rounds_per_shift": spec.rounds_per_shift,
        "tolerance_minutes": spec.tolerance_minutes,
        "shift_codes": ",".join(spec.shift_codes),
    }


def _set_route(schedule_id: int, route: tuple[int, ...]) -> None:
    RouteStop.delete().where(RouteStop.schedule == schedule_id).execute()
    for position, checkpoint_id in enumerate(route):
        RouteStop.create(schedule=schedule_id, checkpoint=checkpoint_id, position=position)


def add_schedule(actor: Actor, desk_id: int, spec: ScheduleSpec) -> ScheduleInfo:
    """A new patrol schedule at the desk (supervisor only)."""
    with write():
        actor.require_role()
        spec = _validate_schedule(desk_id, spec)
        values = _schedule_values(spec)
        row = PatrolSchedule.create(desk=desk_id, **values)
        _set_route(row.id, spec.route)
        audit.record(
            actor,
            "patrol_schedule.create",
            "patrol_schedule",
            row.id,
            new={**values, "route": list(spec.route)},
        )
    return _schedule_info(row)


def update_schedule(actor: Actor, schedule_id: int, spec: ScheduleSpec) -> ScheduleInfo:
    """Edit a schedule (supervisor only); rounds already generated stay as they are."""
    with write():
        actor.require_role()
        row = PatrolSchedule.get_or_none(PatrolSchedule.id == schedule_id)
        if row is None:
            raise NotFound(N_("No such patrol schedule"))
        spec = _validate_schedule(row.desk_id, spec)
        before = _schedule_info(row)
        old = {
            **_schedule_values(
                ScheduleSpec(
                    before.name,
                    before.kind,
                    before.name_en,
                    before.interval_hours,
                    before.times,
                    before.rounds_per_shift,
                    before.tolerance_minutes,
                    before.shift_codes,
                )
            ),
            "route": list(before.route),
        }
        new = {**_schedule_values(spec), "route": list(spec.route)}
        for key, value in _schedule_values(spec).items():
            setattr(row, key, value)
        row.save()
        _set_route(row.id, spec.route)
        audit.record_change(actor, "patrol_schedule.update", "patrol_schedule", row.id, old, new)
    return _schedule_info(row)


def set_schedule_active(actor: Actor, schedule_id: int, active: bool) -> None:
    with write():
        actor.require_role()
        row = PatrolSchedule.get_or_none(PatrolSchedule.id == schedule_id)
        if row is None:
            raise NotFound(N_("No such patrol schedule"))
        if row.active == active:
            return
        row.active = active
        row.save()
        audit.record(
            actor,
            "patrol_schedule.active",
            "patrol_schedule",
            row.id,
            old={"active": not active},
            new={"active": active},
        )


def list_schedules(desk_id: int, include_inactive: bool = False) -> list[ScheduleInfo]:
    q = PatrolSchedule.select().where(PatrolSchedule.desk == desk_id)
    if not include_inactive:
        q = q.where(PatrolSchedule.active == True)  # noqa: E712
    return [_schedule_info(s) for s in q.order_by(PatrolSchedule.id)]


# --- planning: pure functions ------------------------------------------------------------


def interval_times(
    start: arrow.Arrow, end: arrow.Arrow, hours: float, room_minutes: int = ROUND_ROOM_MINUTES
) -> list[arrow.Arrow]:
    """Every ``hours`` from the shift's start (not at the start itself), while a round
    still fits before the end: 07:30–16:00 every 2 h → 09:30, 11:30, 13:30, 15:30."""
    last = end.shift(minutes=-room_minutes)
    step = dt.timedelta(hours=hours)
    found = []
    due = start + step
    while due <= last:
        found.append(due)
        due = due + step
    return found


def fixed_times(
    start: arrow.Arrow, end: arrow.Arrow, times: tuple[str, ...], tz: str
) -> list[arrow.Arrow]:
    """The clock times that fall inside [start, end) — across midnight too (CS5)."""
    day = start.to(tz).date()
    found = set()
    for hhmm in times:
        for offset in (0, 1):
            due = patterns.wall_time(day + dt.timedelta(days=offset), hhmm, tz)
            if start <= due < end:
                found.add(due)
    return sorted(found)


def irregular_times(
    start: arrow.Arrow,
    end: arrow.Arrow,
    k: int,
    rng: random.Random,
    room_minutes: int = ROUND_ROOM_MINUTES,
) -> list[arrow.Arrow]:
    """``k`` times on whole minutes drawn from [start, end − room] (SG-6).

    Times are kept at least min(room, span / 2k) apart where possible, so that two
    rounds do not fall on the same minute; otherwise every minute of the window is
    equally likely. ``rng`` is :data:`_RNG` in use; tests pass others to prove that
    a seeded generator would be caught.
    """
    first = start.floor("minute")
    if first < start:
        first = first.shift(minutes=1)
    last = end.shift(minutes=-room_minutes)
    span = int((last - first).total_seconds() // 60)
    if span < 0 or k <= 0:
        return []
    k = min(k, span + 1)
    gap = min(room_minutes, span // (2 * k))
    offsets: list[int] = []
    for _attempt in range(200):
        offsets = sorted(rng.sample(range(span + 1), k))
        if all(b - a >= gap for a, b in itertools.pairwise(offsets)):
            break
    return [first.shift(minutes=m) for m in offsets]


def _route(schedule: PatrolSchedule) -> list[Checkpoint]:
    stops = list(
        Checkpoint.select()
        .join(RouteStop)
        .where((RouteStop.schedule == schedule.id) & (Checkpoint.active == True))  # noqa: E712
        .order_by(RouteStop.position)
    )
    if stops or RouteStop.select().where(RouteStop.schedule == schedule.id).exists():
        return stops
    return list(
        Checkpoint.select()
        .where((Checkpoint.desk == schedule.desk_id) & (Checkpoint.active == True))  # noqa: E712
        .order_by(Checkpoint.position, Checkpoint.code)
    )


def _tolerance(schedule: PatrolSchedule, desk: Desk) -> int:
    if schedule.tolerance_minutes is not None:
        return int(schedule.tolerance_minutes)
    if desk.patrol_tolerance_minutes is not None:
        return int(desk.patrol_tolerance_minutes)
    return DEFAULT_TOLERANCE_MINUTES


def _applies(schedule: PatrolSchedule, shift_code: str) -> bool:
    codes = _split(schedule.shift_codes)
    return not codes or shift_code in codes


# --- rounds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundInfo:
    id: int
    shift_id: int
    schedule_id: int | None
    schedule_name: str
    due_at: arrow.Arrow
    tolerance_minutes: int
    started_at: arrow.Arrow | None
    started_by_id: int | None
    finished_at: arrow.Arrow | None
    state: str
    skip_reason: str
    checks_total: int
    checks_marked: int
    overdue_logged: bool

    @property
    def window_start(self) -> arrow.Arrow:
        return self.due_at.shift(minutes=-self.tolerance_minutes)

    @property
    def window_end(self) -> arrow.Arrow:
        return self.due_at.shift(minutes=self.tolerance_minutes)

    @property
    def is_open(self) -> bool:
        return self.state == IN_PROGRESS


def compute_state(r: PatrolRound, shift_end: arrow.Arrow, now: arrow.Arrow) -> str:
    """The round's state at ``now``: a stored final state, else from the clock (SE-3)."""
    if r.state in FINAL_STATES:
        return r.state
    if r.started_at is not None:
        return IN_PROGRESS
    tolerance = dt.timedelta(minutes=r.tolerance_minutes)
    if now >= shift_end:
        return MISSED
    if now < r.due_at - tolerance:
        return UPCOMING
    if now <= r.due_at + tolerance:
        return DUE
    return OVERDUE


def _check_counts(round_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not round_ids:
        return {}
    rows = (
        PatrolCheck.select(
            PatrolCheck.round, pw.fn.COUNT(PatrolCheck.id), pw.fn.COUNT(PatrolCheck.result)
        )
        .where(PatrolCheck.round.in_(round_ids) & PatrolCheck.corrects.is_null())
        .group_by(PatrolCheck.round)
        .tuples()
    )
    return {rid: (total, marked) for rid, total, marked in rows}


def _round_infos(
    rounds: list[PatrolRound], shift_end: arrow.Arrow, now: arrow.Arrow
) -> list[RoundInfo]:
    counts = _check_counts([r.id for r in rounds])
    names = {
        s.id: pick(s.name, s.name_en)
        for s in PatrolSchedule.select().where(
            PatrolSchedule.id.in_({r.schedule_id for r in rounds if r.schedule_id})
        )
    }
    return [
        RoundInfo(
            r.id,
            r.shift_id,
            r.schedule_id,
            names.get(r.schedule_id, ""),
            r.due_at,
            r.tolerance_minutes,
            r.started_at,
            r.started_by_id,
            r.finished_at,
            compute_state(r, shift_end, now),
            r.skip_reason,
            *counts.get(r.id, (0, 0)),
            r.overdue_logged_at is not None,
        )
        for r in rounds
    ]


def _shift(shift_id: int) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise NotFound(N_("No such shift"))
    return shift


def rounds_of_shift(shift_id: int, now: arrow.Arrow) -> list[RoundInfo]:
    """The shift's rounds by due time, each with its state at ``now``."""
    shift = _shift(shift_id)
    rounds = list(
        PatrolRound.select()
        .where(PatrolRound.shift == shift_id)
        .order_by(PatrolRound.due_at, PatrolRound.id)
    )
    return _round_infos(rounds, shift.planned_end, now)


def get_round(round_id: int, now: arrow.Arrow) -> RoundInfo:
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None:
        raise NotFound(N_("No such patrol round"))
    return _round_infos([r], r.shift.planned_end, now)[0]


def ensure_rounds(shift_id: int, actor: Actor | None = None) -> list[RoundInfo]:
    """Generate the shift's rounds from the desk's active schedules; idempotent.

    Called when a shift starts, and for one already running (a schedule added
    during the shift, a shift opened before patrols were set up, the demo). A
    schedule that already has rounds in this shift is left alone. Generated after
    the shift's planned start, rounds whose window has already passed are not
    created (nobody can be late for a round that did not exist) and irregular
    times are drawn from what is left of the shift. Returns the shift's rounds.
    """
    shift = _shift(shift_id)
    if actor is None:
        actor = Actor(SystemClock(site_timezone()), shift.desk_id, None)
    now = actor.now()
    running = now > shift.planned_start
    with write():
        tz = site_timezone()
        desk = Desk.get_by_id(shift.desk_id)
        code = ShiftTemplate.get_by_id(shift.template_id).code
        have = {
            r.schedule_id
            for r in PatrolRound.select(PatrolRound.schedule).where(PatrolRound.shift == shift.id)
        }
        made: dict[str, int] = {}
        schedules = (
            PatrolSchedule.select()
            .where(
                (PatrolSchedule.desk == shift.desk_id) & (PatrolSchedule.active == True)  # noqa: E712
            )
            .order_by(PatrolSchedule.id)
        )
        for schedule in schedules:
            if schedule.id in have or not _applies(schedule, code):
                continue
            route = _route(schedule)
            if not route:
                continue
            tolerance = _tolerance(schedule, desk)
            start, end = shift.planned_start, shift.planned_end
            if schedule.kind == "interval":
                dues = interval_times(start, end, float(schedule.interval_hours))
            elif schedule.kind == "fixed":
                dues = fixed_times(start, end, _split(schedule.times), tz)
            else:
                dues = irregular_times(
                    max(start, now) if running else start,
                    end,
                    int(schedule.rounds_per_shift or 0),
                    _RNG,
                )
            if running:
                dues = [d for d in dues if d.shift(minutes=tolerance) >= now]
            for due in dues:
                r = PatrolRound.create(
                    shift=shift.id,
                    schedule=schedule.id,
                    due_at=due,
                    tolerance_minutes=tolerance,
                    state=UPCOMING,
                )
                PatrolCheck.insert_many(
                    [
                        {"round": r.id, "checkpoint": c.id, "position": i}
                        for i, c in enumerate(route)
                    ]
                ).execute()
            made[str(schedule.id)] = len(dues)
        if made:
            audit.record(
                actor,
                "patrol.rounds_generated",
                "shift",
                shift.id,
                new={"rounds_per_schedule": made},
            )
    return rounds_of_shift(shift.id, now)


def add_extra_round(actor: Actor, shift_id: int, schedule_id: int) -> RoundInfo:
    """An unscheduled round of a schedule's route, due now (临时巡查).

    For the round the desk decides to walk outside the plan: after a noise, a
    complaint, or a reading the engineer wants now. It is recorded like any
    other round and started at once by the same rules.
    """
    with write():
        shift = _shift(shift_id)
        _require_at_desk(actor, shift)
        if shift.state != "open":
            raise RuleViolation(N_("This round's shift is closed"))
        schedule = PatrolSchedule.get_or_none(
            (PatrolSchedule.id == schedule_id) & (PatrolSchedule.desk == shift.desk_id)
        )
        if schedule is None:
            raise NotFound(N_("No such patrol schedule"))
        route = _route(schedule)
        if not route:
            raise RuleViolation(N_("This route has no active checkpoints"))
        now = actor.now()
        r = PatrolRound.create(
            shift=shift.id,
            schedule=schedule.id,
            due_at=now,
            tolerance_minutes=_tolerance(schedule, Desk.get_by_id(shift.desk_id)),
            state=UPCOMING,
        )
        PatrolCheck.insert_many(
            [{"round": r.id, "checkpoint": c.id, "position": i} for i, c in enumerate(route)]
        ).execute()
        audit.record(
            actor,
            "patrol.extra_round",
            "patrol_round",
            r.id,
            new={"schedule": schedule.id, "due_at": now},
        )
    return get_round(r.id, now)


def _require_at_desk(actor: Actor, shift: Shift) -> None:
    actor.require_staff()
    if actor.desk_id != shift.desk_id:
        raise RuleViolation(N_("This round belongs to another desk"))


def _round_for_update(actor: Actor, round_id: int) -> tuple[PatrolRound, Shift]:
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None:
        raise NotFound(N_("No such patrol round"))
    shift = Shift.get_by_id(r.shift_id)
    _require_at_desk(actor, shift)
    return r, shift


def _fmt(instant: arrow.Arrow) -> str:
    return instant.to(site_timezone()).format("HH:mm")


def start_round(actor: Actor, round_id: int) -> RoundInfo:
    """Start a due or overdue round now (the time is the clock's, never typed)."""
    with write():
        r, shift = _round_for_update(actor, round_id)
        now = actor.now()
        state = compute_state(r, shift.planned_end, now)
        if shift.state != "open":
            raise RuleViolation(N_("This round's shift is closed"))
        if state == UPCOMING:
            raise RuleViolation(
                N_("This round is not due until {time}"),
                time=_fmt(r.due_at.shift(minutes=-r.tolerance_minutes)),
            )
        if state == MISSED:
            raise RuleViolation(
                N_("This round was missed: the shift's planned end has passed"), rule="SE-3"
            )
        if state not in (DUE, OVERDUE):
            raise RuleViolation(N_("This round has already been started"))
        busy = (
            PatrolRound.select()
            .where(
                (PatrolRound.shift == shift.id)
                & PatrolRound.started_at.is_null(False)
                & PatrolRound.finished_at.is_null()
                & (PatrolRound.id != r.id)
                & PatrolRound.state.not_in(list(FINAL_STATES))
            )
            .exists()
        )
        if busy:
            raise RuleViolation(N_("Finish the round in progress first"))
        r.started_at = now
        r.started_by_id = actor.staff_id
        r.save()
        audit.record(
            actor,
            "patrol.round_start",
            "patrol_round",
            r.id,
            new={"due_at": r.due_at, "late": state == OVERDUE},
        )
    return get_round(round_id, now)


def skip_round(actor: Actor, round_id: int, reason: str) -> RoundInfo:
    """Skip a round with a reason (required). A round not yet started is skipped
    whole; a round in progress keeps its marks, its remaining checks are skipped
    with the reason and it is finished (EN-8.6.1: then it is explained, and the
    handover has no dead end)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Say why the round is skipped"), field="reason")
    with write():
        r, shift = _round_for_update(actor, round_id)
        now = actor.now()
        state = compute_state(r, shift.planned_end, now)
        if state == MISSED:
            raise RuleViolation(
                N_("This round was missed: the shift's planned end has passed"), rule="SE-3"
            )
        if state == IN_PROGRESS:
            _skip_rest(actor, r, reason)
            return finish_round(actor, round_id).round  # a savepoint inside this write
        if state not in (UPCOMING, DUE, OVERDUE):
            raise RuleViolation(N_("Only a round not yet started can be skipped"))
        r.state = SKIPPED
        r.skip_reason = reason
        r.save()
        audit.record(
            actor, "patrol.round_skip", "patrol_round", r.id, new={"reason": reason, "was": state}
        )
    return get_round(round_id, now)


def _skip_rest(actor: Actor, r: PatrolRound, reason: str) -> None:
    """Skip every check of an open round not marked yet, each with ``reason``."""
    for check in (
        PatrolCheck.select()
        .where(
            (PatrolCheck.round == r.id)
            & PatrolCheck.corrects.is_null()
            & PatrolCheck.result.is_null()
        )
        .order_by(PatrolCheck.position)
    ):
        check.result = SKIP
        check.note = reason
        check.marked_at = actor.now()
        check.marked_by_id = actor.staff_id
        check.save()
        audit.record(
            actor,
            "patrol.check_mark",
            "patrol_check",
            check.id,
            new={"result": SKIP, "note": reason, "rest_of_round": True},
        )


@dataclass(frozen=True)
class FinishResult:
    round: RoundInfo
    duty_log_ids: tuple[int, ...]  # entries written for problems and readings out of range


def _log_problem(actor: Actor, check: PatrolCheck, shift: Shift) -> int:
    """The problem note as a duty-log entry (until the incident form exists; SE-4, CS3)."""
    cp = checkpoint_info(check.checkpoint)
    text = f"{cp.place}: {check.note}"
    if check.value is not None:
        text = f"{cp.place}: {_num(check.value)} {cp.unit}".rstrip() + f" — {check.note}"
    entry = DutyLogEntry.create(
        desk=shift.desk_id,
        shift=shift.id,
        author=actor.staff_id,
        created_at=actor.now(),
        kind="duty",
        occurred_at=check.marked_at,
        category="patrol",
        text=text,
        ref_type="patrol_check",
        ref_id=check.id,
    )
    audit.record(
        actor,
        "duty_log.create",
        "duty_log_entry",
        entry.id,
        new={"ref_type": "patrol_check", "ref_id": check.id, "text": text},
    )
    return entry.id


def finish_round(actor: Actor, round_id: int) -> FinishResult:
    """Finish the open round: every check marked or skipped. Its marks become final;
    done or done late is judged by the start. Problems go to the duty log."""
    with write():
        r, shift = _round_for_update(actor, round_id)
        now = actor.now()
        if compute_state(r, shift.planned_end, now) != IN_PROGRESS:
            raise RuleViolation(N_("This round is not in progress"))
        checks = list(
            PatrolCheck.select()
            .where((PatrolCheck.round == r.id) & PatrolCheck.corrects.is_null())
            .order_by(PatrolCheck.position)
        )
        open_checks = [c for c in checks if c.result is None]
        if open_checks:
            raise RuleViolation(N_("{n} checks are not marked yet"), n=len(open_checks))
        late = r.started_at > r.due_at.shift(minutes=r.tolerance_minutes)
        r.state = DONE_LATE if late else DONE
        r.finished_at = now
        r.save()
        audit.record(
            actor,
            "patrol.round_finish",
            "patrol_round",
            r.id,
            new={"state": r.state, "started_at": r.started_at},
        )
        logged = tuple(
            _log_problem(actor, c, shift) for c in checks if c.result == PROBLEM or c.out_of_range
        )
    return FinishResult(get_round(round_id, now), logged)


# --- overdue and missed -----------------------------------------------------------------


def _overdue_work(shift_id: int, now: arrow.Arrow) -> bool:
    """Has :func:`note_overdue` anything to write at ``now``? (Reads only.)"""
    shift = _shift(shift_id)
    pending = PatrolRound.select().where(
        (PatrolRound.shift == shift.id)
        & PatrolRound.started_at.is_null()
        & PatrolRound.state.not_in(list(FINAL_STATES))
    )
    for r in pending:
        state = compute_state(r, shift.planned_end, now)
        if (state == OVERDUE and r.overdue_logged_at is None) or state == MISSED:
            return True
    return False


def note_overdue(actor: Actor, shift_id: int) -> list[RoundInfo]:
    """Log each overdue round once, and store rounds missed by the planned end.

    For the shift screen's tick; returns the rounds newly logged as overdue or missed
    (SE-3: patrol on time; overdue patrols shown).
    """
    now = actor.now()
    changed: list[int] = []
    if not _overdue_work(shift_id, now):
        return []  # the minute tick: no write transaction when nothing is due
    with write():
        shift = _shift(shift_id)
        pending = (
            PatrolRound.select()
            .where(
                (PatrolRound.shift == shift.id)
                & PatrolRound.started_at.is_null()
                & PatrolRound.state.not_in(list(FINAL_STATES))
            )
            .order_by(PatrolRound.due_at)
        )
        for r in pending:
            state = compute_state(r, shift.planned_end, now)
            if state == OVERDUE and r.overdue_logged_at is None:
                r.overdue_logged_at = now
                r.save()
                audit.record(
                    actor,
                    "patrol.round_overdue",
                    "patrol_round",
                    r.id,
                    new={"due_at": r.due_at},
                )
                changed.append(r.id)
            elif state == MISSED:
                r.state = MISSED
                r.save()
                audit.record(
                    actor,
                    "patrol.round_missed",
                    "patrol_round",
                    r.id,
                    new={"due_at": r.due_at, "planned_end": shift.planned_end},
                )
                changed.append(r.id)
    return [get_round(rid, now) for rid in changed]


class Progress(NamedTuple):
    """Patrol progress of a shift for the F2 screen."""

    done: int
    total: int
    next_due: arrow.Arrow | None
    overdue_count: int
    missed_count: int = 0  # past the shift's planned end, never started (SE-3)


def progress(shift_id: int, now: arrow.Arrow, shift_end: arrow.Arrow | None = None) -> Progress:
    """(done, total, next due time, overdue count): one indexed query of a few rows.

    ``done`` counts rounds done or done late; ``total`` every round except skipped
    ones; ``next_due`` is the earliest round still to start that is not yet overdue.
    ``shift_end``: the shift's
    planned end when the caller has read the shift already.
    """
    if shift_end is None:
        shift = Shift.select(Shift.planned_end).where(Shift.id == shift_id).first()
        if shift is None:
            raise NotFound(N_("No such shift"))
        shift_end = shift.planned_end
    rounds = PatrolRound.select(
        PatrolRound.id,
        PatrolRound.due_at,
        PatrolRound.tolerance_minutes,
        PatrolRound.state,
        PatrolRound.started_at,
    ).where(PatrolRound.shift == shift_id)
    done = total = overdue = missed = 0
    next_due: arrow.Arrow | None = None
    for r in rounds:
        state = compute_state(r, shift_end, now)
        if state == SKIPPED:
            continue
        total += 1
        if state in (DONE, DONE_LATE):
            done += 1
        elif state == OVERDUE:
            overdue += 1
        elif state == MISSED:
            missed += 1
        elif state in (UPCOMING, DUE) and (next_due is None or r.due_at < next_due):
            next_due = r.due_at
    return Progress(done, total, next_due, overdue, missed)


# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviousValue:
    value: float
    unit: str
    marked_at: arrow.Arrow
    out_of_range: bool


@dataclass(frozen=True)
class CheckInfo:
    """A check of a round in walking order, with its effective mark (the latest
    correction's, if any)."""

    id: int
    round_id: int
    position: int
    checkpoint: CheckpointInfo
    result: str | None
    value: float | None
    out_of_range: bool
    note: str
    marked_at: arrow.Arrow | None
    marked_by_id: int | None
    corrected_by_id: int | None  # the latest correction
    correction_reason: str
    previous: PreviousValue | None  # reading/count: the previous shift's value

    @property
    def marked(self) -> bool:
        return self.result is not None


def previous_value(checkpoint_id: int, shift_id: int) -> PreviousValue | None:
    """The last value of a reading or count checkpoint recorded before this shift."""
    return previous_values([checkpoint_id], shift_id).get(checkpoint_id)


# One arm per (checkpoint, result): the newest such mark outside the shift, found by
# walking the (checkpoint, result, marked_at) index backwards, so it costs the same
# after ten years as on the first day.
_PREVIOUS_ARM = (
    "SELECT * FROM (SELECT c.id, c.checkpoint_id, c.marked_at FROM patrol_check AS c"
    " JOIN patrol_round AS r ON c.round_id = r.id"
    " WHERE c.checkpoint_id = {p} AND c.result = {p} AND c.marked_at IS NOT NULL"
    " AND c.value IS NOT NULL"
    " AND r.shift_id != {p} ORDER BY c.marked_at DESC, c.id DESC LIMIT 1) AS arm"
)
_ARMS_PER_QUERY = 200  # below SQLite's limit of 500 terms in a compound SELECT


def previous_values(checkpoint_ids: Iterable[int], shift_id: int) -> dict[int, PreviousValue]:
    """:func:`previous_value` of several checkpoints at once: checkpoint id → value."""
    # A count found complete may be stored as "ok" with its number (the demo does),
    # one short as "problem": every mark that carries a value counts (EN-8.3.4).
    results = (READING, COUNT, OK, PROBLEM)
    arms = [(cp_id, result) for cp_id in sorted(set(checkpoint_ids)) for result in results]
    best: dict[int, tuple[str, int]] = {}
    db = PatrolCheck._meta.database
    for start in range(0, len(arms), _ARMS_PER_QUERY):
        chunk = arms[start : start + _ARMS_PER_QUERY]
        sql = " UNION ALL ".join([_PREVIOUS_ARM.format(p=db.param)] * len(chunk))
        params = [x for cp_id, result in chunk for x in (cp_id, result, shift_id)]
        for check_id, cp_id, marked_at in db.execute_sql(sql, params):
            key = (str(marked_at), check_id)
            if cp_id not in best or key > best[cp_id]:
                best[cp_id] = key
    if not best:
        return {}
    checkpoint_of = {check_id: cp_id for cp_id, (_at, check_id) in best.items()}
    rows = (
        PatrolCheck.select(PatrolCheck, Checkpoint.unit)
        .join(Checkpoint)
        .where(PatrolCheck.id.in_(list(checkpoint_of)))
    )
    return {
        checkpoint_of[row.id]: PreviousValue(
            row.value, row.checkpoint.unit, row.marked_at, row.out_of_range
        )
        for row in rows
    }


def round_checks(round_id: int) -> list[CheckInfo]:
    """The round's checks in walking order, each with its effective mark."""
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None:
        raise NotFound(N_("No such patrol round"))
    rows = list(
        PatrolCheck.select(PatrolCheck, Checkpoint)
        .join(Checkpoint)
        .where(PatrolCheck.round == round_id)
        .order_by(PatrolCheck.position, PatrolCheck.marked_at, PatrolCheck.id)
    )
    latest: dict[int, PatrolCheck] = {}
    for row in rows:
        if row.corrects_id is not None:
            latest[row.corrects_id] = row  # ordered by marked_at: the last one wins
    previous_by_cp = previous_values(
        [
            row.checkpoint_id
            for row in rows
            if row.corrects_id is None and row.checkpoint.kind in (READING, COUNT)
        ],
        r.shift_id,
    )
    out = []
    for row in rows:
        if row.corrects_id is not None:
            continue
        eff = latest.get(row.id, row)
        cp = checkpoint_info(row.checkpoint)
        previous = previous_by_cp.get(cp.id) if cp.kind in (READING, COUNT) else None
        out.append(
            CheckInfo(
                row.id,
                round_id,
                row.position,
                cp,
                eff.result,
                eff.value,
                eff.out_of_range,
                eff.note,
                eff.marked_at,
                eff.marked_by_id,
                eff.id if eff is not row else None,
                eff.correction_reason,
                previous,
            )
        )
    return out


@dataclass(frozen=True)
class Reading:
    """A typed reading, understood: the value and whether it is out of range."""

    value: float
    out_of_range: bool
    range_text: str


_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*)$")
# Spellings of one unit, compared case-blind without "°" and spaces.
_UNIT_ALIASES = {"c": {"c", "度", "摄氏度"}, "%": {"%", "百分比"}}


def _unit_key(unit: str) -> str:
    key = unicodedata.normalize("NFKC", unit).casefold().replace("°", "").replace(" ", "")
    for canonical, spellings in _UNIT_ALIASES.items():
        if key in spellings:
            return canonical
    return key


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_reading(cp: CheckpointInfo, text: str) -> Reading:
    """``"95"``, ``"95 °C"``, ``"95C"``, ``"95℃"`` for a °C checkpoint → 95.

    A value that is not a number, or carries another unit, is refused with a
    message naming what is expected; a count must be a whole number.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    found = _NUMBER.match(cleaned)
    if not found:
        raise ValidationError(N_("Not a number: {text}"), field="value", text=text.strip())
    number, unit = found.group(1), found.group(2).strip()
    if unit and _unit_key(unit) != _unit_key(cp.unit):
        if cp.unit:
            raise ValidationError(
                N_("Wrong unit {unit}: this checkpoint is read in {expected}"),
                field="value",
                unit=unit,
                expected=cp.unit,
            )
        raise ValidationError(N_("Not a number: {text}"), field="value", text=text.strip())
    value = bounds.reading(float(number))
    if cp.kind == COUNT:
        if not value.is_integer() or value < 0:
            raise ValidationError(N_("Type the number present, a whole number"), field="value")
        expected = cp.expected_count
        return Reading(
            value,
            expected is not None and int(value) != expected,
            str(expected) if expected is not None else "",
        )
    low, high = cp.range_min, cp.range_max
    out = (low is not None and value < low) or (high is not None and value > high)
    return Reading(value, bool(out), range_text(low, high, cp.unit))


@dataclass(frozen=True)
class IncidentOffer:
    """What the UI fills in when it offers an incident for a problem check."""

    checkpoint_id: int
    place: str
    description: str


@dataclass(frozen=True)
class MarkResult:
    check: CheckInfo
    incident: IncidentOffer | None  # set for a problem or an out-of-range value


def _check_for_mark(actor: Actor, check_id: int) -> tuple[PatrolCheck, PatrolRound, Shift]:
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None or check.corrects_id is not None:
        raise NotFound(N_("No such check"))
    r = PatrolRound.get_by_id(check.round_id)
    shift = Shift.get_by_id(r.shift_id)
    _require_at_desk(actor, shift)
    if r.state in FINAL_STATES:
        if r.state == SKIPPED:
            raise RuleViolation(N_("This round was skipped"))
        raise RuleViolation(
            N_("This round is finished: its marks are final; make a correction with a reason")
        )
    if r.started_at is None:
        raise RuleViolation(N_("Start the round first"))
    return check, r, shift


def _mark_values(cp: CheckpointInfo, result: str, text: str | None, note: str) -> dict[str, object]:
    """The stored fields of a mark, checked against the checkpoint's kind."""
    note = bounds.text(note.strip(), "note")
    if result == OK:
        if cp.kind == READING:
            raise ValidationError(N_("Type the reading (r)"), field="value")
        if cp.kind == COUNT:
            raise ValidationError(N_("Type the number present (r)"), field="value")
        return {"result": OK, "value": None, "out_of_range": False, "note": note}
    if result == PROBLEM:
        if not note:
            raise ValidationError(N_("Describe the problem"), field="note")
        return {"result": PROBLEM, "value": None, "out_of_range": False, "note": note}
    if result == SKIP:
        if not note:
            raise ValidationError(N_("Say why the check is skipped"), field="reason")
        return {"result": SKIP, "value": None, "out_of_range": False, "note": note}
    if result in (READING, COUNT):
        if cp.kind not in (READING, COUNT):
            raise ValidationError(
                N_("This checkpoint takes no reading: mark it OK or a problem"), field="value"
            )
        reading = parse_reading(cp, text or "")
        if reading.out_of_range and not note:
            if cp.kind == COUNT:
                raise ValidationError(
                    N_("{value} present, {expected} expected: add a note"),
                    field="note",
                    value=_num(reading.value),
                    expected=reading.range_text,
                )
            raise ValidationError(
                N_("The reading {value} is outside {range}: add a note"),
                field="note",
                value=_num(reading.value),
                range=reading.range_text,
            )
        return {
            "result": cp.kind,
            "value": reading.value,
            "out_of_range": reading.out_of_range,
            "note": note,
        }
    raise ValidationError(N_("Unknown mark {result}"), field="result", result=result)


def _offer(cp: CheckpointInfo, values: dict[str, object]) -> IncidentOffer | None:
    if values["result"] == PROBLEM or values["out_of_range"]:
        what = str(values["note"])
        value = values["value"]
        if isinstance(value, int | float):  # None when the mark is not a reading
            what = f"{cp.display_name}: {_num(float(value))} {cp.unit}".rstrip()
            what += f" ({cp.range_text})" if cp.range_text else ""
            what += f" — {values['note']}" if values["note"] else ""
        return IncidentOffer(cp.id, cp.place, what)
    return None


def _mark(actor: Actor, check_id: int, result: str, text: str | None, note: str) -> MarkResult:
    with write():
        check, r, _shift_row = _check_for_mark(actor, check_id)
        cp = checkpoint_info(check.checkpoint)
        values = _mark_values(cp, result, text, note)
        if check.result is not None:
            raise RuleViolation(N_("This check is already marked; undo it first (u)"))
        now = actor.now()
        for key, value in values.items():
            setattr(check, key, value)
        check.marked_at = now
        check.marked_by_id = actor.staff_id
        check.save()
        audit.record(
            actor,
            "patrol.check_mark",
            "patrol_check",
            check.id,
            new={**values, "checkpoint": cp.code},
        )
    found = next(c for c in round_checks(r.id) if c.id == check_id)
    return MarkResult(found, _offer(cp, values))


def mark_ok(actor: Actor, check_id: int, note: str = "") -> MarkResult:
    """``o``: the check is OK (a switch: in its expected state)."""
    return _mark(actor, check_id, OK, None, note)


def mark_problem(actor: Actor, check_id: int, note: str) -> MarkResult:
    """``x``: a problem; the note is required. The result offers an incident."""
    return _mark(actor, check_id, PROBLEM, None, note)


def check_reading(check_id: int, text: str) -> Reading:
    """Understand a typed reading without saving it, so the UI can ask for a note
    before :func:`mark_reading` when the value is out of range."""
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None:
        raise NotFound(N_("No such check"))
    return parse_reading(checkpoint_info(check.checkpoint), text)


def mark_reading(actor: Actor, check_id: int, text: str, note: str = "") -> MarkResult:
    """``r``: a reading (or a count) as typed, e.g. "95" or "95 °C". Out of range
    needs a note and offers an incident (EN-8.3.3)."""
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None:
        raise NotFound(N_("No such check"))
    kind = Checkpoint.get_by_id(check.checkpoint_id).kind
    return _mark(actor, check_id, COUNT if kind == COUNT else READING, text, note)


def skip_check(actor: Actor, check_id: int, reason: str) -> MarkResult:
    """``s``: skip one check, with a reason."""
    return _mark(actor, check_id, SKIP, None, reason)


def last_marked(round_id: int) -> int | None:
    """The check of the round marked last (KEYMAP ``u``: undo the last mark made in
    the round, wherever the cursor is), or None when nothing is marked."""
    last = (
        PatrolCheck.select(PatrolCheck.id)
        .where(
            (PatrolCheck.round == round_id)
            & PatrolCheck.corrects.is_null()
            & PatrolCheck.result.is_null(False)
        )
        .order_by(PatrolCheck.marked_at.desc(), PatrolCheck.id.desc())
        .first()
    )
    return last.id if last is not None else None


def undo_check(actor: Actor, check_id: int) -> CheckInfo:
    """``u``: take back the mark of a check while its round is still open."""
    with write():
        check, r, _shift_row = _check_for_mark(actor, check_id)
        if check.result is None:
            raise RuleViolation(N_("This check is not marked"))
        old = {
            "result": check.result,
            "value": check.value,
            "note": check.note,
            "marked_at": check.marked_at,
        }
        check.result = None
        check.value = None
        check.out_of_range = False
        check.note = ""
        check.marked_at = None
        check.marked_by = None
        check.save()
        audit.record(actor, "patrol.check_undo", "patrol_check", check.id, old=old)
    return next(c for c in round_checks(r.id) if c.id == check_id)


def correct_check(
    actor: Actor,
    check_id: int,
    result: str,
    *,
    reason: str,
    text: str | None = None,
    note: str = "",
) -> MarkResult:
    """A linked correction of a finished round's check: a new PatrolCheck that
    ``corrects`` the original, with a reason. The original is never changed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Say why the check is corrected"), field="reason")
    with write():
        check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
        if check is None or check.corrects_id is not None:
            raise NotFound(N_("No such check"))
        r = PatrolRound.get_by_id(check.round_id)
        shift = Shift.get_by_id(r.shift_id)
        me = Staff.get_or_none(Staff.id == actor.staff_id) if actor.staff_id else None
        if me is None or (actor.desk_id != shift.desk_id and me.role not in SUPERVISOR_ROLES):
            raise RuleViolation(N_("This round belongs to another desk"))
        if r.state not in (DONE, DONE_LATE):
            raise RuleViolation(N_("The round is still open: undo the mark and mark it again"))
        cp = checkpoint_info(check.checkpoint)
        values = _mark_values(cp, result, text, note)
        fix = PatrolCheck.create(
            round=r.id,
            checkpoint=check.checkpoint_id,
            position=check.position,
            marked_at=actor.now(),
            marked_by=actor.staff_id,
            corrects=check.id,
            correction_reason=reason,
            **values,
        )
        audit.record(
            actor,
            "patrol.check_correct",
            "patrol_check",
            fix.id,
            old={"check": check.id, "result": check.result, "value": check.value},
            new={**values, "reason": reason},
        )
        if fix.result == PROBLEM or fix.out_of_range:
            _log_problem(actor, fix, shift)
    found = next(c for c in round_checks(r.id) if c.id == check_id)
    return MarkResult(found, _offer(cp, values))


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
    return q.order_by(PatrolCheck.marked_at.desc(), PatrolCheck.id.desc()).limit(limit)


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


def unskip_round(actor: Actor, round_id: int) -> RoundInfo:
    """Undo the skip of a whole round (one skipped to clear a handover that then ended
    unsigned): it is pending again, its state from the clock (SE-3). A round that
    was started, or is no longer skipped, is left as it is."""
    with write():
        r, _shift = _round_for_update(actor, round_id)
        if r.state == SKIPPED and r.started_at is None:
            old = r.skip_reason
            r.state = UPCOMING
            r.skip_reason = ""
            r.save()
            audit.record(actor, "patrol.round_unskip", "patrol_round", r.id, old={"reason": old})
    return get_round(round_id, actor.now())
