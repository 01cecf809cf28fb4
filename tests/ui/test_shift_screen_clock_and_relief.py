"""F2: the relief overdue warning is said once (the standing banner), and a PC clock
put back shows the shift's length with a word about the clock, not "749 h left"."""

from __future__ import annotations

from dutydesk.domain import shifts
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


async def test_relief_overdue_is_said_once_on_f2(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-01 16:05")
        app._idle_tick()
        await pilot.pause()
        text = screen_text(app)
        assert text.count("Relief overdue") == 1
        assert "overdue since 16:00 (2026-12-01)" in text


async def test_a_clock_put_back_does_not_stretch_the_time_left(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-11-01 09:00")
        app._idle_tick()
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        text = screen_text(app)
        assert "8 h 30 min left" in text and "749 h" not in text
        assert "check the PC clock" in text
