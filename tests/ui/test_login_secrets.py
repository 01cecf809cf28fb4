"""The lock screen keeps no secret and tells nothing; a supervisor lifts a lockout on F9.

Keys only (pilot.press), then the screen and the audit trail are checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events

from dutydesk.domain import staff as staff_rules
from dutydesk.errors import AuthError
from dutydesk.models import AuditEvent
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


def _audit_text() -> str:
    return "\n".join(
        f"{e.staff_no}|{e.old}|{e.new}|{e.record_id}|{e.action}" for e in AuditEvent.select()
    )


async def test_a_pin_typed_into_the_staff_number_field_is_kept_nowhere(site: Any) -> None:
    """A case seen at a desk: 2580 typed as the staff number (then the PIN) — refused, the
    field emptied, the PIN not on the screen and in no audit row."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, PIN)
        assert PIN in screen_text(app)  # visible while typed: a staff number field
        await pilot.press("tab")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "Wrong staff number or PIN" in screen_text(app), "the refusal"
        )
        assert PIN not in screen_text(app)
        assert app.screen.query_one("#staff-no").has_focus
        assert app.staff is None
    (fail,) = AuditEvent.select().where(AuditEvent.action == "login.fail")
    assert fail.new == {"why": "unknown number"} and fail.staff_no == ""
    assert PIN not in _audit_text()


async def test_the_lock_message_does_not_name_the_number(site: Any) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            staff_rules.authenticate(site.actor(), "G06", "1357")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", "1357")  # a wrong PIN of a number that is not locked
        wrong = screen_text(app)
        await login(pilot, "G06", PIN)  # the right PIN of a locked number
        locked = screen_text(app)
        await login(pilot, "Z77", PIN)  # a number that does not exist
        unknown = screen_text(app)
    message = "Wrong staff number or PIN, or the number is locked"
    assert message in wrong and message in locked and message in unknown
    assert "G06" not in locked and "Z77" not in unknown


def _lock_for_good(site: Any, number: str) -> None:
    for _ in range(15):
        with pytest.raises(AuthError):
            staff_rules.authenticate(site.actor(), number, "1357")
        site.clock.advance(minutes=31)


async def test_a_supervisor_unlocks_on_f9_with_keys(site: Any) -> None:
    _lock_for_good(site, "G02")
    row = [p.staff_no for p in staff_rules.list_staff()].index("G02")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f9")
        await wait_until(pilot, lambda: "locked until unlocked" in screen_text(app), "F9")
        await pilot.press(*["down"] * row)
        await pilot.press("u")
        await wait_until(pilot, lambda: "Unlock G02" in screen_text(app), "the question")
        await pilot.press("y")
        await wait_until(
            pilot, lambda: "locked until unlocked" not in screen_text(app), "the unlock"
        )
        await pilot.press("f12")
        await pilot.pause()
        await login(pilot, "G02", PIN)
        assert app.staff is not None and app.staff.staff_no == "G02"
    (event,) = AuditEvent.select().where(AuditEvent.action == "staff.unlock")
    assert event.staff_id == site.staff["S01"].id and event.record_id == site.staff["G02"].id


async def test_only_a_supervisor_sees_the_unlock_key(site: Any) -> None:
    _lock_for_good(site, "G02")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert "Unlock" not in screen_text(app)
    assert staff_rules.lock_state(site.staff["G02"].id, site.clock.now()).until_unlocked


def _burst(app: Any, keys: list[str]) -> None:
    """Keys as a fast typist or a terminal sends them: all queued before any is handled
    (Pilot's press waits after every key, which hides this case)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_typed_fast_the_pin_never_lands_in_the_staff_number_field(site: Any) -> None:
    """ "G01 Enter 2580 Enter" in one burst: Enter moves on before the PIN's digits are
    handed to a field (they once landed in the visible staff number field)."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _burst(app, ["G", "0", "1", "enter", *PIN, "enter"])
        await wait_until(pilot, lambda: app.staff is not None, "the login")
        assert app.staff is not None and app.staff.staff_no == "G01"
    assert PIN not in _audit_text()


async def test_typed_fast_in_a_pin_dialog_too(site: Any) -> None:
    """The same burst in a staff number + PIN dialog (Ctrl+Q asks a supervisor)."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "QuitDialog", "Ctrl+Q")
        _burst(app, ["S", "0", "1", "enter", *PIN, "enter"])
        await wait_until(pilot, lambda: app.return_code == 0, "the kiosk to quit")
    (ok,) = AuditEvent.select().where(AuditEvent.action == "quit.pin_ok")
    assert ok.staff_no == "S01"
