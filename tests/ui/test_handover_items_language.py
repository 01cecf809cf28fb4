"""F5 at 80×24: items about a patrol round or a count read in the person's language,
with what the count should have been."""

from __future__ import annotations

import pytest

from dutydesk.domain import shifts
from dutydesk.screens.handover.rows import Row
from tests.helpers.patrol_items import skipped_round_and_short_count
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


@pytest.mark.parametrize(
    "lang, reading, skipped",
    [
        ("en", "Warehouse spare extinguishers: 11 具 (expected 12 具)", "Scheduled patrol 14:00"),
        ("zh", "仓库备用灭火器: 11 具 (应为 12 具)", "定时巡查 14:00"),
    ],
)
async def test_f5_items_in_the_persons_language(site, lang, reading, skipped):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    skipped_round_and_short_count(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.pause()
        rows = "\n".join(r.body.plain for r in app.screen.query(Row) if r.item is not None)
        text = screen_text(app)
    assert reading in rows and skipped in rows
    assert "(–)" not in rows
    assert reading in text or skipped in text  # on the 24 lines, not only in the list
