"""``dutydesk roster …`` and ``dutydesk holidays …``: the roster out, holidays in.

    dutydesk roster export --desk security --month 2026-12 [--format csv|text|html] [FILE]
    dutydesk roster warnings --desk security --from 2026-12-01 --to 2026-12-31
    dutydesk holidays import FILE --supervisor S01 [--pin-env VAR]
    dutydesk holidays list [--year 2026]

The renderers (:func:`render_csv`, :func:`render_text`, :func:`render_html`)
take a :class:`~dutydesk.domain.roster.RosterGrid`, so a report screen can
print the same layouts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path

import arrow

from dutydesk.cli import EXIT_USAGE, register
from dutydesk.clock import SystemClock
from dutydesk.commands.common import add_pin_env, output_problem, read_pin
from dutydesk.db import open_database
from dutydesk.domain import holidays, roster
from dutydesk.domain.context import Actor
from dutydesk.domain.roster import GridCell, RosterGrid, weekday_name
from dutydesk.domain.site import find_desk, get_site, site_timezone
from dutydesk.domain.staff import authenticate
from dutydesk.errors import ConfigError, NotFound, ValidationError
from dutydesk.i18n import N_, _, current_language
from dutydesk.oserrors import write_file

FORMATS = ("csv", "text", "html")


def _month(text: str) -> tuple[int, int]:
    try:
        day = dt.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("a month is YYYY-MM, e.g. 2026-12: {text}", text=text)
        ) from None
    return day.year, day.month


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("a date is YYYY-MM-DD, e.g. 2026-12-01: {text}", text=text)
        ) from None


# --- renderers ---------------------------------------------------------------------


def _local(instant: arrow.Arrow, tz: str) -> str:
    return instant.to(tz).format("YYYY-MM-DD HH:mm")


def _spreadsheet_safe(text: str) -> str:
    # A name starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(grid: RosterGrid, tz: str) -> str:
    """One row per shift of each day: who is on it and how many it needs."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "date",
            "weekday",
            "holiday",
            "shift",
            "shift_name",
            "start",
            "end",
            "required",
            "assigned",
            "staff_nos",
            "names",
        ]
    )
    for day, row in zip(grid.days, grid.rows, strict=True):
        for cell in row:
            w.writerow(
                [
                    day.isoformat(),
                    weekday_name(day),
                    _spreadsheet_safe(cell.holiday),
                    cell.shift.code,
                    cell.shift.name,
                    _local(cell.shift.start, tz),
                    _local(cell.shift.end, tz),
                    cell.required,
                    len(cell.staff),
                    ";".join(s.staff.staff_no for s in cell.staff),
                    "; ".join(_spreadsheet_safe(s.staff.name) for s in cell.staff),
                ]
            )
    return out.getvalue()


def _cell_text(cell: GridCell) -> str:
    text = cell.names() or "—"
    if cell.short:
        text += f" [{len(cell.staff)}/{cell.required}]"
    return text


def _title(grid: RosterGrid) -> str:
    return _(
        "Duty roster: {desk} ({code}), {first} to {last}",
        desk=grid.desk_label,
        code=grid.desk_code,
        first=grid.first.isoformat(),
        last=grid.last.isoformat(),
    )


def render_text(grid: RosterGrid) -> str:
    """A printable plain-text table: days down, shifts across, names in the cells."""
    from rich.cells import cell_len

    def pad(text: str, width: int) -> str:
        return text + " " * (width - cell_len(text))

    header = [_("Date")] + [f"{c.name} {c.start_time}–{c.end_time}" for c in grid.columns]
    body = []
    for day, row in zip(grid.days, grid.rows, strict=True):
        mark = " *" if day in grid.holidays else ""
        body.append(
            [f"{day.strftime('%m-%d')} {weekday_name(day)}{mark}"] + [_cell_text(c) for c in row]
        )
    widths = [max(cell_len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [_title(grid), ""]
    lines.append(" | ".join(pad(t, w) for t, w in zip(header, widths, strict=True)).rstrip())
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(pad(t, w) for t, w in zip(r, widths, strict=True)).rstrip() for r in body]
    if grid.holidays:
        lines += ["", _("* Holidays (reinforced duty, CS9):")]
        lines += [f"  {d.isoformat()} {name}" for d, name in sorted(grid.holidays.items())]
    lines += ["", _("[n/m]: n of the m staff needed are rostered")]
    if grid.warnings:
        lines += ["", _("Warnings:")]
        lines += [f"  ! {w.text()}" for w in grid.warnings]
    return "\n".join(lines) + "\n"


def render_html(grid: RosterGrid) -> str:
    """A printable A4 page from a template (every name escaped, ``lang`` set)."""
    # Loaded here, not with every subcommand: it brings Jinja2.
    from dutydesk.render.html import FONT_STACK, css_string, environment, html_lang

    days = []
    for day, row in zip(grid.days, grid.rows, strict=True):
        holiday = grid.holidays.get(day)
        label = f"{day.isoformat()} {weekday_name(day)}" + (f" ({holiday})" if holiday else "")
        days.append(
            {
                "label": label,
                "holiday": bool(holiday),
                "cells": [{"text": _cell_text(c), "short": c.short} for c in row],
            }
        )
    before, _sep, rest = _("Page {page} of {pages}").partition("{page}")
    middle, _sep2, end = rest.partition("{pages}")
    return (
        environment()
        .get_template("roster.html.j2")
        .render(
            lang=html_lang(current_language()),
            font_stack=FONT_STACK,
            css_string=css_string,
            page_parts=(before, middle, end),
            title=_title(grid),
            date_label=_("Date"),
            columns=[f"{c.name} {c.start_time}–{c.end_time}" for c in grid.columns],
            days=days,
            warnings_label=_("Warnings:"),
            warnings=[w.text() for w in grid.warnings],
        )
    )


# --- roster subcommand ------------------------------------------------------------------


def _roster_arguments(p: argparse.ArgumentParser) -> None:
    # --db, --desk and --lang come from the cli on every action's parser (not the
    # kiosk's --lock-after: these actions start no kiosk).
    subs = p.add_subparsers(dest="roster_action", metavar="ACTION", required=True)
    ex = subs.add_parser("export", help=_("a month's roster of a desk as CSV, text or HTML"))
    ex.add_argument(
        "--month", required=True, type=_month, metavar="YYYY-MM", help=_("the month to export")
    )
    ex.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_("csv, text or html (default: from the file name, else text)"),
    )
    ex.add_argument(
        "file",
        nargs="?",
        default=None,
        metavar="FILE",
        help=_("write here (default: standard output)"),
    )
    ex.add_argument("--force", action="store_true", help=_("overwrite an existing FILE"))
    wr = subs.add_parser("warnings", help=_("list the roster's warnings for a date range"))
    wr.add_argument("--from", dest="first", required=True, type=_day, metavar="YYYY-MM-DD")
    wr.add_argument("--to", dest="last", required=True, type=_day, metavar="YYYY-MM-DD")


def _format_for(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.file).suffix.lower() if args.file else ""
    return {".csv": "csv", ".html": "html", ".htm": "html"}.get(suffix, "text")


def _run_roster(args: argparse.Namespace) -> int:
    open_database(getattr(args, "db", None), create=False)
    site = get_site()
    try:  # a mistake in what was typed (desk, dates, file): one line, exit 2
        desk = find_desk(getattr(args, "desk", None))
        if args.roster_action == "warnings" and args.last < args.first:
            raise ValidationError(N_("The last day is before the first"), field="last")
        to_file = args.roster_action == "export" and args.file and args.file != "-"
        problem = output_problem(args.file, force=args.force) if to_file else None
    except (ConfigError, ValidationError, NotFound) as exc:
        problem = exc.translated()
    if problem:
        print(f"dutydesk: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.roster_action == "warnings":
        found = roster.roster_warnings(args.first, args.last, desk.id)
        for w in found:
            print(w.text())
        if not found:
            print(_("No warnings"))
        return 0
    year, month = args.month
    grid = roster.month_grid(desk.id, year, month)
    fmt = _format_for(args)
    if fmt == "csv":
        text = render_csv(grid, site.tz)
    elif fmt == "html":
        text = render_html(grid)
    else:
        text = render_text(grid)
    if to_file:
        write_file(args.file, text)
        print(_("Roster written to {path}", path=args.file))
    else:
        sys.stdout.write(text)
    return 0


register("roster", N_("export the duty roster, list its warnings"), _roster_arguments, _run_roster)


# --- holidays subcommand ----------------------------------------------------------------


def _holiday_arguments(p: argparse.ArgumentParser) -> None:
    subs = p.add_subparsers(dest="holiday_action", metavar="ACTION", required=True)
    im = subs.add_parser(
        "import",
        help=_("import holidays from a file (CSV date,name or one 'YYYY-MM-DD name' a line)"),
    )
    im.add_argument("file", metavar="FILE", help=_("the holiday file (UTF-8)"))
    im.add_argument(
        "--supervisor",
        required=True,
        metavar="STAFF_NO",
        help=_("staff number of the supervisor doing the import"),
    )
    add_pin_env(im)
    ls = subs.add_parser("list", help=_("list the holiday calendar"))
    ls.add_argument("--year", type=int, default=None, metavar="YYYY")


def _run_holidays(args: argparse.Namespace) -> int:
    open_database(getattr(args, "db", None), create=False)
    if args.holiday_action == "list":
        for h in holidays.list_holidays(args.year):
            print(f"{h.day.isoformat()} {h.name}")
        return 0
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            N_("The holiday file is not UTF-8 text: {path}"), field="file", path=args.file
        ) from None
    # Check the file before asking for a PIN: a typo should not cost an attempt.
    holidays.parse_holiday_file(text)
    actor = Actor(SystemClock(site_timezone()), None)
    who = authenticate(
        actor, args.supervisor, read_pin(args, _("PIN: ")), purpose="holidays_import"
    )
    result = holidays.import_holidays(actor.as_staff(who.id), text)
    print(
        _(
            "Holidays imported: {added} new, {renamed} renamed, {unchanged} unchanged",
            added=result.added,
            renamed=result.renamed,
            unchanged=result.unchanged,
        )
    )
    return 0


register(
    "holidays", N_("import or list the holiday calendar (CS9)"), _holiday_arguments, _run_holidays
)
