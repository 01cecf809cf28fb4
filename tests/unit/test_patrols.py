"""Patrol rounds: schedules, states, marks, corrections, the operation log.

Rules: SE-3 (patrol on time, overdue shown), SG-6 (irregular patrols still covering
every checkpoint), SG-10, CS4, CS5, EN-8.3.3 and EN-8.3.4 (readings, operation log).
"""

from __future__ import annotations

import datetime as dt
import random

import arrow
import pytest

from dutydesk.db import write
from dutydesk.domain import checkpoints as cps
from dutydesk.domain import patrols
from dutydesk.domain.shifts import close_shift, create_open_shift, planned_on
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.models import AuditEvent, DutyLogEntry, PatrolCheck, PatrolRound, Shift

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

DAY = dt.date(2026, 12, 1)


def _cp(site, code, kind, desk=None, **kw):
    desk = desk or site.security
    spec = cps.CheckpointSpec(code=code, name=kw.pop("name", code), kind=kind, **kw)
    return cps.add_checkpoint(site.actor("S01", desk), desk.id, spec)


def _schedule(site, desk=None, **kw):
    desk = desk or site.security
    kw.setdefault("name", "round")
    return patrols.add_schedule(site.actor("S01", desk), desk.id, patrols.ScheduleSpec(**kw))


def _open(site, desk, code, day=DAY, at=None):
    """Open the shift ``code`` of ``day`` with the clock at its planned start (or ``at``).

    Opening the shift generates its rounds (create_open_shift calls ensure_rounds)."""
    planned = planned_on(desk.id, day, code)
    site.clock.set(at or planned.start)
    with write():
        shift = create_open_shift(site.actor(None, desk), planned, None, "test")
    return shift


def _local(instant):
    return instant.to("Asia/Shanghai").format("YYYY-MM-DD HH:mm")


@pytest.fixture
def guard_route(site):
    """The security desk: a condition, a switch, a count; every 2 hours."""
    gate = _cp(site, "GATE", "condition", area="A / 1F / gate", position=1)
    light = _cp(site, "LIGHT", "switch", expected_state="on", due_time="18:30", position=2)
    ext = _cp(site, "EXT3", "count", expected_count=4, unit="个", position=3)
    sched = _schedule(site, kind="interval", interval_hours=2)
    return gate, light, ext, sched


@pytest.fixture
def engine_route(site):
    """The engineering desk: transformer 0–85 °C, supply 353.4–406.6 V; fixed times."""
    t1 = _cp(
        site,
        "T1",
        "reading",
        desk=site.engineering,
        unit="°C",
        range_min=0,
        range_max=85,
        area="B1 / 配电房",
        name="1号变压器温度",
        position=1,
    )
    v1 = _cp(
        site,
        "V1",
        "reading",
        desk=site.engineering,
        unit="V",
        range_min=353.4,
        range_max=406.6,
        position=2,
    )
    sched = _schedule(site, desk=site.engineering, kind="fixed", times=("10:00", "14:00"))
    return t1, v1, sched


# --- schedule generation -----------------------------------------------------------------


def test_interval_rounds_fit_inside_the_early_shift(site, guard_route):
    shift = _open(site, site.security, "early")  # 07:30–16:00
    rounds = patrols.ensure_rounds(shift.id, site.actor("G01"))
    assert [_local(r.due_at)[11:] for r in rounds] == ["09:30", "11:30", "13:30", "15:30"]
    assert all(r.tolerance_minutes == 15 for r in rounds)
    assert all(r.checks_total == 3 for r in rounds)


def test_interval_rounds_across_midnight_security_night_and_engineering_night(site):
    _cp(site, "GATE", "condition")
    _schedule(site, kind="interval", interval_hours=2)
    night = _open(site, site.security, "night", dt.date(2026, 12, 2))  # 00:00–07:30
    got = [_local(r.due_at) for r in patrols.ensure_rounds(night.id, site.actor("G01"))]
    assert got == ["2026-12-02 02:00", "2026-12-02 04:00", "2026-12-02 06:00"]

    _cp(site, "PUMP", "condition", desk=site.engineering)
    _schedule(site, desk=site.engineering, kind="interval", interval_hours=4)
    eng = _open(site, site.engineering, "night")  # 17:30 → 08:00 next day
    got = [
        _local(r.due_at) for r in patrols.ensure_rounds(eng.id, site.actor("E01", site.engineering))
    ]
    assert got == ["2026-12-01 21:30", "2026-12-02 01:30", "2026-12-02 05:30"]


def test_fixed_times_belong_to_the_shift_that_contains_them(site):
    """CS5: a time at a shift's start is in that shift, its end is in the next."""
    tz = "Asia/Shanghai"
    times = ("00:00", "03:00", "07:30", "16:00", "23:00")
    middle = planned_on(site.security.id, DAY, "middle")  # 16:00–00:00
    night = planned_on(site.security.id, dt.date(2026, 12, 2), "night")  # 00:00–07:30
    assert [_local(t) for t in patrols.fixed_times(middle.start, middle.end, times, tz)] == [
        "2026-12-01 16:00",
        "2026-12-01 23:00",
    ]
    assert [_local(t) for t in patrols.fixed_times(night.start, night.end, times, tz)] == [
        "2026-12-02 00:00",
        "2026-12-02 03:00",
    ]
    eng = planned_on(site.engineering.id, DAY, "night")  # 17:30–08:00
    got = patrols.fixed_times(eng.start, eng.end, ("18:30", "23:00", "02:00", "07:59", "08:00"), tz)
    assert [_local(t) for t in got] == [
        "2026-12-01 18:30",
        "2026-12-01 23:00",
        "2026-12-02 02:00",
        "2026-12-02 07:59",
    ]


def test_ensure_rounds_is_idempotent_and_audited(site, guard_route):
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))
    again = patrols.ensure_rounds(shift.id, site.actor("G01"))
    assert [r.id for r in first] == [r.id for r in again]
    assert PatrolRound.select().where(PatrolRound.shift == shift.id).count() == 4
    assert AuditEvent.select().where(AuditEvent.action == "patrol.rounds_generated").count() == 1


def test_ensure_rounds_for_a_running_shift_skips_rounds_already_past(site, guard_route):
    # Opened late, at 12:00: the 09:30 and 11:30 windows are over when rounds are made.
    shift = _open(site, site.security, "early", at="2026-12-01 12:00")
    rounds = patrols.ensure_rounds(shift.id, site.actor("G01"))
    assert [_local(r.due_at)[11:] for r in rounds] == ["13:30", "15:30"]


def test_schedule_for_other_shifts_makes_no_rounds(site, guard_route):
    _schedule(site, kind="fixed", times=("10:00",), shift_codes=("night",))
    shift = _open(site, site.security, "early")
    rounds = patrols.ensure_rounds(shift.id, site.actor("G01"))
    assert all(r.schedule_id == guard_route[3].id for r in rounds)


# --- irregular rounds (SG-6) ---------------------------------------------------------------


def _first_offsets(draws: list[list[arrow.Arrow]], start: arrow.Arrow) -> set[int]:
    return {int((d[0] - start).total_seconds() // 60) for d in draws}


@pytest.mark.both_backends("sqlite")  # PRAGMA: fast commits; the rule is engine-neutral
def test_irregular_rounds_cover_every_checkpoint_inside_the_window_and_vary_sg6(site, db):
    """200 generations for the SAME shift id: a seed derived from the shift id would
    give one pattern; the OS's randomness gives many."""
    db.execute_sql("PRAGMA synchronous=OFF")  # 400 commits; durability is not under test
    route = [_cp(site, f"F{n}", "switch", expected_state="off", position=n) for n in range(5)]
    _schedule(site, kind="irregular", rounds_per_shift=3, route=tuple(c.id for c in route))
    shift = _open(site, site.security, "early")  # 07:30–16:00, clock at 07:30
    start, end = shift.planned_start, shift.planned_end
    last = end.shift(minutes=-patrols.ROUND_ROOM_MINUTES)
    want = {c.id for c in route}
    draws = []
    for _ in range(200):
        rounds = patrols.ensure_rounds(shift.id, site.actor("G01"))
        assert len(rounds) == 3
        assert all(start <= r.due_at <= last for r in rounds)
        walked: dict[int, list[int]] = {}
        for c in (
            PatrolCheck.select()
            .join(PatrolRound)
            .where(PatrolRound.shift == shift.id)
            .order_by(PatrolCheck.position)
        ):
            walked.setdefault(c.round_id, []).append(c.checkpoint_id)
        # every round walks the whole route, in order: every checkpoint covered
        assert list(walked.values()) == [[c.id for c in route]] * 3
        assert set().union(*walked.values()) == want
        draws.append([r.due_at for r in rounds])
        PatrolRound.delete().where(PatrolRound.shift == shift.id).execute()
    assert len(_first_offsets(draws, start)) > 50


def test_a_shift_id_seed_or_a_fixed_offset_would_fail_the_distinctness_check(site):
    """The check above has teeth: what a seeded generator would produce for one shift."""
    shift = _open(site, site.security, "early")
    start, end = shift.planned_start, shift.planned_end
    seeded = [patrols.irregular_times(start, end, 3, random.Random(shift.id)) for _ in range(200)]
    assert len(_first_offsets(seeded, start)) == 1
    fixed = [[start.shift(minutes=90)] for _ in range(200)]
    assert len(_first_offsets(fixed, start)) == 1
    real = [patrols.irregular_times(start, end, 3, patrols._RNG) for _ in range(200)]
    assert len(_first_offsets(real, start)) > 50


def test_irregular_rounds_across_midnight_stay_inside_the_engineering_night(site):
    _cp(site, "PUMP", "condition", desk=site.engineering)
    _schedule(site, desk=site.engineering, kind="irregular", rounds_per_shift=4)
    shift = _open(site, site.engineering, "night")
    rounds = patrols.ensure_rounds(shift.id, site.actor("E01", site.engineering))
    assert len(rounds) == 4
    last = shift.planned_end.shift(minutes=-patrols.ROUND_ROOM_MINUTES)
    assert all(shift.planned_start <= r.due_at <= last for r in rounds)


# --- states (SE-3) ----------------------------------------------------------------------------


def test_states_upcoming_due_overdue_missed_and_overdue_logged_once(site, guard_route):
    shift = _open(site, site.security, "early")
    patrols.ensure_rounds(shift.id, site.actor("G01"))
    first = patrols.rounds_of_shift(shift.id, site.clock.now())[0]  # due 09:30 ± 15
    state = lambda: patrols.get_round(first.id, site.clock.now()).state  # noqa: E731
    assert state() == patrols.UPCOMING
    site.clock.set("2026-12-01 09:15")
    assert state() == patrols.DUE
    site.clock.advance(minutes=31)  # 09:46
    assert state() == patrols.OVERDUE
    logged = patrols.note_overdue(site.actor("G01"), shift.id)
    assert [r.id for r in logged] == [first.id]
    assert patrols.note_overdue(site.actor("G01"), shift.id) == []
    assert AuditEvent.select().where(AuditEvent.action == "patrol.round_overdue").count() == 1
    assert patrols.progress(shift.id, site.clock.now()).overdue_count == 1
    site.clock.set("2026-12-01 16:00")  # the planned end: never started → missed
    assert state() == patrols.MISSED
    with pytest.raises(RuleViolation):
        patrols.start_round(site.actor("G01"), first.id)
    patrols.note_overdue(site.actor("G01"), shift.id)
    assert PatrolRound.get_by_id(first.id).state == patrols.MISSED


def test_upcoming_round_cannot_be_started(site, guard_route):
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))[0]
    with pytest.raises(RuleViolation, match="not due until 09:15"):
        patrols.start_round(site.actor("G01"), first.id)


def _walk(site, round_id, actor=None):
    actor = actor or site.actor("G01")
    for c in patrols.round_checks(round_id):
        if c.checkpoint.kind == "count":
            patrols.mark_reading(actor, c.id, "4")
        else:
            patrols.mark_ok(actor, c.id)


def test_done_on_time_and_done_late_judged_by_the_start(site, guard_route):
    shift = _open(site, site.security, "early")
    first, second = patrols.ensure_rounds(shift.id, site.actor("G01"))[:2]
    site.clock.set("2026-12-01 09:40")
    started = patrols.start_round(site.actor("G01"), first.id)
    assert started.started_at == site.clock.now() and started.state == patrols.IN_PROGRESS
    _walk(site, first.id)
    site.clock.set("2026-12-01 11:20")  # finished late, but started in time
    assert patrols.finish_round(site.actor("G01"), first.id).round.state == patrols.DONE

    site.clock.set("2026-12-01 11:46")
    patrols.start_round(site.actor("G01"), second.id)
    _walk(site, second.id)
    assert patrols.finish_round(site.actor("G01"), second.id).round.state == patrols.DONE_LATE
    done, total, next_due, overdue, _missed = patrols.progress(shift.id, site.clock.now())
    assert (done, total, overdue) == (2, 4, 0)
    assert _local(next_due) == "2026-12-01 13:30"


def test_finish_needs_every_check_marked_and_one_round_at_a_time(site, guard_route):
    shift = _open(site, site.security, "early")
    first, second = patrols.ensure_rounds(shift.id, site.actor("G01"))[:2]
    site.clock.set("2026-12-01 11:20")  # first overdue, second due
    patrols.start_round(site.actor("G01"), first.id)
    with pytest.raises(RuleViolation, match="in progress first"):
        patrols.start_round(site.actor("G01"), second.id)
    checks = patrols.round_checks(first.id)
    patrols.mark_ok(site.actor("G01"), checks[0].id)
    with pytest.raises(RuleViolation, match="2 checks are not marked"):
        patrols.finish_round(site.actor("G01"), first.id)


def test_skip_round_and_skip_check_need_a_reason(site, guard_route):
    shift = _open(site, site.security, "early")
    first, second = patrols.ensure_rounds(shift.id, site.actor("G01"))[:2]
    with pytest.raises(ValidationError) as err:
        patrols.skip_round(site.actor("G01"), first.id, "  ")
    assert err.value.field == "reason"
    skipped = patrols.skip_round(site.actor("G01"), first.id, "暴雨 heavy storm")
    assert skipped.state == patrols.SKIPPED and skipped.skip_reason == "暴雨 heavy storm"
    site.clock.set("2026-12-01 11:30")
    patrols.start_round(site.actor("G01"), second.id)
    check = patrols.round_checks(second.id)[0]
    with pytest.raises(ValidationError):
        patrols.skip_check(site.actor("G01"), check.id, "")
    result = patrols.skip_check(site.actor("G01"), check.id, "gate locked, key with L01")
    assert result.check.result == "skipped" and result.incident is None
    assert patrols.progress(shift.id, site.clock.now()).total == 3  # skipped not counted


def test_no_marks_before_the_start_no_remark_without_undo(site, guard_route):
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))[0]
    check = patrols.round_checks(first.id)[0]
    with pytest.raises(RuleViolation, match="Start the round first"):
        patrols.mark_ok(site.actor("G01"), check.id)
    site.clock.set("2026-12-01 09:30")
    patrols.start_round(site.actor("G01"), first.id)
    patrols.mark_ok(site.actor("G01"), check.id)
    with pytest.raises(RuleViolation, match="undo it first"):
        patrols.mark_problem(site.actor("G01"), check.id, "broken")
    with pytest.raises(RuleViolation):  # another desk's person
        patrols.mark_ok(site.actor("E01", site.engineering), patrols.round_checks(first.id)[1].id)


def test_problem_needs_a_note_and_offers_an_incident_then_lands_in_the_duty_log(site, guard_route):
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))[0]
    site.clock.set("2026-12-01 09:30")
    patrols.start_round(site.actor("G01"), first.id)
    gate, light, ext = patrols.round_checks(first.id)
    with pytest.raises(ValidationError) as err:
        patrols.mark_problem(site.actor("G01"), gate.id, "")
    assert err.value.field == "note"
    result = patrols.mark_problem(site.actor("G01"), gate.id, "corridor light broken")
    assert result.incident is not None
    assert result.incident.checkpoint_id == gate.checkpoint.id
    assert result.incident.place == "A / 1F / gate · GATE"
    patrols.mark_ok(site.actor("G01"), light.id)
    counted = patrols.mark_reading(site.actor("G01"), ext.id, "3 个", note="one missing")
    assert counted.check.out_of_range and counted.incident is not None
    finished = patrols.finish_round(site.actor("G01"), first.id)
    entries = list(DutyLogEntry.select().where(DutyLogEntry.ref_type == "patrol_check"))
    assert len(entries) == 2 == len(finished.duty_log_ids)
    assert {e.ref_id for e in entries} == {gate.id, ext.id}
    assert "corridor light broken" in entries[0].text and entries[0].shift_id == shift.id


def test_mark_ok_is_refused_for_readings_and_counts(site, guard_route, engine_route):
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))[0]
    site.clock.set("2026-12-01 09:30")
    patrols.start_round(site.actor("G01"), first.id)
    ext = patrols.round_checks(first.id)[2]
    with pytest.raises(ValidationError, match=r"number present \(r\)"):
        patrols.mark_ok(site.actor("G01"), ext.id)


# --- readings (EN-8.3.3) ----------------------------------------------------------------------


def _engine_round(site, engine_route):
    shift = _open(site, site.engineering, "day")  # 08:00–17:30; rounds 10:00, 14:00
    first = patrols.ensure_rounds(shift.id, site.actor("E01", site.engineering))[0]
    site.clock.set("2026-12-01 10:05")
    patrols.start_round(site.actor("E01", site.engineering), first.id)
    return shift, first


def test_transformer_reading_95_is_flagged_out_of_range_en_8_3_3(site, engine_route):
    _shift, first = _engine_round(site, engine_route)
    e01 = site.actor("E01", site.engineering)
    t1, v1 = patrols.round_checks(first.id)
    preview = patrols.check_reading(t1.id, "95")
    assert preview.out_of_range and preview.range_text == "0–85 °C"
    with pytest.raises(ValidationError, match="outside 0–85 °C: add a note") as err:
        patrols.mark_reading(e01, t1.id, "95")
    assert err.value.field == "note"
    assert PatrolCheck.get_by_id(t1.id).result is None  # nothing saved
    marked = patrols.mark_reading(e01, t1.id, "95 °C", note="fan stopped")
    assert marked.check.value == 95 and marked.check.out_of_range
    assert marked.incident is not None and "95 °C" in marked.incident.description
    assert marked.incident.place == "B1 / 配电房 · 1号变压器温度"
    ok = patrols.mark_reading(e01, v1.id, "380")
    assert not ok.check.out_of_range and ok.incident is None


@pytest.mark.parametrize("text", ["95", "95 °C", "95C", "95c", "95℃", " 95.0 ", "９５"])
def test_reading_spellings_accepted_for_a_celsius_checkpoint(site, engine_route, text):
    assert cps.get(engine_route[0].id).unit == "°C"
    assert patrols.parse_reading(engine_route[0], text).value == 95


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Not a number: abc"),
        ("", "Not a number"),
        ("9 5", "Wrong unit 5"),
        ("95 V", "Wrong unit V: this checkpoint is read in °C"),
        ("1,5", "Wrong unit ,5"),
    ],
)
def test_non_numbers_and_wrong_units_are_refused_with_a_message(site, engine_route, text, message):
    with pytest.raises(ValidationError, match=message) as err:
        patrols.parse_reading(engine_route[0], text)
    assert err.value.field == "value"


def test_undo_while_open_refused_after_finish_then_correction_needs_a_reason(site, engine_route):
    _shift, first = _engine_round(site, engine_route)
    e01 = site.actor("E01", site.engineering)
    t1, v1 = patrols.round_checks(first.id)
    patrols.mark_reading(e01, t1.id, "60")
    undone = patrols.undo_check(e01, t1.id)
    assert undone.result is None and undone.value is None
    patrols.mark_reading(e01, t1.id, "61")
    patrols.mark_reading(e01, v1.id, "381")
    patrols.finish_round(e01, first.id)
    with pytest.raises(RuleViolation, match="marks are final"):
        patrols.undo_check(e01, t1.id)
    with pytest.raises(RuleViolation, match="marks are final"):
        patrols.mark_reading(e01, t1.id, "62")
    with pytest.raises(ValidationError) as err:
        patrols.correct_check(e01, t1.id, "reading", text="71", reason=" ")
    assert err.value.field == "reason"
    fixed = patrols.correct_check(e01, t1.id, "reading", text="71", reason="misread: 71 not 61")
    assert fixed.check.value == 71 and fixed.check.correction_reason == "misread: 71 not 61"
    original = PatrolCheck.get_by_id(t1.id)
    assert original.value == 61  # never changed
    fix_row = PatrolCheck.get_by_id(fixed.check.corrected_by_id)
    assert fix_row.corrects_id == t1.id
    assert [p.value for p in patrols.trend(t1.checkpoint.id, site.clock.now())] == [71]


def test_previous_shift_value_shown_beside_the_field(site, engine_route):
    shift, first = _engine_round(site, engine_route)
    e01 = site.actor("E01", site.engineering)
    t1, v1 = patrols.round_checks(first.id)
    assert t1.previous is None
    patrols.mark_reading(e01, t1.id, "70")
    patrols.mark_reading(e01, v1.id, "380")
    patrols.finish_round(e01, first.id)
    with write():
        close_shift(e01, Shift.get_by_id(shift.id), "test")
    next_day = _open(site, site.engineering, "day", DAY + dt.timedelta(days=1))
    later = patrols.ensure_rounds(next_day.id, e01)[0]
    t1_later = patrols.round_checks(later.id)[0]
    assert t1_later.previous is not None and t1_later.previous.value == 70
    assert t1_later.previous.unit == "°C"


# --- management ------------------------------------------------------------------------------


def test_only_a_supervisor_edits_checkpoints_and_schedules(site):
    spec = cps.CheckpointSpec(code="X", name="X", kind="condition")
    with pytest.raises(RuleViolation):
        cps.add_checkpoint(site.actor("G01"), site.security.id, spec)
    with pytest.raises(RuleViolation):
        patrols.add_schedule(
            site.actor("L01"),
            site.security.id,
            patrols.ScheduleSpec(name="r", kind="interval", interval_hours=2),
        )
    cp = cps.add_checkpoint(site.actor("S01"), site.security.id, spec)
    cps.update_checkpoint(
        site.actor("S01"), cp.id, cps.CheckpointSpec(code="X", name="East gate", kind="condition")
    )
    cps.set_active(site.actor("S01"), cp.id, False)
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.record_type == "checkpoint")]
    assert actions == ["checkpoint.create", "checkpoint.update", "checkpoint.active"]
    assert cps.list_checkpoints(site.security.id) == []


def test_deactivated_checkpoints_leave_new_rounds(site, guard_route):
    gate = guard_route[0]
    cps.set_active(site.actor("S01"), gate.id, False)
    shift = _open(site, site.security, "early")
    first = patrols.ensure_rounds(shift.id, site.actor("G01"))[0]
    assert [c.checkpoint.code for c in patrols.round_checks(first.id)] == ["LIGHT", "EXT3"]


def test_schedule_validation_names_the_field(site):
    for spec, field in [
        (patrols.ScheduleSpec(name="r", kind="interval"), "interval_hours"),
        (patrols.ScheduleSpec(name="r", kind="fixed", times=("25:00",)), "times"),
        (patrols.ScheduleSpec(name="r", kind="irregular", rounds_per_shift=0), "rounds_per_shift"),
        (
            patrols.ScheduleSpec(name="r", kind="fixed", times=("10:00",), shift_codes=("x",)),
            "shift_codes",
        ),
    ]:
        with pytest.raises(ValidationError) as err:
            patrols.add_schedule(site.actor("S01"), site.security.id, spec)
        assert err.value.field == field


# --- operation log (EN-8.3.4) -----------------------------------------------------------------


def _bulk_readings(site, engine_route, n):
    """``n`` finished readings of T1 and V1, one every 10 minutes back from now."""
    t1, v1, sched = engine_route
    shift = _open(site, site.engineering, "day", dt.date(2026, 11, 1))
    r = PatrolRound.create(
        shift=shift.id,
        schedule=sched.id,
        due_at=shift.planned_start,
        state="done",
        started_at=shift.planned_start,
        finished_at=shift.planned_start,
    )
    now = arrow.get("2026-12-01T02:00:00+00:00")
    rows = []
    for i in range(n):
        cp = t1 if i % 2 else v1
        value = 90.0 if (cp is t1 and i % 10 == 1) else (60.0 if cp is t1 else 380.0)
        rows.append(
            {
                "round": r.id,
                "checkpoint": cp.id,
                "position": i % 2,
                "result": "reading",
                "value": value,
                "out_of_range": value > 85 and cp is t1,
                # pairs share a time, so the id must break ties
                "marked_at": now.shift(minutes=-10 * (i // 2)),
                "marked_by": site.staff["E01"].id,
            }
        )
    with write():
        for chunk in range(0, len(rows), 500):
            PatrolCheck.insert_many(rows[chunk : chunk + 500]).execute()
    return now


def test_operation_log_pages_every_reading_once_newest_first(site, engine_route):
    _bulk_readings(site, engine_route, 2000)
    seen, cursor, pages = [], None, 0
    while True:
        page = patrols.operation_log(site.engineering.id, cursor, limit=75)
        seen.extend(page.rows)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 2000 == len({r.check_id for r in seen})
    keys = [(r.marked_at, r.check_id) for r in seen]
    assert keys == sorted(keys, reverse=True)
    assert pages == 27
    flagged = [r for r in seen if r.out_of_range]
    assert flagged and all(r.code == "T1" and r.value == 90 for r in flagged)
    assert seen[0].range_text in ("0–85 °C", "353.4–406.6 V")
    assert patrols.operation_log(site.security.id).rows == []


@pytest.mark.both_backends("sqlite")  # reads SQLite's EXPLAIN QUERY PLAN
def test_operation_log_query_walks_an_index_without_sorting(site, engine_route, db):
    _bulk_readings(site, engine_route, 200)
    cursor = patrols.LogCursor(arrow.get("2026-11-30T12:00:00+00:00"), 10**9)
    q = patrols.operation_log_query(site.engineering.id, cursor)
    sql, params = q.sql()
    plan = " | ".join(str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "patrolcheck_result_marked_at" in plan.lower() or "result_marked_at" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_trend_of_one_checkpoint_over_30_days(site, engine_route):
    now = _bulk_readings(site, engine_route, 40)
    t1 = engine_route[0]
    points = patrols.trend(t1.id, now)
    assert len(points) == 20
    assert [p.at for p in points] == sorted(p.at for p in points)
    assert any(p.out_of_range for p in points)
    assert patrols.trend(t1.id, now.shift(days=40)) == []


def test_progress_counts_done_and_next_due(site, guard_route):
    shift = _open(site, site.security, "early")
    patrols.ensure_rounds(shift.id, site.actor("G01"))
    assert patrols.progress(shift.id, site.clock.now()) == (
        0,
        4,
        arrow.get("2026-12-01T01:30:00+00:00"),
        0,
        0,
    )
    with pytest.raises(Exception):  # noqa: B017 - peewee or NotFound, either way no rows
        patrols.progress(10**6, site.clock.now())


def test_domain_modules_do_not_import_textual():
    import subprocess
    import sys

    code = (
        "import sys, dutydesk.domain.patrols, dutydesk.domain.checkpoints;"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
