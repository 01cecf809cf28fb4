"""Snapshot of the new-incident form at 80×24 (FixedClock: stable), asserting its key text.

Baseline: ``pytest --snapshot-update``, reviewed.
"""

from __future__ import annotations

from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


def test_incident_form_snapshot(site, snap_compare):
    app = make_app(site)

    async def check(pilot):
        await login(pilot, "G01", PIN)
        await pilot.press("f4", "n")
        await pilot.pause()
        await type_text(pilot, "Smoke detector went off")  # the main text field
        await pilot.press("shift+tab", "shift+tab")
        await type_text(pilot, "B2 car park")
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "New incident" in text and "Occurred at *      2026-12-01 10:00" in text
        assert "Place *            B2 car park" in text
        for label in ("Nature *", "What happened *", "Severity *", "Status *"):
            assert label in text
        assert "Who was told (Ctrl+O): nobody yet" in text
        assert "Not reported to anyone yet" in text and "Ctrl+S  Save" in text

    assert snap_compare(app, terminal_size=SIZE, run_before=check)
