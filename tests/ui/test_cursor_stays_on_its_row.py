"""After a record is viewed or a dialog closes, the list loads again with the cursor
on the row it was on (the same record), never back on the first row: the next key
acts on the record the person chose."""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.domain import logs
from dutydesk.domain import staff as staff_rules
from dutydesk.errors import AuthError
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until


def _name(app: Any) -> str:
    return type(app.screen).__name__


async def test_f6_enter_esc_down_enter_opens_the_next_entry(site):
    start = site.clock.now().shift(hours=-5)
    for i in range(5):
        logs.add(
            site.actor("G02"), "duty", {"occurred_at": start.shift(minutes=i), "text": f"n{i}"}
        )
    ids = [e.id for e in logs.list_entries("duty", desk_id=site.security.id, limit=5).entries]
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "F6")
        opened = []
        for _step in range(2):
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: _name(app) == "EntryScreen", "the entry")
            opened.append(app.screen.entry.id)
            await pilot.press("escape")
            await wait_until(pilot, lambda: _name(app) == "LogsScreen", "the list")
            await pilot.pause()
        assert opened == [ids[1], ids[2]]


def _lock_for_good(site: Any, number: str) -> None:
    for _ in range(15):
        with pytest.raises(AuthError):
            staff_rules.authenticate(site.actor(), number, "1357")
        site.clock.advance(minutes=31)


async def test_f9_reset_pin_after_unlock_asks_about_the_same_person(site):
    _lock_for_good(site, "G02")
    row = [p.staff_no for p in staff_rules.list_staff()].index("G02")
    assert row > 0
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await wait_until(pilot, lambda: "locked until unlocked" in screen_text(app), "F9")
        await pilot.press(*["down"] * row)
        await pilot.press("u")
        await wait_until(pilot, lambda: "Unlock G02" in screen_text(app), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: "locked until unlocked" not in screen_text(app), "unlock")
        await pilot.press("r")
        await wait_until(pilot, lambda: _name(app) != "AdminScreen", "the reset question")
        text = screen_text(app)
        assert "C01 " not in text.split("Reset PIN")[1]
        assert "G02 Guard Zhao must change this PIN" in text


async def test_f9_site_settings_cursor_stays_after_a_form(site):
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await wait_until(pilot, lambda: _name(app) == "AdminScreen", "F9")
        await pilot.press("9")
        await wait_until(pilot, lambda: _name(app) == "SiteSection", "site settings")
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: _name(app) == "SectionForm", "the setting's form")
        first = app.screen.title_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: _name(app) == "SiteSection", "site settings again")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: _name(app) == "SectionForm", "the form again")
        assert app.screen.title_text == first
        await pilot.press("escape")
        await wait_until(pilot, lambda: _name(app) == "SiteSection", "site settings again")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: _name(app) == "SectionForm", "the next form")
        assert app.screen.title_text != first
