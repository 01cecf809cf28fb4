"""``dutydesk demo``: build the demo site "示例花园 / Demo Gardens" and start the kiosk."""

from __future__ import annotations

import argparse

from dutydesk.cli import kiosk_options, non_negative_int, register, run_kiosk
from dutydesk.i18n import N_, _


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--days",
        type=non_negative_int,
        default=30,
        metavar="N",
        help=_("days of history to generate (3650: the benchmark site)"),
    )
    p.add_argument(
        "--rebuild",
        action="store_true",
        help=_("throw away an existing demo database and build it anew"),
    )
    p.add_argument(
        "--no-run",
        action="store_true",
        help=_("build the demo site and exit without starting the kiosk"),
    )


def run(args: argparse.Namespace) -> int:
    from dutydesk.demo import build_demo

    options = kiosk_options(args)
    path = build_demo(options.db, days=args.days, rebuild=args.rebuild)
    if args.no_run:
        print(_("Demo site ready: {path}", path=path))
        return 0
    options.db = path
    options.desk = options.desk or "security"
    return run_kiosk(options)


register("demo", N_("build the demo site and start the kiosk on it"), add_arguments, run)
