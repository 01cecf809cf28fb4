"""Lock screen and sessions: login, wrong PIN, lockout, inactive staff, F12 / Ctrl+L,
idle lock by the app's own tick, roster deviation, forced PIN change, language.

Keys only (pilot.press), then the screen and the database are checked.
"""

from __future__ import annotations

import datetime as dt

from dutydesk.domain.staff import reset_pin, set_active
from dutydesk.models import AuditEvent, LoginSession, RosterEntry, ShiftTemplate, Staff
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


def screen_name(app) -> str:
    return type(app.screen).__name__


def roster(site, staff_no: str, code: str = "early", day: dt.date = dt.date(2026, 12, 1)):
    template = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == code)
    )
    RosterEntry.create(
        template=template,
        business_date=day,
        staff=site.staff[staff_no].id,
        created_at=site.clock.now(),
    )


async def test_login_reaches_shift_screen_and_starts_a_session(site):
    """Staff number, Tab, PIN, Enter: G01 reaches F2, shown as logged in."""
    roster(site, "G01")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(app) == "LockScreen"
        text = screen_text(app)
        assert "Security booth" in text and "Early" in text and "10:00" in text.replace(" ", "")
        await login(pilot, "G01", PIN)
        assert screen_name(app) == "ShiftScreen"
        text = screen_text(app)
        assert "G01 Guard Wang" in text
        assert "not on roster" not in text
    session = LoginSession.get()
    assert session.staff_id == site.staff["G01"].id
    assert session.desk_id == site.security.id and session.on_roster
    assert AuditEvent.select().where(AuditEvent.action == "login.ok").count() == 1
    # Logging in never opens a shift.
    assert AuditEvent.select().where(AuditEvent.action == "shift.open").count() == 0


async def test_wrong_pin_shows_message_beside_the_field(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", "9999")
        assert screen_name(app) == "LockScreen" and app.staff is None
        assert "Wrong staff number or PIN" in screen_text(app)
    fail = AuditEvent.get(AuditEvent.action == "login.fail")
    assert fail.staff_no == "G01"


async def test_five_wrong_pins_lock_the_number(site):
    """5 failures in a row lock G02 for 5 minutes; each failure is an audit event."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        for _attempt in range(5):  # a wrong PIN clears both fields: retype both
            await login(pilot, "G02", "1111")
        assert "locked" in screen_text(app)
        # The right PIN is refused while locked.
        await login(pilot, "G02", PIN)
        assert app.staff is None
        assert "or the number is locked" in screen_text(app)
    fails = list(
        AuditEvent.select().where(
            (AuditEvent.action == "login.fail") & (AuditEvent.staff_no == "G02")
        )
    )
    assert len(fails) == 6
    assert [f.new["why"] for f in fails] == ["pin"] * 5 + ["locked"]
    assert fails[4].new["locked"] == 5  # minutes
    assert Staff.get(Staff.staff_no == "G02").locked_until is not None


async def test_inactive_staff_cannot_log_in(site):
    set_active(site.actor("S01"), site.staff["G02"].id, False)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G02", PIN)
        assert app.staff is None
        assert "not active" in screen_text(app)


async def test_f12_locks_and_ends_the_session(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.press("f12")
        await pilot.pause()
        assert screen_name(app) == "LockScreen" and app.staff is None
        # The next person does not get the previous person's screens.
        assert "logs" not in app._screen_stacks
        await login(pilot, "G02", PIN)
        assert screen_name(app) == "ShiftScreen"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen_name(app) == "LockScreen"
    ends = [s.end_reason for s in LoginSession.select().order_by(LoginSession.id)]
    assert ends == ["lock", "lock"]


async def test_idle_lock_by_the_apps_own_tick(site):
    """No key for lock_after seconds of the (fixed) clock → the tick locks the screen."""
    app = make_app(site, lock_after=180)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.advance(seconds=179)
        app._idle_tick()
        await pilot.pause()
        assert app.staff is not None
        await pilot.press("f2")  # a key resets the idle time
        site.clock.advance(seconds=179)
        app._idle_tick()
        await pilot.pause()
        assert app.staff is not None
        site.clock.advance(seconds=2)
        app._idle_tick()
        await pilot.pause()
        assert app.staff is None and screen_name(app) == "LockScreen"
    session = LoginSession.get()
    assert session.end_reason == "idle"
    assert session.ended_at == site.clock.now()


async def test_not_on_roster_is_let_in_and_recorded(site):
    """CS1 / SE-3: G02 is not rostered on the early shift: let in, shown, recorded."""
    roster(site, "G01")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G02", PIN)
        assert screen_name(app) == "ShiftScreen"
        assert "not on roster" in screen_text(app)
    session = LoginSession.get()
    assert session.on_roster is False
    deviation = AuditEvent.get(AuditEvent.action == "session.not_on_roster")
    assert deviation.staff_id == site.staff["G02"].id
    assert deviation.record_id == session.id


async def test_reset_pin_forces_a_change_at_next_login(site):
    reset_pin(site.actor("S01"), site.staff["G01"].id, "4826")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", "4826")
        assert screen_name(app) == "ChangePinDialog"
        await pilot.press("escape")  # cannot be skipped
        assert screen_name(app) == "ChangePinDialog"
        await type_text(pilot, "4826")
        await pilot.press("enter")
        await type_text(pilot, "7391")
        await pilot.press("enter")
        await type_text(pilot, "7391")
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ShiftScreen"
    assert Staff.get(Staff.staff_no == "G01").must_change_pin is False
    assert AuditEvent.select().where(AuditEvent.action == "staff.pin_change").count() == 1


async def test_language_switch_on_the_lock_screen(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Staff number" in screen_text(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        text = screen_text(app)
        assert "工号" in text and "Staff number" not in text
        await login(pilot, "G01", PIN)
        assert screen_name(app) == "ShiftScreen"
