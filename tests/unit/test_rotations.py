"""Rotations: generated rosters, previewed, that raise no warning unless staff are short."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dutydesk.clock import FixedClock
from dutydesk.domain import holidays, patterns, roster
from dutydesk.domain.context import Actor
from dutydesk.domain.roster import rotations
from dutydesk.domain.site import DeskSpec, create_site
from dutydesk.domain.staff import add_staff, by_number
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.models import AuditEvent, RosterEntry, ShiftTemplate
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

D = dt.date


@pytest.fixture
def guards(site) -> list[int]:
    """Eight guards G11–G18 (ids), besides the fixture's."""
    boss = site.actor("S01")
    return [
        add_staff(
            boss, staff_no=f"G1{i}", name=f"Guard {i}", role="guard", pin=PIN, must_change_pin=False
        ).id
        for i in range(1, 9)
    ]


def teams_of(ids, n) -> list[list[int]]:
    size = len(ids) // n
    return [ids[i * size : (i + 1) * size] for i in range(n)]


@pytest.mark.parametrize("code", list(rotations.ROTATIONS))
def test_every_day_each_shift_gets_exactly_one_team(code):
    rot = rotations.ROTATIONS[code]
    assert len(rot.cycle) % rot.teams == 0
    for day in range(len(rot.cycle)):
        worked = [rot.shift_for(team, day) for team in range(rot.teams)]
        assert sorted(c for c in worked if c) == sorted(rot.shift_codes)


@pytest.mark.parametrize(
    "code,preset",
    [
        ("three-shift-four-team", "security-3"),
        ("day-night-rest-rest", "security-2"),
        ("day-night-rest", "engineering"),
        ("day-night-rest", "service"),
    ],
)
def test_builtin_cycles_keep_eight_hours_rest_and_few_nights(code, preset):
    """Reasoned in rotations' docstring: one team's consecutive shifts, in real instants,
    including security's middle → night (which the naive early → middle → night order breaks)."""
    rot = rotations.ROTATIONS[code]
    specs = {s.code: s for s in patterns.preset(preset)}
    assert rot.shift_codes == set(specs)
    tz = "Asia/Shanghai"
    first = D(2026, 12, 1)
    for team in range(rot.teams):
        worked = []
        for i in range(3 * len(rot.cycle)):
            c = rot.shift_for(team, i)
            if c:
                w = patterns.window(specs[c], first + dt.timedelta(days=i), tz)
                worked.append((w.start.to("UTC"), w.end.to("UTC"), specs[c].is_night, i))
        for (_s1, e1, _n1, _i1), (s2, _e2, _n2, _i2) in itertools.pairwise(worked):
            assert s2 - e1 >= dt.timedelta(hours=roster.DEFAULT_MIN_REST_HOURS)
        nights = [i for _s, _e, night, i in worked if night]
        run = best = 1
        for a, b in itertools.pairwise(nights):
            run = run + 1 if b == a + 1 else 1
            best = max(best, run)
        assert best <= roster.DEFAULT_MAX_CONSECUTIVE_NIGHTS


def test_the_naive_four_team_order_would_break_the_rest_rule(site):
    """early → middle → night → rest: the middle ends at 00:00 when the next night starts."""
    naive = rotations.Rotation("naive", "x", "x", ("early", "middle", "night", None), 4)
    rotations.ROTATIONS["naive"] = naive
    try:
        ids = [site.staff[n].id for n in ("G01", "G02", "L01", "E01")]
        plan = rotations.preview(
            site.actor("S01"),
            site.security.id,
            "naive",
            [[i] for i in ids],
            D(2026, 12, 2),
            D(2026, 12, 9),
        )
        assert {w.kind for w in plan.warnings} == {"rest"}
        assert all(w.rest_minutes == 0 for w in plan.warnings)
    finally:
        del rotations.ROTATIONS["naive"]


def test_four_team_security_rotation_preview_then_apply_without_warnings(site, guards):
    boss = site.actor("S01")
    first, last = D(2026, 12, 2), D(2026, 12, 31)
    plan = rotations.preview(
        boss, site.security.id, "three-shift-four-team", teams_of(guards, 4), first, last
    )
    assert len(plan.add) == 30 * 3 * 2  # 30 days, 3 shifts, teams of two
    assert plan.warnings == () and plan.conflicts == () and plan.remove == ()
    assert RosterEntry.select().count() == 0  # a preview writes nothing
    rotations.apply(boss, plan)
    assert RosterEntry.select().where(RosterEntry.source == "rotation").count() == 180
    assert roster.roster_warnings(first, last, site.security.id) == []
    # Team 1 (G11, G12): night, night, early, early, middle, middle, rest, rest.
    g11 = [
        (s.shift.business_date.day, s.shift.code)
        for s in roster.slots_of(guards[0], first, D(2026, 12, 9))
    ]
    assert g11 == [
        (2, "night"),
        (3, "night"),
        (4, "early"),
        (5, "early"),
        (6, "middle"),
        (7, "middle"),
    ]
    assert AuditEvent.select().where(AuditEvent.action == "roster.rotation").count() == 1


def test_short_teams_and_holidays_are_the_only_warnings(site, guards):
    boss = site.actor("S01")
    roster.set_required_staff(boss, site.security.id, "early", required=1, holiday_required=2)
    holidays.add_holiday(boss, D(2026, 12, 25), "Christmas")
    plan = rotations.preview(
        boss,
        site.security.id,
        "three-shift-four-team",
        [[i] for i in guards[:4]],
        D(2026, 12, 20),
        D(2026, 12, 27),
    )
    assert [(w.kind, w.rule, w.shift.business_date, w.shift.code) for w in plan.warnings] == [
        ("short", "CS9", D(2026, 12, 25), "early")
    ]


def test_started_shifts_are_left_alone(site, guards):
    # Now is 1 Dec 10:00: the night and the early of 1 Dec have started.
    plan = rotations.preview(
        site.actor("S01"),
        site.security.id,
        "three-shift-four-team",
        teams_of(guards, 4),
        D(2026, 12, 1),
        D(2026, 12, 1),
    )
    assert plan.started == 2
    assert {s.shift.code for s in plan.add} == {"middle"}


def test_rotation_replaces_manual_entries_but_keeps_approved_swaps(site, guards):
    boss = site.actor("S01")
    early = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == "early")
    ).id
    manual = roster.assign(boss, site.security.id, early, D(2026, 12, 3), site.staff["G01"].id)
    first, last = D(2026, 12, 2), D(2026, 12, 9)
    teams = [[i] for i in guards[:4]]
    rotations.apply(
        boss, rotations.preview(boss, site.security.id, "three-shift-four-team", teams, first, last)
    )
    assert manual.entry_id is not None
    assert roster.slots_of(site.staff["G01"].id, first, last) == []  # replaced
    # G13 (team 3) is on 2 Dec middle; G01 covers it by an approved swap.
    entry = next(s for s in roster.slots_of(guards[2], first, first) if s.shift.code == "middle")
    g13 = site.actor("G01").as_staff(guards[2])
    req = roster.request_cover(g13, entry.entry_id, site.staff["G01"].id)
    roster.accept(g13, req.id, "G01", PIN)
    roster.approve(g13, req.id, "S01", PIN)
    # Generating again keeps the swap and says so, instead of putting G13 back.
    plan = rotations.preview(boss, site.security.id, "three-shift-four-team", teams, first, last)
    assert plan.add == () and plan.remove == ()
    assert len(plan.conflicts) == 1
    conflict = plan.conflicts[0]
    assert conflict.why == "swap" and conflict.kept.staff.staff_no == "G01"
    assert [p.staff_no for p in conflict.displaced] == ["G13"]
    assert "G01" not in conflict.text() and "Guard Wang stays (approved swap)" in conflict.text()
    rotations.apply(boss, plan)
    middle = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == "middle")
    ).id
    assert [s.staff_no for s in roster.expected_staff(site.security.id, middle, first)] == ["G01"]


def test_apply_refuses_a_stale_preview_and_non_supervisors(site, guards):
    boss = site.actor("S01")
    teams = teams_of(guards, 4)
    plan = rotations.preview(
        boss, site.security.id, "three-shift-four-team", teams, D(2026, 12, 2), D(2026, 12, 3)
    )
    with pytest.raises(RuleViolation):
        rotations.apply(site.actor("G01"), plan)
    early = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == "early")
    ).id
    roster.assign(boss, site.security.id, early, D(2026, 12, 2), site.staff["G01"].id)
    with pytest.raises(RuleViolation):
        rotations.apply(boss, plan)
    assert RosterEntry.select().count() == 1


def test_teams_are_checked(site, guards):
    boss = site.actor("S01")
    with pytest.raises(ValidationError):
        rotations.preview(
            boss,
            site.security.id,
            "three-shift-four-team",
            [[guards[0]]] * 4,
            D(2026, 12, 2),
            D(2026, 12, 3),
        )
    with pytest.raises(ValidationError):
        rotations.preview(
            boss,
            site.security.id,
            "three-shift-four-team",
            [[g] for g in guards[:3]],
            D(2026, 12, 2),
            D(2026, 12, 3),
        )
    with pytest.raises(ValidationError):  # engineering has no early shift
        rotations.preview(
            boss,
            site.engineering.id,
            "three-shift-four-team",
            [[g] for g in guards[:4]],
            D(2026, 12, 2),
            D(2026, 12, 3),
        )


def test_rotations_for_a_desk_and_engineering_generation(site, guards):
    assert [r.code for r in rotations.rotations_for(site.security.id)] == ["three-shift-four-team"]
    # Any day/night desk can run either two-shift rotation.
    assert [r.code for r in rotations.rotations_for(site.engineering.id)] == [
        "day-night-rest-rest",
        "day-night-rest",
    ]
    boss = site.actor("S01", site.engineering)
    plan = rotations.preview(
        boss,
        site.engineering.id,
        "day-night-rest",
        [[g] for g in guards[:3]],
        D(2026, 12, 2),
        D(2027, 1, 31),
    )
    assert plan.warnings == ()
    rotations.apply(boss, plan)
    assert roster.roster_warnings(D(2026, 12, 2), D(2027, 1, 31)) != []  # other desks empty
    assert roster.roster_warnings(D(2026, 12, 2), D(2027, 1, 31), site.engineering.id) == []


def test_generated_rotation_in_a_dst_week_raises_no_warning(db):
    """Europe/Berlin, 29 Mar 2026: the night is 6.5 h long, rests stay ≥ 8 h."""

    clock = FixedClock("2026-03-20 10:00", tz="Europe/Berlin")
    info = create_site(
        Actor(clock, None),
        name="Berlin Works",
        tz="Europe/Berlin",
        language="en",
        desks=[DeskSpec("gate", "Gate", "security-3"), DeskSpec("yard", "Yard", "security-2")],
        supervisor_no="S01",
        supervisor_name="Boss",
        supervisor_pin=PIN,
    )
    gate, yard = info.desks
    boss = Actor(clock, gate.id, by_number("S01").id)
    ids = [
        add_staff(
            boss, staff_no=f"B{i}", name=f"Guard {i}", role="guard", pin=PIN, must_change_pin=False
        ).id
        for i in range(8)
    ]
    for desk, code, people in (
        (gate, "three-shift-four-team", ids[:4]),
        (yard, "day-night-rest-rest", ids[4:]),
    ):
        plan = rotations.preview(
            boss, desk.id, code, [[i] for i in people], D(2026, 3, 23), D(2026, 4, 5)
        )
        assert plan.warnings == (), [w.text() for w in plan.warnings]
        rotations.apply(boss, plan)
    assert roster.roster_warnings(D(2026, 3, 23), D(2026, 4, 5)) == []
