"""SG-5: night presence checks every N minutes, within 5 minutes, driven by the clock."""

from __future__ import annotations

from dutydesk.models import AuditEvent, PresenceCheck
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def test_presence_check_due_confirmed_then_missed(site):
    site.clock.set("2026-12-02 00:30")  # the security night shift 00:00–07:30
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        app._idle_tick()
        await pilot.pause()
        assert PresenceCheck.select().count() == 0  # first check 60 min into the shift
        site.clock.set("2026-12-02 01:00")
        app._idle_tick()
        await pilot.pause()
        assert type(app.screen).__name__ == "PresenceDialog"
        assert "Presence check" in screen_text(app)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ShiftScreen"
        first = PresenceCheck.get()
        assert first.confirmed_at is not None and first.staff_id == site.staff["G01"].id

        site.clock.set("2026-12-02 02:00")
        app._idle_tick()
        await pilot.pause()
        await pilot.press("escape")  # not answered
        await pilot.pause()
        site.clock.set("2026-12-02 02:05")
        app._idle_tick()
        await pilot.pause()
        assert "presence check was missed" in screen_text(app)
        await pilot.press("f10")  # the banner stays until acknowledged with a key
        await pilot.pause()
        assert "presence check was missed" not in screen_text(app)
        assert "Missed presence checks: 0" not in screen_text(app)
    missed = PresenceCheck.get(PresenceCheck.due_at == site.clock.now().shift(minutes=-5))
    assert missed.missed and missed.confirmed_at is None
    assert AuditEvent.select().where(AuditEvent.action == "presence.missed").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "presence.confirm").count() == 1


async def test_missed_check_is_shown_to_the_supervisor(site):
    site.clock.set("2026-12-02 01:00")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        app._idle_tick()  # due while the screen is locked
        await pilot.pause()
        assert "Presence check" in screen_text(app)
        site.clock.set("2026-12-02 01:06")
        app._idle_tick()
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        text = screen_text(app)
        assert "Missed presence checks:" in text and "12-02 01:00" in text


async def test_login_while_a_check_waits_confirms_it(site):
    site.clock.set("2026-12-02 01:01")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        app._idle_tick()
        await pilot.pause()
        await login(pilot, "G02", PIN)
        assert type(app.screen).__name__ == "ShiftScreen"
    check = PresenceCheck.get()
    assert check.confirmed_at is not None and check.staff_id == site.staff["G02"].id
