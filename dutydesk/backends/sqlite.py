"""The SQLite back end: one local file, WAL, ``BEGIN IMMEDIATE``, FTS5.

The triggers and the FTS5 index themselves are in :mod:`dutydesk.sqlite_extras`
(kept there so existing imports keep working); this module puts them, the
pragmas and the file checks behind :class:`dutydesk.backends.Backend`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import peewee as pw

from dutydesk import sqlite_extras
from dutydesk.backends.search_shapes import Phrases, SearchFilter, SearchRow, split_prefix
from dutydesk.config import sqlite_path_of
from dutydesk.dbfaults import NO_DATABASE, open_error
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_

_TRIGGER_NAME = re.compile(r"CREATE TRIGGER IF NOT EXISTS (\w+)")
# The audit trail's own guards (sqlite_extras.install creates them first).
AUDIT_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_replace")


def guard_names() -> list[str]:
    """Every trigger sqlite_extras.install creates to keep records unchanged."""
    signed = (_TRIGGER_NAME.search(s) for s in sqlite_extras.SIGNED_RECORD_TRIGGERS)
    return [*AUDIT_TRIGGERS, *(m.group(1) for m in signed if m)]


def match_expression(phrases: Phrases) -> str:
    """An FTS5 expression: every phrase quoted, all of them required (``"deliv"*``
    for a prefix)."""

    def one(phrase: Sequence[str]) -> str:
        *head, last = phrase
        last, prefix = split_prefix(last)
        body = " ".join([*head, last]).replace('"', '""')
        return f'"{body}"' + ("*" if prefix else "")

    return " AND ".join(one(p) for p in phrases)


# WAL for readers beside a writer, FULL sync so a power cut loses nothing that
# was acknowledged, a busy timeout so a second kiosk waits instead of failing.
SQLITE_PRAGMAS: tuple[tuple[str, object], ...] = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "full"),
    ("busy_timeout", 10000),
)


def make_sqlite(path: str, *, read_only: bool = False) -> pw.SqliteDatabase:
    """A SQLite database with the app's pragmas and IMMEDIATE write transactions."""
    # lock_type: every BEGIN is BEGIN IMMEDIATE, so two writers queue on the
    # busy timeout instead of failing with "database is locked" mid-transaction.
    if read_only:
        return pw.SqliteDatabase(
            f"{Path(path).resolve().as_uri()}?mode=ro",
            uri=True,
            pragmas=SQLITE_PRAGMAS,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
    return pw.SqliteDatabase(
        path,
        pragmas=SQLITE_PRAGMAS,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


class SqliteBackend:
    name = "sqlite"

    def open(
        self,
        target: str,
        *,
        create: bool,
        check_fs: Callable[[Path], None],
        read_only: bool = False,
    ) -> pw.Database:
        path_text = sqlite_path_of(target)
        if path_text != ":memory:":
            path = Path(path_text).expanduser()
            if path.is_dir():
                raise ConfigError(N_("The database path is a directory: {path}"), path=str(path))
            if not path.exists() and not create:
                raise ConfigError(NO_DATABASE, path=str(path))
            if path.exists() and path.stat().st_size == 0:
                # SQLite would happily write a new schema into it: an empty file where a
                # database should be is a mistake (a failed copy), not a place to start.
                raise ConfigError(
                    N_(
                        "The file {path} is empty, not a DutyDesk database; it was left "
                        "untouched. Restore the latest backup, or choose another file with --db"
                    ),
                    path=str(path),
                )
            check_fs(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    N_("Cannot create the folder for the database {path}: {reason}"),
                    path=str(path),
                    reason=exc.strerror or str(exc),
                ) from exc
            path_text = str(path)
        db = make_sqlite(path_text, read_only=read_only)
        try:
            db.connect()
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except pw.DatabaseError as exc:
            db.close()
            raise open_error(path_text, exc) from exc
        return db

    def install(self, db: pw.Database) -> None:
        sqlite_extras.install(db)

    def missing_guards(self, db: pw.Database) -> list[str]:
        have = {
            row[0]
            for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        return [name for name in guard_names() if name not in have]

    def index_names(self, db: pw.Database) -> set[str]:
        return {
            row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
        }

    def lock_chain(self, db: pw.Database) -> None:
        # BEGIN IMMEDIATE already made this the only writer of the file.
        return None

    def change_token(self, db: pw.Database) -> Any:
        # data_version: another connection committed; total_changes: this one did.
        version = db.execute_sql("PRAGMA data_version").fetchone()[0]
        return (version, db.connection().total_changes)

    def after_copy(self, db: pw.Database, models: Sequence[Any]) -> None:
        # An INTEGER PRIMARY KEY takes the largest id + 1 by itself.
        return None

    def search_add(self, db: pw.Database, rows: Sequence[SearchRow]) -> None:
        sqlite_extras.fts_add(db, rows)

    def search_remove(self, db: pw.Database, rows: Sequence[SearchRow]) -> None:
        sqlite_extras.fts_remove(db, rows)

    def search_clear(self, db: pw.Database) -> None:
        sqlite_extras.fts_clear(db)

    def search_optimize(self, db: pw.Database) -> None:
        sqlite_extras.fts_optimize(db)

    def search(
        self,
        db: pw.Database,
        phrases: Phrases,
        where: SearchFilter,
        *,
        limit: int,
        offset: int,
        newest_first: bool,
    ) -> list[tuple[int, float]]:
        return sqlite_extras.fts_search(
            db,
            match_expression(phrases),
            **asdict(where),
            limit=limit,
            offset=offset,
            newest_first=newest_first,
        )

    def search_count(
        self,
        db: pw.Database,
        phrases: Phrases,
        where: SearchFilter,
        *,
        cap: int,
    ) -> int:
        return sqlite_extras.fts_count(
            db,
            match_expression(phrases),
            **asdict(where),
            cap=cap,
        )


BACKEND = SqliteBackend()
