"""Opening the database: where it is, pragmas, migrations.

SQLite by default (a file in the user's data directory), chosen by ``--db`` or
``DUTYDESK_DB`` as a path or a URL; ``postgresql://…`` opens a site server.
What differs between the engines is behind :mod:`dutydesk.backends`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

import peewee as pw

from dutydesk.backends.sqlite import SQLITE_PRAGMAS as SQLITE_PRAGMAS
from dutydesk.backends.sqlite import make_sqlite as make_sqlite

# Where the database is lives in the light config module (the kiosk reads it before
# Peewee loads); named here too for this module's callers.
from dutydesk.config import ENV_VAR as ENV_VAR
from dutydesk.config import default_path as default_path
from dutydesk.config import explicit_target as explicit_target
from dutydesk.config import redact
from dutydesk.config import resolve_target as resolve_target
from dutydesk.config import sqlite_path_of as sqlite_path_of
from dutydesk.dbfaults import NO_DATABASE as NO_DATABASE
from dutydesk.dbfaults import STATE, guarded_write, open_error
from dutydesk.errors import ConfigError, ConnectionLost, DutyDeskError
from dutydesk.i18n import N_
from dutydesk.models import database_proxy

# File systems on which SQLite's WAL (shared memory) does not work safely.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
    }
)


def _mount_fstype(path: Path, mounts_text: str | None = None) -> str | None:
    """The file-system type of the mount holding ``path`` (Linux /proc/mounts)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return None
    best: tuple[int, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and (
            best is None or len(mount_point) > best[0]
        ):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def check_local_path(path: Path, mounts_text: str | None = None) -> None:
    """Refuse a database on a network file system, where SQLite's WAL breaks."""
    # The longest mount point that is a prefix of the full path: mount points
    # exist, so this is the mount the file is (or will be) created on, and it
    # depends only on the mount table (which a test can give as text).
    fstype = _mount_fstype(path.expanduser().resolve(), mounts_text)
    if fstype and (fstype in NETWORK_FILESYSTEMS or fstype.startswith("nfs")):
        raise ConfigError(
            N_(
                "The database {path} is on a network file system ({fstype}); "
                "SQLite cannot run safely there. Use a local disk."
            ),
            path=str(path),
            fstype=fstype,
        )


def open_database(
    target: str | None = None,
    *,
    migrate: bool = True,
    create: bool = True,
    check_fs: Callable[[Path], None] = check_local_path,
    read_only: bool = False,
) -> pw.Database:
    """Open (and by default create and migrate) the database and bind the models.

    ``target`` is a SQLite path or ``sqlite:///`` URL, or a
    ``postgresql://user@host/dbname`` URL (:mod:`dutydesk.backends`). Raises
    :class:`ConfigError` with a one-line message for every problem a user can
    cause: a bad URL, a server that cannot be reached, a network file system,
    a file that cannot be read or is not a database.
    ``read_only`` opens a SQLite file with ``mode=ro`` (as if it could not be
    written: tests of read-only mode).
    """
    from dutydesk import backends

    resolved = resolve_target(target)
    backend = backends.for_target(resolved)
    db = backend.open(resolved, create=create, check_fs=check_fs, read_only=read_only)
    path_text = redact(resolved) if backends.is_postgres_target(resolved) else db.database
    database_proxy.initialize(db)
    STATE.clear()  # a standing fault belonged to the file open before
    if migrate:
        from dutydesk.migrations import migrate as run_migrations

        try:
            run_migrations(db)
        except pw.DatabaseError as exc:
            # Another program's SQLite file, a damaged one: one line, no traceback.
            db.close()
            raise open_error(path_text, exc) from exc
    return db


class _Write:
    """``db.atomic()``, but a write the server gave up on (PostgreSQL: a deadlock,
    a serialization failure, a lock wait too long) ends as one clear
    :class:`DutyDeskError` at the outermost level, never a driver traceback."""

    def __init__(self, db: pw.Database | pw.DatabaseProxy) -> None:
        self._db = db
        self._atomic = db.atomic()
        self._outer = False

    def __enter__(self) -> Any:
        self._outer = self._db.transaction_depth() == 0
        return self._atomic.__enter__()

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool | None:
        try:
            self._atomic.__exit__(exc_type, exc, tb)
        except (pw.DatabaseError, pw.InterfaceError) as failed:
            real = _real(self._db)
            is_lost = getattr(real, "_is_lost", None)
            if isinstance(exc, ConnectionLost) or (is_lost is not None and is_lost(failed)):
                # The commit or rollback could not reach the server: the server ended
                # the transaction; drop the dead connection, report the loss.
                if self._db.transaction_depth() == 0:
                    real.forget_connection()
                if isinstance(exc, ConnectionLost):
                    raise exc from failed
                raise real._lost(failed) from failed
            _raise_if_busy(failed, self._outer)
            raise
        if exc is not None and isinstance(exc, pw.DatabaseError):
            _raise_if_busy(exc, self._outer)
        return None


def _real(db: pw.Database | pw.DatabaseProxy) -> Any:
    return db.obj if isinstance(db, pw.DatabaseProxy) else db


def _raise_if_busy(exc: BaseException, outer: bool) -> None:
    if outer and _retryable(exc):
        from dutydesk.backends.postgres import BUSY_MSGID

        raise DutyDeskError(BUSY_MSGID) from exc


def _retryable(exc: BaseException) -> bool:
    if not isinstance(exc, pw.DatabaseError) or isinstance(exc, pw.IntegrityError):
        return False
    from dutydesk.backends.postgres import is_retryable

    return is_retryable(exc)


def write(db: pw.Database | None = None) -> AbstractContextManager[Any]:
    """One write transaction (``BEGIN IMMEDIATE`` on SQLite, the site's write lock on
    PostgreSQL); nests as savepoints.

    SQLite's errors come out typed (busy, disk full, read-only, damaged):
    :mod:`dutydesk.dbfaults`; a server's, as one clear line (:class:`_Write`).
    """
    target = db or database_proxy
    if isinstance(_real(target), pw.SqliteDatabase):
        return guarded_write(target)
    return _Write(target)


T = TypeVar("T")
RETRY_ATTEMPTS = 3


def retrying(operation: Callable[[], T], attempts: int = RETRY_ATTEMPTS) -> T:
    """Run a whole write operation again when the server gave up on it (deadlock,
    serialization failure, lock wait), at most ``attempts`` times; then one line."""
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except DutyDeskError as exc:
            cause = exc.__cause__
            if cause is None or not _retryable(cause) or attempt == attempts:
                raise
        except pw.DatabaseError as exc:
            if not _retryable(exc):
                raise
            if attempt == attempts:
                from dutydesk.backends.postgres import BUSY_MSGID

                raise DutyDeskError(BUSY_MSGID) from exc
    raise AssertionError("unreachable")
