"""``dutydesk verify [--head SEQ:HASH]``: check the audit chain and every signature.

Exit 0: intact (clock-set-back warnings are printed but do not fail);
exit 1: a problem, the first bad record named first.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

from dutydesk.cli import EXIT_ERROR, register
from dutydesk.db import open_database
from dutydesk.i18n import N_, _


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--head",
        metavar="SEQ:HASH",
        default=None,
        help=_(
            "the chain head printed on a handover record (at least 16 hex "
            "characters): detects a cut or rewritten chain"
        ),
    )

    p.add_argument(
        "--against",
        metavar="BACKUP",
        default=None,
        help=_("a backup file: the chain must extend the backup's chain exactly"),
    )


def _against(path: str) -> int:
    """The live chain must extend the backup's (a tamper anchor outside the file)."""
    from pathlib import Path

    from dutydesk.domain import backup

    found = backup.compare_with_backup(Path(path).expanduser())
    if found.foreign:
        print(_("BAD: {path} is a backup of another site", path=path))
        return EXIT_ERROR
    if found.first_difference is not None:
        print(
            _(
                "BAD: audit event {seq} differs from the backup's (head {head}): history "
                "before the backup was rewritten or removed",
                seq=found.first_difference,
                head=found.backup.head,
            )
        )
        return EXIT_ERROR
    print(
        _(
            "OK: the chain extends the backup's chain (backup head {head}, now {seq} events)",
            head=found.backup.head,
            seq=found.live_head_seq,
        )
    )
    return 0


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A Rich progress bar on stderr while verify walks the chain and the signed
    records, when stderr is a terminal; nothing when it is piped or redirected."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(_(step), total=total)
        bar.update(tasks[step], completed=done, total=total)

    with bar:
        yield update


def run(args: argparse.Namespace) -> int:
    from dutydesk.domain.verify import verify

    open_database(args.db, create=False)
    if getattr(args, "against", None):
        against = _against(args.against)
        if against != 0:
            return against
    with progress_bar() as progress:
        report = verify(args.head, progress=progress)
    for w in report.warnings:
        print(_("warning: {what}", what=w.text()))
    for p in report.problems:
        print(_("BAD: {what}", what=p.text()))
    head = str(report.head) if report.head else "0"
    summary = _(
        "{events} audit events, head {head}; {handovers} signed handovers, "
        "{reports} signed reports",
        events=report.events,
        head=head,
        handovers=report.handovers,
        reports=report.reports,
    )
    if report.ok:
        print(_("OK: {summary}", summary=summary))
        return 0
    print(_("FAILED, problems found: {n}; {summary}", n=len(report.problems), summary=summary))
    return EXIT_ERROR


register(
    "verify", N_("check the audit chain and every signature for tampering"), add_arguments, run
)
