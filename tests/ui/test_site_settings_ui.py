"""F9 site settings with keys: shift times from a date on (section 8), the site and its
desks (section 9); F7 shows the new times from that date on (CS8: supervisors only)."""

from __future__ import annotations

import datetime as dt

from dutydesk.domain import shifts
from dutydesk.domain.site import get_site
from dutydesk.models import AuditEvent, Desk
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def _section(pilot, number: str) -> None:
    await pilot.press("f9")
    await pilot.pause()
    await pilot.press(number)
    await pilot.pause()


async def _retype(pilot, text: str) -> None:
    await pilot.press("end", *["backspace"] * 12)
    await type_text(pilot, text)


async def test_supervisor_changes_the_middle_shift_from_tomorrow_and_f7_shows_it(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await _section(pilot, "8")
        assert type(app.screen).__name__ == "ShiftTimesSection"
        assert "16:00–00:00" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SectionForm"
        await _retype(pilot, "16:30")
        await pilot.press("tab", "tab")  # end stays 00:00; the date is tomorrow
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ShiftTimesSection"
        assert "2026-12-02: 16:30–00:00" in screen_text(app)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("down", "right")  # tomorrow, the middle shift
        await pilot.pause()
        text = screen_text(app)
        assert "2026-12-02" in text and "16:30–00:00" in text
    tomorrow = shifts.planned_on(site.security.id, dt.date(2026, 12, 2), "middle")
    assert tomorrow.start.to("Asia/Shanghai").format("HH:mm") == "16:30"
    ev = AuditEvent.select().where(AuditEvent.action == "shift_template.times").get()
    assert ev.old["start"] == "16:00" and ev.new["start"] == "16:30"


async def test_a_refused_change_shows_the_reason_beside_the_form(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await _section(pilot, "8")
        await pilot.press("down", "enter")
        await pilot.pause()
        await _retype(pilot, "15:00")
        await pilot.press("tab", "tab")
        await _retype(pilot, "2026-12-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SectionForm"
        assert "overlap" in screen_text(app)
    assert not AuditEvent.select().where(AuditEvent.action == "shift_template.times").exists()


async def test_site_section_changes_the_lock_and_adds_and_retires_a_desk(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await _section(pilot, "9")
        assert type(app.screen).__name__ == "SiteSection"
        await pilot.press("down", "down", "enter")  # idle lock
        await pilot.pause()
        await _retype(pilot, "240")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SiteSection"
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "carpark")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Car park")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Desk carpark" in screen_text(app)
        await pilot.press(*["down"] * 12, "d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert get_site().lock_after_seconds == 240
    assert app.lock_after == 240
    assert Desk.get(Desk.code == "carpark").retired_at is not None


async def test_guard_sees_no_site_settings(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _section(pilot, "8")
        assert "ShiftTimesSection" not in type(app.screen).__name__
