"""F6 names its keys: F1 says which log each digit shows (not a vague "Kind"), and
the kind bar of a desk that takes repair requests shows key 8 too, at 80 columns."""

from __future__ import annotations

from dutydesk.app import DutyDeskApp
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, screen_text, wait_until


async def test_f6_help_names_each_log_and_the_bar_shows_key_8(site):
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=100_000
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "E01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "F6")
        bar = screen_text(app).splitlines()[1]
        assert "7 Switching" in bar and "8 Repairs" in bar and "…" not in bar
        await pilot.press("f1")
        await wait_until(pilot, lambda: "Phone log" in screen_text(app), "F1")
        text = screen_text(app)
        assert "Duty log" in text and "Kind" not in text
