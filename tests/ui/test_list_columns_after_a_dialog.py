"""A list loaded again after a dialog shows its short columns whole: the ``#`` of
a record, its time and status are measured anew on every load (never frozen from
an earlier, narrower render)."""

from __future__ import annotations

from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.domain import repairs
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, screen_text, type_text, wait_until


def _on(app: Any, screen: str) -> bool:
    current = app.screen
    return (
        type(current).__name__ == screen
        and current.is_mounted
        and app.focused is not None
        and app.focused.screen is current
    )


def _row(app: Any, number: int) -> str:
    """The screen line of the record ``number`` (its # first)."""
    lines = [line.strip() for line in screen_text(app).splitlines()]
    return next((line for line in lines if line.startswith(f"{number} ")), "")


async def test_repair_list_shows_whole_ids_after_a_dialog(site):
    actor = site.actor("E01", desk=site.engineering)
    for i in range(10):
        repairs.create_repair(actor, {"received_at": site.clock.now(), "problem": f"Leak {i}"})
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
        await type_text(pilot, "Tap leaking")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _on(app, "RepairsScreen"), "the list again")
        await wait_until(pilot, lambda: "Tap leaking" in _row(app, 11), "the new request")
        await pilot.press("x")
        await wait_until(pilot, lambda: _on(app, "ActionPrompt"), "the reason prompt")
        await type_text(pilot, "No spare part")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _on(app, "RepairsScreen"), "the list again")
        await wait_until(pilot, lambda: "Not handled" in _row(app, 11), "the status")
        assert "Leak 9" in _row(app, 10)
        time = site.clock.now().to(str(site.clock.tz)).format("MM-DD HH:mm")
        assert time in _row(app, 11)
