"""Repair requests (EN-8.3.2) at the engineering desk, with keys only, from F6 key 8."""

from __future__ import annotations

from dutydesk.app import DutyDeskApp
from dutydesk.models import RepairRequest
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, screen_text, type_text, wait_until


def _on(app, screen: str) -> bool:
    """Is ``screen`` shown, mounted, with the focus inside it (ready for keys)?"""
    current = app.screen
    return (
        type(current).__name__ == screen
        and current.is_mounted
        and app.focused is not None
        and app.focused.screen is current
    )


async def test_repair_taken_and_not_handled_needs_reason_en_8_3_2(site):
    """Each key waits for the outcome of the one before (wait_until): a key pressed
    while a dialog is still being mounted goes to the screen under it."""
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=180
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "E01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: _on(app, "LogsScreen"), "the logs screen")
        await pilot.press("8")
        await wait_until(pilot, lambda: _on(app, "RepairsScreen"), "the repair list")
        await pilot.press("n")
        await wait_until(pilot, lambda: _on(app, "FormScreen"), "the new-request form")
        await type_text(pilot, "Tap leaking")  # the cursor starts in the problem
        await pilot.press("shift+tab")
        await type_text(pilot, "Room 302")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Tap leaking" in screen_text(app), "the saved request")
        await wait_until(pilot, lambda: _on(app, "RepairsScreen"), "the list again")
        await pilot.press("x")
        await wait_until(pilot, lambda: _on(app, "ActionPrompt"), "the reason prompt")
        await pilot.press("enter")  # no reason: refused with the message
        await wait_until(
            pilot,
            lambda: "Give the reason it could not be handled" in screen_text(app),
            "the refusal",
        )
        assert RepairRequest.get().status == "open"
        await type_text(pilot, "No spare part")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: RepairRequest.get().status == "not_handled", "marked not handled"
        )
        await wait_until(pilot, lambda: _on(app, "RepairsScreen"), "the list again")
        await pilot.press("h")
        await wait_until(pilot, lambda: _on(app, "ActionPrompt"), "the action prompt")
        await type_text(pilot, "Washer replaced")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: RepairRequest.get().status == "handled", "the request handled"
        )
    r = RepairRequest.get()
    assert (r.place, r.problem, r.reason, r.action) == (
        "Room 302",
        "Tap leaking",
        "No spare part",
        "Washer replaced",
    )
    assert r.status == "handled" and r.handled_by_id == site.staff["E01"].id
    assert r.received_at == site.clock.now() and r.desk_id == site.engineering.id
