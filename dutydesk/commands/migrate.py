"""``dutydesk migrate --from SOURCE --to TARGET``: move a whole site to another database.

SQLite → PostgreSQL when a site gets several PCs, PostgreSQL → SQLite for an
offline copy. Ids, history and signatures move unchanged; the target is then
verified and compared with the source (row counts, audit chain head).
Exit 0: moved and identical; 1: refused or a difference found.
"""

from __future__ import annotations

import argparse
import sys

from dutydesk.cli import EXIT_ERROR, register
from dutydesk.i18n import N_, _


def add_arguments(p: argparse.ArgumentParser) -> None:
    ends = (
        ("--from", "source", N_("the database the site is in now (sqlite:///… or postgresql://…)")),
        ("--to", "target", N_("an empty database to move it into")),
    )
    for flag, dest, msgid in ends:
        p.add_argument(flag, dest=dest, required=True, metavar="PATH|URL", help=_(msgid))


def run(args: argparse.Namespace) -> int:
    from dutydesk.transfer import transfer

    def progress(table: str, rows: int) -> None:
        print(_("copied {table}: {rows}", table=table, rows=rows), file=sys.stderr)

    report = transfer(args.source, args.target, progress)
    for c in report.mismatched:
        print(
            _(
                "BAD: {table} has {target} rows, the source {source}",
                table=c.table,
                target=c.target,
                source=c.source,
            )
        )
    if report.source_head != report.target_head:
        print(
            _(
                "BAD: the audit chain ends in {target}, the source in {source}",
                target=report.target_head,
                source=report.source_head,
            )
        )
    for problem in report.problems:
        print(_("BAD: {what}", what=problem))
    if not report.ok:
        return EXIT_ERROR
    print(
        _(
            "OK: moved {rows} rows in {tables} tables; audit chain head {head}; verify passed",
            rows=report.rows,
            tables=len(report.counts),
            head=report.target_head[:24],
        )
    )
    return 0


register(
    "migrate",
    N_("move a whole site to another database (SQLite file or PostgreSQL server)"),
    add_arguments,
    run,
)
