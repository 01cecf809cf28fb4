"""At 80 columns: the header keeps the logged-in person's number and name in full
(the desk's long location gives way first), and F7's key bar in Chinese keeps the
week keys (PgUp/PgDn as one entry) beside a supervisor's editing keys."""

from __future__ import annotations

from typing import Any

from dutydesk.models import Desk
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until

LONG_PLACE = "Building 3 east wing / ground floor / by the car-park barrier"


def _header(app: Any) -> str:
    return screen_text(app).splitlines()[0]


async def test_header_keeps_the_person_in_full_and_gives_way_with_the_location(site):
    Desk.update(location=LONG_PLACE).where(Desk.id == site.security.id).execute()
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await wait_until(pilot, lambda: "S01" in _header(app), "the person in the header")
        header = _header(app)
        assert "S01 Supervisor Sun" in header
        assert "Security booth" in header and "…" in header  # the location gave way
        assert "2026-12-01" in header  # the clock still shows


async def test_chinese_roster_key_bar_keeps_the_week_keys_for_a_supervisor(site):
    app = make_app(site, lang="zh", lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await pilot.press("f7")
        await wait_until(pilot, lambda: "排班" in screen_text(app), "the roster")
        await pilot.pause()
        keys = screen_text(app).splitlines()[-2]
        assert "PgUp/PgDn" in keys and "上/下周" in keys
        assert "排班" in keys and "轮班" in keys  # a supervisor's keys are still there
        await pilot.press("pagedown")  # and the key does what the bar says
        await pilot.pause()
