"""Backups of the site's database, restoring one, and the chain kept outside the file.

A backup is a consistent copy made with SQLite's online backup API while kiosks
keep writing (WAL readers do not block writers), then checked on the copy with
``PRAGMA integrity_check`` and a full ``verify`` (run in a child process, so the
models of a running kiosk are never re-bound to another file). Files are named
``<site>_<UTC time>_h<seq>-<hash prefix>.dutydesk.db``; the newest N are kept,
older ones deleted only after the new one verified.

A backup elsewhere is also the tamper anchor: the live audit chain must extend
the backup's chain exactly (:func:`compare_with_backup`); anyone who rewrites and
rehashes history before the backup's head is named by the first differing seq.

Only the copy itself is SQLite-specific (:func:`sqlite_copy`); a PostgreSQL
site gets a one-line refusal until it has its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import arrow
import peewee as pw

from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import ShiftState
from dutydesk.errors import ConfigError, DutyDeskError, RuleViolation
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
            N_("Cannot read {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)
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


# --- making a backup --------------------------------------------------------------------


def make_backup(
    folder: Path,
    *,
    keep: int = DEFAULT_KEEP,
    same_disk: bool = False,
    now: arrow.Arrow | None = None,
    source: Path | None = None,
) -> BackupResult:
    """Copy the live database into ``folder``, check the copy, then prune to ``keep``.

    Refuses a folder on the database's own file system unless ``same_disk``:
    a backup on the dying disk is no backup.
    """
    if keep < 1:
        raise ConfigError(N_("Keep at least one backup"))
    source = source or live_path()
    folder = folder.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            N_("Cannot create the backup folder {path}: {reason}"),
            path=str(folder),
            reason=exc.strerror or str(exc),
        ) from exc
    if not same_disk and same_file_system(folder, source):
        raise ConfigError(
            N_(
                "The backup folder {path} is on the same disk as the database; a backup "
                "there is lost with the disk. Choose another disk, or give --same-disk"
            ),
            path=str(folder),
        )
    now = now or arrow.utcnow()
    partial = folder / f".partial-{os.getpid()}-{now.int_timestamp}{SUFFIX}"
    try:
        sqlite_copy(source, partial)
        info = inspect(partial)
        problems = full_verify(partial)
        if problems:
            raise BackupError(N_("The copy does not verify: {problem}"), problem=problems[0])
        final = folder / backup_name(info.site_name, now, info.head_seq, info.head_hash)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    info = FileInfo(**{**info.__dict__, "path": final})
    pruned = prune(folder, info.site_name, keep)
    return BackupResult(final, info, pruned)


def prune(folder: Path, site_name: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of the site in ``folder``."""
    files = backups_in(folder, site_name)
    old = files[:-keep] if keep > 0 else files
    for p in old:
        p.unlink(missing_ok=True)
    return old


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


# --- restoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    info: FileInfo
    kept_aside: Path | None


def open_by_others(path: Path, *, back_to_wal: bool = True) -> bool:
    """Does another connection (a kiosk) have the database open?

    Leaving WAL mode needs the only connection to the file: if another has it
    open, SQLite keeps WAL. Going back to WAL afterwards leaves it as it was;
    without (``back_to_wal=False``, before a restore moves it aside) the file is
    left checkpointed into one piece.
    """
    con = sqlite3.connect(str(path), timeout=0.2)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            return False
        try:
            changed = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            return True
        if str(changed).lower() == "wal":
            return True
        if back_to_wal:
            con.execute("PRAGMA journal_mode=WAL")
        return False
    finally:
        con.close()


def check_restorable(path: Path, live: FileInfo | None, *, other_site: bool = False) -> FileInfo:
    """The backup's contents if it may replace the live database; refuses a damaged,
    truncated, foreign or unverifiable file."""
    info = inspect(path)
    from dutydesk.migrations import LATEST

    if info.schema_version > LATEST:
        raise BackupError(
            N_("{path} was made by a newer DutyDesk (schema {found}); upgrade DutyDesk first"),
            path=str(path),
            found=info.schema_version,
        )
    if live is not None and not other_site and live.genesis and live.genesis != info.genesis:
        raise BackupError(
            N_(
                "{path} is a backup of another site ({theirs}); this database holds {ours}. "
                "Give --other-site to replace it anyway"
            ),
            path=str(path),
            theirs=info.site_name,
            ours=live.site_name,
        )
    problems = full_verify(path)
    if problems:
        raise BackupError(
            N_("{path} does not verify: {problem}"), path=str(path), problem=problems[0]
        )
    return info


def aside_name(live: Path, now: arrow.Arrow) -> Path:
    stamp = now.to("UTC").format("YYYYMMDDTHHmmss") + "Z"
    return live.with_name(f"{live.name}.before-restore-{stamp}")


def replace_live(backup: Path, live: Path, now: arrow.Arrow) -> Path | None:
    """Put ``backup`` in place of ``live``; the old file (and its WAL) is renamed aside,
    never deleted. Returns the name it was kept under (None when there was none)."""
    kept: Path | None = None
    staged = live.with_name(f".{live.name}.restoring")
    shutil.copyfile(backup, staged)
    if live.exists():
        kept = aside_name(live, now)
        os.replace(live, kept)
        for ext in ("-wal", "-shm"):
            side = live.with_name(live.name + ext)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + ext))
    os.replace(staged, live)
    return kept


def refuse_if_open(live: Path, desks_logged_in: list[str]) -> None:
    if live.exists() and open_by_others(live, back_to_wal=False):
        who = ", ".join(desks_logged_in)
        if who:
            raise RuleViolation(
                N_("A kiosk has the database open (logged in: {who}); quit it first"), who=who
            )
        raise RuleViolation(N_("A kiosk or another program has the database open; quit it first"))


def describe(info: FileInfo) -> dict[str, Any]:
    return {
        "site": info.site_name,
        "newest": info.newest_at,
        "newest_action": info.newest_action,
        "head": info.head,
        "size": info.size,
    }


# --- the live side: settings, records in the audit trail, automatic backups -----------


@dataclass(frozen=True)
class BackupSettings:
    folder: str  # "" = not set
    time: str  # daily "HH:MM" in the site's zone, "" = none
    keep: int
    same_disk: bool


def settings() -> BackupSettings:
    from dutydesk.models import Site

    site = Site.select().first()
    s = (site.settings or {}) if site is not None else {}
    return BackupSettings(
        str(s.get("backup_dir", "") or ""),
        str(s.get("backup_time", "") or ""),
        int(s.get("backup_keep", DEFAULT_KEEP) or DEFAULT_KEEP),
        bool(s.get("backup_same_disk", False)),
    )


def _record(actor: Actor, action: str, new: dict[str, Any]) -> None:
    """One audit event about backups, in its own transaction."""
    from dutydesk.db import write
    from dutydesk.domain import audit

    with write():
        audit.record(actor, action, "backup", None, new=new)


def record_made(actor: Actor, result: BackupResult, reason: str) -> None:
    """The backup in the audit trail (file, head, size, why) of the live database."""
    new = {
        "file": str(result.path),
        "head": result.info.head,
        "size": result.info.size,
        "reason": reason,
        "pruned": len(result.pruned),
    }
    _record(actor, BackupAction.CREATE, new)


def record_failed(actor: Actor, reason: str, message: str) -> None:
    _record(actor, BackupAction.FAILED, {"reason": reason, "error": message})


def record_restored(actor: Actor, source: Path, info: FileInfo, kept: Path | None) -> None:
    """The restore in the audit trail of the database it made: the file, its head,
    and where the database it replaced was kept aside."""
    new = {"file": str(source), "head": info.head, "kept_aside": str(kept) if kept else ""}
    _record(actor, BackupAction.RESTORE, new)


@dataclass(frozen=True)
class LastBackup:
    at: arrow.Arrow
    ok: bool
    file: str
    head: str
    error: str


def last_backup() -> LastBackup | None:
    """The newest backup attempt recorded in the audit trail."""
    from dutydesk.models import AuditEvent

    ev = (
        AuditEvent.select()
        .where(AuditEvent.action.in_([BackupAction.CREATE, BackupAction.FAILED]))
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    if ev is None:
        return None
    new = ev.new if isinstance(ev.new, dict) else {}
    return LastBackup(
        ev.at,
        ev.action == BackupAction.CREATE,
        str(new.get("file", "")),
        str(new.get("head", "")),
        str(new.get("error", "")),
    )


def last_good_backup_at() -> arrow.Arrow | None:
    from dutydesk.models import AuditEvent

    ev = (
        AuditEvent.select(AuditEvent.at)
        .where(AuditEvent.action == BackupAction.CREATE)
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    return ev.at if ev is not None else None


def problems(now: arrow.Arrow) -> list[tuple[str, dict[str, Any]]]:
    """Backup alarms for the supervisor (msgid, values): the last attempt failed, or
    no good backup for 26 hours on a site older than that."""
    from dutydesk.models import Site

    found: list[tuple[str, dict[str, Any]]] = []
    last = last_backup()
    if last is not None and not last.ok:
        found.append((N_("The last backup failed: {error}"), {"error": last.error}))
    good = last_good_backup_at()
    site = Site.select(Site.created_at).first()
    if site is not None and now - site.created_at >= MISSING_AFTER:
        if good is None:
            found.append((N_("No backup has been made yet"), {}))
        elif now - good >= MISSING_AFTER:
            found.append(
                (
                    N_("No backup for {hours} hours"),
                    {"hours": int((now - good).total_seconds() // 3600)},
                )
            )
    return found


def auto_backup(actor: Actor, reason: str) -> BackupResult | None:
    """A backup into the site's backup folder, recorded either way; None when no folder
    is set. Meant for a background thread: it never raises a :class:`DutyDeskError`
    (a failure is recorded and becomes an alarm)."""
    conf = settings()
    if not conf.folder:
        return None
    try:
        result = make_backup(
            Path(conf.folder), keep=conf.keep, same_disk=conf.same_disk, now=actor.now()
        )
    except (DutyDeskError, OSError, sqlite3.Error) as exc:
        message = exc.translated() if isinstance(exc, DutyDeskError) else str(exc)
        record_failed(actor, reason, message)
        return None
    record_made(actor, result, reason)
    return result


def _close_thread_connection() -> None:
    """A background thread's own connection (peewee keeps one per thread) is closed."""
    import threading

    from dutydesk.models import database_proxy

    if threading.current_thread() is not threading.main_thread():
        database_proxy.close()


def backup_in_background(actor: Actor, reason: str) -> BackupResult | None:
    """:func:`auto_backup` for a worker thread of the kiosk."""
    try:
        return auto_backup(actor, reason)
    finally:
        _close_thread_connection()


def check_newest(actor: Actor) -> AgainstReport | None:
    """The live chain against the newest backup in the site's folder (the kiosk does
    this at start, in the background); a mismatch is recorded in the audit trail."""
    try:
        newest = newest_backup()
        if newest is None:
            return None
        try:
            found = compare_with_backup(newest)
        except (BackupError, OSError, sqlite3.Error):
            return None  # an unreadable backup is not evidence against the chain
        if not found.ok:
            new = {
                "file": str(newest),
                "backup_head": found.backup.head,
                "first_difference": found.first_difference,
                "foreign": found.foreign,
            }
            _record(actor, BackupAction.MISMATCH, new)
        return found
    finally:
        _close_thread_connection()


def daily_due(now: arrow.Arrow, tz: str | None = None) -> bool:
    """Is the daily backup due: past today's backup time with no backup since?"""
    conf = settings()
    if not conf.folder or not conf.time:
        return False
    from dutydesk.domain.patterns import wall_time
    from dutydesk.domain.site import site_timezone

    tz = tz or site_timezone()

    local = now.to(tz)
    today_at = wall_time(local.date(), conf.time, tz)
    if now < today_at:
        return False
    last = last_backup()
    return last is None or last.at < today_at


def newest_backup() -> Path | None:
    """The newest backup file of this site in its backup folder."""
    from dutydesk.models import Site

    conf = settings()
    site = Site.select().first()
    if not conf.folder or site is None:
        return None
    files = backups_in(Path(conf.folder), site.name)
    return files[-1] if files else None


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


@dataclass(frozen=True)
class Status:
    lines: list[tuple[str, str]]  # (label msgid, value)
    problems: list[str]


def status(now: arrow.Arrow) -> Status:
    """``dutydesk status``: the site at a glance and what needs attention."""
    from dutydesk.domain import audit
    from dutydesk.i18n import _
    from dutydesk.models import Desk, Handover, Shift, Site

    site = Site.select().first()
    if site is None:
        return Status([], [_("This database holds no site yet")])
    tz = site.tz
    desks = list(Desk.select().order_by(Desk.id))
    open_shifts = list(
        Shift.select(Shift, Desk).join(Desk).where(Shift.state == ShiftState.OPEN).order_by(Desk.id)
    )
    last_h = (
        Handover.select(Handover, Desk)
        .join(Desk)
        .where(Handover.state == "signed")
        .order_by(Handover.signed_at.desc())
        .first()
    )
    head = audit.head()
    last = last_backup()
    try:
        path = live_path()
        size = sum(
            p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists()
        )
        size_text = f"{size / 1048576:.1f} MiB"
    except BackupError:  # a site server: the server knows its database's size
        size = Site._meta.database.execute_sql(
            "SELECT pg_database_size(current_database())"
        ).fetchone()[0]
        size_text = f"{size / 1048576:.1f} MiB"
    lines: list[tuple[str, str]] = [
        (N_("site"), f"{site.name} ({tz})"),
        (N_("desks"), ", ".join(f"{d.code} {d.name}" for d in desks)),
        (
            N_("open shifts"),
            ", ".join(
                f"{s.desk.code} {s.template.code} {s.planned_start.to(tz).format('MM-DD HH:mm')}"
                f"–{s.planned_end.to(tz).format('HH:mm')}"
                for s in open_shifts
            )
            or "-",
        ),
        (
            N_("last handover"),
            f"{last_h.desk.code} {last_h.signed_at.to(tz).format('YYYY-MM-DD HH:mm')}"
            if last_h is not None
            else "-",
        ),
        (
            N_("last backup"),
            (
                f"{last.at.to(tz).format('YYYY-MM-DD HH:mm')} "
                + (last.file if last.ok else _("FAILED: {error}", error=last.error))
            )
            if last is not None
            else "-",
        ),
        (N_("chain head"), str(head) if head else "0"),
        (N_("database size"), size_text),
    ]
    found = [_(msgid, **values) for msgid, values in problems(now)]
    from dutydesk.domain import health

    found += [
        _("database guard {name} is missing: signed records could be changed", name=name)
        for name in health.missing_triggers()
    ]
    return Status(lines, found)


if __name__ == "__main__":  # the child process of full_verify
    sys.exit(_child_verify(sys.argv[1]))
