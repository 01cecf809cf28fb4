"""The site server goes away while a guard types an entry (PostgreSQL site).

The kiosk shows "no connection to the site database since HH:MM", keeps the
half-typed entry on screen, refuses the save with a message, reconnects by itself
once the server is back, and the same Ctrl+S then saves the entry exactly once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dutydesk.models import DutyLogEntry
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

pytestmark = pytest.mark.both_backends("postgresql")


async def test_entry_survives_a_lost_server_and_is_saved_once(site, pg_cluster):
    app = make_app(site)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Gate 2 checked")
        pg_cluster.stop()
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            # The refused save keeps the entry in the local drafts file at once (before
            # the form's one-second draft timer, and not only at the next lock).
            kept = Path(os.environ["DUTYDESK_OFFLINE_DRAFTS"])
            assert "Gate 2 checked" in kept.read_text(encoding="utf-8")
            await pilot.pause(1.2)  # the kiosk's one-second tick notices
            await pilot.pause()
            text = screen_text(app)
            # The standing warning (banner on the desk screens, a note over this form)…
            assert app.warnings == ["No connection to the site database since 10:00"]
            assert "No connection to the site database" in text and "since 10:00" in text
            # …and the refused save's own message beside the form.
            assert "try again in a moment" in text
            assert "Gate 2 checked" in text  # the half-typed entry is still there
        finally:
            pg_cluster.start()
        site.clock.advance(seconds=5)  # the next reconnect try
        await pilot.pause(1.2)
        assert app.warnings == []
        assert "is back" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "try again in a moment" not in screen_text(app)
    rows = list(DutyLogEntry.select())
    assert [r.text for r in rows] == ["Gate 2 checked"]


async def test_a_screen_opened_while_the_server_is_away_does_not_end_the_kiosk(site, pg_cluster):
    app = make_app(site)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        pg_cluster.stop()
        try:
            await pilot.press("f4")  # the incidents screen reads the database
            await pilot.pause(1.2)
            assert app.is_running and app.return_code is None
            assert app.warnings == ["No connection to the site database since 10:00"]
        finally:
            pg_cluster.start()
        site.clock.advance(seconds=5)
        await pilot.pause(1.2)
        assert app.warnings == []
        await pilot.press("f4")
        await pilot.pause()
        assert "Incidents" in screen_text(app)
