"""Repair requests (EN-8.3.2) at the engineering desk, with keys only, from F6 key 8."""

from __future__ import annotations

from dutydesk.app import DutyDeskApp
from dutydesk.models import RepairRequest
from tests.conftest import PIN
from tests.ui.conftest import SIZE, login, screen_text, type_text


async def test_repair_taken_and_not_handled_needs_reason_en_8_3_2(site):
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=180
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "E01", PIN)
        await pilot.press("f6", "8")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Tap leaking")  # the cursor starts in the problem
        await pilot.press("shift+tab")
        await type_text(pilot, "Room 302")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tap leaking" in screen_text(app)
        await pilot.press("x", "enter")  # no reason: refused with the message
        await pilot.pause()
        assert "Give the reason it could not be handled" in screen_text(app)
        assert RepairRequest.get().status == "open"
        await type_text(pilot, "No spare part")
        await pilot.press("enter")
        await pilot.pause()
        assert "Not handled" in screen_text(app)
        await pilot.press("h")
        await type_text(pilot, "Washer replaced")
        await pilot.press("enter")
        await pilot.pause()
    r = RepairRequest.get()
    assert (r.place, r.problem, r.reason, r.action) == (
        "Room 302",
        "Tap leaking",
        "No spare part",
        "Washer replaced",
    )
    assert r.status == "handled" and r.handled_by_id == site.staff["E01"].id
    assert r.received_at == site.clock.now() and r.desk_id == site.engineering.id
