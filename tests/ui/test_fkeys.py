"""Global keys: F1–F9, F12 never crash; the palette names everything in both languages;
Ctrl+Q needs a supervisor PIN; F9 staff administration with keys only.
"""

from __future__ import annotations

import pytest

from dutydesk.models import AuditEvent, Staff
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

F_KEYS = ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f12"]
REAL_SCREENS = {
    "f2": "ShiftScreen",
    "f3": "PatrolScreen",
    "f4": "IncidentsScreen",
    "f5": "HandoverScreen",
    "f6": "LogsScreen",
    "f7": "RosterScreen",
    "f8": "ReportsScreen",
    "f9": "AdminScreen",
}


@pytest.mark.parametrize("staff_no", ["G01", "S01"])
async def test_every_f_key_works_and_never_crashes(site, staff_no):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        # Locked: F-keys do nothing (and do not crash).
        for key in F_KEYS:
            await pilot.press(key)
            await pilot.press("escape")
        assert type(app.screen).__name__ == "LockScreen" and app.staff is None
        await login(pilot, staff_no, PIN)
        for key in F_KEYS[1:-1]:
            await pilot.press(key)
            await pilot.pause()
            assert app.staff is not None
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            assert "Help" in screen_text(app)
            await pilot.press("escape")
        # Every F-key reaches its real screen (a screen that failed to open would show
        # the "could not be opened" panel instead, which must not happen).
        for key, name in REAL_SCREENS.items():
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == name, key
        await pilot.press("f12")
        await pilot.pause()
        assert app.staff is None


async def test_help_lists_keys_and_rules_of_the_shift_screen(site):
    app = make_app(site)
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "CS-R2" in text and "CS-R4" in text
        assert "Open shift (no handover)" in text and "F12" in text
        assert "Scroll Up" not in text  # Textual's own untranslated keys are left out


async def test_f9_is_for_supervisors_but_everyone_can_change_their_pin(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        text = screen_text(app)
        assert "for supervisors" in text and "Guard Zhao" not in text
        await pilot.press("a")  # not offered, does nothing
        assert type(app.screen).__name__ == "AdminScreen"
        await pilot.press("p")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await type_text(pilot, "7391")
        await pilot.press("enter")
        await type_text(pilot, "7391")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "AdminScreen"
    assert AuditEvent.select().where(AuditEvent.action == "staff.pin_change").count() == 1


async def test_supervisor_adds_deactivates_and_resets_with_keys(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        assert "Guard Zhao" in screen_text(app)
        await pilot.press("a")
        await type_text(pilot, "G05")
        await pilot.press("enter")
        await type_text(pilot, "New Guard")
        await pilot.press("enter")
        await type_text(pilot, "4826")
        await pilot.press("enter")
        await type_text(pilot, "4826")
        await pilot.press("enter")
        await pilot.pause()
        assert "New Guard" in screen_text(app)
        # Rows: C01 E01 G01 G02 G05 L01 S01 → G02 is the fourth.
        for _row in range(3):
            await pilot.press("down")
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        # The list reloads with the cursor still on G02 (not back on the first row).
        await pilot.press("r")
        await type_text(pilot, "5937")
        await pilot.press("enter")
        await type_text(pilot, "5937")
        await pilot.press("enter")
        await pilot.pause()
    new = Staff.get(Staff.staff_no == "G05")
    assert new.role == "guard" and new.must_change_pin
    g02 = Staff.get(Staff.staff_no == "G02")
    assert g02.active is False and g02.must_change_pin
    actions = [
        e.action for e in AuditEvent.select().where(AuditEvent.staff == site.staff["S01"].id)
    ]
    assert {"staff.create", "staff.active", "staff.pin_reset"} <= set(actions)


async def test_palette_names_screens_in_both_languages(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f3")
        await pilot.press("ctrl+p")
        await pilot.pause()
        text = screen_text(app)
        assert "Search for screens and actions" in text
        assert "Shift / 班次" in text
        await type_text(pilot, "交接")
        await pilot.pause(0.3)
        assert "Handover / 交接班" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "handover"


async def test_ctrl_q_refuses_a_guard(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("ctrl+q")
        await type_text(pilot, "G01")
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert "Only a supervisor can quit" in screen_text(app)
        assert app.is_running


async def test_ctrl_q_with_supervisor_pin_quits_and_wrong_pins_count(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("ctrl+q")
        await type_text(pilot, "S01")
        await pilot.press("enter")
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await pilot.pause()
        assert "Wrong staff number or PIN" in screen_text(app)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert AuditEvent.select().where(AuditEvent.action == "quit.pin_fail").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "quit.pin_ok").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "session.end").count() == 1


async def test_a_screen_that_fails_to_open_shows_a_panel_not_a_crash(site, monkeypatch, faults):
    """A broken screen must not end the kiosk in the middle of a night shift: F8 shows
    "could not be opened — tell the supervisor" and F2 still works."""
    from dutydesk import app as app_module

    broken = ("dutydesk.screens.no_such_module", "Nothing", "Reports", "f8")
    monkeypatch.setitem(app_module.SCREENS, "reports", broken)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlaceholderScreen"
        assert "could not be opened" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "ShiftScreen"
    assert "ModuleNotFoundError" in faults.read_text(encoding="utf-8")  # the error log
