"""The holiday calendar: statutory holidays ask for reinforced duty (CS9).

A holiday is a calendar date with a name. A shift whose business date is a
holiday needs its template's ``holiday_required_staff`` (when that is more than
the usual ``required_staff``); :mod:`dutydesk.domain.roster` warns when it is short.
Holidays are entered one by one or imported from a simple file: CSV lines
``date,name`` or ``YYYY-MM-DD name``; ``#`` starts a comment line.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Holiday

# A file with more bad lines than this names the first ones and counts the rest.
_MAX_NAMED_BAD_LINES = 5


@dataclass(frozen=True)
class HolidayInfo:
    day: dt.date
    name: str


@dataclass(frozen=True)
class ImportResult:
    added: int
    renamed: int
    unchanged: int


def holidays_between(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Holidays with a date in ``first..last``: date → name."""
    rows = Holiday.select().where((Holiday.day >= first) & (Holiday.day <= last))
    return {h.day: h.name for h in rows}


def holiday_name(day: dt.date) -> str | None:
    """The holiday's name on ``day``, or None on an ordinary day."""
    h = Holiday.get_or_none(Holiday.day == day)
    return h.name if h else None


def list_holidays(year: int | None = None) -> list[HolidayInfo]:
    """The calendar (one year, or all), in date order."""
    q = Holiday.select().order_by(Holiday.day)
    if year is not None:
        q = q.where((Holiday.day >= dt.date(year, 1, 1)) & (Holiday.day <= dt.date(year, 12, 31)))
    return [HolidayInfo(h.day, h.name) for h in q]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(N_("Type the holiday's name"), field="name")
    return name


def add_holiday(actor: Actor, day: dt.date, name: str) -> HolidayInfo:
    """Put ``day`` in the calendar (or rename it) — supervisors only (CS9)."""
    name = _clean_name(name)
    with write():
        actor.require_role()
        row = Holiday.get_or_none(Holiday.day == day)
        if row is None:
            row = Holiday.create(day=day, name=name)
            audit.record(actor, "holiday.add", "holiday", row.id, new={"day": day, "name": name})
        elif row.name != name:
            old = row.name
            row.name = name
            row.save()
            audit.record(
                actor,
                "holiday.rename",
                "holiday",
                row.id,
                old={"name": old},
                new={"day": day, "name": name},
            )
    return HolidayInfo(day, name)


def remove_holiday(actor: Actor, day: dt.date) -> None:
    """Take ``day`` out of the calendar — supervisors only."""
    with write():
        actor.require_role()
        row = Holiday.get_or_none(Holiday.day == day)
        if row is None:
            raise NotFound(N_("{day} is not a holiday"), day=day.isoformat())
        audit.record(actor, "holiday.remove", "holiday", row.id, old={"day": day, "name": row.name})
        row.delete_instance()


def _parse_line(text: str) -> tuple[dt.date, str]:
    """One non-blank line: ``2026-10-01,National Day`` or ``2026-10-01 国庆节``."""
    if "," in text:
        fields = next(csv.reader([text]))
        day_text, name = fields[0], ",".join(fields[1:])
    else:
        day_text, _sep, name = text.partition(" ")
        if not _sep:
            day_text, _sep, name = text.partition("\t")
    day = dt.date.fromisoformat(day_text.strip())  # ValueError when not YYYY-MM-DD
    name = " ".join(name.split())
    if not name:
        raise ValueError("no name")
    return day, name


def parse_holiday_file(text: str) -> list[HolidayInfo]:
    """The holidays of a file's text; :class:`ValidationError` naming every bad line.

    Blank lines and lines starting with ``#`` are skipped, as is a CSV header
    ``date,name``. The same date twice is a bad line.
    """
    found: list[HolidayInfo] = []
    seen: set[dt.date] = set()
    bad: list[str] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if number == 1 and line.replace(" ", "").lower() == "date,name":
            continue
        try:
            day, name = _parse_line(line)
        except (ValueError, csv.Error, StopIteration):
            bad.append(f"{number}: {line[:40]}")
            continue
        if day in seen:
            bad.append(f"{number}: {line[:40]}")
            continue
        seen.add(day)
        found.append(HolidayInfo(day, name))
    if bad:
        named = "; ".join(bad[:_MAX_NAMED_BAD_LINES])
        if len(bad) > _MAX_NAMED_BAD_LINES:
            raise ValidationError(
                N_(
                    "Bad lines in the holiday file (a line is YYYY-MM-DD name): {lines} "
                    "and {more} more"
                ),
                field="file",
                lines=named,
                more=len(bad) - _MAX_NAMED_BAD_LINES,
            )
        raise ValidationError(
            N_("Bad lines in the holiday file (a line is YYYY-MM-DD name): {lines}"),
            field="file",
            lines=named,
        )
    if not found:
        raise ValidationError(N_("The holiday file holds no holidays"), field="file")
    return found


def import_holidays(actor: Actor, text: str) -> ImportResult:
    """Import a holiday file all or nothing (CS9); existing dates take the new name."""
    parsed = parse_holiday_file(text)
    added = renamed = unchanged = 0
    with write():
        actor.require_role()
        existing = {
            h.day: h for h in Holiday.select().where(Holiday.day.in_([p.day for p in parsed]))
        }
        for item in parsed:
            row = existing.get(item.day)
            if row is None:
                Holiday.create(day=item.day, name=item.name)
                added += 1
            elif row.name != item.name:
                row.name = item.name
                row.save()
                renamed += 1
            else:
                unchanged += 1
        audit.record(
            actor,
            "holiday.import",
            "holiday",
            None,
            new={
                "holidays": [[p.day, p.name] for p in parsed],
                "added": added,
                "renamed": renamed,
            },
        )
    return ImportResult(added, renamed, unchanged)
