"""F3 at 80×24: after a correction the detail line under the checks grows (the
reason is shown); the corrected check's row stays on screen with the cursor on it."""

from __future__ import annotations

from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.domain import patrols, shifts
from dutydesk.i18n import set_language
from tests.helpers.patrol import add_checkpoint, add_schedule, open_patrol
from tests.helpers.ui import SIZE, screen_text, type_text, wait_until

CHECKS = 14
TIMES = ("10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00")


def _long_route(site: Any) -> None:
    for n in range(1, CHECKS + 1):
        add_checkpoint(
            site,
            f"T{n}",
            "reading",
            desk=site.engineering,
            name=f"Transformer {n}",
            unit="°C",
            range_min=0,
            range_max=85,
            area=f"Building 1 / B1 / switch room {n} by the east stairs",
            position=n,
        )
    add_schedule(site, desk=site.engineering, name="Readings", kind="fixed", times=TIMES)


def _row_shown(app: Any, number: int) -> bool:
    return any(line.strip().startswith(f"{number} ") for line in screen_text(app).splitlines())


async def test_corrected_check_stays_in_view_after_the_detail_grows(site):
    _long_route(site)
    shifts.open_without_handover(site.actor("E01", site.engineering), "first shift")
    set_language("en")
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=100_000
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrol(pilot, "E01")
        await pilot.press("enter")  # start the round
        await pilot.pause()
        for _ in range(CHECKS):
            await pilot.press("r")
            await type_text(pilot, "40")
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("f")
        await wait_until(
            pilot,
            lambda: screen.round is not None and screen.round.state == patrols.DONE,
            "the round finished",
        )
        app.screen.query_one("CheckTable").focus()
        await pilot.press("end")
        await pilot.pause()
        assert _row_shown(app, CHECKS)
        await pilot.press("c")
        await wait_until(
            pilot,
            lambda: "Say why" in screen_text(app) or "reason" in screen_text(app).lower(),
            "the correction form",
        )
        await type_text(pilot, "misread by the night guard at the east stairs")
        await pilot.press("tab", "tab")  # past the mark choice to the value
        await type_text(pilot, "4")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "corrected:" in screen_text(app), "the correction shown")
        await pilot.pause()
        table = app.screen.query_one("CheckTable")
        assert table.cursor_row == CHECKS - 1
        assert _row_shown(app, CHECKS), screen_text(app)
