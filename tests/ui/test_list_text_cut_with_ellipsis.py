"""At 80 columns a list's free text gets the room the other columns leave, and text
cut to its column ends with "…" (no bare cut word, no sideways scrolling)."""

from __future__ import annotations

from dutydesk.app import DutyDeskApp
from dutydesk.domain import incidents, repairs
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until


async def test_f6_cells_cut_end_with_an_ellipsis(site):
    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2 by the long fence near the car park entrance",
            category="fire",
            subcategory="fire.alarm",
            description="Smoke seen rising from the bins behind the canteen kitchen door",
        ),
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "F6")
        table = app.screen.table
        assert table.max_scroll_x == 0
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "Fire" in line)
        assert "…" in row
        assert "Incident" in row or "Inciden" not in row.replace("…", "")


async def test_repair_problem_cut_with_an_ellipsis_and_no_sideways_scroll(site):
    actor = site.actor("E01", desk=site.engineering)
    problem = "Water leaking through the ceiling of room 302 onto the server rack below"
    repairs.create_repair(actor, {"received_at": site.clock.now(), "problem": problem})
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=180
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "E01", PIN)
        await pilot.press("f6", "8")
        await wait_until(pilot, lambda: "Water leaking" in screen_text(app), "the repairs")
        await pilot.pause()
        table = app.screen.table
        assert table.max_scroll_x == 0
        row = next(line for line in screen_text(app).splitlines() if "Water" in line)
        assert row.rstrip().endswith("…")
