"""Shift patterns and windows: which shift is on at a moment, when it ends, the next.

Pure functions over :class:`ShiftSpec` lists; no database. Wall times are in the
site's time zone; a shift's **business date** is the calendar date on which it
starts (the night shift 00:00–07:30 of 1 Dec belongs to 1 Dec; the engineering
night 17:30–08:00 starting 30 Nov belongs to 30 Nov).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import arrow

from dutydesk.errors import ConfigError
from dutydesk.i18n import N_


@dataclass(frozen=True)
class ShiftSpec:
    """One shift of a pattern, as wall-clock times in the site's zone."""

    code: str
    name_zh: str
    name_en: str
    start: str  # "HH:MM"
    end: str  # "HH:MM"; at or before start means "the next day"
    is_night: bool = False
    required_staff: int = 1

    @property
    def crosses_midnight(self) -> bool:
        return parse_hhmm(self.end) <= parse_hhmm(self.start)


@dataclass(frozen=True)
class ShiftWindow:
    """One concrete occurrence of a shift; ``start`` and ``end`` are in UTC."""

    code: str
    business_date: dt.date
    start: arrow.Arrow
    end: arrow.Arrow

    def contains(self, instant: arrow.Arrow) -> bool:
        """Start inclusive, end exclusive, compared as real instants (UTC)."""
        return _utc(self.start) <= _utc(instant) < _utc(self.end)

    def remaining(self, instant: arrow.Arrow) -> dt.timedelta:
        return max(_utc(self.end) - _utc(instant), dt.timedelta(0))

    @property
    def length(self) -> dt.timedelta:
        """Real duration (11 h for a 20:00–08:00 night across the spring DST gap)."""
        return _utc(self.end) - _utc(self.start)


def _utc(instant: arrow.Arrow) -> dt.datetime:
    """``instant`` as an aware UTC datetime, for comparisons that ignore wall time."""
    return instant.to("UTC").datetime


# Built-in presets from the rules.
PRESETS: dict[str, tuple[ShiftSpec, ...]] = {
    # SE-2: three shifts around the clock.
    "security-3": (
        ShiftSpec("early", "早班", "Early", "07:30", "16:00"),
        ShiftSpec("middle", "中班", "Middle", "16:00", "00:00"),
        ShiftSpec("night", "晚班", "Night", "00:00", "07:30", is_night=True),
    ),
    # SG-9: two shifts, handed over at the change.
    "security-2": (
        ShiftSpec("day", "白班", "Day", "08:00", "20:00"),
        ShiftSpec("night", "夜班", "Night", "20:00", "08:00", is_night=True),
    ),
    # 篇2: engineering day and night duty.
    "engineering": (
        ShiftSpec("day", "白班", "Day", "08:00", "17:30"),
        ShiftSpec("night", "夜班", "Night", "17:30", "08:00", is_night=True),
    ),
    # CS1: customer-service day duty and night duty.
    "service": (
        ShiftSpec("day", "日间值班", "Day duty", "08:30", "17:30"),
        ShiftSpec("night", "夜间值班", "Night duty", "17:30", "08:30", is_night=True),
    ),
}


class DeskKind(StrEnum):
    """What a desk does (the values are the stored strings)."""

    SECURITY = "security"
    ENGINEERING = "engineering"
    SERVICE = "service"


PRESET_KINDS: dict[str, DeskKind] = {
    "security-3": DeskKind.SECURITY,
    "security-2": DeskKind.SECURITY,
    "engineering": DeskKind.ENGINEERING,
    "service": DeskKind.SERVICE,
}


def preset(name: str) -> tuple[ShiftSpec, ...]:
    """A built-in pattern by name; :class:`ConfigError` naming the choices otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ConfigError(
            N_("Unknown shift preset {name}; choose one of: {choices}"),
            name=name,
            choices=", ".join(PRESETS),
        ) from None


def parse_hhmm(text: str) -> dt.time:
    """``"07:30"`` → 07:30; :class:`ConfigError` for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        value = dt.time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ConfigError(N_("Not a time of day (HH:MM): {text}"), text=str(text)) from None
    return value


def wall_time(day: dt.date, hhmm: str, tz: str) -> arrow.Arrow:
    """``day`` at wall time ``hhmm`` in ``tz``.

    In a DST gap (a wall time that does not exist) it moves forward to the
    first real instant; in a repeated hour it takes the first occurrence.

    The result carries the fixed UTC offset in force at that instant, not the
    named zone: Python compares and subtracts two datetimes that share one
    tzinfo object by wall time alone, so with the named zone a night shift
    across a DST change would be an hour too long or short and "is it on now"
    would be wrong in the repeated hour. A fixed offset shows the same wall
    time and always does real-time arithmetic.
    """
    t = parse_hhmm(hhmm)
    # Going through UTC normalises an imaginary wall time to the real instant
    # (.to(tz) alone is a no-op for a value already in that tzinfo).
    local = arrow.Arrow(day.year, day.month, day.day, t.hour, t.minute, tzinfo=tz)
    local = local.to("UTC").to(tz)
    offset = local.utcoffset() or dt.timedelta(0)
    return local.to(dt.timezone(offset))


def window(spec: ShiftSpec, business_date: dt.date, tz: str) -> ShiftWindow:
    """The occurrence of ``spec`` that starts on ``business_date``."""
    start = wall_time(business_date, spec.start, tz)
    end_day = business_date + dt.timedelta(days=1) if spec.crosses_midnight else business_date
    end = wall_time(end_day, spec.end, tz)
    # start and end carry fixed UTC offsets (see wall_time): real-time
    # arithmetic across DST, yet .format("HH:mm") still shows the site's wall time.
    return ShiftWindow(spec.code, business_date, start, end)


# A pattern: the same shifts every day, or (shift times changed from a date on) a
# function giving the shifts of each business date.
Specs = Sequence[ShiftSpec] | Callable[[dt.date], Sequence[ShiftSpec]]


def specs_on(specs: Specs, day: dt.date) -> Sequence[ShiftSpec]:
    """The shifts of the pattern on business date ``day``."""
    return specs(day) if callable(specs) else specs


def windows_between(specs: Specs, first: dt.date, last: dt.date, tz: str) -> list[ShiftWindow]:
    """Every occurrence whose business date is in ``first..last``, in start order."""
    found: list[ShiftWindow] = []
    day = first
    while day <= last:
        found.extend(window(spec, day, tz) for spec in specs_on(specs, day))
        day += dt.timedelta(days=1)
    found.sort(key=lambda w: (_utc(w.start), w.code))
    return found


def _around(specs: Specs, instant: arrow.Arrow, tz: str) -> list[ShiftWindow]:
    local = instant.to(tz).date()
    return windows_between(specs, local - dt.timedelta(days=1), local + dt.timedelta(days=1), tz)


def shift_at(specs: Specs, instant: arrow.Arrow, tz: str) -> ShiftWindow | None:
    """The shift on at ``instant`` (start inclusive, end exclusive), or None in a gap."""
    for w in _around(specs, instant, tz):
        if w.contains(instant):
            return w
    return None


def next_shift(specs: Specs, instant: arrow.Arrow, tz: str) -> ShiftWindow:
    """The first shift that starts after ``instant`` (strictly)."""
    for w in _around(specs, instant, tz):
        if _utc(w.start) > _utc(instant):
            return w
    # Only reachable with a pattern whose shifts all start more than a day apart.
    local = instant.to(tz).date()
    later = windows_between(specs, local + dt.timedelta(days=2), local + dt.timedelta(days=3), tz)
    return later[0]


def previous_shift(specs: Specs, current: ShiftWindow, tz: str) -> ShiftWindow:
    """The occurrence that starts last before ``current`` starts."""
    day = current.business_date
    candidates = windows_between(specs, day - dt.timedelta(days=2), day, tz)
    before = [w for w in candidates if _utc(w.start) < _utc(current.start)]
    return before[-1]


def check_pattern(specs: tuple[ShiftSpec, ...] | list[ShiftSpec]) -> list[str]:
    """Gaps and overlaps in a day's cover (SE-1: 24-hour rotation), as message ids.

    An empty list means the pattern covers every minute of the day exactly once.
    """
    minutes = [0] * (24 * 60)
    for spec in specs:
        start = parse_hhmm(spec.start)
        end = parse_hhmm(spec.end)
        a = start.hour * 60 + start.minute
        b = end.hour * 60 + end.minute
        span = range(a, b) if b > a else [*range(a, 24 * 60), *range(0, b)]
        for minute in span:
            minutes[minute] += 1
    problems = []
    if any(c == 0 for c in minutes):
        problems.append(N_("The shifts leave part of the day uncovered"))
    if any(c > 1 for c in minutes):
        problems.append(N_("Two shifts overlap"))
    return problems
