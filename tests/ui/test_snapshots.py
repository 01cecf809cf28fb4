"""Snapshots at 80×24 of the lock screen and the shift screen (FixedClock: stable).

Each also asserts the key text on screen, so a snapshot accepted by mistake
cannot hide a missing feature. Baselines: ``pytest --snapshot-update``, reviewed.
"""

from __future__ import annotations

import datetime as dt

from dutydesk.domain import shifts
from dutydesk.models import DutyLogEntry, RosterEntry, ShiftTemplate
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


def test_lock_screen_snapshot(site, snap_compare):
    app = make_app(site)

    async def check(pilot):
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Staff number" in text and "PIN" in text
        assert "Security booth · Main gate" in text
        assert "Early  07:30–16:00" in text  # the site's zone, not UTC

    assert snap_compare(app, terminal_size=SIZE, run_before=check)


def test_shift_screen_snapshot(site, snap_compare):
    early = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == "early")
    )
    for no in ("G01", "G02"):
        RosterEntry.create(
            template=early,
            business_date=dt.date(2026, 12, 1),
            staff=site.staff[no].id,
            created_at=site.clock.now(),
        )
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    DutyLogEntry.create(
        desk=site.security.id,
        shift=shift.id,
        author=site.staff["G01"].id,
        created_at=site.clock.now(),
        occurred_at=site.clock.now(),
        text="Gate 3 checked, all quiet [bold]",
    )
    app = make_app(site)

    async def check(pilot):
        await login(pilot, "G01", PIN)
        text = screen_text(pilot.app)
        assert "G01 Guard Wang" in text and "G02 Guard Zhao" in text
        assert "Early  07:30–16:00  6 h 0 min left" in text
        assert "Gate 3 checked, all quiet [bold]" in text

    assert snap_compare(app, terminal_size=SIZE, run_before=check)
