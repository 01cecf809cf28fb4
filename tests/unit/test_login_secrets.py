"""Failed logins store no secrets and tell nothing; the lockout escalates and the clock
cannot stretch it (domain/staff.py, domain/pins.py, migration 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import arrow
import pytest
from argon2 import PasswordHasher, extract_parameters

from dutydesk import migrations
from dutydesk.domain import audit, pins, staff
from dutydesk.errors import AuthError, RuleViolation
from dutydesk.models import AuditEvent, Staff
from tests.helpers.migrations import assert_rows_intact, open_fixture_copy
from tests.helpers.site import PIN

WRONG = "1357"


def _refused(site: Any, number: str = "G01", pin: str = WRONG) -> str:
    with pytest.raises(AuthError) as exc:
        staff.authenticate(site.actor(), number, pin)
    return exc.value.translated()


def _fails() -> list[AuditEvent]:
    return list(
        AuditEvent.select().where(AuditEvent.action == "login.fail").order_by(AuditEvent.seq)
    )


def _state(site: Any, number: str = "G01") -> staff.LockState:
    return staff.lock_state(site.staff[number].id, site.clock.now())


# --- no secrets, no hints ------------------------------------------------------------------


def test_a_pin_typed_as_staff_number_is_not_stored(site: Any) -> None:
    _refused(site, number=PIN, pin=PIN)
    _refused(site, number="2580 ", pin="1")
    for event in _fails():
        assert event.staff_no == "" and event.record_id is None
        assert event.new == {"why": "unknown number"}
    stored = [str(v) for e in AuditEvent.select() for v in (e.staff_no, e.old, e.new, e.record_id)]
    assert not any(PIN in v for v in stored)
    assert audit.verify_chain() == []


def test_unknown_wrong_and_locked_read_alike(site: Any) -> None:
    unknown = _refused(site, number="X99")
    wrong = _refused(site)
    for _ in range(4):
        _refused(site)
    locked = _refused(site, pin=PIN)  # locked now: even the right PIN
    assert unknown == wrong == locked
    assert "G01" not in locked and "X99" not in unknown


class _CountingHasher(PasswordHasher):
    """Counts the Argon2 checks and remembers the hashes checked against."""

    def __init__(self, base: PasswordHasher) -> None:
        super().__init__(
            time_cost=base.time_cost,
            memory_cost=base.memory_cost,
            parallelism=base.parallelism,
            hash_len=base.hash_len,
            salt_len=base.salt_len,
            type=base.type,
        )
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checked.append(str(hash))
        return super().verify(hash, password)


def test_an_unknown_number_costs_one_argon2_check_like_a_known_one(
    site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same work, not merely similar timing: one Argon2id check with the parameters of
    a real PIN hash, for an unknown number, a wrong PIN and a locked number alike."""
    counting = _CountingHasher(pins._hasher)
    monkeypatch.setattr(pins, "_hasher", counting)
    monkeypatch.setattr(pins, "_dummy_hash", None)
    real = Staff.get(Staff.staff_no == "G01").pin_hash
    for number in ("X99", "G01", "G01", "G01", "G01", "G01", "G01"):  # the 6th is locked
        counting.checked.clear()
        _refused(site, number=number)
        assert len(counting.checked) == 1
        assert extract_parameters(counting.checked[0]) == extract_parameters(real)


def test_the_kept_dummy_hash_has_the_production_parameters() -> None:
    """Regenerate pins._PRODUCTION_DUMMY when PRODUCTION_HASHER's parameters change."""
    assert extract_parameters(pins._PRODUCTION_DUMMY) == extract_parameters(
        pins.PRODUCTION_HASHER.hash("x")
    )


# --- escalation ------------------------------------------------------------------------------


def test_the_lockout_escalates_5_30_then_until_unlocked(site: Any) -> None:
    for _ in range(5):
        _refused(site)
    assert _state(site).minutes_left == 5
    site.clock.advance(minutes=5)
    assert not _state(site).locked
    for _ in range(5):  # 6..10: the count goes on, it does not start again
        _refused(site)
    assert _state(site).minutes_left == 30 and _fails()[-1].new["locked"] == 30
    site.clock.advance(minutes=29)
    _refused(site, pin=PIN)
    site.clock.advance(minutes=1)
    for _ in range(5):  # 11..15
        _refused(site)
    state = _state(site)
    assert state.locked and state.until_unlocked and state.failures == 15
    assert _fails()[-1].new == {"why": "pin", "failures": 15, "locked": "until unlocked"}
    site.clock.advance(days=400)  # time alone never lifts it
    _refused(site, pin=PIN)
    assert _fails()[-1].new == {"why": "locked"}


def test_a_supervisor_unlocks_and_it_is_audited(site: Any) -> None:
    for _ in range(15):
        _refused(site)
        site.clock.advance(minutes=31)
    assert _state(site).until_unlocked
    with pytest.raises(RuleViolation):
        staff.unlock(site.actor("G02"), site.staff["G01"].id)
    staff.unlock(site.actor("S01"), site.staff["G01"].id)
    event = AuditEvent.get(AuditEvent.action == "staff.unlock")
    assert event.staff_id == site.staff["S01"].id and event.record_id == site.staff["G01"].id
    assert event.old == {"failures": 15, "locked": "until unlocked"}
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"
    with pytest.raises(RuleViolation, match="not locked"):
        staff.unlock(site.actor("S01"), site.staff["G01"].id)
    assert audit.verify_chain() == []


# --- the clock cannot stretch or shorten a lock beyond its length -------------------------------


def test_a_lock_made_while_the_clock_was_fast_lasts_its_length_once_put_right(
    site: Any,
) -> None:
    """A case seen in testing: locked while the clock was 18 days fast; once put right the
    lock had 25,925 minutes to run. Now it runs its 5 minutes from the correction."""
    site.clock.advance(days=18)
    for _ in range(5):
        _refused(site)
    site.clock.advance(days=-18)  # the clock is put right
    assert _state(site).minutes_left == 5
    _refused(site, pin=PIN)  # still locked right after the correction
    site.clock.advance(minutes=5)
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"


def test_a_clock_put_back_during_a_lock_does_not_stretch_it(site: Any) -> None:
    for _ in range(10):
        _refused(site)
        site.clock.advance(minutes=6)
    site.clock.advance(minutes=-6)  # right after the 30-minute lock began
    assert _state(site).minutes_left == 30
    site.clock.advance(days=-17)
    assert _state(site).minutes_left == 30  # never more than the lock's length
    _refused(site, pin=PIN)
    site.clock.advance(minutes=30)
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"


def test_an_ended_lock_is_not_revived_by_a_clock_put_back(site: Any) -> None:
    for _ in range(5):
        _refused(site)
    site.clock.advance(minutes=10)
    _refused(site)  # the lock is over: this is failure 6, not a refusal for the lock
    assert _fails()[-1].new == {"why": "pin", "failures": 6}
    site.clock.advance(minutes=-60)
    assert not _state(site).locked
    assert staff.authenticate(site.actor(), "G01", PIN).staff_no == "G01"


# --- migration 2 -----------------------------------------------------------------------------


def test_migration_2_adds_the_lock_fields_to_a_version_1_database(tmp_path: Path) -> None:
    before, copy, database = open_fixture_copy(1, tmp_path)
    try:
        assert migrations.current_version(database) >= 2
        rows = database.execute_sql(
            "SELECT staff_no, failed_attempts, lock_minutes, needs_unlock FROM staff"
        ).fetchall()
        assert rows and all(r[2] is None and r[3] == 0 for r in rows)
    finally:
        database.close()
    assert_rows_intact(before, copy)


def test_the_version_2_fixture_keeps_its_locks(tmp_path: Path) -> None:
    """schema_v2.db (make_schema_v2.py): E01 locked 5 min at 08:30, G02 until unlocked."""
    _before, _copy, database = open_fixture_copy(2, tmp_path)
    try:
        now = arrow.get("2026-12-01 08:32", tzinfo="Asia/Shanghai")
        e01, g02 = staff.by_number("E01"), staff.by_number("G02")
        assert e01 is not None and g02 is not None
        assert staff.lock_state(e01.id, now).minutes_left == 3
        assert staff.lock_state(g02.id, now).until_unlocked
        assert audit.verify_chain() == []
    finally:
        database.close()
