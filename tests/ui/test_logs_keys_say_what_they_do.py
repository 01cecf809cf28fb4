"""F6 names its keys: F1 says which log each digit shows (not a vague "Kind"), and
the kind bar of a desk that takes repair requests shows key 8 too, at 80 columns."""

from __future__ import annotations

from dutydesk.app import DutyDeskApp
from dutydesk.domain import logs
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until


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


async def test_c_on_the_f6_list_corrects_the_entry_under_the_cursor_cs3(site):
    entry = logs.add(site.actor("G02"), "duty", {"occurred_at": site.clock.now(), "text": "x1"})
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "x1" in screen_text(app), "F6")
        await pilot.press("c")
        question = f"Why is entry #{entry.id} corrected?"
        await wait_until(pilot, lambda: question in screen_text(app), "the reason prompt")
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "EntryScreen", "the entry")
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LogsScreen", "the list")
        await pilot.press("f1")
        await wait_until(pilot, lambda: "Correct" in screen_text(app), "F1 names c")
