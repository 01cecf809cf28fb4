"""Bounds on every input, in one place: what a form may hand to the duty rules.

Each feature validates its own fields (is it required, is it a known category),
and asks here whether the value is within bounds, so a people count of
99999999999999999999999, a year typed as 0999 or a 1 MB paste gives a clear
message next to the field instead of a crash or an unreadable row.

* instants: from a year before the site was created to now plus a minute;
* whole numbers: people 0–9,999; readings within ±10⁹;
* text: names ≤ 64 characters, main texts ≤ 4,000, notes ≤ 10,000;
* staff numbers ``[A-Za-z0-9-]{1,16}``; desk codes ``[A-Za-z0-9_-]{1,16}``;
* folders ≤ 1,000 characters; names, numbers and folders refuse control characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import arrow

from dutydesk.domain.context import Actor
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_

NAME_MAX = 64
TEXT_MAX = 4_000
NOTE_MAX = 10_000
PEOPLE_MAX = 9_999
READING_MAX = 10**9
PATH_MAX = 1_000

# A time entered up to this far ahead is a clock a little fast, not a mistake.
FUTURE_TOLERANCE_MINUTES = 1
# How far before the site's creation a time may lie (records copied from paper).
PAST_LIMIT_YEARS = 1

# The length limit of each text field, by the name the forms use (one place per
# field). Names and numbers also refuse control characters; everything else is
# a main text (≤ 4,000) unless listed as a note (≤ 10,000).
NAME_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "caller",
        "number",
        "organisation",
        "borrower",
        "operator",
        "key_name",
        "from_name",
        "from_unit",
        "from_phone",
        "phone",
        "position",
        "category",
        "subcategory",
    }
)
NOTE_FIELDS = frozenset({"notes", "note", "characteristics", "actions", "report", "text_report"})

_STAFF_NO = re.compile(r"[A-Za-z0-9-]{1,16}")
_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")


def limit_of(field: str) -> int:
    """The most characters ``field`` takes."""
    if field in NAME_FIELDS:
        return NAME_MAX
    if field in NOTE_FIELDS:
        return NOTE_MAX
    return TEXT_MAX


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def text(value: Any, field: str, *, limit: int | None = None) -> str:
    """``value`` as text, stored exactly as typed, within the field's length limit
    (names and numbers: no control characters either)."""
    found = "" if value is None else str(value)
    most = limit if limit is not None else limit_of(field)
    if len(found) > most:
        raise ValidationError(
            N_("Too long: at most {limit} characters (now {count})"),
            field=field,
            limit=most,
            count=len(found),
        )
    if most <= NAME_MAX and _has_control(found):
        raise ValidationError(
            N_("Control characters (such as Tab or Esc) are not allowed here"), field=field
        )
    return found


def name(value: Any, field: str) -> str:
    """A name or number: ≤ 64 characters, no control characters."""
    return text(value, field, limit=NAME_MAX)


def staff_number(value: Any, field: str = "staff_no") -> str:
    """A staff number: 1–16 letters, digits or ``-``."""
    found = "" if value is None else str(value).strip()
    if not _STAFF_NO.fullmatch(found):
        raise ValidationError(
            N_("A staff number is 1–16 letters, digits or -, e.g. G01"), field=field
        )
    return found


def code(value: Any, field: str = "code") -> str:
    """A desk's code (typed at the command line, ``--desk``): 1–16 letters, digits,
    ``-`` or ``_``."""
    found = "" if value is None else str(value).strip()
    if not _CODE.fullmatch(found):
        raise ValidationError(N_("A code is 1–16 letters, digits, - or _, e.g. gate"), field=field)
    return found


def folder(value: Any, field: str) -> str:
    """A folder path: ≤ 1,000 characters, no control characters."""
    found = text(value, field, limit=PATH_MAX)
    if _has_control(found):
        raise ValidationError(
            N_("Control characters (such as Tab or Esc) are not allowed here"), field=field
        )
    return found


def whole(value: Any, field: str, low: int, high: int) -> int:
    """A whole number within ``low``–``high``; text is read as typed (spaces trimmed)."""
    message = N_("Enter a whole number from {low} to {high}")
    if isinstance(value, bool):
        raise ValidationError(message, field=field, low=low, high=high)
    if isinstance(value, str):
        digits = value.strip()
        # Bounded before int(): a pasted megabyte of digits must not cost seconds.
        if not re.fullmatch(r"[+-]?\d{1,12}", digits):
            raise ValidationError(message, field=field, low=low, high=high)
        number = int(digits)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise ValidationError(message, field=field, low=low, high=high)
    if not low <= number <= high:
        raise ValidationError(message, field=field, low=low, high=high)
    return number


def people(value: Any, field: str = "people_count") -> int:
    """How many people: 0–9,999 (empty means 0)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    return whole(value, field, 0, PEOPLE_MAX)


def reading(value: float, field: str = "value") -> float:
    """A meter or gauge reading: within ±10⁹."""
    if not -READING_MAX <= value <= READING_MAX:
        raise ValidationError(
            N_("A reading must lie between -{limit} and {limit}"),
            field=field,
            limit=f"{READING_MAX:,}",
        )
    return value


def _site_created() -> arrow.Arrow | None:
    from dutydesk.models import Site

    row = Site.select(Site.created_at).first()
    return row.created_at if row else None


def instant(
    actor: Actor, value: Any, field: str, *, future_msgid: str = N_("This time is in the future")
) -> arrow.Arrow:
    """A time from a form: an instant from a year before the site was created up to
    now plus a minute (a year 0999 typed by mistake is refused, not stored)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = arrow.get(value)
    if not isinstance(value, arrow.Arrow):
        raise ValidationError(N_("Enter the time as YYYY-MM-DD HH:MM or HH:MM"), field=field)
    now = actor.now()
    if value > now.shift(minutes=FUTURE_TOLERANCE_MINUTES):
        raise ValidationError(future_msgid, field=field)
    created = _site_created()
    earliest = (created or now).shift(years=-PAST_LIMIT_YEARS)
    if value < earliest:
        raise ValidationError(
            N_("This time is too long ago: the earliest is {earliest}"),
            field=field,
            earliest=earliest.to(now.tzinfo).format("YYYY-MM-DD"),
        )
    return value
