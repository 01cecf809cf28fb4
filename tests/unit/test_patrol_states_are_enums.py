"""Round states, check results and checkpoint kinds are ``StrEnum``s whose values are
the text stored in the database (SE-3, EN-8.3.3): the enum members go in, the same
strings are in the rows, and the domain hands the members back."""

from __future__ import annotations

import datetime as dt

import pytest

from dutydesk.db import write
from dutydesk.domain import checkpoints as cps
from dutydesk.domain import patrols
from dutydesk.domain.patrols import CheckpointKind, CheckResult, RoundState, ScheduleKind
from dutydesk.domain.patrols import checkpoints as rules
from dutydesk.domain.shifts import create_open_shift, planned_on
from dutydesk.models import Checkpoint, PatrolCheck, PatrolRound, PatrolSchedule

pytestmark = pytest.mark.both_backends


def test_values_are_the_stored_strings() -> None:
    assert [s.value for s in RoundState] == [
        "upcoming",
        "due",
        "overdue",
        "in_progress",
        "done",
        "done_late",
        "skipped",
        "missed",
    ]
    assert [r.value for r in CheckResult] == ["ok", "problem", "reading", "count", "skipped"]
    assert [k.value for k in ScheduleKind] == ["interval", "fixed", "irregular"]
    assert [k.value for k in CheckpointKind] == ["condition", "switch", "reading", "count"]
    assert patrols.DONE == "done" and patrols.SKIP == "skipped"
    assert set(patrols.STATE_LABELS) == set(RoundState)


def test_the_checkpoint_files_module_reexports_the_checkpoint_rules() -> None:
    assert cps.CheckpointSpec is rules.CheckpointSpec
    assert cps.add_checkpoint is rules.add_checkpoint
    assert tuple(CheckpointKind) == cps.KINDS


def test_a_walked_round_is_stored_as_text_and_read_back_as_members(site) -> None:
    desk = site.security
    supervisor = site.actor("S01", desk)
    spec = cps.CheckpointSpec(code="T1", name="T1", kind="reading", unit="°C", range_max=85)
    cps.add_checkpoint(supervisor, desk.id, spec)
    patrols.add_schedule(
        supervisor, desk.id, patrols.ScheduleSpec(name="r", kind="interval", interval_hours=2)
    )
    planned = planned_on(desk.id, dt.date(2026, 12, 1), "early")
    site.clock.set(planned.start)
    with write():
        shift = create_open_shift(site.actor(None, desk), planned, None, "test")
    first = patrols.rounds_of_shift(shift.id, site.clock.now())[0]
    site.clock.set(first.due_at)
    guard = site.actor("G01", desk)
    patrols.start_round(guard, first.id)
    check = patrols.round_checks(first.id)[0]
    patrols.mark_reading(guard, check.id, "72")
    done = patrols.finish_round(guard, first.id).round

    assert done.state is RoundState.DONE
    assert patrols.round_checks(first.id)[0].result is CheckResult.READING
    assert patrols.list_schedules(desk.id)[0].kind is ScheduleKind.INTERVAL
    assert cps.list_checkpoints(desk.id)[0].kind is CheckpointKind.READING
    # The rows hold the plain strings (the database is unchanged).
    assert PatrolRound.get_by_id(first.id).state == "done"
    assert type(PatrolRound.get_by_id(first.id).state) is str
    assert PatrolCheck.get_by_id(check.id).result == "reading"
    assert PatrolSchedule.select(PatrolSchedule.kind).tuples()[0] == ("interval",)
    assert Checkpoint.select(Checkpoint.kind).tuples()[0] == ("reading",)
