"""Signed records never change: UPDATE, DELETE, INSERT OR REPLACE and UPDATE OR
REPLACE through raw SQL all fail (database triggers)."""

from __future__ import annotations

import peewee as pw
import pytest

from dutydesk.models import (
    Handover,
    HandoverItem,
    Signature,
)
from tests.helpers.handover import signed_handover, signed_report


@pytest.fixture
def signed(site):
    """A signed handover and a signed incident report; the row ids of each table."""
    hid = signed_handover(site)
    site.clock.advance(minutes=5)
    rid = signed_report(site)
    return {
        "handover": Handover.get_by_id(hid).id,
        "handover_item": HandoverItem.select().where(HandoverItem.handover == hid).first().id,
        "signature": Signature.select().where(Signature.handover == hid).first().id,
        "signature_report": Signature.get(Signature.report == rid).id,
        "incident_report": rid,
    }


# (table in SQL, key in the fixture, a text column to change)
TABLES = [
    ("handover", "handover", "notes"),
    ("handover_item", "handover_item", "text"),
    ("signature", "signature", "printed_name"),
    ("signature", "signature_report", "printed_name"),
    ("incident_report", "incident_report", "text"),
]


def _columns(db: pw.Database, table: str) -> list[str]:
    return [row[1] for row in db.execute_sql(f"PRAGMA table_info({table})").fetchall()]


def _row(db: pw.Database, table: str, row_id: int) -> tuple:
    return db.execute_sql(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()


@pytest.mark.parametrize("table,key,column", TABLES, ids=[t[1] for t in TABLES])
@pytest.mark.parametrize(
    "how",
    [
        "update",
        "delete",
        "insert_or_replace",
        "update_or_replace",
        "update_or_replace_onto",
        "replace_into",
    ],
)
def test_signed_rows_cannot_be_changed_by_raw_sql(db, signed, table, key, column, how):
    row_id = signed[key]
    before = _row(db, table, row_id)
    cols = _columns(db, table)
    placeholders = ", ".join("?" for _ in cols)
    changed = list(before)
    changed[cols.index(column)] = "TAMPERED"
    statements = {
        "update": (f"UPDATE {table} SET {column} = 'TAMPERED' WHERE id = ?", (row_id,)),
        "delete": (f"DELETE FROM {table} WHERE id = ?", (row_id,)),
        "insert_or_replace": (
            f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",
            tuple(changed),
        ),
        "replace_into": (
            f"REPLACE INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",
            tuple(changed),
        ),
        "update_or_replace": (
            f"UPDATE OR REPLACE {table} SET {column} = 'TAMPERED' WHERE id = ?",
            (row_id,),
        ),
        # A new, unsigned row moved onto the signed row's id: REPLACE would delete
        # the signed row without firing DELETE triggers.
        "update_or_replace_onto": (
            f"UPDATE OR REPLACE {table} SET id = ? WHERE id = ?",
            (row_id, "NEW"),
        ),
    }
    sql, params = statements[how]
    if how == "update_or_replace_onto":
        new_id = _unsigned_copy(db, table, before, cols)
        params = (row_id, new_id)
    with pytest.raises(pw.IntegrityError, match="signed records cannot be changed"):
        db.execute_sql(sql, params)
    assert _row(db, table, row_id) == before


def _unsigned_copy(db: pw.Database, table: str, row: tuple, cols: list[str]) -> int:
    """An unsigned row of the same table (inserted with the triggers' blessing)."""
    values = dict(zip(cols, row, strict=True))
    values.pop("id")
    if table == "handover":
        values.update(state="draft", content=None, content_hash="")
    elif table == "handover_item":
        draft = db.execute_sql(
            "INSERT INTO handover (desk_id, started_by_id, started_at, state, early_reason, "
            "notes, end_reason, content_hash, chain_head_hash) "
            "VALUES (1, 1, '2026-12-01 00:00:00.000000', 'draft', '', '', '', '', '')"
        )
        values["handover_id"] = draft.lastrowid
    elif table == "signature":
        values.update(handover_id=None, report_id=None)
    elif table == "incident_report":
        values["signed_at"] = None
    names = ", ".join(values)
    cur = db.execute_sql(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in values)})",
        tuple(values.values()),
    )
    return cur.lastrowid


def test_no_new_items_or_signatures_on_a_signed_handover(db, signed):
    hid = signed["handover"]
    with pytest.raises(pw.IntegrityError, match="signed records cannot be changed"):
        db.execute_sql(
            "INSERT INTO handover_item (handover_id, kind, ref_type, text, reason, "
            "carried_over) VALUES (?, 'note', '', 'added later', '', 0)",
            (hid,),
        )
    with pytest.raises(pw.IntegrityError, match="signed records cannot be changed"):
        db.execute_sql(
            "INSERT INTO signature (handover_id, staff_id, printed_name, staff_no, "
            "signed_at, meaning, content_hash) VALUES (?, 1, 'X', 'X', "
            "'2026-12-01 00:00:00.000000', 'x', 'x')",
            (hid,),
        )


def test_unsigned_handover_stays_editable(db, site):
    from dutydesk.domain import handover, shifts

    shifts.open_without_handover(site.actor("G01"), "first")
    site.clock.set("2026-12-01 15:30")
    hid = handover.start(site.actor("G01")).id
    db.execute_sql("UPDATE handover SET notes = 'draft notes' WHERE id = ?", (hid,))
    assert Handover.get_by_id(hid).notes == "draft notes"


def test_triggers_hold_on_a_fresh_connection_without_recursive_triggers(db_path, signed):
    """The sqlite3 shell has recursive_triggers off: REPLACE must still fail."""
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
        row = con.execute("SELECT * FROM handover WHERE id = ?", (signed["handover"],)).fetchone()
        with pytest.raises(sqlite3.IntegrityError):
            con.execute(
                f"INSERT OR REPLACE INTO handover VALUES ({', '.join('?' * len(row))})", row
            )
    finally:
        con.close()
