"""F8 search and reports: Chinese 1-, 2-, 3+-character words and English, hits
highlighted as styles (never markup), Enter opens the record; overdue written
reports of every desk (CS6)."""

from __future__ import annotations

import pytest

from dutydesk.domain import incidents, logs, search
from dutydesk.screens.reports import HIT_STYLE, ResultTable, highlighted
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

# The same screens on both engines (a smoke test of the kiosk on a PostgreSQL site server).
pytestmark = pytest.mark.both_backends


def test_duty_and_phone_entries_are_indexed_when_written(site):
    """logs.add indexes duty and phone entries in the same write (F8 finds them)."""
    actor = site.actor("G01")
    duty = logs.add(actor, "duty", {"occurred_at": site.clock.now(), "text": "东门巡查发现积水"})
    call = logs.add(actor, "phone", {"call_at": site.clock.now(), "content": "Lift stuck on 5F"})
    assert [(h.kind, h.ref_id) for h in search.search("积水").hits] == [("duty", duty.id)]
    assert [(h.kind, h.ref_id) for h in search.search("lift").hits] == [("phone", call.id)]
    assert search.search("西门").hits == []


def test_highlight_styles_spans_and_keeps_markup_literal():
    text = highlighted("[bold]火警[/bold] \x1b alarm", [(6, 8), (17, 22)])
    assert text.plain == "[bold]火警[/bold] \u241b alarm"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [
        (6, 8, HIT_STYLE),
        (17, 22, HIT_STYLE),
    ]


async def test_search_finds_chinese_and_english_and_opens_the_record(site):
    actor = site.actor("G02")
    incidents.create_incident(
        actor,
        incidents.IncidentFields(place="3号楼", category="theft", description="电动车被盗 [x]"),
    )
    logs.add(
        actor, "duty", {"occurred_at": site.clock.now(), "text": "消防通道堵塞 smoke detector"}
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f8")
        await pilot.pause()
        for query, expected in (
            ("盗", "电动车被盗 [x]"),  # one character
            ("消防", "消防通道堵塞"),  # two
            ("电动车", "电动车被盗"),  # three
            ('"smoke* (detector', "smoke detector"),  # FTS syntax is only text
        ):
            await pilot.press("slash", "home", "ctrl+k")
            await type_text(pilot, query)
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert "1 found" in text and expected in text, query
        table = app.screen.query_one(ResultTable)
        cell = table.get_cell_at((0, 2))
        assert any(str(s.style) == HIT_STYLE for s in cell.spans)
        await pilot.press("enter")  # the duty-log entry, read-only
        await pilot.pause()
        assert "Duty log #" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("slash", "home", "ctrl+k")
        await type_text(pilot, "不存在的词")
        await pilot.press("enter")
        await pilot.pause()
        assert "0 found" in screen_text(app)


async def test_overdue_reports_of_every_desk_listed_cs6(site):
    incidents.create_incident(
        site.actor("E01", site.engineering),
        incidents.IncidentFields(
            place="Pump room", category="water", description="Burst", severity="major"
        ),
        [incidents.NotificationFields(role="supervisor", name="S01")],
    )
    site.clock.advance(minutes=3 * 24 * 60)
    app = make_app(site, lock_after=10**9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f8", "2")
        await pilot.pause()
        text = screen_text(app)
        assert "1 overdue" in text and "Pump room" in text
        await pilot.press("3")
        await pilot.pause()
        assert "Pump room" in screen_text(app)  # open incidents of every desk


async def test_a_search_without_hits_gives_the_keys_back_to_the_screen(site):
    """After a search that finds nothing the cursor leaves the box: 2 opens the overdue
    reports instead of being typed into the query; Esc also leaves the box."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f8", "slash")
        await type_text(pilot, "hydrant")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert screen.query_text == "hydrant" and screen.view == "overdue"
        await pilot.press("slash")
        await type_text(pilot, "x")
        await pilot.press("escape", "3")
        await pilot.pause()
        assert screen.view == "open"
        assert screen.query_one("#search-input").value == "x"  # the 3 was not typed in
