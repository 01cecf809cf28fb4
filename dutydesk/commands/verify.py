"""``dutydesk verify [--head SEQ:HASH]``: check the audit chain and every signature.

Exit 0: intact (clock-set-back warnings are printed but do not fail);
exit 1: a problem, the first bad record named first.
"""

from __future__ import annotations

import argparse

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


def run(args: argparse.Namespace) -> int:
    from dutydesk.domain.verify import verify

    open_database(args.db, create=False)
    report = verify(args.head)
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
