"""SE-3: a round not started by the end of its window is overdue; one started, even
late, is in progress and never overdue. When two schedules have rounds due at the
same time and one of them is being walked, the banner names the round that was not
started, so the person at the desk does not read it as the round in progress."""

from __future__ import annotations

from dutydesk.domain import overview, patrols, shifts
from tests.helpers.patrol import add_schedule, guard_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


def _two_rounds_due_at_ten(site):
    guard_route(site)  # "Gate round", fixed 10:00 and 14:00
    add_schedule(site, name="Lobby round", kind="fixed", times=("10:00",))
    site.clock.set("2026-12-01 07:30")
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    return shift.id


def test_a_started_round_is_not_an_alarm_its_twin_not_started_is(site):
    shift_id = _two_rounds_due_at_ten(site)
    site.clock.set("2026-12-01 10:08")
    gate = next(
        r
        for r in patrols.rounds_of_shift(shift_id, site.clock.now())
        if r.schedule_name == "Gate round"
    )
    patrols.start_round(site.actor("G01"), gate.id)
    site.clock.set("2026-12-01 10:38")  # both windows (±15 min) have passed
    late = overview.alarms(site.actor("G01")).overdue_rounds
    assert [r.name for r in late] == ["Lobby round"]
    assert patrols.get_round(gate.id, site.clock.now()).state == patrols.IN_PROGRESS


async def test_banner_names_the_round_not_started(site):
    shift_id = _two_rounds_due_at_ten(site)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-01 10:08")
        gate = next(
            r
            for r in patrols.rounds_of_shift(shift_id, site.clock.now())
            if r.schedule_name == "Gate round"
        )
        patrols.start_round(app.actor, gate.id)
        site.clock.set("2026-12-01 10:38")
        app._idle_tick()
        await pilot.pause()
        text = screen_text(app)
        assert "Patrol: Lobby round due at 10:00 is overdue, not started" in text
        assert "Gate round due at 10:00 is overdue" not in text
        assert len(app.alerts) == 1
