"""The rounds of a shift: generating, starting, skipping, finishing (SE-3, EN-8.6.1).
Overdue and missed rounds and the progress the F2 screen shows are
:mod:`dutydesk.domain.patrols.overdue`.

Round states are computed from the clock plus the final states stored:
upcoming → due (inside ± tolerance) → overdue → missed (not started by the
shift's planned end); started → in progress → done / done late (judged by the
start) ; skipped (with a reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow
import peewee as pw

from dutydesk.clock import SystemClock
from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.patrols.checkpoints import checkpoint_info
from dutydesk.domain.patrols.schedules import (
    _RNG,
    applies_to,
    fixed_times,
    interval_times,
    irregular_times,
    route_of,
    split_list,
    tolerance_of,
)
from dutydesk.domain.patrols.states import (
    FINAL_STATES,
    NOT_STARTED,
    PROBLEM,
    SKIP,
    RoundState,
    ScheduleKind,
    number_text,
)
from dutydesk.domain.site import site_timezone
from dutydesk.domain.vocabulary import DutyKind, ShiftState
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import (
    Desk,
    DutyLogEntry,
    PatrolCheck,
    PatrolRound,
    PatrolSchedule,
    Shift,
    ShiftTemplate,
)

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
    state: RoundState
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
        return self.state == RoundState.IN_PROGRESS


def compute_state(r: PatrolRound, shift_end: arrow.Arrow, now: arrow.Arrow) -> RoundState:
    """The round's state at ``now``: a stored final state, else from the clock (SE-3)."""
    if r.state in FINAL_STATES:
        return RoundState(r.state)
    if r.started_at is not None:
        return RoundState.IN_PROGRESS
    tolerance = dt.timedelta(minutes=r.tolerance_minutes)
    if now >= shift_end:
        return RoundState.MISSED
    if now < r.due_at - tolerance:
        return RoundState.UPCOMING
    if now <= r.due_at + tolerance:
        return RoundState.DUE
    return RoundState.OVERDUE


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
    shift: Shift | None = Shift.get_or_none(Shift.id == shift_id)
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
            if schedule.id in have or not applies_to(schedule, code):
                continue
            route = route_of(schedule)
            if not route:
                continue
            tolerance = tolerance_of(schedule, desk)
            start, end = shift.planned_start, shift.planned_end
            if schedule.kind == ScheduleKind.INTERVAL:
                dues = interval_times(start, end, float(schedule.interval_hours))
            elif schedule.kind == ScheduleKind.FIXED:
                dues = fixed_times(start, end, split_list(schedule.times), tz)
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
                    state=RoundState.UPCOMING,
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
        require_at_desk(actor, shift)
        if shift.state != ShiftState.OPEN:
            raise RuleViolation(N_("This round's shift is closed"))
        schedule = PatrolSchedule.get_or_none(
            (PatrolSchedule.id == schedule_id) & (PatrolSchedule.desk == shift.desk_id)
        )
        if schedule is None:
            raise NotFound(N_("No such patrol schedule"))
        route = route_of(schedule)
        if not route:
            raise RuleViolation(N_("This route has no active checkpoints"))
        now = actor.now()
        r = PatrolRound.create(
            shift=shift.id,
            schedule=schedule.id,
            due_at=now,
            tolerance_minutes=tolerance_of(schedule, Desk.get_by_id(shift.desk_id)),
            state=RoundState.UPCOMING,
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


def require_at_desk(actor: Actor, shift: Shift) -> None:
    actor.require_staff()
    if actor.desk_id != shift.desk_id:
        raise RuleViolation(N_("This round belongs to another desk"))


def _round_for_update(actor: Actor, round_id: int) -> tuple[PatrolRound, Shift]:
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None:
        raise NotFound(N_("No such patrol round"))
    shift = Shift.get_by_id(r.shift_id)
    require_at_desk(actor, shift)
    return r, shift


def _fmt(instant: arrow.Arrow) -> str:
    return instant.to(site_timezone()).format("HH:mm")


def start_round(actor: Actor, round_id: int) -> RoundInfo:
    """Start a due or overdue round now (the time is the clock's, never typed)."""
    with write():
        r, shift = _round_for_update(actor, round_id)
        now = actor.now()
        state = compute_state(r, shift.planned_end, now)
        if shift.state != ShiftState.OPEN:
            raise RuleViolation(N_("This round's shift is closed"))
        if state == RoundState.UPCOMING:
            raise RuleViolation(
                N_("This round is not due until {time}"),
                time=_fmt(r.due_at.shift(minutes=-r.tolerance_minutes)),
            )
        if state == RoundState.MISSED:
            raise RuleViolation(
                N_("This round was missed: the shift's planned end has passed"), rule="SE-3"
            )
        if state not in (RoundState.DUE, RoundState.OVERDUE):
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
            new={"due_at": r.due_at, "late": state == RoundState.OVERDUE},
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
        if state == RoundState.MISSED:
            raise RuleViolation(
                N_("This round was missed: the shift's planned end has passed"), rule="SE-3"
            )
        if state == RoundState.IN_PROGRESS:
            _skip_rest(actor, r, reason)
            return finish_round(actor, round_id).round  # a savepoint inside this write
        if state not in NOT_STARTED:
            raise RuleViolation(N_("Only a round not yet started can be skipped"))
        r.state = RoundState.SKIPPED
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
        store_mark(actor, check, {"result": SKIP, "note": reason}, rest_of_round=True)


def store_mark(
    actor: Actor, check: PatrolCheck, values: dict[str, object], **noted: object
) -> None:
    """Write a mark on a check, by the actor at the clock's time, and audit it with
    ``noted`` (inside the caller's transaction)."""
    for key, value in values.items():
        setattr(check, key, value)
    check.marked_at = actor.now()
    check.marked_by_id = actor.staff_id
    check.save()
    audit.record(actor, "patrol.check_mark", "patrol_check", check.id, new={**values, **noted})


@dataclass(frozen=True)
class FinishResult:
    round: RoundInfo
    duty_log_ids: tuple[int, ...]  # entries written for problems and readings out of range


def log_problem(actor: Actor, check: PatrolCheck, shift: Shift) -> int:
    """The problem note as a duty-log entry (until the incident form exists; SE-4, CS3)."""
    cp = checkpoint_info(check.checkpoint)
    text = f"{cp.place}: {check.note}"
    if check.value is not None:
        text = f"{cp.place}: {number_text(check.value)} {cp.unit}".rstrip() + f" — {check.note}"
    entry = DutyLogEntry.create(
        desk=shift.desk_id,
        shift=shift.id,
        author=actor.staff_id,
        created_at=actor.now(),
        kind=DutyKind.DUTY,
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
    return int(entry.id)


def finish_round(actor: Actor, round_id: int) -> FinishResult:
    """Finish the open round: every check marked or skipped. Its marks become final;
    done or done late is judged by the start. Problems go to the duty log."""
    with write():
        r, shift = _round_for_update(actor, round_id)
        now = actor.now()
        if compute_state(r, shift.planned_end, now) != RoundState.IN_PROGRESS:
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
        r.state = RoundState.DONE_LATE if late else RoundState.DONE
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
            log_problem(actor, c, shift) for c in checks if c.result == PROBLEM or c.out_of_range
        )
    return FinishResult(get_round(round_id, now), logged)


def unskip_round(actor: Actor, round_id: int) -> RoundInfo:
    """Undo the skip of a whole round (one skipped to clear a handover that then ended
    unsigned): it is pending again, its state from the clock (SE-3). A round that
    was started, or is no longer skipped, is left as it is."""
    with write():
        r, _shift = _round_for_update(actor, round_id)
        if r.state == RoundState.SKIPPED and r.started_at is None:
            old = r.skip_reason
            r.state = RoundState.UPCOMING
            r.skip_reason = ""
            r.save()
            audit.record(actor, "patrol.round_unskip", "patrol_round", r.id, old={"reason": old})
    return get_round(round_id, actor.now())
