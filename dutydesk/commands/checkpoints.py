"""``dutydesk checkpoints import FILE`` / ``export [FILE]``: a desk's patrol checkpoints
as TOML or CSV. A bad file is refused as a whole, naming the line and field."""

from __future__ import annotations

import argparse
import sys

from dutydesk.cli import EXIT_USAGE, register
from dutydesk.clock import SystemClock
from dutydesk.commands.common import output_problem
from dutydesk.db import open_database
from dutydesk.domain import checkpoints
from dutydesk.domain.context import Actor
from dutydesk.domain.site import find_desk, site_timezone
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_, _
from dutydesk.oserrors import write_file


def add_arguments(p: argparse.ArgumentParser) -> None:
    # One parser, not nested ones, so that --db, --desk and --lang work anywhere.
    p.add_argument(
        "action",
        choices=("import", "export"),
        help=_(
            "import: add or update the desk's checkpoints from FILE; "
            "export: write them to FILE (default: TOML on standard output)"
        ),
    )
    p.add_argument("file", metavar="FILE", nargs="?", default=None, help=_("a .toml or .csv file"))
    p.add_argument(
        "--format",
        choices=checkpoints.FORMATS,
        default=None,
        help=_("file format (default: from the file name)"),
    )
    p.add_argument("--force", action="store_true", help=_("overwrite an existing FILE"))


def run(args: argparse.Namespace) -> int:
    open_database(getattr(args, "db", None), create=False)
    try:
        desk = find_desk(getattr(args, "desk", None))
        if args.action == "import" and args.file is None:
            raise ConfigError(N_("Name the file to import"))
        exporting = args.action == "export" and args.file is not None
        problem = output_problem(args.file, force=args.force) if exporting else None
    except ConfigError as exc:  # a mistake in the command line: exit 2
        problem = exc.translated()
    if problem:
        print(f"dutydesk: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "import":
        # The command line runs with the rights of the database file's owner; the
        # audit event records the file and that no one was logged in.
        actor = Actor(SystemClock(site_timezone()), desk.id, None)
        result = checkpoints.import_file(
            actor, desk.id, args.file, args.format, require_supervisor_role=False
        )
        print(
            _(
                "Checkpoints of {desk}: {added} added, {updated} updated, {unchanged} unchanged",
                desk=desk.code,
                added=result.added,
                updated=result.updated,
                unchanged=result.unchanged,
            )
        )
        return 0
    if args.file is None:
        sys.stdout.write(checkpoints.export_text(desk.id, args.format or "toml"))
        return 0
    fmt = checkpoints.format_of(args.file, args.format)
    write_file(args.file, checkpoints.export_text(desk.id, fmt))
    print(_("Checkpoints of {desk} written to {path}", desk=desk.code, path=args.file))
    return 0


register(
    "checkpoints",
    N_("import or export a desk's patrol checkpoints (TOML or CSV)"),
    add_arguments,
    run,
)
