"""Snapshot at 80×24 of the handover screen (F5), blocked by an incident being handled.

FixedClock: stable. The key text is also asserted, so a baseline accepted by
mistake cannot hide a missing feature. Baseline: ``pytest --snapshot-update``, reviewed.
"""

from __future__ import annotations

from typing import Any

from dutydesk.db import write
from dutydesk.domain import incidents, roster, shifts
from dutydesk.domain.incidents import IncidentFields
from dutydesk.models import KeyLoan
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


def test_handover_screen_blocked_snapshot(site: Any, snap_compare: Any) -> None:
    early = shifts.planned_at(site.security.id, site.clock.now())
    roster.assign(
        site.actor("S01"),
        site.security.id,
        early.template_id,
        early.business_date,
        site.staff["G01"].id,
    )
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:30")
    with write():
        KeyLoan.create(
            desk=site.security.id,
            shift=shift.id,
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            key_name="Boiler room",
            borrower="Plumber Liu",
            out_at=site.clock.now(),
        )
    incidents.create_incident(
        site.actor("G01"),
        IncidentFields(
            place="Gate 2",
            category="fire",
            subcategory="fire.alarm",
            description="Smoke alarm",
            status="handling",
        ),
    )
    app = make_app(site, lock_after=100_000)

    async def check(pilot: Any) -> None:
        await login(pilot, "G01", PIN)
        await pilot.press("f5", "s")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "Step 2 · Signing is blocked (1)" in text
        assert "⛔ EN-8.6.2  Incident being handled: Gate 2 — Smoke alarm" in text
        assert "Finish handling it on F4" in text
        assert "Outgoing: G01 Guard Wang  started 15:30" in text
        assert "Key lent out: Boiler room → Plumber Liu" in text

    assert snap_compare(app, terminal_size=SIZE, run_before=check)
