"""``dutydesk report day|handover|incident|patrol|month|export``: records that leave
the kiosk, as HTML (A4), text, CSV or XLSX.

    dutydesk report day --desk security --date 2026-12-01 -o day.html
    dutydesk report handover 42 --format txt
    dutydesk report month --desk security --month 2026-12 --format xlsx -o dec.xlsx

Writes to ``-o FILE`` (never over an existing file without ``--force``) or to
stdout. A bad date, desk or range is one line on stderr and exit 2. Every
report made is audited as "report.made" by "cli".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from dutydesk.cli import EXIT_USAGE, register
from dutydesk.clock import SystemClock
from dutydesk.commands.common import output_problem
from dutydesk.db import open_database
from dutydesk.domain.context import Actor
from dutydesk.errors import ConfigError, NotFound, ValidationError
from dutydesk.i18n import N_, _, set_language
from dutydesk.oserrors import write_file
from dutydesk.render import FORMATS

KINDS = ("day", "handover", "incident", "patrol", "month", "export")
SUFFIXES = {".html": "html", ".htm": "html", ".txt": "txt", ".csv": "csv", ".xlsx": "xlsx"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=KINDS, help=_("which report"))
    p.add_argument(
        "id", nargs="?", type=int, metavar="ID", help=_("the handover's or incident's number")
    )
    when = p.add_argument_group(_("days"))
    when.add_argument("--date", metavar="YYYY-MM-DD", help=_("the business day (default: today)"))
    when.add_argument("--from", dest="day_from", metavar="YYYY-MM-DD", help=_("first day"))
    when.add_argument("--to", dest="day_to", metavar="YYYY-MM-DD", help=_("last day"))
    when.add_argument("--month", metavar="YYYY-MM", help=_("a calendar month (month report)"))
    p.add_argument("--shift", metavar="CODE", help=_("only this shift of the day (day, patrol)"))
    p.add_argument(
        "--format",
        choices=FORMATS,
        help=_("html, txt, csv or xlsx (default: from the file name, else txt)"),
    )
    p.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE (default: stdout)"))
    p.add_argument("--force", action="store_true", help=_("overwrite an existing FILE"))


class _Usage(Exception):
    """A bad argument: one line, exit 2."""


def _day(text: str) -> dt.date:
    from dutydesk.domain.reports import parse_day

    return parse_day(text)


def _request(args: argparse.Namespace, today: dt.date) -> object:
    from dutydesk.domain import reports
    from dutydesk.domain.reports.request import ReportRequest
    from dutydesk.domain.site import find_desk

    desk_code = getattr(args, "desk", None)
    if args.kind in ("month", "export") and not desk_code:
        desk_id = None  # the whole site
    elif args.kind in ("incident", "handover") and args.id is not None and not desk_code:
        desk_id = None  # the number says which
    else:
        desk_id = find_desk(desk_code, os.environ.get("DUTYDESK_DESK") or None).id
    if args.month:
        if args.kind != "month":
            raise _Usage(_("--month is for the month report"))
        days = reports.parse_month(args.month)
    elif args.day_from or args.day_to:
        if args.date:
            raise _Usage(_("give --date or --from/--to, not both"))
        if not (args.day_from and args.day_to):
            raise _Usage(_("give both --from and --to"))
        days = reports.period(_day(args.day_from), _day(args.day_to))
        if args.kind in ("day", "patrol") and days.first != days.last:
            raise _Usage(_("the day and patrol records are of one day: use --date"))
    elif args.date:
        day = _day(args.date)
        days = (
            reports.month_period(day.year, day.month)
            if args.kind == "month"
            else reports.Period(day, day)
        )
    else:
        days = (
            reports.month_period(today.year, today.month)
            if args.kind == "month"
            else reports.Period(today, today)
        )
    if args.id is not None and args.kind not in ("handover", "incident"):
        raise _Usage(_("only the handover and incident reports take a number"))
    return ReportRequest(args.kind, desk_id, days, args.shift, args.id)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return SUFFIXES.get(Path(args.output).suffix.lower(), "txt")
    return "txt"


def run(args: argparse.Namespace) -> int:
    from dutydesk.domain.reports import today
    from dutydesk.domain.reports.request import make
    from dutydesk.domain.site import get_site
    from dutydesk.render.output import render

    open_database(getattr(args, "db", None), create=False)
    site = get_site()
    set_language(getattr(args, "lang", None) or site.language)
    fmt = _format(args)
    try:
        if fmt == "xlsx" and not args.output:
            raise _Usage(_("an XLSX workbook needs a file: -o FILE"))
        problem = output_problem(args.output, force=args.force) if args.output else None
        if problem:
            raise _Usage(problem)
        clock = SystemClock(site.tz)
        req = _request(args, today(clock.now()))
        actor = Actor(clock, req.desk_id)  # type: ignore[attr-defined]
        report = make(actor, req, fmt, str(Path(args.output).resolve()) if args.output else "")  # type: ignore[arg-type]
    except _Usage as exc:
        print(f"dutydesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValidationError, ConfigError, NotFound) as exc:
        print(f"dutydesk: {exc.translated()}", file=sys.stderr)
        return EXIT_USAGE
    out = render(report, fmt)
    if args.output:
        write_file(args.output, out)
        print(_("Written: {path}", path=args.output), file=sys.stderr)
    else:
        assert isinstance(out, str)
        sys.stdout.write(out)
    return 0


register(
    "report",
    N_("make a report: day, handover, incident, patrol, month, export"),
    add_arguments,
    run,
)
