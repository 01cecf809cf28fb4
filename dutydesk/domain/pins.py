"""PINs: 4–8 digits, stored only as a slow salted Argon2id hash, never printed."""

from __future__ import annotations

import itertools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dutydesk.errors import ValidationError
from dutydesk.i18n import N_

# About 19 MiB and t=2, the OWASP baseline for Argon2id. Kept as its own name
# so a test can check the production parameters after conftest made hashing cheap.
PRODUCTION_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
_hasher = PRODUCTION_HASHER

DEMO_PIN = "1234"


# A hash of no one's PIN with the production parameters (made once, kept here so the
# first unknown number costs no extra hashing): checking a PIN typed with an unknown
# staff number against it costs what checking a real one costs.
_PRODUCTION_DUMMY = (
    "$argon2id$v=19$m=19456,t=2,p=1$PfWxpYwpYUKyDIxcpe6K+w"
    "$ZkYuJpXpL5gBOMd1hLGlLW1Lrh35RSyA1KgN7sMCfYg"
)
_dummy_hash: str | None = _PRODUCTION_DUMMY


def use_cheap_hashing() -> None:
    """Tests and the demo builder only: fast hashes (still Argon2id, still salted)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    _dummy_hash = None


# The twenty most used 4-digit PINs in DataGenetics' study of 3.4 million leaked
# PINs (Nick Berry, "PIN analysis", 2012): together about a quarter of all PINs.
# (1234, 1111, 0000, 4444… are also caught by the rules below; listed as published.)
MOST_USED_PINS = frozenset(
    {
        "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969",
        "9999", "3333", "5555", "6666", "1122", "1313", "8888", "4321", "2001", "1010",
    }
)  # fmt: skip

# The phone/PIN-pad layout: straight lines a thumb draws (rows, columns, diagonals).
_KEYPAD_LINES = ("123", "456", "789", "147", "2580", "369", "159", "357")


def _keypad_lines() -> tuple[str, ...]:
    lines = set(_KEYPAD_LINES)
    return tuple(sorted(lines | {line[::-1] for line in lines}))


def _is_keypad_pattern(pin: str) -> bool:
    """Keypad lines one after another, the last one maybe begun only (2580, 147258,
    1590, 36985)."""

    def walk(rest: str) -> bool:
        if not rest:
            return True
        for line in _keypad_lines():
            if len(rest) >= 2 and line.startswith(rest):
                return True  # a line begun at the end of the PIN still counts
            if rest.startswith(line) and walk(rest[len(line) :]):
                return True
        return False

    return walk(pin)


def _is_date(pin: str) -> bool:
    """A birthday or a year: YYYY, MMDD, DDMM; YYMMDD, DDMMYY, MMDDYY; YYYYMMDD,
    DDMMYYYY, MMDDYYYY (years 1900–2099)."""

    def day_month(dd: str, mm: str) -> bool:
        d, m = int(dd), int(mm)
        days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        return 1 <= m <= 12 and 1 <= d <= days[m - 1]

    def year(yyyy: str) -> bool:
        return 1900 <= int(yyyy) <= 2099

    n = len(pin)
    if n == 4:
        return year(pin) or day_month(pin[2:], pin[:2]) or day_month(pin[:2], pin[2:])
    if n == 6:
        return (
            day_month(pin[4:], pin[2:4])  # YYMMDD
            or day_month(pin[:2], pin[2:4])  # DDMMYY
            or day_month(pin[2:4], pin[:2])  # MMDDYY
        )
    if n == 8:
        return (
            (year(pin[:4]) and day_month(pin[6:], pin[4:6]))  # YYYYMMDD
            or (year(pin[4:]) and day_month(pin[:2], pin[2:4]))  # DDMMYYYY
            or (year(pin[4:]) and day_month(pin[2:4], pin[:2]))  # MMDDYYYY
        )
    return False


def _is_repeat(pin: str) -> bool:
    """One digit, a repeated block (1212, 123123), doubled digits (1122, 112233),
    or an even run up or down (1234, 2468, 9630 is not: steps must be equal)."""
    if len(set(pin)) == 1:
        return True
    n = len(pin)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and pin[:size] * (n // size) == pin:
            return True
    if n % 2 == 0 and all(pin[i] == pin[i + 1] for i in range(0, n, 2)):
        return True
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    return len(steps) == 1 and 0 not in steps and abs(next(iter(steps))) <= 2


def is_trivial(pin: str) -> bool:
    """Guessed first by anyone: one of the most used PINs, a date or a year, a keypad
    pattern, a repeat or an even run (for 4 to 8 digits)."""
    return pin in MOST_USED_PINS or _is_repeat(pin) or _is_keypad_pattern(pin) or _is_date(pin)


def check_pin(pin: str, *, allow_trivial: bool = False) -> None:
    """Raise :class:`ValidationError` unless ``pin`` is 4–8 digits and not trivial."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError(N_("A PIN is 4 to 8 digits"), field="pin")
    if not allow_trivial and is_trivial(pin):
        raise ValidationError(
            N_(
                "This PIN is too easy to guess: no dates, no common PINs, no keypad "
                "patterns, no repeats or runs"
            ),
            field="pin",
        )


def hash_pin(pin: str, *, allow_trivial: bool = False) -> str:
    """Check and hash a PIN. The demo alone passes ``allow_trivial`` (for 1234)."""
    check_pin(pin, allow_trivial=allow_trivial)
    return _hasher.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when ``pin`` matches; never raises for a wrong or malformed PIN."""
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_nobody(pin: str) -> bool:
    """Spend the time of a PIN check without a staff record (an unknown number, a lock).

    Always False. Without it an unknown number would fail in a millisecond and a
    known one in tens, telling anyone which numbers exist.
    """
    global _dummy_hash
    if _dummy_hash is None:  # cheap hashing (tests, the demo builder): a cheap dummy
        _dummy_hash = _hasher.hash("no one's PIN")
    verify_pin(_dummy_hash, pin)
    return False
