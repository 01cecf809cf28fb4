"""Shift windows at every edge: midnight, business dates, month and year ends, DST.

Pure functions of dutydesk.domain.patterns; no database. A shift's business date
is the calendar date on which it starts (SE-2, 篇2).
"""

from __future__ import annotations

import datetime as dt
import itertools

import arrow
import pytest

from dutydesk.domain import patterns
from dutydesk.domain.patterns import PRESETS, ShiftSpec, check_pattern, next_shift, shift_at
from dutydesk.errors import ConfigError

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

SH = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
H = dt.timedelta(hours=1)


def at(text: str, tz: str = SH) -> arrow.Arrow:
    """Wall time ``text`` in ``tz`` (never inside a DST gap or repeat in these tests)."""
    return arrow.get(text, tzinfo=tz)


def utc(text: str) -> arrow.Arrow:
    return arrow.get(text, tzinfo="UTC")


def on(preset: str, instant: arrow.Arrow, tz: str = SH) -> tuple[str, dt.date]:
    w = shift_at(PRESETS[preset], instant, tz)
    assert w is not None, f"{preset}: no shift at {instant}"
    return w.code, w.business_date


# --- midnight, start inclusive / end exclusive -------------------------------------------


def test_security3_night_of_1_dec_belongs_to_1_dec():
    """SE-2: the night shift 00:00–07:30 of 1 Dec has business date 1 Dec."""
    w = shift_at(PRESETS["security-3"], at("2026-12-01 03:00"), SH)
    assert w is not None
    assert (w.code, w.business_date) == ("night", dt.date(2026, 12, 1))
    assert w.start == at("2026-12-01 00:00")
    assert w.end == at("2026-12-01 07:30")


def test_security3_midnight_is_the_start_of_the_night_and_the_end_of_the_middle():
    assert on("security-3", at("2026-12-01 00:00")) == ("night", dt.date(2026, 12, 1))
    last = at("2026-11-30 23:59:59.999999")
    assert on("security-3", last) == ("middle", dt.date(2026, 11, 30))
    middle = shift_at(PRESETS["security-3"], last, SH)
    assert middle is not None and middle.end == at("2026-12-01 00:00")


def test_shift_start_inclusive_end_exclusive():
    sec = PRESETS["security-3"]
    assert on("security-3", at("2026-12-01 07:29:59")) == ("night", dt.date(2026, 12, 1))
    assert on("security-3", at("2026-12-01 07:30")) == ("early", dt.date(2026, 12, 1))
    assert on("security-3", at("2026-12-01 15:59:59")) == ("early", dt.date(2026, 12, 1))
    assert on("security-3", at("2026-12-01 16:00")) == ("middle", dt.date(2026, 12, 1))
    w = shift_at(sec, at("2026-12-01 07:30"), SH)
    assert w is not None
    assert w.contains(at("2026-12-01 07:30")) and not w.contains(at("2026-12-01 16:00"))


def test_engineering_night_starting_30_nov_belongs_to_30_nov():
    """篇2: the engineering night 17:30–08:00 starting 30 Nov belongs to 30 Nov."""
    for moment in (
        "2026-11-30 17:30",
        "2026-11-30 23:59",
        "2026-12-01 00:00",
        "2026-12-01 07:59:59",
    ):
        assert on("engineering", at(moment)) == ("night", dt.date(2026, 11, 30)), moment
    w = shift_at(PRESETS["engineering"], at("2026-12-01 02:00"), SH)
    assert w is not None
    assert w.start == at("2026-11-30 17:30") and w.end == at("2026-12-01 08:00")
    assert on("engineering", at("2026-12-01 08:00")) == ("day", dt.date(2026, 12, 1))
    assert on("engineering", at("2026-11-30 17:29:59")) == ("day", dt.date(2026, 11, 30))


def test_service_and_security2_nights_take_the_start_date():
    assert on("service", at("2026-12-01 08:29")) == ("night", dt.date(2026, 11, 30))
    assert on("service", at("2026-12-01 08:30")) == ("day", dt.date(2026, 12, 1))
    assert on("security-2", at("2026-12-01 07:59")) == ("night", dt.date(2026, 11, 30))
    assert on("security-2", at("2026-12-01 20:00")) == ("night", dt.date(2026, 12, 1))


# --- month and year ends -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_day", "next_day"),
    [
        ("2026-01-31", "2026-02-01"),
        ("2026-02-28", "2026-03-01"),  # not a leap year
        ("2028-02-29", "2028-03-01"),  # a leap year
        ("2026-04-30", "2026-05-01"),
        ("2026-12-31", "2027-01-01"),  # year end
    ],
)
def test_night_across_month_and_year_end(last_day: str, next_day: str):
    first = dt.date.fromisoformat(last_day)
    w = shift_at(PRESETS["engineering"], at(f"{next_day} 03:00"), SH)
    assert w is not None
    assert (w.code, w.business_date) == ("night", first)
    assert w.start == at(f"{last_day} 17:30") and w.end == at(f"{next_day} 08:00")
    # The security-3 middle shift of the last day ends at midnight of the next.
    m = shift_at(PRESETS["security-3"], at(f"{last_day} 23:30"), SH)
    assert m is not None and m.business_date == first and m.end == at(f"{next_day} 00:00")
    assert on("security-3", at(f"{next_day} 00:00")) == (
        "night",
        dt.date.fromisoformat(next_day),
    )


def test_next_shift_across_year_end_is_strictly_after():
    sec = PRESETS["security-3"]
    n = next_shift(sec, at("2026-12-31 23:00"), SH)
    assert (n.code, n.business_date) == ("night", dt.date(2027, 1, 1))
    # At the exact start of a shift, the next one is the one after it.
    n = next_shift(sec, at("2027-01-01 00:00"), SH)
    assert (n.code, n.business_date) == ("early", dt.date(2027, 1, 1))
    n = next_shift(PRESETS["engineering"], at("2026-12-31 17:30"), SH)
    assert (n.code, n.business_date, n.start) == (
        "day",
        dt.date(2027, 1, 1),
        at("2027-01-01 08:00"),
    )


def test_previous_shift_across_year_end():
    sec = PRESETS["security-3"]
    cur = shift_at(sec, at("2027-01-01 01:00"), SH)
    assert cur is not None
    prev = patterns.previous_shift(sec, cur, SH)
    assert (prev.code, prev.business_date) == ("middle", dt.date(2026, 12, 31))


def test_windows_between_lists_each_occurrence_in_start_order():
    wins = patterns.windows_between(
        PRESETS["security-3"], dt.date(2026, 12, 31), dt.date(2027, 1, 1), SH
    )
    assert [(w.code, w.business_date.day) for w in wins] == [
        ("night", 31),
        ("early", 31),
        ("middle", 31),
        ("night", 1),
        ("early", 1),
        ("middle", 1),
    ]
    for a, b in itertools.pairwise(wins):
        assert a.end == b.start  # back to back, no gap, no overlap


# --- DST (Europe/Berlin: 29 Mar 2026 02:00→03:00, 25 Oct 2026 03:00→02:00) ----------------


@pytest.mark.parametrize(
    ("preset", "code", "day", "hours"),
    [
        ("security-2", "night", "2026-03-28", 11),  # 20:00–08:00 across the spring gap
        ("engineering", "night", "2026-03-28", 13.5),
        ("security-3", "night", "2026-03-29", 6.5),  # 00:00–07:30 on the spring day
        ("security-2", "night", "2026-10-24", 13),  # 20:00–08:00 across the autumn repeat
        ("service", "night", "2026-10-24", 16),
        ("security-3", "night", "2026-10-25", 8.5),
        ("security-2", "day", "2026-03-29", 12),  # a day shift after the change is normal
    ],
)
def test_dst_night_has_its_real_length(preset: str, code: str, day: str, hours: float):
    spec = next(s for s in PRESETS[preset] if s.code == code)
    w = patterns.window(spec, dt.date.fromisoformat(day), BERLIN)
    real = dt.timedelta(hours=hours)
    assert w.end - w.start == real  # what callers compute
    assert w.length == real
    assert w.remaining(w.start) == real
    # The wall times shown are still the site's.
    assert w.start.format("HH:mm") == spec.start and w.end.format("HH:mm") == spec.end


def test_dst_remaining_counts_real_time():
    """At 01:30 CET on 29 Mar the security-2 night ends at 08:00 CEST: 5.5 real hours."""
    w = shift_at(PRESETS["security-2"], utc("2026-03-29 00:30"), BERLIN)
    assert w is not None and w.business_date == dt.date(2026, 3, 28)
    assert w.remaining(utc("2026-03-29 00:30")) == dt.timedelta(hours=5.5)


def _scan(specs, first: arrow.Arrow, last: arrow.Arrow, tz: str, step_minutes: int = 5):
    t = first
    while t < last:
        yield t
        t = t.shift(minutes=step_minutes)


# A pattern whose hand-over falls inside the gap and inside the repeated hour.
AWKWARD = (
    ShiftSpec("day", "白班", "Day", "14:30", "02:30"),
    ShiftSpec("night", "夜班", "Night", "02:30", "14:30", is_night=True),
)


@pytest.mark.parametrize("name", [*PRESETS, "awkward"])
def test_dst_full_cover_pattern_never_leaves_a_gap(name: str):
    """shift_at never returns None, and exactly one window holds each instant."""
    specs = AWKWARD if name == "awkward" else PRESETS[name]
    for first, last in (
        (utc("2026-03-28 12:00"), utc("2026-03-30 00:00")),
        (utc("2026-10-24 12:00"), utc("2026-10-26 00:00")),
    ):
        wins = patterns.windows_between(
            specs, first.date() - dt.timedelta(days=1), last.date(), BERLIN
        )
        for t in _scan(specs, first, last, BERLIN):
            w = shift_at(specs, t, BERLIN)
            assert w is not None, f"{name}: gap at {t.to(BERLIN)}"
            holders = [x for x in wins if x.contains(t)]
            assert len(holders) == 1, f"{name}: {len(holders)} shifts at {t.to(BERLIN)}"
            n = next_shift(specs, t, BERLIN)
            assert n.start > t and n.start == w.end


def test_dst_repeated_hour_is_told_apart():
    """25 Oct 2026, 02:15 happens twice in Berlin: first in the day shift (ending 02:30
    CEST), then, an hour later, in the night shift that began at 02:30 CEST."""
    first = utc("2026-10-25 00:15")  # 02:15 CEST
    second = utc("2026-10-25 01:15")  # 02:15 CET
    assert first.to(BERLIN).format("HH:mm") == second.to(BERLIN).format("HH:mm") == "02:15"
    w1 = shift_at(AWKWARD, first.to(BERLIN), BERLIN)
    w2 = shift_at(AWKWARD, second.to(BERLIN), BERLIN)
    assert w1 is not None and (w1.code, w1.business_date) == ("day", dt.date(2026, 10, 24))
    assert w2 is not None and (w2.code, w2.business_date) == ("night", dt.date(2026, 10, 25))
    assert w2.length == dt.timedelta(hours=13)


def test_dst_gap_start_moves_forward_to_a_real_instant():
    """02:30 does not exist on 29 Mar 2026 in Berlin: the shift starts at 03:30 CEST."""
    start = patterns.wall_time(dt.date(2026, 3, 29), "02:30", BERLIN)
    assert start == utc("2026-03-29 01:30")
    assert start.format("HH:mm ZZ") == "03:30 +02:00"
    day = patterns.window(AWKWARD[0], dt.date(2026, 3, 28), BERLIN)
    night = patterns.window(AWKWARD[1], dt.date(2026, 3, 29), BERLIN)
    assert day.end == night.start
    # 14:30 CET → 03:30 CEST is 12 real hours; 03:30 → 14:30 CEST is 11.
    assert day.length == dt.timedelta(hours=12)
    assert night.length == dt.timedelta(hours=11)


def test_dst_repeated_wall_time_takes_the_first_occurrence():
    assert patterns.wall_time(dt.date(2026, 10, 25), "02:30", BERLIN) == utc("2026-10-25 00:30")


# --- pattern checks ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_covers_the_day_exactly_once(name: str):
    """SE-1: 24-hour cover; no gap, no overlap."""
    assert check_pattern(PRESETS[name]) == []


def test_presets_are_the_ones_in_the_rules():
    def times(name: str) -> list[tuple[str, str, str]]:
        return [(s.code, s.start, s.end) for s in PRESETS[name]]

    assert times("security-3") == [
        ("early", "07:30", "16:00"),
        ("middle", "16:00", "00:00"),
        ("night", "00:00", "07:30"),
    ]
    assert times("security-2") == [("day", "08:00", "20:00"), ("night", "20:00", "08:00")]
    assert times("engineering") == [("day", "08:00", "17:30"), ("night", "17:30", "08:00")]
    assert times("service") == [("day", "08:30", "17:30"), ("night", "17:30", "08:30")]


def test_check_pattern_finds_gaps_and_overlaps():
    gap = [ShiftSpec("a", "a", "a", "08:00", "16:00"), ShiftSpec("b", "b", "b", "16:30", "08:00")]
    overlap = [
        ShiftSpec("a", "a", "a", "08:00", "17:00"),
        ShiftSpec("b", "b", "b", "16:30", "08:00"),
    ]
    assert check_pattern(gap) == ["The shifts leave part of the day uncovered"]
    assert check_pattern(overlap) == ["Two shifts overlap"]
    assert check_pattern([]) == ["The shifts leave part of the day uncovered"]


def test_gap_in_a_pattern_gives_no_shift():
    gap = (ShiftSpec("a", "a", "a", "08:00", "16:00"),)
    assert shift_at(gap, at("2026-12-01 17:00"), SH) is None
    assert next_shift(gap, at("2026-12-01 17:00"), SH).start == at("2026-12-02 08:00")


def test_bad_times_and_presets_are_config_errors():
    with pytest.raises(ConfigError):
        patterns.parse_hhmm("25:00")
    with pytest.raises(ConfigError):
        patterns.parse_hhmm("7.30")
    with pytest.raises(ConfigError) as exc:
        patterns.preset("security-4")
    assert "security-3" in str(exc.value)
    assert patterns.parse_hhmm(" 07:30 ") == dt.time(7, 30)
