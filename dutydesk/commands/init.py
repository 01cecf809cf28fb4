"""``dutydesk init``: create a new site non-interactively."""

from __future__ import annotations

import argparse
from pathlib import Path

from dutydesk.cli import register
from dutydesk.clock import SystemClock
from dutydesk.commands.common import add_pin_env, desk_spec, read_pin
from dutydesk.db import open_database
from dutydesk.domain.context import Actor
from dutydesk.domain.patterns import preset
from dutydesk.domain.pins import check_pin
from dutydesk.domain.site import check_timezone, create_site, local_timezone
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _, current_language


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True, help=_("the site's name"))
    p.add_argument("--tz", default=None, help=_("IANA time zone (default: this machine's)"))
    p.add_argument(
        "--site-lang",
        default=None,
        choices=("zh", "en"),
        help=_("the site's language (default: --lang, else LANG)"),
    )
    p.add_argument(
        "--add-desk",
        dest="desks",
        action="append",
        type=desk_spec,
        required=True,
        metavar="CODE:PRESET[:NAME[:LOCATION]]",
        help=_(
            "a desk and its shift preset: security-3, security-2, engineering, "
            "service (repeat for more desks)"
        ),
    )
    p.add_argument(
        "--supervisor",
        required=True,
        metavar="STAFF_NO",
        help=_("staff number of the first supervisor"),
    )
    p.add_argument("--supervisor-name", required=True, help=_("name of the first supervisor"))
    p.add_argument(
        "--backup-dir",
        metavar="DIR",
        default=None,
        help=_("the site's backup folder (automatic backups; best on another disk)"),
    )
    add_pin_env(p)


def run(args: argparse.Namespace) -> int:
    tz = args.tz or local_timezone()
    # Check what the user typed before touching the database, so a refused
    # init leaves no half-made file behind (create_site checks again).
    check_timezone(tz)
    for desk in args.desks:
        preset(desk.preset)
    pin = read_pin(args, _("PIN for the first supervisor: "), twice=True)
    check_pin(pin)
    open_database(args.db)
    if args.backup_dir:
        from dutydesk.domain.backup import on_database_disk
        from dutydesk.domain.site_settings import SAME_DISK_FOLDER

        if on_database_disk(Path(args.backup_dir)):
            raise ValidationError(SAME_DISK_FOLDER, field="backup_dir")
    info = create_site(
        Actor(SystemClock(tz), None),
        name=args.name,
        tz=tz,
        language=args.site_lang or current_language(),  # this run's language
        desks=args.desks,
        supervisor_no=args.supervisor,
        supervisor_name=args.supervisor_name,
        supervisor_pin=pin,
    )
    if args.backup_dir:
        from dutydesk.domain.site_settings import set_backup

        set_backup(Actor(SystemClock(tz), None), folder=args.backup_dir)
    print(
        _(
            "Site {name} created with desks: {desks}",
            name=info.name,
            desks=", ".join(d.code for d in info.desks),
        )
    )
    return 0


register("init", N_("create a new site non-interactively"), add_arguments, run)
