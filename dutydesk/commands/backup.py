"""``dutydesk backup``, ``restore``, ``paths`` and ``status``: keeping the data safe.

dutydesk backup [--to DIR] [--keep N] [--same-disk]
dutydesk restore FILE [--other-site]
dutydesk paths
dutydesk status
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import arrow

from dutydesk.cli import EXIT_ERROR, EXIT_USAGE, register
from dutydesk.commands.common import open_site, positive
from dutydesk.i18n import N_, _


def _target(args: argparse.Namespace) -> str:
    from dutydesk.db import resolve_target

    return resolve_target(getattr(args, "db", None))


# --- backup ---------------------------------------------------------------------------


def add_backup(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        metavar="DIR",
        default=None,
        help=_("the folder (default: the site's backup folder)"),
    )
    p.add_argument(
        "--keep",
        type=positive,
        default=None,
        metavar="N",
        help=_("keep the newest N backups (default 30)"),
    )
    p.add_argument(
        "--same-disk",
        action="store_true",
        help=_("allow a folder on the database's own disk"),
    )


def run_backup(args: argparse.Namespace) -> int:
    from dutydesk.domain import backup

    backup.refuse_postgres(_target(args))
    actor = open_site(args)
    conf = backup.settings()
    folder = args.to or conf.folder
    if not folder:
        print(
            _("dutydesk: give --to DIR, or set the site's backup folder: dutydesk site backup DIR"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.to and not Path(args.to).expanduser().is_dir():  # a typo is not a new folder
        print(f"dutydesk: {_('no such folder: {path}', path=args.to)}", file=sys.stderr)
        return EXIT_USAGE
    keep = args.keep or conf.keep
    try:
        result = backup.make_backup(
            Path(folder), keep=keep, same_disk=args.same_disk or (conf.same_disk and not args.to)
        )
    except backup.BackupError as exc:
        backup.record_failed(actor, "command", exc.translated())
        raise
    backup.record_made(actor, result, "command")
    print(
        _(
            "Backup {file}: verified, chain head {head}, {size} bytes",
            file=str(result.path),
            head=result.info.head,
            size=result.info.size,
        )
    )
    if result.pruned:
        print(_("Deleted {n} older backups (keeping {keep})", n=len(result.pruned), keep=keep))
    return 0


# --- restore ----------------------------------------------------------------------------


def add_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help=_("the backup file"))
    p.add_argument(
        "--other-site",
        action="store_true",
        help=_("replace this database with a backup of another site"),
    )


def run_restore(args: argparse.Namespace) -> int:
    from dutydesk.clock import SystemClock
    from dutydesk.db import open_database, sqlite_path_of
    from dutydesk.domain import backup
    from dutydesk.domain.context import Actor

    target = _target(args)
    backup.refuse_postgres(target)
    live = Path(sqlite_path_of(target)).expanduser()
    source = Path(args.file).expanduser()
    if source.resolve() == live.resolve():
        raise backup.BackupError(N_("That file is the database itself"))
    live_info = None
    if live.exists():
        try:
            live_info = backup.inspect(live, integrity=False)
        except backup.BackupError:
            live_info = None  # damaged or empty: it is kept aside all the same
    # The backup is checked before the database is touched in any way.
    info = backup.check_restorable(source, live_info, other_site=args.other_site)
    if live.exists():
        backup.refuse_if_open(live, backup.logged_in_at(live))
    live.parent.mkdir(parents=True, exist_ok=True)
    now = arrow.utcnow()
    kept = backup.replace_live(source, live, now)
    open_database(str(live))
    from dutydesk.domain.site import site_timezone

    actor = Actor(SystemClock(site_timezone()), None)
    backup.record_restored(actor, source, info, kept)
    newest = info.newest_at
    with contextlib.suppress(arrow.parser.ParserError, ValueError):  # else as stored
        newest = arrow.get(newest).to(site_timezone()).format("YYYY-MM-DD HH:mm")
    print(
        _(
            "Restored {site}: newest record {newest} ({action}), chain head {head}",
            site=info.site_name,
            newest=newest,
            action=info.newest_action,
            head=info.head,
        )
    )
    if kept is not None:
        print(_("The previous database is kept as {path}", path=str(kept)))
    return 0


# --- paths and status -----------------------------------------------------------------


def run_paths(args: argparse.Namespace) -> int:
    from platformdirs import user_config_path

    from dutydesk.db import open_database
    from dutydesk.errorlog import log_dir
    from dutydesk.render.output import reports_dir

    target = _target(args)
    folder = _("not set")
    if "://" not in target or target.startswith("sqlite"):
        from dutydesk.db import sqlite_path_of

        if Path(sqlite_path_of(target)).expanduser().exists():
            open_database(args.db, create=False)
            from dutydesk.domain import backup

            folder = backup.settings().folder or folder
    rows = [
        (_("database"), target if "@" not in target else target.split("@", 1)[-1]),
        (_("backups"), folder),
        (_("logs"), str(log_dir())),
        (_("reports"), str(reports_dir())),
        (_("config"), str(user_config_path("dutydesk", appauthor=False))),
    ]
    width = max(len(k) for k, _v in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from dutydesk.domain import backup

    report = backup.status(open_site(args).now())
    for key, value in report.lines:
        print(f"{_(key)}: {value}")
    if report.problems:
        for text in report.problems:
            print(_("PROBLEM: {what}", what=text))
        return EXIT_ERROR
    print(_("no problems"))
    return 0


def _no_arguments(p: argparse.ArgumentParser) -> None:
    return None


register(
    "backup", N_("copy the database to a backup folder and verify the copy"), add_backup, run_backup
)
register("restore", N_("replace the database with a verified backup"), add_restore, run_restore)
register(
    "paths",
    N_("where the database, backups, logs, reports and config are"),
    _no_arguments,
    run_paths,
)
register(
    "status",
    N_("the site at a glance: desks, shifts, backups, problems"),
    _no_arguments,
    run_status,
)
