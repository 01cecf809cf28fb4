"""Everything SQLite-specific beyond pragmas: triggers and full-text search.

Kept in one module so PostgreSQL support only has to provide its own version.
"""

from __future__ import annotations

import peewee as pw


def is_sqlite(db: pw.Database) -> bool:
    return isinstance(db, pw.SqliteDatabase)


def install(db: pw.Database) -> None:
    """Create the SQLite triggers and search tables (idempotent)."""
    if not is_sqlite(db):
        return
    # The audit trail is append-only; later issues add the signed-record triggers here.
    for stmt in (
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update
           BEFORE UPDATE ON audit_event
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
           BEFORE DELETE ON audit_event
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        # INSERT OR REPLACE deletes the clashing row without firing DELETE
        # triggers (unless recursive_triggers is on), so refuse the clash itself.
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_replace
           BEFORE INSERT ON audit_event
           WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id OR seq = NEW.seq)
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ):
        db.execute_sql(stmt)
