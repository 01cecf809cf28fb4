"""First run on an empty database: the keyboard-only set-up wizard, then the lock screen."""

from __future__ import annotations

import pytest

from dutydesk.domain import site as site_rules
from dutydesk.models import Desk, Staff
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_empty_app, screen_text, type_text


@pytest.mark.both_backends  # the first start of a kiosk on an empty site server too
async def test_wizard_creates_the_site_then_lock_screen(db, clock):
    app = make_empty_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "WizardScreen"
        assert "Set up this site" in screen_text(app)
        await pilot.press("tab")  # language → desks
        await pilot.press("down")  # security-3 is chosen; also choose the 2-shift gate
        await pilot.press("space")
        await pilot.press("tab")
        await type_text(pilot, "Test Gardens")
        await pilot.press("enter")
        await pilot.press("enter")  # time zone: keep the machine's zone
        await type_text(pilot, "S01")
        await pilot.press("enter")
        await type_text(pilot, "Sun")
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await type_text(pilot, PIN[:-1] + "4")
        await pilot.press("enter")
        await pilot.pause()
        assert "The two PINs differ" in screen_text(app)
        await pilot.press("backspace")
        await type_text(pilot, PIN[-1])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "LockScreen"
        assert "Security booth" in screen_text(app)
        await login(pilot, "S01", PIN)
        assert type(app.screen).__name__ == "ShiftScreen"
    info = site_rules.get_site()
    assert info.name == "Test Gardens"
    assert [d.preset for d in info.desks] == ["security-3", "security-2"]
    assert Desk.select().count() == 2
    assert Staff.get().role == "supervisor"
