"""Everything SQLite-specific beyond pragmas: triggers and full-text search.

Kept in one module so PostgreSQL support only has to provide its own version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import peewee as pw


def is_sqlite(db: pw.Database) -> bool:
    return isinstance(db, pw.SqliteDatabase)


def install(db: pw.Database) -> None:
    """Create the SQLite triggers and search tables (idempotent)."""
    if not is_sqlite(db):
        return
    install_triggers(db)
    install_search(db)


# The audit trail is append-only.
_AUDIT_TRIGGERS: tuple[str, ...] = (
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
)


# Signed handovers, their items, signatures and signed incident reports never
# change. Each table refuses UPDATE and DELETE of a signed row, and a
# BEFORE INSERT trigger refuses a clash with a signed row's primary key:
# INSERT OR REPLACE and UPDATE OR REPLACE delete the clashing row WITHOUT firing
# DELETE triggers unless PRAGMA recursive_triggers is on, and a raw sqlite3
# shell would not have it on — so these guards do not rely on that pragma.
# An UPDATE that moves a row's id onto a signed row is refused the same way.
_SIGNED = "'signed records cannot be changed'"
SIGNED_RECORD_TRIGGERS: tuple[str, ...] = (
    f"""CREATE TRIGGER IF NOT EXISTS handover_signed_no_update
        BEFORE UPDATE ON handover
        WHEN OLD.state = 'signed' OR EXISTS (
            SELECT 1 FROM handover WHERE id = NEW.id AND id <> OLD.id AND state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS handover_signed_no_delete
        BEFORE DELETE ON handover WHEN OLD.state = 'signed'
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS handover_signed_no_replace
        BEFORE INSERT ON handover
        WHEN EXISTS (SELECT 1 FROM handover WHERE id = NEW.id AND state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS handover_item_signed_no_update
        BEFORE UPDATE ON handover_item
        WHEN EXISTS (SELECT 1 FROM handover
                     WHERE id IN (OLD.handover_id, NEW.handover_id) AND state = 'signed')
          OR EXISTS (SELECT 1 FROM handover_item i JOIN handover h ON h.id = i.handover_id
                     WHERE i.id = NEW.id AND i.id <> OLD.id AND h.state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS handover_item_signed_no_delete
        BEFORE DELETE ON handover_item
        WHEN EXISTS (SELECT 1 FROM handover WHERE id = OLD.handover_id AND state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS handover_item_signed_no_insert
        BEFORE INSERT ON handover_item
        WHEN EXISTS (SELECT 1 FROM handover WHERE id = NEW.handover_id AND state = 'signed')
          OR EXISTS (SELECT 1 FROM handover_item i JOIN handover h ON h.id = i.handover_id
                     WHERE i.id = NEW.id AND h.state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    # A signature is made once, at the moment of signing, and never changes.
    f"""CREATE TRIGGER IF NOT EXISTS signature_no_update
        BEFORE UPDATE ON signature
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS signature_no_delete
        BEFORE DELETE ON signature
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS signature_no_replace
        BEFORE INSERT ON signature
        WHEN EXISTS (SELECT 1 FROM signature WHERE id = NEW.id)
          OR EXISTS (SELECT 1 FROM handover WHERE id = NEW.handover_id AND state = 'signed')
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS incident_report_signed_no_update
        BEFORE UPDATE ON incident_report
        WHEN OLD.signed_at IS NOT NULL OR EXISTS (
            SELECT 1 FROM incident_report
            WHERE id = NEW.id AND id <> OLD.id AND signed_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS incident_report_signed_no_delete
        BEFORE DELETE ON incident_report WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
    f"""CREATE TRIGGER IF NOT EXISTS incident_report_signed_no_replace
        BEFORE INSERT ON incident_report
        WHEN EXISTS (SELECT 1 FROM incident_report WHERE id = NEW.id AND signed_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, {_SIGNED}); END""",
)


def trigger_statements() -> list[str]:
    """Every protective trigger's CREATE statement (all ``IF NOT EXISTS``)."""
    return [*_AUDIT_TRIGGERS, *SIGNED_RECORD_TRIGGERS]


def trigger_names() -> list[str]:
    """The names of the protective triggers a DutyDesk database must hold."""
    return [
        m.group(1)
        for stmt in trigger_statements()
        if (m := re.search(r"CREATE TRIGGER IF NOT EXISTS (\w+)", stmt))
    ]


def missing_triggers(db: pw.Database) -> list[str]:
    """Protective triggers that ``db`` lacks (dropped by hand or by a tool)."""
    if not is_sqlite(db):
        return []
    found = {
        row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    return [name for name in trigger_names() if name not in found]


def install_triggers(db: pw.Database) -> None:
    """Create every protective trigger that is missing (idempotent)."""
    if not is_sqlite(db):
        return
    for stmt in trigger_statements():
        db.execute_sql(stmt)


# --- full-text search -------------------------------------------------------
#
# dutydesk.domain.search turns text into a string of tokens in Python (English
# words lowercased; every Chinese run as its character bigrams followed by its
# single characters, as Lucene's CJK analyzer does) because no built-in FTS5
# tokenizer finds 2-character Chinese words. The FTS5 table is contentless: it
# holds only the index, its rowid is search_doc.id, and search_doc keeps the
# text shown with a hit. Removing a row from a contentless table needs the
# values it was indexed with; the domain recomputes them from search_doc.
# remove_diacritics 0: the highlighting in Python matches exactly what FTS matched.
#
# The kind and desk of each record are indexed as tokens of a second column
# ("kincident d2"), so filtering by them is part of the MATCH (a doclist
# intersection) instead of a join that would visit every matching row. Ranking
# gives that column no weight, and the user's terms are confined to `tokens`.

SEARCH_FTS = "search_fts"

# A common word ("正常", "电") matches most of ten years of records: rank only the
# newest this-many matches (about 20 ms), so every query stays far below 100 ms.
RANK_WINDOW = 5000

FtsRow = tuple[int, str, str, int | None]  # search_doc id, token string, kind, desk id


def install_search(db: pw.Database) -> None:
    """Create the contentless FTS5 table over search_doc (idempotent)."""
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_FTS} USING fts5("
        "tokens, tags, content='', tokenize='unicode61 remove_diacritics 0')"
    )


def _tags(kind: str, desk_id: int | None) -> str:
    return f"k{kind}" + (f" d{desk_id}" if desk_id is not None else "")


def fts_add(db: pw.Database, rows: Iterable[FtsRow]) -> None:
    """Index rows of (search_doc id, token string, kind, desk id)."""
    db.cursor().executemany(
        f"INSERT INTO {SEARCH_FTS}(rowid, tokens, tags) VALUES (?, ?, ?)",
        [(i, tokens, _tags(kind, desk)) for i, tokens, kind, desk in rows],
    )


def fts_remove(db: pw.Database, rows: Iterable[FtsRow]) -> None:
    """Un-index rows; each with exactly the values it was indexed with."""
    db.cursor().executemany(
        f"INSERT INTO {SEARCH_FTS}({SEARCH_FTS}, rowid, tokens, tags) VALUES ('delete', ?, ?, ?)",
        [(i, tokens, _tags(kind, desk)) for i, tokens, kind, desk in rows],
    )


def fts_clear(db: pw.Database) -> None:
    """Empty the index (before a full re-index)."""
    db.execute_sql(f"INSERT INTO {SEARCH_FTS}({SEARCH_FTS}) VALUES ('delete-all')")


def fts_optimize(db: pw.Database) -> None:
    """Merge the index into one b-tree (after a bulk load: faster queries)."""
    db.execute_sql(f"INSERT INTO {SEARCH_FTS}({SEARCH_FTS}) VALUES ('optimize')")


def _fts_query(
    terms: str,
    kinds: Sequence[str] | None,
    desk_id: int | None,
    since: str | None,
    until: str | None,
) -> tuple[str, str, str, list[Any]]:
    """The MATCH expression, a join, extra WHERE terms and their values.

    ``terms`` is the domain's expression of quoted terms; kind and desk become
    tag terms, times a join on search_doc (CROSS JOIN: full-text first).
    """
    match = f"{{tokens}} : ({terms})"
    if kinds:
        match += " AND {tags} : (" + " OR ".join(f'"k{k}"' for k in kinds) + ")"
    if desk_id is not None:
        match += f' AND {{tags}} : "d{int(desk_id)}"'
    terms_sql: list[str] = []
    values: list[Any] = []
    if since is not None:
        terms_sql.append("d.at >= ?")
        values.append(since)
    if until is not None:
        terms_sql.append("d.at < ?")
        values.append(until)
    join = " CROSS JOIN search_doc d ON d.id = f.rowid" if terms_sql else ""
    return match, join, "".join(f" AND {t}" for t in terms_sql), values


def fts_search(
    db: pw.Database,
    terms: str,
    *,
    kinds: Sequence[str] | None = None,
    desk_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    offset: int = 0,
    newest_first: bool = False,
) -> list[tuple[int, float]]:
    """``(search_doc id, bm25 score)`` of one page of hits; best (lowest score) first.

    ``terms`` must be an FTS5 expression built by the domain (every token
    quoted), never user input. Only the newest RANK_WINDOW matches are ranked.
    """
    match, join, where, values = _fts_query(terms, kinds, desk_id, since, until)
    inner = (
        f"SELECT f.rowid AS id, bm25({SEARCH_FTS}, 1.0, 0.0) AS score"
        f" FROM {SEARCH_FTS} f{join} WHERE {SEARCH_FTS} MATCH ?{where}"
        " ORDER BY f.rowid DESC LIMIT ?"
    )
    order = "id DESC" if newest_first else "score, id DESC"
    sql = f"SELECT id, score FROM ({inner}) ORDER BY {order} LIMIT ? OFFSET ?"
    cursor = db.execute_sql(sql, [match, *values, RANK_WINDOW, limit, offset])
    return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]


def fts_count(
    db: pw.Database,
    terms: str,
    *,
    cap: int = RANK_WINDOW + 1,
    kinds: Sequence[str] | None = None,
    desk_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """How many records match, counted up to ``cap`` (a bounded cost)."""
    match, join, where, values = _fts_query(terms, kinds, desk_id, since, until)
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM {SEARCH_FTS} f{join}"
        f" WHERE {SEARCH_FTS} MATCH ?{where} LIMIT ?)"
    )
    return int(db.execute_sql(sql, [match, *values, cap]).fetchone()[0])
