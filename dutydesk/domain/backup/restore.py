"""Restoring a backup: checked before the live database is touched, the live file
kept aside, refused while a desk is logged in."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import arrow

from dutydesk.domain.backup.files import BackupError, FileInfo, full_verify, inspect
from dutydesk.errors import RuleViolation
from dutydesk.i18n import N_

# --- restoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    info: FileInfo
    kept_aside: Path | None


def open_by_others(path: Path, *, back_to_wal: bool = True) -> bool:
    """Does another connection (a kiosk) have the database open?

    Leaving WAL mode needs the only connection to the file: if another has it
    open, SQLite keeps WAL. Going back to WAL afterwards leaves it as it was;
    without (``back_to_wal=False``, before a restore moves it aside) the file is
    left checkpointed into one piece.
    """
    con = sqlite3.connect(str(path), timeout=0.2)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            return False
        try:
            changed = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            return True
        if str(changed).lower() == "wal":
            return True
        if back_to_wal:
            con.execute("PRAGMA journal_mode=WAL")
        return False
    finally:
        con.close()


def check_restorable(path: Path, live: FileInfo | None, *, other_site: bool = False) -> FileInfo:
    """The backup's contents if it may replace the live database; refuses a damaged,
    truncated, foreign or unverifiable file."""
    info = inspect(path)
    from dutydesk.migrations import LATEST

    if info.schema_version > LATEST:
        raise BackupError(
            N_("{path} was made by a newer DutyDesk (schema {found}); upgrade DutyDesk first"),
            path=str(path),
            found=info.schema_version,
        )
    if live is not None and not other_site and live.genesis and live.genesis != info.genesis:
        raise BackupError(
            N_(
                "{path} is a backup of another site ({theirs}); this database holds {ours}. "
                "Give --other-site to replace it anyway"
            ),
            path=str(path),
            theirs=info.site_name,
            ours=live.site_name,
        )
    problems = full_verify(path)
    if problems:
        raise BackupError(
            N_("{path} does not verify: {problem}"), path=str(path), problem=problems[0]
        )
    return info


def aside_name(live: Path, now: arrow.Arrow) -> Path:
    stamp = now.to("UTC").format("YYYYMMDDTHHmmss") + "Z"
    return live.with_name(f"{live.name}.before-restore-{stamp}")


def replace_live(backup: Path, live: Path, now: arrow.Arrow) -> Path | None:
    """Put ``backup`` in place of ``live``; the old file (and its WAL) is renamed aside,
    never deleted. Returns the name it was kept under (None when there was none)."""
    kept: Path | None = None
    staged = live.with_name(f".{live.name}.restoring")
    shutil.copyfile(backup, staged)
    if live.exists():
        kept = aside_name(live, now)
        os.replace(live, kept)
        for ext in ("-wal", "-shm"):
            side = live.with_name(live.name + ext)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + ext))
    os.replace(staged, live)
    return kept


def refuse_if_open(live: Path, desks_logged_in: list[str]) -> None:
    if live.exists() and open_by_others(live, back_to_wal=False):
        who = ", ".join(desks_logged_in)
        if who:
            raise RuleViolation(
                N_("A kiosk has the database open (logged in: {who}); quit it first"), who=who
            )
        raise RuleViolation(N_("A kiosk or another program has the database open; quit it first"))


def describe(info: FileInfo) -> dict[str, Any]:
    return {
        "site": info.site_name,
        "newest": info.newest_at,
        "newest_action": info.newest_action,
        "head": info.head,
        "size": info.size,
    }
