"""PINs: 4–8 digits, trivial ones refused, stored only as a salted Argon2id hash."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import Type, extract_parameters
from argon2.exceptions import InvalidHashError

from dutydesk.domain import pins, staff
from dutydesk.errors import AuthError, ValidationError
from dutydesk.models import AuditEvent, Staff

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize(
    "pin", ["123", "", "123456789", "12a4", "12 34", "１２３４５", "-1234", "+5903"]
)
def test_pin_is_4_to_8_ascii_digits(pin: str):
    with pytest.raises(ValidationError) as exc:
        pins.check_pin(pin)
    assert exc.value.field == "pin"
    assert exc.value.msgid == "A PIN is 4 to 8 digits"


@pytest.mark.parametrize(
    "pin", ["0000", "1234", "123456", "4321", "9999", "87654321", "01234567", "55555555", "3456"]
)
def test_trivial_pins_refused(pin: str):
    assert pins.is_trivial(pin)
    with pytest.raises(ValidationError, match="too easy"):
        pins.hash_pin(pin)


@pytest.mark.parametrize(
    "pin",
    [
        # the most used PINs of the published DataGenetics list
        "1212", "1122", "6969", "1004", "2000", "1010", "2001", "1313", "7777",
        # dates: YYYYMMDD, DDMMYYYY, MMDDYYYY, YYMMDD, DDMMYY, MMDD, DDMM, a year
        "19850612", "12061985", "06121985", "850612", "120685", "0612", "1206", "1985",
        # keypad lines and shapes
        "2580", "0852", "147258", "159357", "147369",
        # repeats and even runs
        "121212", "123123", "112233", "2468", "1357", "8642",
    ],
)  # fmt: skip
def test_common_dates_patterns_and_repeats_refused(pin: str):
    """A guessable PIN is refused on a real site, 4 to 8 digits alike."""
    assert pins.is_trivial(pin)
    with pytest.raises(ValidationError, match="too easy"):
        pins.hash_pin(pin)


@pytest.mark.parametrize("pin", ["5903", "90210", "12345670", "0007", "4826", "73915804"])
def test_non_trivial_pins_accepted(pin: str):
    assert not pins.is_trivial(pin)
    assert pins.verify_pin(pins.hash_pin(pin), pin)


def test_the_demo_alone_may_use_a_trivial_pin():
    h = pins.hash_pin(pins.DEMO_PIN, allow_trivial=True)
    assert pins.verify_pin(h, "1234")
    with pytest.raises(ValidationError):
        pins.hash_pin("12", allow_trivial=True)  # the length rule still holds


def test_hash_is_argon2id_salted_and_verifies():
    a = pins.hash_pin("5903")
    b = pins.hash_pin("5903")
    assert a.startswith("$argon2id$")
    assert a != b  # salted: same PIN, different hashes
    assert extract_parameters(a).salt_len >= 16
    assert "5903" not in a.split("$")[-1] and "5903" not in a.split("$")[-2]
    assert pins.verify_pin(a, "5903") and pins.verify_pin(b, "5903")
    assert not pins.verify_pin(a, "5904")
    assert not pins.verify_pin("not a hash", "5903")  # never raises
    assert not pins.verify_pin("", "5903")


def test_production_parameters_are_about_19_mib_and_t2():
    """OWASP baseline. Inspected, not run in a loop (conftest makes test hashes cheap)."""
    h = pins.PRODUCTION_HASHER
    assert h.memory_cost >= 19 * 1024  # KiB
    assert h.time_cost == 2
    assert h.type == Type.ID
    assert h.salt_len >= 16
    # Exactly one real hash, to see the parameters land in the stored string.
    stored = h.hash("5903")
    params = extract_parameters(stored)
    assert (params.type, params.memory_cost, params.time_cost) == (Type.ID, 19 * 1024, 2)
    # A hash made with production parameters verifies under the cheap test hasher too:
    # the parameters travel with the hash.
    assert pins.verify_pin(stored, "5903")


def test_cheap_test_hashes_are_still_argon2id():
    assert pins._hasher is not pins.PRODUCTION_HASHER  # conftest switched it
    assert extract_parameters(pins.hash_pin("5903")).type == Type.ID
    with pytest.raises(InvalidHashError):
        extract_parameters("$2b$12$notargon")


SECRET = "73915804"
WRONG = "73915805"


@pytest.mark.both_backends("sqlite")  # reads the SQLite file's bytes
def test_pin_never_stored_in_clear(site, db_path: Path):
    """The PIN appears neither in the audit trail nor anywhere in the database bytes."""
    boss = site.actor("S01")
    new = staff.add_staff(
        boss, staff_no="G09", name="Guard Nine", role="guard", pin=SECRET, must_change_pin=False
    )
    g09 = site.actor()  # at the desk, before login
    staff.authenticate(g09, "G09", SECRET)
    with pytest.raises(AuthError):
        staff.authenticate(g09, "G09", WRONG)
    staff.change_own_pin(site.actor().as_staff(new.id), SECRET, "60718293", "60718293")
    staff.reset_pin(boss, new.id, "51627384")
    for ev in AuditEvent.select():
        text = f"{ev.staff_no} {ev.action} {ev.old} {ev.new}"
        for pin in (SECRET, WRONG, "60718293", "51627384"):
            assert pin not in text, ev.action
    assert SECRET not in Staff.get_by_id(new.id).pin_hash
    raw = b"".join(p.read_bytes() for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    assert len(raw) > 10_000
    for pin in (SECRET, WRONG, "60718293", "51627384"):
        assert pin.encode() not in raw
        assert pin.encode("utf-16-le") not in raw
