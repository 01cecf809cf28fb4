"""Checking a staff number and PIN: messages, lockout, audit (domain/staff.py)."""

from __future__ import annotations

import pytest

from dutydesk.domain import audit, staff
from dutydesk.errors import AuthError, RuleViolation, ValidationError
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends
WRONG = "1357"


def _fail(site, number: str = "G01", pin: str = WRONG) -> AuthError:
    with pytest.raises(AuthError) as exc:
        staff.authenticate(site.actor(), number, pin)
    return exc.value


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.seq))


def test_right_pin_logs_in_and_is_audited(site):
    who = staff.authenticate(site.actor(), " G01 ", PIN)
    assert who.staff_no == "G01" and who.role == "guard"
    ok = _events("login.ok")
    assert len(ok) == 1 and ok[0].staff_no == "G01" and ok[0].staff_id == who.id


REFUSED = "Wrong staff number or PIN, or the number is locked: try later or ask the supervisor"


def test_wrong_pin_message(site):
    err = _fail(site)
    assert err.translated() == REFUSED
    assert err.field == "pin"
    set_language("zh")
    assert err.translated() != REFUSED  # translated for the kiosk


def test_empty_inputs_ask_for_them(site):
    assert _fail(site, "", PIN).field == "staff_no"
    assert _fail(site, "G01", "").field == "pin"


def test_each_failure_is_an_audit_event_with_the_staff_number(site):
    for _ in range(3):
        _fail(site)
    fails = _events("login.fail")
    assert [e.staff_no for e in fails] == ["G01"] * 3
    assert all(e.new["why"] == "pin" for e in fails)
    assert all(e.record_id == site.staff["G01"].id for e in fails)
    assert audit.verify_chain() == []


def test_unknown_number_is_audited_without_the_text_typed(site):
    err = _fail(site, "X99", PIN)
    assert err.translated() == REFUSED  # no hint that X99 is unknown
    (ev,) = _events("login.fail")
    assert ev.staff_no == "" and ev.record_id is None and ev.new == {"why": "unknown number"}


def test_purpose_is_recorded(site):
    staff.authenticate(site.actor(), "G01", PIN, purpose="sign")
    _fail(site)
    assert len(_events("sign.pin_ok")) == 1 and len(_events("login.fail")) == 1


def test_five_failures_lock_the_number_for_five_minutes(site):
    for _ in range(5):
        assert _fail(site).translated() == REFUSED
    assert staff.locked_until("G01") == site.clock.now().shift(minutes=5)
    assert _events("login.fail")[-1].new == {"why": "pin", "failures": 5, "locked": 5}
    # Even the right PIN is refused while locked, with the same words.
    assert _fail(site, pin=PIN).translated() == REFUSED
    site.clock.advance(minutes=4, seconds=59)
    _fail(site, pin=PIN)
    assert _events("login.fail")[-1].new == {"why": "locked"}
    site.clock.advance(seconds=1)  # exactly five minutes after the lock
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"
    assert staff.locked_until("G01") is None


def test_the_lock_is_per_number(site):
    for _ in range(5):
        _fail(site)
    assert staff.authenticate(site.actor(), "G02", PIN).staff_no == "G02"


def test_a_success_resets_the_counter(site):
    for _ in range(4):
        _fail(site)
    staff.authenticate(site.actor(), "G01", PIN)
    for _ in range(4):
        _fail(site)
    assert not staff.lock_state(site.staff["G01"].id, site.clock.now()).locked
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"


def test_inactive_staff_refused(site):
    staff.set_active(site.actor("S01"), site.staff["G01"].id, False)
    err = _fail(site, pin=PIN)  # only the right PIN learns this
    assert err.translated() == "Staff number G01 is not active"
    assert _events("login.fail")[-1].new == {"why": "inactive"}
    staff.set_active(site.actor("S01"), site.staff["G01"].id, True)
    assert staff.authenticate(site.actor(), "G01", PIN).active


def test_only_a_supervisor_deactivates_and_not_themself(site):
    with pytest.raises(RuleViolation):
        staff.set_active(site.actor("L01"), site.staff["G01"].id, False)
    with pytest.raises(RuleViolation):
        staff.set_active(site.actor("S01"), site.staff["S01"].id, False)


def test_add_staff_checks_its_inputs(site):
    boss = site.actor("S01")
    with pytest.raises(ValidationError, match="taken"):
        staff.add_staff(boss, staff_no="G01", name="Again", role="guard", pin=PIN)
    with pytest.raises(ValidationError, match="Unknown role"):
        staff.add_staff(boss, staff_no="G07", name="X", role="pilot", pin=PIN)
    with pytest.raises(ValidationError, match="too easy"):
        staff.add_staff(boss, staff_no="G07", name="X", role="guard", pin="1111")
    with pytest.raises(RuleViolation):
        staff.add_staff(site.actor("G01"), staff_no="G07", name="X", role="guard", pin=PIN)
    assert staff.by_number("G07") is None


def test_change_own_pin(site):
    me = site.actor("G01")
    with pytest.raises(ValidationError):
        staff.change_own_pin(me, PIN, "4826", "4827")
    with pytest.raises(AuthError):
        staff.change_own_pin(me, WRONG, "4826", "4826")
    staff.change_own_pin(me, PIN, "4826", "4826")
    assert staff.authenticate(site.actor(), "G01", "4826").staff_no == "G01"
    _fail(site, pin=PIN)


def test_wrong_current_pins_on_change_my_pin_count_towards_the_lockout(site):
    """Changing one's own PIN checks the current PIN like a login: five wrong ones lock
    the number, each is audited, and the right PIN no longer works until the lock ends."""
    me = site.actor("G01")
    for _ in range(5):
        with pytest.raises(AuthError) as refused:
            staff.change_own_pin(me, WRONG, "4826", "4826")
        assert refused.value.field == "old_pin"
    assert len(_events("pin_change.pin_fail")) == 5
    with pytest.raises(AuthError):
        staff.change_own_pin(me, PIN, "4826", "4826")  # locked now
    with pytest.raises(AuthError):
        staff.authenticate(site.actor(), "G01", PIN)
    assert WRONG not in str([e.new for e in _events("pin_change.pin_fail")])


def test_reset_pin_unlocks_and_forces_a_change(site):
    for _ in range(5):
        _fail(site)
    staff.reset_pin(site.actor("S01"), site.staff["G01"].id, "4826")
    who = staff.authenticate(site.actor(), "G01", "4826")
    assert who.must_change_pin
