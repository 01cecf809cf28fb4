"""The database opener: pragmas, IMMEDIATE writes, where a database may live."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import peewee as pw
import pytest

from dutydesk import db as dbmod
from dutydesk.db import check_local_path, open_database, sqlite_path_of, write
from dutydesk.errors import ConfigError
from dutydesk.models import Desk, database_proxy

# --- pragmas -----------------------------------------------------------------------------


def _pragma(database: pw.Database, name: str) -> object:
    return database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_pragmas_on_a_fresh_connection_from_the_apps_opener(db_path: Path):
    """WAL, foreign keys, synchronous=FULL and a busy timeout, read back with PRAGMA."""
    first = open_database(str(db_path))
    first.close()
    fresh = open_database(str(db_path))  # a new connection to an existing file
    try:
        assert _pragma(fresh, "journal_mode") == "wal"
        assert _pragma(fresh, "foreign_keys") == 1
        assert _pragma(fresh, "synchronous") == 2  # FULL
        assert _pragma(fresh, "busy_timeout") > 0
    finally:
        fresh.close()


def test_pragmas_hold_after_reconnect(db):
    db.close()
    db.connect()
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "synchronous") == 2


def test_foreign_key_violation_raises(db):
    with pytest.raises(pw.IntegrityError), write():
        Desk.create(site=999, code="x", name="X", preset="security-3")
    assert Desk.select().count() == 0


# --- IMMEDIATE write transactions ----------------------------------------------------------


def _other(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 0")
    return con


def test_write_takes_the_write_lock_at_begin(db, db_path: Path):
    """write() is BEGIN IMMEDIATE: before any statement runs inside it, a second
    connection already cannot start a write transaction. (A deferred BEGIN takes
    no lock until the first statement, so the second BEGIN IMMEDIATE would pass.)"""
    other = _other(db_path)
    try:
        with write(), pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
        # Released at commit: now the other connection gets it.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        # Control: a deferred BEGIN on the app's connection does not block the other.
        db.execute_sql("BEGIN")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        db.execute_sql("ROLLBACK")
    finally:
        other.close()


def test_write_on_an_explicit_database_is_immediate_too(db, db_path: Path):
    other = _other(db_path)
    try:
        with write(db), pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def test_nested_write_is_a_savepoint(db):
    from dutydesk.models import Holiday

    with write():
        Holiday.create(day="2026-10-01", name="National Day")
        with pytest.raises(ValueError), write():
            Holiday.create(day="2026-10-02", name="Second")
            raise ValueError("roll back the inner part only")
    assert [h.name for h in Holiday.select()] == ["National Day"]


WRITES_PER_PROCESS = 200


def _writer(path: str, tag: str, queue) -> None:  # runs in a child process
    from dutydesk.db import open_database as opener
    from dutydesk.db import write as writer
    from dutydesk.models import Holiday

    errors: list[str] = []
    database = opener(path)
    for i in range(WRITES_PER_PROCESS):
        try:
            with writer():
                # Read then write in one transaction: the pattern that fails with
                # "database is locked" under deferred transactions.
                n = Holiday.select().count()
                Holiday.create(day=f"{tag}-{i:04d}", name=f"{tag} {n}")
        except Exception as exc:  # reported to the parent, not swallowed
            errors.append(f"{type(exc).__name__}: {exc}")
    database.close()
    queue.put(errors)


def test_two_processes_writing_at_once_never_see_database_is_locked(db, db_path: Path):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(db_path), tag, queue)) for tag in "AB"]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert results == [[], []]
    from dutydesk.models import Holiday

    assert Holiday.select().count() == 2 * WRITES_PER_PROCESS


# --- where the database lives ------------------------------------------------------------------

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/share nfs4 rw,relatime,vers=4.2 0 0
//nas/duty /mnt/nas\\040box cifs rw,relatime 0 0
sshfs#me@host: /home/me/remote fuse.sshfs rw 0 0
tmpfs /mnt/share/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/mnt/share/dutydesk.db", "nfs4"),
        ("/mnt/share/sub/dir/dutydesk.db", "nfs4"),
        ("/mnt/nas box/dutydesk.db", "cifs"),
        ("/home/me/remote/x.db", "fuse.sshfs"),
    ],
)
def test_network_file_system_refused(path: str, fstype: str):
    with pytest.raises(ConfigError) as exc:
        check_local_path(Path(path), MOUNTS)
    message = exc.value.translated()
    assert fstype in message and "network file system" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "path", ["/var/lib/dutydesk.db", "/mnt/share/local/x.db", "/mnt/shared/x.db", "/mnt/nas"]
)
def test_local_file_system_accepted(path: str):
    check_local_path(Path(path), MOUNTS)


def test_open_database_checks_the_file_system(tmp_path: Path):
    target = tmp_path / "x.db"
    mounts = f"/dev/sda1 / ext4 rw 0 0\nsrv:/e {tmp_path} nfs rw 0 0\n"
    with pytest.raises(ConfigError, match="network file system"):
        open_database(str(target), check_fs=lambda p: check_local_path(p, mounts))
    assert not target.exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://duty:secret@127.0.0.1:1/dutydesk",
        "postgres://duty:secret@/dutydesk?host=/nonexistent-socket-dir",
    ],
)
def test_unreachable_postgresql_server_is_one_line(url: str):
    with pytest.raises(ConfigError) as exc:
        open_database(url)
    message = exc.value.translated()
    assert "Cannot connect to the database" in message and "\n" not in message
    assert "secret" not in message  # never print a password


def test_sqlite_url_works(tmp_path: Path):
    target = tmp_path / "via-url.db"
    database = open_database(f"sqlite:///{target}")
    try:
        assert target.exists()
        assert _pragma(database, "journal_mode") == "wal"
        assert database.table_exists("audit_event")
    finally:
        database.close()
    assert sqlite_path_of(f"sqlite:///{target}") == str(target)
    assert sqlite_path_of("plain/file.db") == "plain/file.db"


@pytest.mark.parametrize("url", ["mysql://x/y", "ftp://host/file.db", "sqlite://"])
def test_unknown_or_empty_url_refused(url: str):
    with pytest.raises(ConfigError) as exc:
        open_database(url)
    assert "\n" not in exc.value.translated()


def test_directory_refused(tmp_path: Path):
    with pytest.raises(ConfigError, match="is a directory"):
        open_database(str(tmp_path))


def test_junk_file_is_a_config_error_not_a_traceback(tmp_path: Path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(ConfigError) as exc:
        open_database(str(junk))
    assert "Cannot open the database" in exc.value.translated()
    assert junk.read_bytes() == b"this is not a database\n" * 200  # left untouched


def test_missing_file_without_create(tmp_path: Path):
    with pytest.raises(ConfigError, match="No database"):
        open_database(str(tmp_path / "absent.db"), create=False)


def test_environment_variable_chooses_the_database(tmp_path: Path, monkeypatch):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv(dbmod.ENV_VAR, str(target))
    assert dbmod.resolve_target(None) == str(target)
    assert dbmod.resolve_target("given.db") == "given.db"
    database = open_database()
    try:
        assert target.exists()
        assert database_proxy.obj is database
    finally:
        database.close()


def test_default_path_is_in_the_user_data_folder(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(dbmod.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert dbmod.resolve_target(None) == str(tmp_path / "dutydesk" / "dutydesk.db")
