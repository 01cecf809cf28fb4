"""F3 numbers a round's checks 1..N in walking order, whatever positions are stored (SE-3)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from dutydesk.domain import patrols, shifts
from dutydesk.models import PatrolCheck, PatrolRound
from dutydesk.screens.patrol import CheckTable
from tests.helpers.patrol import guard_route, open_patrol
from tests.helpers.ui import SIZE, make_app


def _numbers(app: Any) -> list[str]:
    table: DataTable[Any] = app.screen.query_one(CheckTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_f3_numbers_checks_one_to_n_before_and_after_start_se3(site):
    """SE-3: the checklist reads #1..#4 in walking order, before and after the start,
    also when the stored positions count from 1 (as the demo import stores them)."""
    guard_route(site)
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    patrols.ensure_rounds(shift.id, site.actor("G01"))
    PatrolCheck.update(position=PatrolCheck.position + 1).execute()  # stored 1..4
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "G01")
        assert _numbers(app) == ["1", "2", "3", "4"]
        await pilot.press("enter")  # start the round due now
        await pilot.pause()
        assert _numbers(app) == ["1", "2", "3", "4"]
    assert PatrolRound.select().where(PatrolRound.started_at.is_null(False)).count() == 1
