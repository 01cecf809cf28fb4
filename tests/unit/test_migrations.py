"""Versioned migrations: idempotent, and upgrading a committed older database keeps
every row and value.

``tests/fixtures/schema_v1.db`` is a real version-1 database built by
``tests/fixtures/make_schema_v1.py``. When MIGRATIONS gains version N, commit a
``schema_v{N-1}.db`` built by the code of version N-1; the tests below then
upgrade it and check its rows, values and schema.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import peewee as pw
import pytest

from dutydesk import migrations
from dutydesk.db import open_database
from dutydesk.domain import audit
from dutydesk.errors import ConfigError
from tests.helpers.migrations import (
    FIXTURES,
    assert_rows_intact,
    fixture_path,
    open_fixture_copy,
    table_names,
)

# --- helpers -----------------------------------------------------------------------------


def fixture_versions() -> list[int]:
    return sorted(int(p.stem.removeprefix("schema_v")) for p in FIXTURES.glob("schema_v*.db"))


def schema_shape(path: Path) -> dict[str, object]:
    """Tables with their columns (name, type), and the index and trigger names."""
    con = sqlite3.connect(path)
    try:
        tables = {
            t: sorted((r[1], r[2].upper()) for r in con.execute(f'PRAGMA table_info("{t}")'))
            for t in table_names(con)
        }
        others = {
            kind: sorted(
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
                    (kind,),
                )
            )
            for kind in ("index", "trigger", "view")
        }
        return {"tables": tables, **others}
    finally:
        con.close()


# --- idempotent ---------------------------------------------------------------------------


def _master(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        con.close()


def test_migrations_are_idempotent(db_path: Path):
    first = open_database(str(db_path))
    master = _master(db_path)
    assert migrations.migrate(first) == migrations.LATEST
    assert migrations.migrate(first) == migrations.LATEST
    first.close()
    second = open_database(str(db_path))
    try:
        assert migrations.migrate(second) == migrations.LATEST
        rows = second.execute_sql("SELECT version, name FROM schema_version").fetchall()
        assert rows == [(migrations.LATEST, "baseline")]
    finally:
        second.close()
    assert _master(db_path) == master  # no table, index or trigger added or changed


def test_baseline_creates_the_partial_indexes(db, db_path: Path):
    sql = dict(
        db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()
    )
    for index in migrations.partial_indexes():
        name = index._name
        assert name in sql, name
        assert " WHERE " in sql[name].upper(), name
    assert "'open'" in sql["shift_open"]


def test_every_model_has_its_table(db):
    from dutydesk.models import ALL_MODELS

    for model in ALL_MODELS:
        assert db.table_exists(model._meta.table_name), model.__name__


def test_a_newer_schema_is_refused(db_path: Path):
    database = open_database(str(db_path))
    database.execute_sql(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', "
        "'2030-01-01 00:00:00.000000')",
        (migrations.LATEST + 1,),
    )
    database.close()
    with pytest.raises(ConfigError) as exc:
        open_database(str(db_path))
    assert "newer DutyDesk" in exc.value.translated()


def test_another_programs_sqlite_file_is_one_clear_error(tmp_path: Path):
    """A SQLite file of another program: refused with one line, and left as it was
    (SQLite would even accept our indexes on its missing columns)."""
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE shift (id INTEGER PRIMARY KEY, colour TEXT)")
    con.commit()
    con.close()
    master = _master(path)
    with pytest.raises(ConfigError, match="not a DutyDesk database"):
        open_database(str(path))
    assert _master(path) == master


# --- the committed fixture of the previous version ----------------------------------------------


def test_a_fixture_of_the_previous_version_exists_for_every_migration():
    """Before each migration, the version it upgrades from (the previous entry: numbers
    have gaps) is committed as tests/fixtures/schema_v{N}.db."""
    assert fixture_path(1).exists()
    numbers = [number for number, _name, _upgrade in migrations.MIGRATIONS]
    # Numbers may leave gaps: the fixture is of the version before it in the list.
    for previous, number in itertools.pairwise(numbers):
        assert fixture_path(previous).exists(), f"commit schema_v{previous}.db for {number}"


@pytest.mark.parametrize("version", fixture_versions())
def test_opening_a_committed_fixture_keeps_rows_and_values(version: int, tmp_path: Path):
    """A copy of schema_v{N}.db opened (and so upgraded) by today's code: every row and
    value the file had is still there, the version is the latest, the chain verifies."""
    before, copy, database = open_fixture_copy(version, tmp_path)
    try:
        assert migrations.current_version(database) == migrations.LATEST
        assert audit.verify_chain() == []
        from dutydesk.domain.site import get_site
        from dutydesk.domain.staff import by_number

        assert get_site().name == "示例夹具 Fixture Gardens"
        g01 = by_number("G01")
        assert g01 is not None and g01.name == "王保安"
    finally:
        database.close()
    assert_rows_intact(before, copy)
    assert before["staff"][1], "the fixture should hold rows"
    assert fixture_path(version).read_bytes() != b""  # the committed file itself untouched


@pytest.mark.parametrize("version", fixture_versions())
def test_an_upgraded_fixture_has_the_schema_of_a_fresh_database(version: int, tmp_path: Path):
    """Same tables, columns, indexes and triggers as a new database. While version 1 is
    the newest, this fails when the baseline models change without rebuilding the
    fixture: run ``python tests/fixtures/make_schema_v1.py``."""
    _before, copy, database = open_fixture_copy(version, tmp_path)
    database.close()
    fresh = tmp_path / "fresh.db"
    open_database(str(fresh)).close()
    assert schema_shape(copy) == schema_shape(fresh)


def test_upgrade_path_runs_a_new_migration_on_the_fixture(tmp_path: Path, monkeypatch):
    """The machinery of every upgrade test: a (test-only) next version that adds a
    column runs once on the version-1 fixture, keeping all rows and values."""

    def add_motto(database: pw.Database) -> None:
        database.execute_sql("ALTER TABLE site ADD COLUMN motto TEXT NOT NULL DEFAULT ''")

    new = migrations.LATEST + 1
    known = [(number,) for number, _name, _upgrade in migrations.MIGRATIONS]
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (new, "motto", add_motto)]
    )
    monkeypatch.setattr(migrations, "LATEST", new)
    before, copy, database = open_fixture_copy(1, tmp_path)
    try:
        assert migrations.migrate(database) == new  # a second run changes nothing
        versions = database.execute_sql("SELECT version FROM schema_version").fetchall()
        assert versions == [*known, (new,)]
        assert database.execute_sql("SELECT motto FROM site").fetchall() == [("",)]
    finally:
        database.close()
    assert_rows_intact(before, copy)


def test_opening_a_database_that_lacks_an_index_creates_it(tmp_path):
    """A database made before an index was added gets it at the next open (speed),
    without touching its rows."""
    from dutydesk.db import open_database as _open

    path = str(tmp_path / "old.db")
    db = _open(path)
    db.execute_sql('DROP INDEX "handover_signed"')
    rows_before = db.execute_sql("SELECT count(*) FROM schema_version").fetchone()
    db.close()
    db = _open(path)
    names = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "handover_signed" in names
    assert db.execute_sql("SELECT count(*) FROM schema_version").fetchone() == rows_before
    db.close()


@pytest.mark.parametrize("version", [1, 4])
def test_version_5_adds_who_was_involved_to_incidents(tmp_path: Path, version: int):
    """SE-4: a version-1 and a version-4 database (the one before it) get the incident's
    "who was involved" (empty for the old rows), recorded as version 5; every row and
    value it had stays."""
    before, copy, database = open_fixture_copy(version, tmp_path)
    try:
        cols = {
            r[1]: (r[2].upper(), r[3], r[4])
            for r in database.execute_sql('PRAGMA table_info("incident")').fetchall()
        }
        assert cols["people_involved"] == ("TEXT", 1, "''")
        versions = database.execute_sql("SELECT version, name FROM schema_version").fetchall()
        assert (5, "incident people involved") in versions
    finally:
        database.close()
    assert_rows_intact(before, copy)
