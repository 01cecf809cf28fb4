"""Backup files: their names and folders, the copy, reading and verifying a copy,
and comparing the live audit chain with a backup's (the tamper anchor)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import arrow
import peewee as pw

from dutydesk import oserrors
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_

SUFFIX = ".dutydesk.db"
DEFAULT_KEEP = 30
# No successful backup for this long is an alarm (a daily backup plus slack).
MISSING_AFTER = dt.timedelta(hours=26)
SQLITE_HEADER = b"SQLite format 3\x00"
_NAME_RE = re.compile(r"^(?P<slug>.+)_(?P<stamp>\d{8}T\d{6}Z)_h(?P<seq>\d+)-(?P<hash>[0-9a-f]+)")


class BackupAction(StrEnum):
    """What the audit trail records about backups (the stored ``action`` strings)."""

    CREATE = "backup.create"
    FAILED = "backup.failed"
    RESTORE = "backup.restore"
    MISMATCH = "backup.mismatch"


class BackupError(DutyDeskError):
    """A backup could not be made, or a file is not a usable backup."""


@dataclass(frozen=True)
class FileInfo:
    """What a database file (live or backup) holds, read without the models."""

    path: Path
    site_name: str
    site_created: str
    genesis: str  # hash of audit event 1: the site's identity
    head_seq: int
    head_hash: str
    newest_at: str  # time of the newest audit event (UTC text)
    newest_action: str
    schema_version: int
    size: int

    @property
    def head(self) -> str:
        return f"{self.head_seq}:{self.head_hash[:16]}"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    info: FileInfo
    pruned: list[Path]


# --- where things are -----------------------------------------------------------------


def live_path() -> Path:
    """The SQLite file the models are bound to; :class:`BackupError` for PostgreSQL."""
    from dutydesk.models import database_proxy

    db = database_proxy.obj
    name = getattr(db, "database", None)
    if db is None or not isinstance(name, str):
        raise BackupError(N_("No database is open"))
    if not isinstance(db, pw.SqliteDatabase):
        raise BackupError(N_("backup of a PostgreSQL site: use pg_dump"))
    return Path(name)


def refuse_postgres(target: str) -> None:
    """One clear line for a PostgreSQL URL (its own backup comes later)."""
    if target.split("://", 1)[0].lower().startswith("postgres") and "://" in target:
        raise BackupError(N_("backup of a PostgreSQL site: use pg_dump"))


def slug(name: str) -> str:
    """A file-name-safe form of the site's name (letters, digits and dashes)."""
    text = re.sub(r"[^\w]+", "-", name.strip().lower(), flags=re.UNICODE).strip("-_")
    return text.replace("_", "-")[:40] or "site"


def backup_name(site_name: str, at: arrow.Arrow, head_seq: int, head_hash: str) -> str:
    stamp = at.to("UTC").format("YYYYMMDDTHHmmss") + "Z"
    return f"{slug(site_name)}_{stamp}_h{head_seq}-{head_hash[:12]}{SUFFIX}"


def backups_in(folder: Path, site_name: str | None = None) -> list[Path]:
    """The backup files in ``folder`` (of the site, when named), oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME_RE.match(p.name)
        if m is None or not p.name.endswith(SUFFIX) or not p.is_file():
            continue
        if site_name is not None and m.group("slug") != slug(site_name):
            continue
        found.append((m.group("stamp"), p.name, p))
    return [p for _, _, p in sorted(found)]


def same_file_system(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def on_database_disk(folder: Path) -> bool:
    """Would a backup in ``folder`` (made when missing) sit on the database's own disk?"""
    try:
        live = live_path()
    except BackupError:  # not a SQLite file: a server's disk is not ours to judge
        return False
    if not live.exists():
        return False
    existing = folder.expanduser().absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return same_file_system(existing, live)


# --- the copy ---------------------------------------------------------------------------


def sqlite_copy(source: Path, dest: Path) -> None:
    """A consistent copy of ``source`` made with SQLite's online backup API.

    All pages in one step under one read transaction: with WAL, kiosks keep
    writing meanwhile, and the copy holds exactly what was committed when it
    began. The copy is switched to a plain rollback journal so it is one
    self-contained file.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def inspect(path: Path, *, integrity: bool = True) -> FileInfo:
    """Read what a DutyDesk database file holds; :class:`BackupError` if it is damaged,
    truncated or not a DutyDesk database."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise BackupError(
            N_("Cannot read {path}: {reason}"), path=str(path), reason=oserrors.reason(exc)
        ) from exc
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise BackupError(N_("{path} is not a DutyDesk database"), path=str(path))
    page_size = int.from_bytes(header[16:18], "big") or 65536
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < pages * page_size:
        raise BackupError(
            N_("{path} is truncated ({size} of {expected} bytes)"),
            path=str(path),
            size=size,
            expected=pages * page_size,
        )
    try:
        con = _connect_ro(path)
    except sqlite3.Error as exc:
        raise BackupError(
            N_("{path} is damaged: {reason}"), path=str(path), reason=str(exc)
        ) from exc
    try:
        if integrity:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                raise BackupError(N_("{path} is damaged: {reason}"), path=str(path), reason=rows[0])
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"schema_version", "site", "audit_event"} <= tables:
            raise BackupError(N_("{path} is not a DutyDesk database"), path=str(path))
        version = con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        site = con.execute("SELECT name, created_at FROM site ORDER BY id LIMIT 1").fetchone()
        if site is None:
            raise BackupError(N_("{path} holds no site"), path=str(path))
        first = con.execute("SELECT hash FROM audit_event WHERE seq = 1").fetchone()
        last = con.execute(
            "SELECT seq, hash, at, action FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            N_("{path} is damaged: {reason}"), path=str(path), reason=str(exc)
        ) from exc
    finally:
        con.close()
    return FileInfo(
        path=path,
        site_name=str(site[0]),
        site_created=str(site[1]),
        genesis=str(first[0]) if first else "",
        head_seq=int(last[0]) if last else 0,
        head_hash=str(last[1]) if last else "0" * 64,
        newest_at=str(last[2]) if last else "",
        newest_action=str(last[3]) if last else "",
        schema_version=int(version),
        size=size,
    )


def full_verify(path: Path) -> list[str]:
    """Problems ``dutydesk verify`` finds in the file at ``path`` (empty: intact).

    Runs :func:`dutydesk.domain.verify.verify` in a child process on a read-only
    connection: the models of this process stay bound to the live database.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "dutydesk.domain.backup", str(path)],
        capture_output=True,
        text=True,
        timeout=3600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return [tail]
    return [str(p) for p in result.get("problems", [])]


def _child_verify(path: str) -> int:
    """Entry point of the child process of :func:`full_verify`."""
    import peewee as pw

    from dutydesk.i18n import set_language
    from dutydesk.models import database_proxy

    set_language(os.environ.get("DUTYDESK_VERIFY_LANG", "en"))
    # A backup is checked while the kiosk is in use: the check (two threads, see
    # verify) gives way to the person at the desk.
    if hasattr(os, "nice"):
        os.nice(10)
    db = pw.SqliteDatabase(f"file:{path}?mode=ro", uri=True)
    try:
        db.connect()
        database_proxy.initialize(db)
        from dutydesk.domain.verify import verify

        report = verify()
        problems = [p.text() for p in report.problems]
    except Exception as exc:  # any failure to verify is a problem of the file
        problems = [str(exc) or type(exc).__name__]
    print(json.dumps({"problems": problems}, ensure_ascii=False))
    return 0


# --- comparing the live chain with a backup ---------------------------------------------


@dataclass(frozen=True)
class AgainstReport:
    backup: FileInfo
    live_head_seq: int
    first_difference: int | None  # first seq whose event differs or is missing
    foreign: bool

    @property
    def ok(self) -> bool:
        return not self.foreign and self.first_difference is None


def compare_with_backup(path: Path, live: Path | None = None) -> AgainstReport:
    """Does the live chain extend the backup's chain exactly?

    Every event up to the backup's head must have the same hash in the live
    database (each hash covers its content and every event before it); the
    first seq that differs or is missing is named.
    """
    info = inspect(path, integrity=True)
    live = live or live_path()
    bcon, lcon = _connect_ro(path), _connect_ro(live)
    try:
        first = lcon.execute("SELECT hash FROM audit_event WHERE seq = 1").fetchone()
        live_head = lcon.execute("SELECT MAX(seq) FROM audit_event").fetchone()[0] or 0
        if first is None or first[0] != info.genesis:
            return AgainstReport(info, live_head, None, True)
        bcur = bcon.execute("SELECT seq, hash FROM audit_event ORDER BY seq")
        lcur = lcon.execute(
            "SELECT seq, hash FROM audit_event WHERE seq <= ? ORDER BY seq", (info.head_seq,)
        )
        expected = 1
        while True:
            b = bcur.fetchmany(5000)
            rows = lcur.fetchmany(len(b)) if b else []
            if not b:
                break
            for i, (seq, digest) in enumerate(b):
                if seq != expected:
                    return AgainstReport(info, live_head, expected, False)
                if i >= len(rows) or rows[i][0] != seq or rows[i][1] != digest:
                    return AgainstReport(info, live_head, seq, False)
                expected += 1
    finally:
        bcon.close()
        lcon.close()
    return AgainstReport(info, live_head, None, False)


def logged_in_at(path: Path) -> list[str]:
    """Who is logged in at which desk, read from the file (``desk: staff``)."""
    try:
        con = _connect_ro(path)
        try:
            rows = con.execute(
                "SELECT d.code, s.staff_no FROM login_session l JOIN desk d ON d.id = l.desk_id "
                "JOIN staff s ON s.id = l.staff_id WHERE l.ended_at IS NULL ORDER BY d.code"
            ).fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return []
    return [f"{code} ({staff_no})" for code, staff_no in rows]
