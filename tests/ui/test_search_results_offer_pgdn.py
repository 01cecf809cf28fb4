"""F8 search: once the results are in, the key bar offers PgDn when there is a next
page (the key works, so it is shown)."""

from __future__ import annotations

from dutydesk.domain import logs
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


async def test_search_results_show_pgdn_in_the_key_bar(site):
    start = site.clock.now().shift(days=-1)
    for i in range(30):
        logs.add(
            site.actor("G02"), "duty", {"occurred_at": start.shift(minutes=i), "text": f"gate {i}"}
        )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f8", "slash")
        await type_text(pilot, "gate")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "30 found" in screen_text(app), "the results")
        await pilot.pause()
        bar = "\n".join(screen_text(app).splitlines()[-3:])
        assert "PgDn" in bar, bar
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: "page 2" in screen_text(app), "page 2")
