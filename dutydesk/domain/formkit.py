"""Small pieces the record features share (incidents, repairs, logs): text kept as
typed, required fields, phone numbers, a time or now, a form dataclass from a
dict and a dataclass from a row, a row found by id or NotFound, one page of a list, the
desk, shift, author and time a new record carries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

import arrow

from dutydesk.domain import bounds
from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import open_shift_of
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_

_PHONE = re.compile(r"[0-9+\-() #*]+")

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

RowT = TypeVar("RowT")
InfoT = TypeVar("InfoT", bound="DataclassInstance")


def typed(value: Any) -> str:
    """User text is stored exactly as typed; None is empty."""
    return "" if value is None else str(value)


def blank(value: Any) -> bool:
    """Empty or only spaces (the only place spaces are looked through)."""
    return not typed(value).strip()


def required(value: Any, field_name: str, msgid: str) -> str:
    """The text as typed, or ValidationError(msgid) on ``field_name`` when blank."""
    if blank(value):
        raise ValidationError(msgid, field=field_name)
    return typed(value)


def phone(value: Any, field_name: str) -> str:
    """A phone number as typed: digits, spaces and + - ( ) # * only."""
    number = typed(value)
    if number.strip() and not _PHONE.fullmatch(number.strip()):
        raise ValidationError(
            N_("A phone number has only digits, spaces and + - ( )"), field=field_name
        )
    return number


def known_fields(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The items of ``data`` that name a field of the dataclass ``cls``."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def found(row: RowT | None, msgid: str) -> RowT:
    """``row``, or NotFound(msgid) when there is none."""
    if row is None:
        raise NotFound(msgid)
    return row


def one_page(query: Any, page: int, page_size: int, most: int) -> tuple[list[Any], int, int, bool]:
    """Rows of page ``page`` (from 0) of an ordered query, ``page_size`` a page (1 to
    ``most``): the rows, the page and page size used, whether more follow."""
    page = max(0, page)
    page_size = min(max(1, page_size), most)
    rows = list(query.limit(page_size + 1).offset(page * page_size))
    return rows[:page_size], page, page_size, len(rows) > page_size


def moment(actor: Actor, value: Any, field_name: str, future_msgid: str) -> arrow.Arrow:
    """A time from a form (None or empty: now), within the site's bounds and not in the
    future (``future_msgid`` says so)."""
    when = value or actor.now()
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        when = arrow.get(when)
    if not isinstance(when, arrow.Arrow):
        raise ValidationError(N_("Enter the time as YYYY-MM-DD HH:MM"), field=field_name)
    return bounds.instant(actor, when, field_name, future_msgid=future_msgid)


def from_row(cls: type[InfoT], row: Any, **extra: Any) -> InfoT:
    """The dataclass ``cls`` from a row's attributes of the same names (``extra`` gives
    the fields the row does not have)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in extra}
    return cls(**values, **extra)


def stamp(desk_id: int, staff_id: int, now: arrow.Arrow) -> dict[str, Any]:
    """What every record written at a desk carries: the desk, the shift open there (if
    any), its author and when it was written. Read inside the write's transaction."""
    shift = open_shift_of(desk_id)
    return {
        "desk": desk_id,
        "shift": shift.id if shift else None,
        "author": staff_id,
        "created_at": now,
    }
