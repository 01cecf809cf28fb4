"""Query budgets of the calls behind the screens that are reloaded most (the F2
shift screen every minute, its alarms, patrol progress, search): a fixed number of
SQL queries however much history the site has, counted with Peewee's
``playhouse.test_utils`` (``count_queries``, ``assert_query_count``) on a demo site
with a few days of history."""

from __future__ import annotations

from pathlib import Path

import pytest
from playhouse.test_utils import assert_query_count, count_queries

from dutydesk import models as m
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.demo import build_demo
from dutydesk.domain import incidents, overview, patrols, search, shifts, site_alerts
from dutydesk.domain import site as site_rules
from dutydesk.domain.context import Actor

SHIFT_SCREEN_QUERIES = 10  # shift_overview: the F2 screen (≤ 5 ms on ten years)
CURRENT_SHIFT_QUERIES = 1  # the desk's open shift: asked by nearly every screen
ALARM_QUERIES = 8
PROGRESS_QUERIES = 2
SEARCH_QUERIES = 3


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, FixedClock]:
    clock = FixedClock("2026-12-01 10:00", tz="Asia/Shanghai")  # security early shift
    path = build_demo(str(tmp_path_factory.mktemp("budget") / "demo.db"), days=4, clock=clock)
    return path, clock


@pytest.fixture
def actor(demo, tmp_path: Path):
    path, clock = demo
    open_database(path)
    desk = site_rules.find_desk("security")
    return lambda staff_no: Actor(clock, desk.id, m.Staff.get(m.Staff.staff_no == staff_no).id)


def _count(fn) -> int:
    fn()  # the first call may import modules or fill caches
    with count_queries() as counted:
        fn()
    return counted.count


def test_shift_screen_stays_within_its_query_budget(actor) -> None:
    guard = actor("G01")
    view = overview.shift_overview(guard)
    # The site has history on every panel the budget covers (CS-R2, SE-3).
    assert view.shift is not None and view.shift.is_open
    assert view.carried_over and view.patrol is not None and view.latest_log
    assert _count(lambda: overview.shift_overview(guard)) <= SHIFT_SCREEN_QUERIES


def test_shift_screen_budget_holds_for_a_supervisor_with_a_draft(actor) -> None:
    """A supervisor (who also sees undecided swap requests) with a draft at the desk:
    the draft list is the one query the usual case does not need."""
    from dutydesk.domain import drafts

    boss = actor("S01")
    drafts.save(boss, "incidents.new", {"place": "Gate 2"})
    view = overview.shift_overview(boss)
    assert [d.form for d in view.drafts] == ["incidents.new"]
    assert _count(lambda: overview.shift_overview(boss)) <= SHIFT_SCREEN_QUERIES


def test_alarms_patrol_progress_and_search_budgets(actor, demo) -> None:
    guard = actor("G01")
    shift = shifts.open_shift_of(guard.desk_id)
    assert shift is not None
    now = guard.now()
    assert _count(lambda: overview.alarms(guard)) <= ALARM_QUERIES
    assert _count(lambda: patrols.progress(shift.id, now)) <= PROGRESS_QUERIES
    # Given the shift's end (as the F2 screen does), progress is one query.
    with assert_query_count(1):
        patrols.progress(shift.id, now, shift.planned_end)
    for word in ("水", "电梯", "delivery", "deliv"):
        assert _count(lambda w=word: search.search(w)) <= SEARCH_QUERIES


def test_the_current_shift_is_one_query(actor) -> None:
    guard = actor("G01")
    assert shifts.open_shift_of(guard.desk_id) is not None
    assert _count(lambda: shifts.open_shift_of(guard.desk_id)) <= CURRENT_SHIFT_QUERIES


def test_the_alert_banners_look_costs_one_query_when_nothing_changed(actor, demo) -> None:
    """Every desk looks for the other desks' alerts (CS6, CS-R4) on each tick: with
    nothing written since, the look is the back end's change token alone."""
    guard = actor("G01")
    watch = site_alerts.watch(guard.desk_id)
    with assert_query_count(1):
        assert site_alerts.look(watch) == []
    # Something written: the chain's head, the new events, each desk's name once.
    _path, clock = demo
    engineering = site_rules.find_desk("engineering")
    engineer = Actor(clock, engineering.id, m.Staff.get(m.Staff.staff_no == "E01").id)
    for place in ("Switch room", "Pump room"):
        fields = incidents.IncidentFields(
            place=place,
            category="power",
            description="Mains power failure",
            severity="major",
            actions="Generator started",
        )
        told = incidents.NotificationFields(
            role="supervisor", name="Sun", method="phone", notified_at=clock.now(), reached=True
        )
        incidents.create_incident(engineer, fields, [told])
    watch.token = None  # another connection's write changes the token; this one's not
    with count_queries() as counted:
        alerts = site_alerts.look(watch)
    assert len(alerts) == 2
    assert counted.count <= 4
