"""``dutydesk bench``: speed and memory on a ten-year demo site, against baselines."""

from __future__ import annotations

import argparse
import sys

from dutydesk.cli import _positive_int, kiosk_options, non_negative_int, register
from dutydesk.i18n import N_, _


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--days",
        type=non_negative_int,
        default=3650,
        metavar="N",
        help=_("days of history of the demo site to measure (default 3650)"),
    )
    p.add_argument(
        "--runs",
        type=_positive_int,
        default=7,
        metavar="N",
        help=_("measured runs of each figure; the median is shown (default 7)"),
    )
    p.add_argument(
        "--warmup",
        type=non_negative_int,
        default=1,
        metavar="N",
        help=_("unmeasured runs first, to load modules and caches (default 1)"),
    )
    p.add_argument(
        "--json",
        metavar="FILE",
        default=None,
        help=_("also write the table and the raw timings to FILE as JSON"),
    )
    p.add_argument(
        "--no-callgrind",
        dest="callgrind",
        action="store_false",
        default=None,
        help=_(
            "skip the instruction count of the cold start (valgrind's callgrind, "
            "used when valgrind is installed; about a minute)"
        ),
    )
    p.add_argument(
        "--markdown",
        action="store_true",
        help=_("print the table as Markdown (for the README)"),
    )


def run(args: argparse.Namespace) -> int:
    from dutydesk.bench import format_notes, format_table, run_bench

    db = kiosk_options(args).db

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    figures, report = run_bench(
        db=db,
        days=args.days,
        runs=args.runs,
        warmup=args.warmup,
        json_path=args.json,
        say=say,
        callgrind=args.callgrind,
    )
    print(format_table(figures, markdown=args.markdown))
    notes = format_notes(figures)
    if notes:
        print()
        print(notes)
    missed = sum(1 for f in figures if f.met is False)
    print()
    print(
        _(
            "{date} · {cpu} · {cores} cores · Python {python} · Textual {textual}",
            date=report["date"],
            **report["machine"],
        )
    )
    print(
        _(
            "Whole run: {seconds:.0f} s; targets missed: {missed}",
            seconds=report["total_seconds"],
            missed=missed,
        )
    )
    return 0


register(
    "bench",
    N_("measure start-up, screens, queries and memory on a ten-year demo site"),
    add_arguments,
    run,
)
