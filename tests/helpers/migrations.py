"""Committed databases of older schema versions: opening a copy, and checking that
an upgrade kept every row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import peewee as pw

from dutydesk.db import open_database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


Snapshot = dict[str, tuple[list[str], list[tuple]]]


def fixture_path(version: int) -> Path:
    return FIXTURES / f"schema_v{version}.db"


def table_names(con: sqlite3.Connection) -> list[str]:
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [r[0] for r in rows]


def snapshot(path: Path, columns: dict[str, list[str]] | None = None) -> Snapshot:
    """Every row of every table, by raw SQL (independent of the models).

    With ``columns``, only those tables and columns (what an older version had).
    """
    con = sqlite3.connect(path)
    try:
        out: Snapshot = {}
        for table in table_names(con):
            if columns is not None and table not in columns:
                continue
            cols = (
                columns[table]
                if columns is not None
                else [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            )
            if not cols:  # e.g. an FTS virtual table's internals
                continue
            select = ", ".join(f'"{c}"' for c in cols)
            # Ordered by every column: some tables (FTS internals) have no rowid.
            rows = con.execute(f'SELECT {select} FROM "{table}" ORDER BY {select}').fetchall()
            out[table] = (cols, rows)
        return out
    finally:
        con.close()


def open_fixture_copy(version: int, tmp_path: Path) -> tuple[Snapshot, Path, pw.Database]:
    """Copy the committed fixture of ``version`` and open the COPY with today's code
    (which migrates it). Returns the rows before, the copy's path, the database."""
    source = fixture_path(version)
    assert source.exists(), f"missing fixture {source}: build it with make_schema_v{version}.py"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    before = snapshot(copy)
    database = open_database(str(copy))
    return before, copy, database


def assert_rows_intact(before: Snapshot, copy: Path) -> None:
    after = snapshot(copy, {t: cols for t, (cols, _rows) in before.items()})
    assert set(after) == set(before), "a table of the older version is gone"
    for table, (_cols, rows) in before.items():
        if table == "schema_version":
            # Upgrades add rows here; the old ones stay.
            assert after[table][1][: len(rows)] == rows
        else:
            assert after[table][1] == rows, f"rows of {table} changed"
