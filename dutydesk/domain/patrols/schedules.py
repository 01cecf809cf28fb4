"""Patrol schedules and the planning of a shift's rounds (SE-3, SG-6, SG-10, EN-8.3.3).

Every N hours within the shift, at fixed clock times, or irregular — K rounds at
times drawn at random inside the shift when its rounds are generated. The draw
uses the operating system's randomness (``random.SystemRandom``), never a seed
derived from the shift, so the pattern across shifts cannot be learned; each
irregular round walks the whole route, so every checkpoint is still covered.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, patterns
from dutydesk.domain.context import Actor
from dutydesk.domain.patrols.checkpoints import set_row_active
from dutydesk.domain.patrols.states import (
    DEFAULT_TOLERANCE_MINUTES,
    ROUND_ROOM_MINUTES,
    SCHEDULE_KINDS,
    ScheduleKind,
)
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import Checkpoint, Desk, PatrolSchedule, RouteStop, ShiftTemplate

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
    kind: ScheduleKind
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
        ScheduleKind(s.kind),
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
    if spec.kind == ScheduleKind.INTERVAL and not (
        spec.interval_hours is not None and 0 < spec.interval_hours <= 24
    ):
        raise ValidationError(
            N_("Every how many hours? A number above 0, at most 24"), field="interval_hours"
        )
    if spec.kind == ScheduleKind.FIXED:
        if not spec.times:
            raise ValidationError(N_("Give at least one clock time (HH:MM)"), field="times")
        for t in spec.times:
            try:
                patterns.parse_hhmm(t)
            except Exception:
                raise ValidationError(
                    N_("Not a time of day (HH:MM): {text}"), field="times", text=t
                ) from None
    if spec.kind == ScheduleKind.IRREGULAR and not (
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
        ScheduleKind(spec.kind),
        spec.name_en.strip(),
        spec.interval_hours if spec.kind == ScheduleKind.INTERVAL else None,
        tuple(t.strip() for t in spec.times) if spec.kind == ScheduleKind.FIXED else (),
        spec.rounds_per_shift if spec.kind == ScheduleKind.IRREGULAR else None,
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
        row = _schedule_row(schedule_id)
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


def _schedule_row(schedule_id: int) -> Any:
    row = PatrolSchedule.get_or_none(PatrolSchedule.id == schedule_id)
    if row is None:
        raise NotFound(N_("No such patrol schedule"))
    return row


def set_schedule_active(actor: Actor, schedule_id: int, active: bool) -> None:
    """Deactivate (no new rounds from it) or reactivate a schedule (supervisor only)."""
    with write():
        actor.require_role()
        set_row_active(actor, _schedule_row(schedule_id), active, "patrol_schedule")


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
