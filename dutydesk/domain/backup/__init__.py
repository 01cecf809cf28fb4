"""Backups of the site's database, restoring one, and the chain kept outside the file.

A backup is a consistent copy made with SQLite's online backup API while kiosks
keep writing (WAL readers do not block writers), then checked on the copy with
``PRAGMA integrity_check`` and a full ``verify`` (run in a child process, so the
models of a running kiosk are never re-bound to another file). Files are named
``<site>_<UTC time>_h<seq>-<hash prefix>.dutydesk.db``; the newest N are kept,
older ones deleted only after the new one verified.

A backup elsewhere is also the tamper anchor: the live audit chain must extend
the backup's chain exactly (:func:`compare_with_backup`); anyone who rewrites and
rehashes history before the backup's head is named by the first differing seq.

Only the copy itself is SQLite-specific (:func:`sqlite_copy`); a PostgreSQL
site gets a one-line refusal until it has its own.

Here: making a backup and pruning old ones, automatic backups. ``files``: names,
folders, the copy, reading and verifying a copy, the comparison of chains;
``restore``: restoring; ``live``: settings, the audit records of backups, what is
missing or due, ``dutydesk status``. Every name is importable from here.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import arrow

from dutydesk import oserrors
from dutydesk.domain.backup.files import (
    DEFAULT_KEEP,
    MISSING_AFTER,
    SQLITE_HEADER,
    SUFFIX,
    AgainstReport,
    BackupAction,
    BackupError,
    BackupResult,
    FileInfo,
    backup_name,
    backups_in,
    compare_with_backup,
    full_verify,
    inspect,
    live_path,
    logged_in_at,
    on_database_disk,
    refuse_postgres,
    same_file_system,
    slug,
    sqlite_copy,
)
from dutydesk.domain.backup.live import (
    BackupSettings,
    LastBackup,
    Status,
    _close_thread_connection,
    check_newest,
    daily_due,
    last_backup,
    last_good_backup_at,
    newest_backup,
    problems,
    record_failed,
    record_made,
    record_restored,
    settings,
    status,
)
from dutydesk.domain.backup.restore import (
    RestoreResult,
    aside_name,
    check_restorable,
    describe,
    open_by_others,
    refuse_if_open,
    replace_live,
)
from dutydesk.domain.context import Actor
from dutydesk.errors import ConfigError, DutyDeskError
from dutydesk.i18n import N_

# --- making a backup --------------------------------------------------------------------


def make_backup(
    folder: Path,
    *,
    keep: int = DEFAULT_KEEP,
    same_disk: bool = False,
    now: arrow.Arrow | None = None,
    source: Path | None = None,
) -> BackupResult:
    """Copy the live database into ``folder``, check the copy, then prune to ``keep``.

    Refuses a folder on the database's own file system unless ``same_disk``:
    a backup on the dying disk is no backup.
    """
    if keep < 1:
        raise ConfigError(N_("Keep at least one backup"))
    source = source or live_path()
    folder = folder.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            N_("Cannot create the backup folder {path}: {reason}"),
            path=str(folder),
            reason=oserrors.reason(exc),
        ) from exc
    if not same_disk and same_file_system(folder, source):
        raise ConfigError(
            N_(
                "The backup folder {path} is on the same disk as the database; a backup "
                "there is lost with the disk. Choose another disk, or give --same-disk"
            ),
            path=str(folder),
        )
    now = now or arrow.utcnow()
    partial = folder / f".partial-{os.getpid()}-{now.int_timestamp}{SUFFIX}"
    try:
        sqlite_copy(source, partial)
        info = inspect(partial)
        problems = full_verify(partial)
        if problems:
            raise BackupError(N_("The copy does not verify: {problem}"), problem=problems[0])
        final = folder / backup_name(info.site_name, now, info.head_seq, info.head_hash)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    info = FileInfo(**{**info.__dict__, "path": final})
    pruned = prune(folder, info.site_name, keep)
    return BackupResult(final, info, pruned)


def prune(folder: Path, site_name: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of the site in ``folder``."""
    files = backups_in(folder, site_name)
    old = files[:-keep] if keep > 0 else files
    for p in old:
        p.unlink(missing_ok=True)
    return old


def auto_backup(actor: Actor, reason: str) -> BackupResult | None:
    """A backup into the site's backup folder, recorded either way; None when no folder
    is set. Meant for a background thread: it never raises a :class:`DutyDeskError`
    (a failure is recorded and becomes an alarm)."""
    conf = settings()
    if not conf.folder:
        return None
    try:
        result = make_backup(
            Path(conf.folder), keep=conf.keep, same_disk=conf.same_disk, now=actor.now()
        )
    except (DutyDeskError, OSError, sqlite3.Error) as exc:
        message = exc.translated() if isinstance(exc, DutyDeskError) else str(exc)
        record_failed(actor, reason, message)
        return None
    record_made(actor, result, reason)
    return result


def backup_in_background(actor: Actor, reason: str) -> BackupResult | None:
    """:func:`auto_backup` for a worker thread of the kiosk."""
    try:
        return auto_backup(actor, reason)
    finally:
        _close_thread_connection()


__all__ = [
    "DEFAULT_KEEP",
    "MISSING_AFTER",
    "SQLITE_HEADER",
    "SUFFIX",
    "AgainstReport",
    "BackupAction",
    "BackupError",
    "BackupResult",
    "BackupSettings",
    "FileInfo",
    "LastBackup",
    "RestoreResult",
    "Status",
    "aside_name",
    "auto_backup",
    "backup_in_background",
    "backup_name",
    "backups_in",
    "check_newest",
    "check_restorable",
    "compare_with_backup",
    "daily_due",
    "describe",
    "full_verify",
    "inspect",
    "last_backup",
    "last_good_backup_at",
    "live_path",
    "logged_in_at",
    "make_backup",
    "newest_backup",
    "on_database_disk",
    "open_by_others",
    "problems",
    "prune",
    "record_failed",
    "record_made",
    "record_restored",
    "refuse_if_open",
    "refuse_postgres",
    "replace_live",
    "same_file_system",
    "settings",
    "slug",
    "sqlite_copy",
    "status",
]
