"""The live side of backups: the site's settings, backups in the audit trail, what
is missing or due, the check against the newest backup, ``dutydesk status``."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import arrow

from dutydesk.domain.backup.files import (
    DEFAULT_KEEP,
    MISSING_AFTER,
    AgainstReport,
    BackupAction,
    BackupError,
    BackupResult,
    FileInfo,
    backups_in,
    compare_with_backup,
    live_path,
)
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.kinds import HandoverState
from dutydesk.domain.shifts import ShiftState
from dutydesk.i18n import N_

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


def _close_thread_connection() -> None:
    """A background thread's own connection (peewee keeps one per thread) is closed."""
    import threading

    from dutydesk.models import database_proxy

    if threading.current_thread() is not threading.main_thread():
        database_proxy.close()


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


@dataclass(frozen=True)
class Status:
    lines: list[tuple[str, str]]  # (label msgid, value)
    problems: list[str]


def status(now: arrow.Arrow) -> Status:
    """``dutydesk status``: the site at a glance and what needs attention."""
    from dutydesk.domain import audit
    from dutydesk.i18n import _, pick
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
        .where(Handover.state == HandoverState.SIGNED)
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
        (N_("desks"), ", ".join(f"{d.code} {pick(d.name, d.name_en)}" for d in desks)),
        (
            N_("open shifts"),
            ", ".join(
                f"{pick(s.desk.name, s.desk.name_en)}"
                f" {pick(s.template.name_zh, s.template.name_en)}"
                f" {s.planned_start.to(tz).format('MM-DD HH:mm')}"
                f"–{s.planned_end.to(tz).format('HH:mm')}"
                for s in open_shifts
            )
            or "-",
        ),
        (
            N_("last handover"),
            f"{pick(last_h.desk.name, last_h.desk.name_en)}"
            f" {last_h.signed_at.to(tz).format('YYYY-MM-DD HH:mm')}"
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
