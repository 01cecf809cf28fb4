"""Is the database fit to write to, and does the PC's clock look right?

The kiosk asks here at start and on its minute tick; the screens show the
answers as a banner on every screen:

* read-only mode (disk full, read-only file) and a damaged database, kept by
  :mod:`dutydesk.dbfaults` (this module is the screens' window onto it);
* ``quick_check`` at start: on damage nothing is written until the latest
  backup is restored;
* protective triggers that were dropped are put back at start, audited;
* a clock set back (earlier than the newest audit event) or far ahead (more
  than a day past the open shift's end): recorded once in the audit trail.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import arrow
import peewee as pw

from dutydesk import dbfaults, sqlite_extras
from dutydesk.db import write
from dutydesk.domain import audit, canonical
from dutydesk.domain.context import Actor
from dutydesk.domain.pins import verify_pin
from dutydesk.domain.shifts import ShiftState
from dutydesk.domain.staff import StaffInfo, info
from dutydesk.errors import (
    AuthError,
    DatabaseBusy,
    DatabaseDamaged,
    ReadOnlyDatabase,
    StorageError,
)
from dutydesk.i18n import N_
from dutydesk.models import AuditEvent, Shift, Staff, database_proxy

# --- read-only mode -----------------------------------------------------------------


def read_only() -> bool:
    """Are saves refused now (disk full, read-only file, damaged database)?"""
    return dbfaults.STATE.read_only


def damaged() -> bool:
    return dbfaults.STATE.damaged


def write_fault_banner() -> str | None:
    """The banner msgid of read-only mode, or None while writing works."""
    return dbfaults.banner_msgid()


def note_fault(exc: BaseException) -> None:
    """A database error met outside a write (a damaged page read by the tick): if it
    names damage, a full disk or a read-only file, the kiosk goes read-only too."""
    typed = dbfaults.classify(exc)
    if typed is not None and not isinstance(typed, DatabaseBusy):
        dbfaults.STATE.set(typed)


def authenticate_read_only(actor: Actor, staff_no: str, pin: str) -> StaffInfo:
    """Check a staff number and PIN without writing (read-only mode: records can be
    read). The lockout in force is respected; failures cannot be counted, as
    nothing can be written, so each attempt costs a full PIN check."""
    s = Staff.get_or_none(Staff.staff_no == staff_no.strip())
    now = actor.now()
    if s is None or not s.active or (s.locked_until is not None and now < s.locked_until):
        # Same message and about the same cost whether or not the number exists.
        verify_pin(_dummy_hash(), pin)
        raise AuthError(N_("Wrong staff number or PIN"), field="pin")
    if not verify_pin(s.pin_hash, pin):
        raise AuthError(N_("Wrong staff number or PIN"), field="pin")
    return info(s)


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        from dutydesk.domain.pins import hash_pin

        _dummy = hash_pin("90817263")
    return _dummy


_dummy: str | None = None


# --- the database file ------------------------------------------------------------


def integrity_problems(*, quick: bool = False, limit: int = 20) -> list[str]:
    """SQLite's ``integrity_check`` (``quick_check`` when ``quick``): [] when sound.

    A PostgreSQL server checks its own pages; there is no file here to scan.
    """
    db: Any = database_proxy
    if not on_sqlite():
        return []
    pragma = "quick_check" if quick else "integrity_check"
    try:
        # Plain reads, not memory-mapped ones: a mapped scan is a little faster on a
        # cold disk, but every page of the file it touches then counts as the
        # process's own memory (~600 MB for a ten-year site against ~75 MB).
        rows = db.execute_sql(f"PRAGMA {pragma}({int(limit)})").fetchall()
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        return [str(exc)]
    # SQLite may give several problems in one row, one per line, after a header.
    found = [
        line.strip()
        for r in rows
        for line in str(r[0]).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return [] if found == ["ok"] else found[:limit]


def on_sqlite() -> bool:
    """True when the site is a SQLite file (the file checks apply)."""
    return isinstance(database_proxy.obj, pw.SqliteDatabase)


def missing_triggers() -> list[str]:
    """Protective triggers (guards) the database lacks, whichever the engine."""
    from dutydesk import backends

    db = database_proxy.obj
    return backends.of(db).missing_guards(db)


@dataclass(frozen=True)
class StartupCheck:
    """What the kiosk found when it opened the database."""

    damage: list[str]
    triggers_restored: list[str]


def startup_check(actor: Actor) -> StartupCheck:
    """At kiosk start: ``quick_check`` (damage → nothing is written), then put back any
    protective trigger that was dropped, in one audited write."""
    damage = integrity_problems(quick=True)
    if damage:
        dbfaults.STATE.set(DatabaseDamaged(dbfaults.DAMAGED_MSG))
        return StartupCheck(damage, [])
    probe_write()
    missing = missing_triggers()
    # Put back on SQLite only: on a site server a dropped guard is the administrator's
    # doing, and `dutydesk verify` names it.
    if missing and on_sqlite() and not read_only():
        try:
            with write():
                sqlite_extras.install_triggers(database_proxy.obj)
                audit.record(actor, "db.triggers_restored", "", None, new={"triggers": missing})
        except StorageError:
            return StartupCheck([], [])
    return StartupCheck([], missing)


def retry_writing() -> bool:
    """In read-only mode because the file could not be written: open the file afresh
    and try again (SQLite keeps a connection read-only once it opened the file so, so
    a file made writable again needs a new connection). True when writing works."""
    if not isinstance(dbfaults.STATE.fault, ReadOnlyDatabase) or not on_sqlite():
        return False
    db: Any = database_proxy.obj
    if db.in_transaction():
        return False
    db.close()
    db.connect()
    dbfaults.STATE.clear()
    probe_write()  # puts the fault back when the file still cannot be written
    return not dbfaults.STATE.read_only


def probe_write() -> None:
    """Can this file be written? A write of the header's own value, rolled back: nothing
    changes, but a read-only file says so now, so the banner shows from the start."""
    db: Any = database_proxy
    if not on_sqlite():
        return
    try:
        with db.atomic() as txn:
            version = int(db.execute_sql("PRAGMA user_version").fetchone()[0])
            db.execute_sql(f"PRAGMA user_version = {version}")
            txn.rollback()
    except (pw.DatabaseError, sqlite3.Error) as exc:
        typed = dbfaults.classify(exc)
        if typed is not None and not isinstance(typed, DatabaseBusy):
            dbfaults.STATE.set(typed)


# --- the clock ------------------------------------------------------------------------

# A clock may run a little behind the newest event (another desk's clock, NTP).
CLOCK_BEHIND_TOLERANCE_MINUTES = 2
# A shift left open a day past its planned end means the clock jumped ahead.
CLOCK_AHEAD_TOLERANCE_HOURS = 24


@dataclass(frozen=True)
class ClockSuspect:
    """The PC clock looks wrong: ``behind`` (earlier than ``reference``) or ahead."""

    behind: bool
    reference: arrow.Arrow
    since: arrow.Arrow

    def message(self, tz: str) -> tuple[str, dict[str, Any]]:
        values = {
            "reference": self.reference.to(tz).format("YYYY-MM-DD HH:mm"),
            "since": self.since.to(tz).format("YYYY-MM-DD HH:mm"),
        }
        if self.behind:
            return (
                N_(
                    "The PC clock looks wrong: it is behind the last record ({reference}); "
                    "since {since}. Entries made now are marked. Tell the supervisor."
                ),
                values,
            )
        return (
            N_(
                "The PC clock looks wrong: more than a day past the open shift's end "
                "({reference}); since {since}. Entries made now are marked. Tell the supervisor."
            ),
            values,
        )


CLOCK_SUSPECT_ACTION = "clock.suspect"


# How far back the clock check looks for an event stamped by a right clock.
CLOCK_REFERENCE_WINDOW = 500


def _reference(actor: Actor) -> tuple[bool, arrow.Arrow] | None:
    now = actor.now()
    # The newest event stamped by a clock that looked right: entries made while it
    # looked wrong (marked ``clock_suspect``) are no reference for the clock put right.
    newest = None
    for ev in (
        AuditEvent.select(AuditEvent.at, AuditEvent.new)
        .where(AuditEvent.action != CLOCK_SUSPECT_ACTION)
        .order_by(AuditEvent.seq.desc())
        .limit(CLOCK_REFERENCE_WINDOW)
    ):
        if not (isinstance(ev.new, dict) and "clock_suspect" in ev.new):
            newest = ev
            break
    if newest is not None and now < newest.at.shift(minutes=-CLOCK_BEHIND_TOLERANCE_MINUTES):
        return True, newest.at
    if actor.desk_id is not None:
        open_shift = (
            Shift.select(Shift.planned_end)
            .where((Shift.desk == actor.desk_id) & (Shift.state == ShiftState.OPEN))
            .order_by(Shift.planned_start.desc())
            .first()
        )
        if open_shift is not None and now > open_shift.planned_end.shift(
            hours=CLOCK_AHEAD_TOLERANCE_HOURS
        ):
            return False, open_shift.planned_end
    return None


def clock_check(actor: Actor, current: ClockSuspect | None) -> ClockSuspect | None:
    """For the kiosk's tick: does the clock look wrong now? ``current`` is the answer of
    the previous tick. The first time it looks wrong an audit event records it once
    (from then on the chain also shows every entry made meanwhile, see
    :func:`dutydesk.domain.audit.verify_chain`'s clock warnings)."""
    if current is not None and current.behind:
        # Entries made meanwhile are stamped with the wrong time too, so the newest
        # event is no reference any more: the one noted stays until the clock is right.
        if actor.now() < current.reference.shift(minutes=-CLOCK_BEHIND_TOLERANCE_MINUTES):
            return current
        current = None
    found = _reference(actor)
    if found is None:
        audit.CLOCK_MARK.clear()
        return None
    behind, reference = found
    if current is not None and current.behind == behind:
        return current
    suspect = ClockSuspect(behind, reference, actor.now())
    audit.CLOCK_MARK.clear()
    try:
        with write():
            audit.record(
                actor,
                CLOCK_SUSPECT_ACTION,
                "",
                None,
                new={"behind": behind, "reference": reference},
            )
    except StorageError:
        pass  # read-only mode: the banner still shows
    audit.CLOCK_MARK["clock_suspect"] = canonical.instant(suspect.since)
    return suspect


def set_write_wait(seconds: float) -> None:
    """How long one write waits for another desk's write lock before giving up
    (the form then says "retrying…" and tries again, within its own budget)."""
    dbfaults.set_busy_timeout(database_proxy, seconds)


def close_thread_connection() -> None:
    """Close this thread's connection (peewee keeps one per thread): for a worker."""
    database_proxy.close()


def written_while_clock_wrong(
    action_prefix: str, record_id: int, created_at: arrow.Arrow
) -> arrow.Arrow | None:
    """When the PC clock first looked wrong, if the record was written while it did (its
    creating audit event carries ``clock_suspect``), else None. Found through the
    (action, at) index: the event is stamped within seconds of the record."""
    ev = (
        AuditEvent.select(AuditEvent.new)
        .where(
            (AuditEvent.action.in_([f"{action_prefix}create", f"{action_prefix}correct"]))
            & (AuditEvent.at.between(created_at.shift(seconds=-5), created_at.shift(seconds=5)))
            & (AuditEvent.record_id == record_id)
        )
        .first()
    )
    if ev is None or not isinstance(ev.new, dict) or not ev.new.get("clock_suspect"):
        return None
    return arrow.get(str(ev.new["clock_suspect"]))
