"""What F2 reminds the person at the desk of, keys only: the overdue-round banner
and log from the app's own idle tick (SE-3), swap requests waiting (CS8).
"""

from __future__ import annotations

import datetime as dt

from dutydesk.domain import patrols, roster, shifts
from dutydesk.models import AuditEvent, PatrolRound
from tests.helpers.patrol import guard_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


async def test_se3_late_start_clears_the_overdue_banner_and_tick_logs_it_once(site):
    """The app's own tick (not F3) logs the overdue round once and raises the banner;
    starting it late means it is no longer overdue: after acknowledging, no new banner."""
    guard_route(site)
    site.clock.set("2026-12-01 07:30")
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-01 10:20")
        app._idle_tick()
        await pilot.pause()
        assert "overdue" in screen_text(app)
        site.clock.advance(minutes=1)
        app._idle_tick()
        await pilot.pause()
        assert AuditEvent.select().where(AuditEvent.action == "patrol.round_overdue").count() == 1
        await pilot.press("f10")  # acknowledge
        await pilot.pause()
        site.clock.set("2026-12-01 10:30")
        first = PatrolRound.select().order_by(PatrolRound.due_at)[0]
        patrols.start_round(app.actor, first.id)  # started late
        app._idle_tick()
        await pilot.pause()
        assert app.alerts == []
        text = screen_text(app)
        assert "0 of 2 rounds done" in text and "overdue" not in text
        assert "next due 14:00" in text


def _cover_request(site):
    early = shifts.planned_on(site.security.id, dt.date(2026, 12, 3), "early")
    slot = roster.assign(
        site.actor("S01"),
        site.security.id,
        early.template_id,
        early.business_date,
        site.staff["G01"].id,
    )
    return roster.request_cover(site.actor("G01"), slot.entry_id, site.staff["G02"].id, "wedding")


async def test_cs8_swap_request_waits_for_the_colleague_on_f2(site):
    _cover_request(site)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G02", PIN)
        text = screen_text(app)
        assert "1 swap request waits for you — F7" in text
        assert "Swap requests to decide" not in text  # not a supervisor


async def test_cs8_pending_swap_requests_on_the_supervisors_f2(site):
    req = _cover_request(site)
    app = make_app(site, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "S01", PIN)
        text = screen_text(app)
        assert "Swap requests to decide" in text
        assert f"#{req.id}" in text and "G01" in text and "G02" in text
        assert "waiting for colleague" in text
