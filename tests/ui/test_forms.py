"""The form machinery: Esc asks when dirty, messages next to the field, drafts per person."""

from __future__ import annotations

from typing import Any

from dutydesk.models import Draft, DutyLogEntry, Visitor
from dutydesk.widgets.form import ConfirmDialog, FormScreen
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def open_new_duty(pilot: Any, staff_no: str = "G01") -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f6", "n")
    await pilot.pause()


async def test_esc_on_a_dirty_form_asks_first(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_duty(pilot)
        await type_text(pilot, "half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Drop what you typed" in screen_text(app)
        await pilot.press("n")  # no: back to the form, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "half typed" in screen_text(app)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
    assert DutyLogEntry.select().count() == 0
    assert Draft.select().count() == 0


async def test_esc_on_an_untouched_form_just_goes_back(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_duty(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LogsScreen"


async def test_bad_time_shown_next_to_its_field_rest_kept(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_duty(pilot)
        await type_text(pilot, "Pump noise")
        await pilot.press("shift+tab", "shift+tab")  # category, then the time
        await pilot.press("ctrl+u")  # clear the prefilled time
        await type_text(pilot, "25:99")
        await pilot.press("ctrl+s")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        time_line = next(i for i, line in enumerate(lines) if "Time *" in line)
        assert "Enter the time as YYYY-MM-DD HH:MM or HH:MM" in lines[time_line + 1]
        assert "Pump noise" in screen_text(app) and "25:99" in screen_text(app)
        # A time in the future is refused with its own message, same place.
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-12-01 11:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "This time is in the future" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "09:40")
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = DutyLogEntry.get()
    assert row.text == "Pump noise"
    assert row.occurred_at == site.clock.now().replace(hour=9, minute=40)


async def test_required_field_message_in_chinese(site):
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6", "3", "n")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "燃气公司")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "请填写来访人姓名" in text and "燃气公司" in text
    assert Visitor.select().count() == 0


async def test_draft_back_after_lock_and_in_a_new_app_not_for_others(site, db_path):
    """A half-typed entry survives F12 and a restart, for its author only."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_new_duty(pilot)
        await type_text(pilot, "Half an entry")
        await pilot.press("f12")
        await pilot.pause()
        assert app.staff is None
        draft = Draft.get()
        assert draft.staff_id == site.staff["G01"].id and draft.form == "logs.new.duty"
        assert draft.data["text"] == "Half an entry"
        # The same person in the same app: the form comes back filled.
        await open_new_duty(pilot)
        assert "Half an entry" in screen_text(app)
        assert "draft was restored" in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()
        # Another person at the same kiosk sees an empty form.
        await open_new_duty(pilot, "G02")
        assert "Half an entry" not in screen_text(app)
        await pilot.press("escape")
        await pilot.press("f12")
        await pilot.pause()

    # A new App on the same database file (a restart or crash).
    again = make_app(site)
    async with again.run_test(size=SIZE) as pilot:
        await open_new_duty(pilot)
        assert "Half an entry" in screen_text(again)
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = DutyLogEntry.get()
    assert row.text == "Half an entry" and row.author_id == site.staff["G01"].id
    # Saved: the draft is gone.
    assert Draft.select().count() == 0
