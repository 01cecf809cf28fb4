"""What went wrong with the database, named for a person: busy, full, read-only, damaged.

SQLite reports these as ``OperationalError``/``DatabaseError`` with English text.
:func:`classify` is the one place that maps them to the typed
:class:`~dutydesk.errors.StorageError` subclasses the screens show; every write
transaction (:func:`dutydesk.db.write`) goes through :func:`guarded_write`,
which raises the typed error and remembers a standing fault:

* disk full or a read-only file → *read-only mode*: records can still be
  read, every save is tried and refused with the same message, and the mode
  ends at the first write that works again;
* a damaged file (``quick_check`` at start, or "malformed" on the way) →
  nothing is written at all until the latest backup is restored.

A busy database (another desk's write) is not a standing fault: the form that
saved retries for a bounded time (see :mod:`dutydesk.widgets.form`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee as pw

from dutydesk.errors import (
    ConfigError,
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    ReadOnlyDatabase,
    StorageError,
)
from dutydesk.i18n import N_

# SQLite primary result codes (sqlite3.h).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26

BUSY_MSG = N_("Another desk is saving; the database stayed busy. Nothing was saved.")
FULL_MSG = N_("The disk is full: nothing was saved. Tell the supervisor.")
READONLY_MSG = N_("The database file is read-only: nothing was saved. Tell the supervisor.")
DAMAGED_MSG = N_(
    "The database file is damaged: nothing is saved. Restore the latest backup "
    "(tell the supervisor)."
)

# Seconds one write waits for another desk's lock before it gives up (SQLite's
# busy_timeout); the kiosk lowers it so that a form can say "retrying…" between
# attempts instead of freezing for the whole wait.
DEFAULT_BUSY_TIMEOUT = 10.0


def _codes(exc: BaseException) -> Iterator[tuple[int | None, str]]:
    """(primary result code, lower-case text) of ``exc`` and every error it hides.

    SQLite rolls a transaction back by itself on a full disk, so peewee's own
    rollback then fails with "cannot rollback - no transaction is active": the
    real cause is in ``__context__`` of that error, and is what must be named.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        code = getattr(e, "sqlite_errorcode", None)
        yield (code & 0xFF if isinstance(code, int) else None), str(e).lower()
        todo += [e.__cause__, e.__context__]
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]


def classify(exc: BaseException) -> StorageError | None:
    """The typed error for a database exception, or None when it is none of ours.

    Checked in order of severity over the whole chain: damaged, full, read-only,
    busy. "cannot rollback - no transaction is active" alone is never the answer.
    """
    if isinstance(exc, StorageError):
        return exc
    if not isinstance(exc, pw.DatabaseError | sqlite3.Error):
        return None
    found = list(_codes(exc))
    codes = {c for c, _t in found}
    text = " | ".join(t for _c, t in found)
    if (
        SQLITE_CORRUPT in codes
        or SQLITE_NOTADB in codes
        or "malformed" in text
        or "not a database" in text
    ):
        return DatabaseDamaged(DAMAGED_MSG)
    if SQLITE_FULL in codes or "disk is full" in text or "database or disk is full" in text:
        return DiskFull(FULL_MSG)
    if SQLITE_READONLY in codes or "readonly database" in text or "read-only" in text:
        return ReadOnlyDatabase(READONLY_MSG)
    if SQLITE_BUSY in codes or SQLITE_LOCKED in codes or "database is locked" in text:
        return DatabaseBusy(BUSY_MSG)
    return None


def corrupt(exc: BaseException) -> bool:
    """Is ``exc`` SQLite saying a database file is damaged (not merely "not a database")?"""
    return any(c == SQLITE_CORRUPT or "malformed" in t for c, t in _codes(exc))


@dataclass
class WriteState:
    """A standing fault of this process's database: None while writing works."""

    fault: StorageError | None = None

    @property
    def read_only(self) -> bool:
        """Saves are refused (disk full, read-only file or damage)."""
        return self.fault is not None

    @property
    def damaged(self) -> bool:
        return isinstance(self.fault, DatabaseDamaged)

    def set(self, fault: StorageError) -> None:
        if isinstance(self.fault, DatabaseDamaged):
            return  # damage outranks everything until the file is restored
        self.fault = fault

    def clear(self) -> None:
        self.fault = None


STATE = WriteState()


def banner_msgid() -> str | None:
    """The standing banner of read-only mode (English msgid), or None."""
    fault = STATE.fault
    if isinstance(fault, DatabaseDamaged):
        return N_(
            "Database damaged: records can be read, nothing can be saved. "
            "Restore the latest backup (tell the supervisor)."
        )
    if isinstance(fault, DiskFull):
        return N_(
            "Read-only mode: the disk is full. Records can be read; saves are refused "
            "and your drafts are kept."
        )
    if isinstance(fault, ReadOnlyDatabase):
        return N_(
            "Read-only mode: the database file is read-only. Records can be read; "
            "saves are refused and your drafts are kept."
        )
    return None


@contextmanager
def guarded_write(db: pw.Database | pw.DatabaseProxy) -> Iterator[None]:
    """One write transaction whose SQLite errors come out typed (see :func:`classify`).

    Refused at once on a damaged database. A disk-full or read-only error puts
    the process in read-only mode; the next outermost write that commits ends it.
    """
    if STATE.damaged:
        raise DatabaseDamaged(DAMAGED_MSG)
    outermost = db.transaction_depth() == 0
    try:
        with db.atomic():
            yield
    except (pw.DatabaseError, sqlite3.Error) as exc:
        typed = classify(exc)
        if typed is None:
            raise
        if not isinstance(typed, DatabaseBusy):
            STATE.set(typed)
        raise typed from exc
    if outermost and STATE.fault is not None and not STATE.damaged:
        STATE.clear()


def set_busy_timeout(db: pw.Database | pw.DatabaseProxy, seconds: float) -> None:
    """How long one write waits for another desk's lock (SQLite ``busy_timeout``; a
    PostgreSQL site server has its own lock wait, set when the kiosk connects)."""
    real = db.obj if isinstance(db, pw.DatabaseProxy) else db
    if isinstance(real, pw.SqliteDatabase):
        db.execute_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")


NO_DATABASE = N_("No database at {path} — `dutydesk init --db {path}` creates one")


def open_error(path: str, exc: Exception) -> ConfigError:
    """One line for a file that cannot be opened; a damaged one points to the backup."""
    if corrupt(exc):
        return ConfigError(
            N_("The database {path} is damaged ({reason}); restore the latest backup"),
            path=path,
            reason=str(exc),
        )
    return ConfigError(N_("Cannot open the database {path}: {reason}"), path=path, reason=str(exc))
