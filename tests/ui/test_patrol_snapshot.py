"""Snapshot of the patrol checklist (F3) at 80×24 with a fixed clock.

The baseline SVG was reviewed by eye; the test also asserts the key text, so a
baseline accepted by mistake cannot hide a missing round, check or key.
"""

from __future__ import annotations

from typing import Any

from dutydesk.domain import shifts
from tests.helpers.patrol import guard_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


def test_patrol_screen_80x24(site: Any, snap_compare: Any) -> None:
    """SE-3: this shift's rounds with due time, tolerance and state; the round in
    progress with its checks in walking order and their marks; only working keys."""
    guard_route(site)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lock_after=100_000)
    seen: list[str] = []

    async def walk_part_of_a_round(pilot: Any) -> None:
        await login(pilot, "G01", PIN)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("enter")  # start the round due at 10:00
        await pilot.press("o")  # Main gate OK
        await pilot.press("x")  # Lobby doors: a problem
        await type_text(pilot, "glass cracked")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")  # no incident for this one (the incident offer after x)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()
        seen.append(screen_text(pilot.app))

    assert snap_compare(app, terminal_size=SIZE, run_before=walk_part_of_a_round)
    text = seen[0]
    for expected in (
        "0 of 2 rounds done",
        "10:00  ±15   in progress  2/4",
        "14:00  ±15   upcoming     0/4",
        "Main gate",
        "✓ OK",
        "✗ glass cracked",
        "4 pcs",
        "on at 18:30",
        "checks left to mark: 2",
        " r  Reading ",
        " s  Skip check ",
    ):
        assert expected in text, expected
    assert "Finish round" not in text  # two checks are still to mark
    assert "Start round" not in text  # a round is in progress
