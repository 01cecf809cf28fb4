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


def is_trivial(pin: str) -> bool:
    """0000, 1234, 123456, 4321, one digit repeated: guessed first by anyone."""
    if len(set(pin)) == 1:
        return True
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {-1})


def check_pin(pin: str, *, allow_trivial: bool = False) -> None:
    """Raise :class:`ValidationError` unless ``pin`` is 4–8 digits and not trivial."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError(N_("A PIN is 4 to 8 digits"), field="pin")
    if not allow_trivial and is_trivial(pin):
        raise ValidationError(
            N_("This PIN is too easy to guess; avoid runs like 1234 and repeated digits"),
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
