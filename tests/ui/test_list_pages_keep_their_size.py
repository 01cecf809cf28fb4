"""Going back a page keeps the page size: every page of a list is as long as the room
the screen gives the table (docs/keys.md, "Terminal size"), whether the page shown
before was full or not, and PgDn after PgUp shows every record (none is skipped)."""

from __future__ import annotations

from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.domain import incidents as inc
from dutydesk.domain import logs, patrols, shifts
from dutydesk.i18n import set_language
from tests.helpers.incidents import fire_alarm
from tests.helpers.patrol import add_checkpoint, add_schedule, open_patrol
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


def _visitors(site: Any, count: int) -> None:
    start = site.clock.now().shift(days=-1)
    for i in range(count):
        logs.add(
            site.actor("G02"),
            "visitor",
            {"name": f"Guest {i:02d}", "time_in": start.shift(minutes=i)},
        )


def _names(app: Any) -> list[str]:
    return [e.values["name"] for e in app.screen.table.items.values()]


async def _page(pilot: Any, key: str, page: int) -> list[str]:
    await pilot.press(key)
    await wait_until(pilot, lambda: f"page {page}" in screen_text(pilot.app), f"page {page}")
    return _names(pilot.app)


async def test_pgup_from_a_short_last_page_keeps_the_page_size(site):
    _visitors(site, 62)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "the list")
        await pilot.press("3")
        await wait_until(pilot, lambda: "Guest 61" in screen_text(app), "the visitors")
        first = _names(app)
        size = len(first)
        assert size >= 10
        seen = list(first)
        page = 1
        while len(seen) < 62:
            page += 1
            seen += await _page(pilot, "pagedown", page)
        assert seen == [f"Guest {i:02d}" for i in range(61, -1, -1)]
        assert len(_names(app)) < size  # the last page is short
        back = await _page(pilot, "pageup", page - 1)
        assert len(back) == size
        assert back == seen[(page - 2) * size : (page - 1) * size]
        last = await _page(pilot, "pagedown", page)
        assert last == seen[(page - 1) * size :]
        # Another kind, from its first page: still full pages.
        await pilot.press("1")
        await pilot.press("3")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "page 1")
        await wait_until(pilot, lambda: _names(app) == first, "the first page again")
        assert "Guest 61" in screen_text(app)
        shown = [n for n in first if n in screen_text(app)]
        assert shown == first  # every row of the page fits the screen


async def test_a_short_filtered_list_does_not_shrink_the_next_pages(site):
    _visitors(site, 40)
    logs.add(
        site.actor("G02"),
        "visitor",
        {"name": "Early one", "time_in": site.clock.now().shift(days=-5)},
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f6", "3")
        await wait_until(pilot, lambda: "Guest 39" in screen_text(app), "the visitors")
        size = len(_names(app))
        day = site.clock.now().shift(days=-5).format("YYYY-MM-DD")
        await pilot.press("slash")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FormScreen", "the filter")
        await type_text(pilot, day)
        await pilot.press("tab")
        await type_text(pilot, day)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _names(app) == ["Early one"], "the filtered list")
        await pilot.press("slash")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FormScreen", "the filter")
        for _i in range(12):
            await pilot.press("backspace")
        await pilot.press("tab")
        for _i in range(12):
            await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Guest 39" in screen_text(app), "the whole list")
        assert len(_names(app)) == size


async def test_the_operation_log_page_fits_its_room(site):
    """F3 ``l``: the first page is as long as the table shows, nothing to scroll to
    (a row below the bottom was seen only after End, and PgDn then skipped it)."""
    for code, name, unit, low, high in (
        ("T1", "Transformer 1", "°C", 0, 85),
        ("V1", "Volts", "V", 0, 500),
    ):
        add_checkpoint(
            site,
            code,
            "reading",
            desk=site.engineering,
            name=name,
            unit=unit,
            range_min=low,
            range_max=high,
            area="B1",
            position=1 if code == "T1" else 2,
        )
    add_schedule(site, desk=site.engineering, name="Round", kind="fixed", times=("10:00", "14:00"))
    actor = site.actor("E01", site.engineering)
    start = site.clock.now()
    for day in range(12, 0, -1):
        site.clock.set(start.shift(days=-day).replace(hour=10, minute=0))
        shift = shifts.open_without_handover(actor, "history")
        r = patrols.ensure_rounds(shift.id, actor)[0]
        patrols.start_round(actor, r.id)
        t1, v1 = patrols.round_checks(r.id)
        patrols.mark_reading(actor, t1.id, "60")
        patrols.mark_reading(actor, v1.id, "380")
        patrols.finish_round(actor, r.id)
    site.clock.set(start)
    set_language("en")
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=100_000
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "E01")
        await pilot.press("l")
        await wait_until(pilot, lambda: "Equipment operation log" in screen_text(app), "the log")
        await pilot.pause()
        table = app.screen.query_one("ReadingsTable")
        assert len(app.screen.rows) >= 10
        assert table.max_scroll_y == 0 and table.max_scroll_x == 0


async def test_a_full_page_leaves_room_for_a_two_line_key_bar(site, monkeypatch):
    """A page is sized for the key bar at its tallest (two lines): the list is loaded
    once and fits, instead of overflowing the screen once the bar takes its second
    line (the screen would scroll, narrow the table and load the page again)."""
    for i in range(40):
        inc.create_incident(site.actor("G01"), fire_alarm(place=f"Gate {i:02d}"))
    loads: list[int] = []
    real = inc.list_incidents

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(inc, "list_incidents", counted)
    app = make_app(site)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Gate 39" in screen_text(app), "the incidents")
        for _ in range(5):
            await pilot.pause()
        table = app.screen.query_one("#incidents-table")
        assert app.screen.max_scroll_y == 0  # it fits: no scrolling, no scrollbar
        assert table.size.width == 120  # the full width, never narrowed by a scrollbar
        assert table.row_count >= 30
        assert len(loads) == 1  # loaded once, not again shorter
