"""F5: a round skipped with k to clear its blocker (EN-8.6.1) comes back as it was when
the outgoing then stops the handover (x): the outgoing stays on duty and may walk it."""

from __future__ import annotations

from typing import Any

from dutydesk.db import write
from dutydesk.domain import patrols, shifts
from dutydesk.models import PatrolRound, PatrolSchedule
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def _press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


async def test_round_skipped_with_k_comes_back_when_the_handover_is_stopped(site: Any) -> None:
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:30")
    with write():
        sched = PatrolSchedule.create(
            desk=site.security.id, name="Night walk", kind="interval", interval_hours=2
        )
        round_id = PatrolRound.create(
            shift=shift.id, schedule=sched.id, due_at=site.clock.now().shift(minutes=-60)
        ).id
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s")
        assert "Signing is blocked" in screen_text(app)
        await _press(pilot, "k")
        await type_text(pilot, "Rain storm")
        await _press(pilot, "enter")
        assert app.screen.v.blockers == []
        assert patrols.get_round(round_id, site.clock.now()).state == patrols.SKIPPED
        await _press(pilot, "x")
        await type_text(pilot, "wrong moment")
        await _press(pilot, "enter")
        assert "The handover was stopped" in screen_text(app)
    r = patrols.get_round(round_id, site.clock.now())
    assert (r.state, r.skip_reason) == (patrols.OVERDUE, "")
