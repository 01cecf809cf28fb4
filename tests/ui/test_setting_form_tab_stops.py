"""F9 forms take Tab only to what a person can see and use: in the one-field form of a
site setting, Tab stays in the field, so Tab then typing still types into it."""

from __future__ import annotations

from typing import Any

from dutydesk.domain import site_settings
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


def _focus_chain(app: Any) -> list[str]:
    return [f"{type(w).__name__}#{w.id}" for w in app.screen.focus_chain]


async def test_tab_in_a_one_field_setting_form_stays_in_the_field(site):
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("9")  # the site section
        await wait_until(pilot, lambda: "Idle lock" in screen_text(app), "the site settings")
        await pilot.press("down", "down")  # time zone, language → idle lock
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Seconds" in screen_text(app), "the setting form")
        field = app.focused
        assert _focus_chain(app) == ["Input#field-value"]
        for _ in range(3):
            await pilot.press("tab")
            assert app.focused is field
        await pilot.press("shift+tab")
        assert app.focused is field
        await pilot.press("end", *["backspace"] * 6)
        await type_text(pilot, "300")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Seconds" not in screen_text(app), "the form saved")
    assert site_settings.current().lock_after_seconds == 300
