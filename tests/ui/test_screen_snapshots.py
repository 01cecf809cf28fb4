"""Snapshots at 80×24 of F2, F3, F4, F5 and F6 in English and Chinese (FixedClock).

Each asserts that the key bar takes at most two lines and that every line of it
fits the width (so no key is parted from its label; docs/keys.md: at 80 columns),
besides what the screen must show. Baselines: ``pytest --snapshot-update``,
reviewed by eye before they are committed.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.domain import logs, shifts
from dutydesk.widgets.keybar import KeyBar
from tests.helpers.patrol import desk_day_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text

SCREENS = {
    "f2": ("ShiftScreen", {"en": "Carried over", "zh": "上一班遗留事项"}),
    "f3": ("PatrolScreen", {"en": "Gate round", "zh": "Gate round"}),
    "f4": ("IncidentsScreen", {"en": "Fight at gate 2", "zh": "Fight at gate 2"}),
    "f5": ("HandoverScreen", {"en": "Press s to start", "zh": "按 s"}),
    "f6": ("LogsScreen", {"en": "Gate 3 checked", "zh": "Gate 3 checked"}),
}


def _day(site: Any) -> None:
    """G01's early shift open at 10:00 with a round due, an incident, a duty-log line."""
    from dutydesk.domain import incidents

    desk_day_route(site, times=("10:00", "14:00"))
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    logs.add(site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": "Gate 3 checked"})
    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2", category="fire", subcategory="fire.alarm", description="Fight at gate 2"
        ),
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", list(SCREENS))
def test_screen_snapshot_80x24(site: Any, snap_compare: Any, key: str, lang: str) -> None:
    _day(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    name, expected = SCREENS[key]

    async def show(pilot: Any) -> None:
        await login(pilot, "G01", PIN)
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == name
        bar = pilot.app.screen.query_one(KeyBar)
        lines = bar.render_keys().plain.split("\n")
        assert len(lines) <= 2 and bar.region.height <= 2
        assert all(len(line) <= SIZE[0] - 2 for line in lines)
        assert expected[lang] in screen_text(pilot.app)

    assert snap_compare(app, terminal_size=SIZE, run_before=show)
