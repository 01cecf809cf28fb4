"""Canonical JSON: the exact bytes that signatures and the audit chain hash.

Canonical = JSON with sorted keys, UTF-8 (not ASCII escapes), no insignificant
whitespace (``,`` and ``:`` separators), instants as UTC ISO 8601 with
microseconds and a ``Z`` suffix (``2026-12-01T07:30:00.000000Z``), dates as
``YYYY-MM-DD``. Floats keep Python's shortest round-trip form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import arrow

_ZERO = dt.timedelta(0)


def instant(value: arrow.Arrow | None) -> str | None:
    """An instant in the canonical form, or None."""
    if value is None:
        return None
    d = value.datetime
    if d.utcoffset() != _ZERO:  # already UTC (as read from the database): no conversion
        d = d.astimezone(dt.UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _default(value: Any) -> Any:
    if isinstance(value, arrow.Arrow):
        return instant(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError("naive datetime in canonical content")
        return instant(arrow.get(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in canonical content")


def dumps(value: Any) -> bytes:
    """``value`` as canonical JSON bytes."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default
    ).encode("utf-8")


def sha256(value: Any) -> str:
    """Hex SHA-256 of the canonical JSON of ``value``."""
    return hashlib.sha256(dumps(value)).hexdigest()
