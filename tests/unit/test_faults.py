"""Fault injection on a real SQLite file: a write lock held by another connection, a
full disk, a read-only file, random bytes in the middle of the file, an empty file,
dropped triggers and a clock set back. Each names the fault in plain words, keeps
the confirmed rows, and keeps the draft; no message holds the PIN typed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from dutydesk import dbfaults
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.domain import audit, drafts, health, overview, sessions
from dutydesk.domain import verify as verifying
from dutydesk.errors import (
    AuthError,
    ConfigError,
    DatabaseBusy,
    DatabaseDamaged,
    DiskFull,
    ReadOnlyDatabase,
)
from dutydesk.models import AuditEvent, DutyLogEntry
from tests.helpers.faults import LockHolder, add_duty_entry, damaged_copy, fill_disk, grow_database
from tests.helpers.site import PIN


def confirmed_texts() -> list[str]:
    return [r.text for r in DutyLogEntry.select().order_by(DutyLogEntry.id)]


@pytest.fixture
def quick_busy(site) -> Iterator[None]:
    """One write waits 0.2 s for another desk's lock (the kiosk's default is 2 s)."""
    health.set_write_wait(0.2)
    yield
    health.set_write_wait(dbfaults.DEFAULT_BUSY_TIMEOUT)


# --- busy -------------------------------------------------------------------------------


def test_write_lock_held_by_another_connection_is_named_busy(site, db_path, quick_busy):
    add_duty_entry(site, "before")
    with LockHolder(db_path):
        with pytest.raises(DatabaseBusy) as exc:
            add_duty_entry(site, "during")
        assert "Another desk is saving" in exc.value.translated()
        assert "locked" not in exc.value.translated()
        assert not health.read_only()  # busy is not a standing fault
        # The idle lock screen's minute tick writes nothing when nothing is due,
        # so the lock held elsewhere does not even reach it.
        actor = site.actor()
        assert sessions.presence_tick(actor).newly_missed == 0
        assert overview.note_overdue_rounds(actor) == 0
    assert confirmed_texts() == ["before"]
    add_duty_entry(site, "after")  # the lock released: saving works again
    assert confirmed_texts() == ["before", "after"]


def test_draft_save_without_change_opens_no_write(site, db_path, quick_busy):
    actor = site.actor("G01")
    drafts.save(actor, "log.duty", {"text": "half a sentence"})
    with LockHolder(db_path):
        drafts.save(actor, "log.duty", {"text": "half a sentence"})  # unchanged: no write
        drafts.discard(actor, "log.other")  # nothing to delete: no write
        with pytest.raises(DatabaseBusy):
            drafts.save(actor, "log.duty", {"text": "half a sentence, more"})
    assert drafts.load(actor, "log.duty") == {"text": "half a sentence"}


# --- disk full ----------------------------------------------------------------------------


def test_disk_full_is_named_not_cannot_rollback(site, db):
    add_duty_entry(site, "confirmed")
    fill_disk(db)
    big = "水" * 4000
    with pytest.raises(DiskFull) as exc:
        for _ in range(50):
            add_duty_entry(site, big)
    text = exc.value.translated()
    assert "The disk is full" in text
    assert "rollback" not in text.lower()
    assert health.read_only() and not health.damaged()
    assert "the disk is full" in (health.write_fault_banner() or "")
    assert "confirmed" in confirmed_texts()
    assert audit.verify_chain() == []
    # Space again: the next write works and read-only mode ends.
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    add_duty_entry(site, "after")
    assert not health.read_only()
    assert confirmed_texts()[-1] == "after"


def test_classify_looks_behind_cannot_rollback():
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise pw.OperationalError("cannot rollback - no transaction is active") from None
    except pw.OperationalError as outer:
        hidden = outer
    # "from None" suppresses display only; the context is still there, as with peewee.
    assert isinstance(dbfaults.classify(hidden), DiskFull)
    assert dbfaults.classify(pw.OperationalError("cannot rollback - no transaction")) is None
    assert isinstance(
        dbfaults.classify(pw.OperationalError("attempt to write a readonly database")),
        ReadOnlyDatabase,
    )
    assert isinstance(
        dbfaults.classify(pw.DatabaseError("database disk image is malformed")), DatabaseDamaged
    )
    assert isinstance(dbfaults.classify(pw.OperationalError("database is locked")), DatabaseBusy)
    assert dbfaults.classify(ValueError("x")) is None


# --- read-only file -----------------------------------------------------------------------


def test_read_only_file_reads_records_and_refuses_saves(site, db_path, db):
    add_duty_entry(site, "confirmed")
    actor = site.actor("G01")
    drafts.save(actor, "log.duty", {"text": "draft before"})
    db.close()
    open_database(str(db_path), read_only=True)
    assert confirmed_texts() == ["confirmed"]  # records can be read
    with pytest.raises(ReadOnlyDatabase) as exc:
        add_duty_entry(site, "refused")
    assert "The database file is read-only" in exc.value.translated()
    assert health.read_only()
    assert "read-only" in (health.write_fault_banner() or "")
    # Login still works without writing (records can be read); a wrong PIN is refused.
    person = health.authenticate_read_only(site.actor(), "G01", PIN)
    assert person.staff_no == "G01"
    with pytest.raises(AuthError) as bad:
        health.authenticate_read_only(site.actor(), "G01", "9999")
    assert PIN not in bad.value.translated() and "9999" not in bad.value.translated()
    assert drafts.load(actor, "log.duty") == {"text": "draft before"}
    assert confirmed_texts() == ["confirmed"]


# --- a damaged file -------------------------------------------------------------------------


def test_random_bytes_in_the_middle_fail_verify_and_stop_writes(site, db_path, db, tmp_path):
    grow_database(site)
    copy = damaged_copy(db_path, db, tmp_path)
    open_database(str(copy), migrate=False, create=False)
    report = verifying.verify()
    assert not report.ok
    assert any("database file damaged" in p.text() for p in report.problems)
    assert any(p.text().endswith("restore the latest backup") for p in report.problems)
    # The kiosk's start: quick_check finds it, nothing is written afterwards.
    check = health.startup_check(site.actor())
    assert check.damage
    assert health.damaged()
    assert "Restore the latest backup" in (health.write_fault_banner() or "")
    before = copy.read_bytes()
    with pytest.raises(DatabaseDamaged) as exc:
        drafts.save(site.actor("G01"), "log.duty", {"text": "kept"})
    assert "restore the latest backup" in exc.value.translated().lower()
    assert copy.read_bytes() == before


def test_verify_command_exits_non_zero_naming_integrity(site, db_path, db, tmp_path):
    grow_database(site)
    copy = damaged_copy(db_path, db, tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "dutydesk", "verify", "--db", str(copy), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode != 0
    said = out.stdout + out.stderr
    assert "damaged" in said and "restore the latest backup" in said
    assert "Traceback" not in said


def test_intact_database_passes_the_startup_check(site):
    check = health.startup_check(site.actor())
    assert check == health.StartupCheck([], [])
    assert not health.read_only()
    assert verifying.verify().ok


# --- an empty file, a missing file ------------------------------------------------------------


def test_zero_length_file_is_refused_and_left_untouched(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(ConfigError) as exc:
        open_database(str(empty))
    assert "is empty" in exc.value.translated()
    assert empty.stat().st_size == 0
    assert not Path(f"{empty}-wal").exists()
    out = subprocess.run(
        [sys.executable, "-m", "dutydesk", "verify", "--db", str(empty), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 1
    assert "is empty" in out.stderr and "OK" not in out.stdout
    assert empty.stat().st_size == 0


def test_explicit_db_that_does_not_exist_is_refused(tmp_path):
    from dutydesk.cli import KioskOptions
    from dutydesk.kiosk import build_app

    missing = tmp_path / "typo" / "dutydesk.db"
    with pytest.raises(ConfigError) as exc:
        build_app(KioskOptions(db=str(missing), desk=None, lang="en", lock_after=None))
    text = exc.value.translated()
    assert text == f"No database at {missing} — `dutydesk init --db {missing}` creates one"
    assert not missing.parent.exists()  # no folders made, no second site started


# --- triggers dropped ---------------------------------------------------------------------------


def test_dropped_triggers_are_reported_then_put_back_and_audited(site, db, db_path):
    add_duty_entry(site, "confirmed")
    db.execute_sql("DROP TRIGGER audit_event_no_update")
    db.execute_sql("DROP TRIGGER signature_no_delete")
    report = verifying.verify()
    assert not report.ok
    named = " ".join(p.text() for p in report.problems)
    assert "audit_event_no_update" in named and "signature_no_delete" in named
    db.close()
    open_database(str(db_path))  # reopening: the kiosk's start puts them back
    check = health.startup_check(site.actor())
    assert check.triggers_restored == ["audit_event_no_update", "signature_no_delete"]
    assert health.missing_triggers() == []
    ev = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert ev.action == "db.triggers_restored"
    assert ev.new == {"triggers": ["audit_event_no_update", "signature_no_delete"]}
    assert verifying.verify().ok
    assert confirmed_texts() == ["confirmed"]
    with pytest.raises(pw.IntegrityError):
        AuditEvent.update(action="x").where(AuditEvent.seq == 1).execute()


# --- the clock -----------------------------------------------------------------------------------


def test_clock_set_back_is_noticed_once_and_entries_are_marked(site):
    add_duty_entry(site, "on time")
    clock: FixedClock = site.clock
    clock.advance(minutes=1)
    assert health.clock_check(site.actor(), None) is None
    clock.advance(days=-17)
    first = health.clock_check(site.actor(), None)
    assert first is not None and first.behind
    msgid, values = first.message(clock.tz)
    assert "clock looks wrong" in msgid
    assert values["since"] == clock.now().format("YYYY-MM-DD HH:mm")
    # Recorded once: the next ticks keep the same answer and write nothing more.
    n = audit.count()
    clock.advance(minutes=5)
    assert health.clock_check(site.actor(), first) is first
    assert audit.count() == n
    entry = add_duty_entry(site, "while wrong")
    clock.advance(minutes=1)
    assert health.clock_check(site.actor(), first) is first  # the new entry is no reference
    ev = AuditEvent.get(
        (AuditEvent.action == "log.duty.create") & (AuditEvent.record_id == entry.id)
    )
    assert ev.new["clock_suspect"]
    assert AuditEvent.select().where(AuditEvent.action == "clock.suspect").count() == 1
    # The clock put right: the banner goes, entries are no longer marked.
    clock.advance(days=17)
    assert health.clock_check(site.actor(), first) is None
    later = add_duty_entry(site, "clock right")
    ev = AuditEvent.get(
        (AuditEvent.action == "log.duty.create") & (AuditEvent.record_id == later.id)
    )
    assert "clock_suspect" not in (ev.new or {})
    assert confirmed_texts() == ["on time", "while wrong", "clock right"]


def test_clock_far_ahead_of_the_open_shift(site):
    from dutydesk.domain.shifts import open_without_handover

    open_without_handover(site.actor("G01"), "first shift")
    site.clock.advance(days=3)
    found = health.clock_check(site.actor(), None)
    assert found is not None and not found.behind
    assert "more than a day past" in found.message(site.clock.tz)[0]
    add_duty_entry(site, "written while the clock ran fast")  # marked, stamped 3 days ahead
    # The clock put right: the entries stamped ahead are no reference, so the right
    # clock is not taken for one set back, and the banner goes.
    site.clock.advance(days=-3)
    assert health.clock_check(site.actor(), found) is None


def test_a_file_that_cannot_be_written_is_read_only_from_the_start(site, db, db_path):
    """The kiosk's start finds out before anyone types: a file made immutable (chattr +i
    stops even root) opened as usual. Where chattr is not available (not root, another
    file system), SQLite's own read-only open stands in for it."""
    add_duty_entry(site, "confirmed")
    db.close()
    immutable = subprocess.run(["chattr", "+i", str(db_path)], capture_output=True).returncode == 0
    try:
        open_database(str(db_path), read_only=not immutable)
        assert not health.read_only()
        health.startup_check(site.actor())
        assert health.read_only() and not health.damaged()
        assert "the database file is read-only" in (health.write_fault_banner() or "")
        with pytest.raises(ReadOnlyDatabase):
            add_duty_entry(site, "refused")
        assert confirmed_texts() == ["confirmed"]
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db_path)], check=True)


def test_a_file_made_writable_again_ends_read_only_mode_without_a_restart(site, db, db_path):
    """SQLite keeps a connection read-only once it opened the file so: the minute tick
    opens the file afresh and the banner goes as soon as the file can be written."""
    add_duty_entry(site, "confirmed")
    db.close()
    immutable = subprocess.run(["chattr", "+i", str(db_path)], capture_output=True).returncode == 0
    try:
        open_database(str(db_path))
        if immutable:
            health.startup_check(site.actor())
            assert health.read_only()
            assert not health.retry_writing()  # still immutable: still read-only
            subprocess.run(["chattr", "-i", str(db_path)], check=True)
            immutable = False
        else:  # no chattr here: as a refused write would have left it
            dbfaults.STATE.set(ReadOnlyDatabase(dbfaults.READONLY_MSG))
        assert health.read_only()
        assert health.retry_writing()
        assert not health.read_only()
        add_duty_entry(site, "after")
        assert sorted(confirmed_texts()) == ["after", "confirmed"]
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db_path)], check=True)


def _dutydesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dutydesk", *args, "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def test_the_kiosk_command_refuses_a_missing_or_empty_database(tmp_path):
    missing = tmp_path / "typo" / "site.db"
    out = _dutydesk("--db", str(missing))
    assert out.returncode == 1
    assert out.stderr == (
        f"dutydesk: No database at {missing} — `dutydesk init --db {missing}` creates one\n"
    )
    assert not missing.parent.exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    out = _dutydesk(env={**env, "DUTYDESK_DB": str(missing)})
    assert out.returncode == 1 and "No database at" in out.stderr
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    out = _dutydesk("--db", str(empty))
    assert out.returncode == 1 and "is empty" in out.stderr and "Traceback" not in out.stderr
    assert empty.stat().st_size == 0


def test_a_command_meeting_a_database_fault_says_so_in_one_line(capsys):
    """Any subcommand: SQLite's error becomes the plain message, one line, exit 1."""
    from dutydesk import cli

    def run(_args: object) -> int:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise pw.OperationalError("cannot rollback - no transaction is active") from None

    cli.register("fault-probe", "probe", lambda p: None, run)
    try:
        assert cli.main(["fault-probe", "--lang", "en"]) == 1
    finally:
        cli.COMMANDS.pop("fault-probe")
    err = capsys.readouterr().err
    assert err == "dutydesk: The disk is full: nothing was saved. Tell the supervisor.\n"


def test_damage_met_while_reading_turns_the_kiosk_read_only():
    health.note_fault(pw.DatabaseError("database disk image is malformed"))
    assert health.damaged()
    assert "Restore the latest backup" in (health.write_fault_banner() or "")
    dbfaults.STATE.clear()
    health.note_fault(pw.OperationalError("database is locked"))  # busy: not standing
    assert not health.read_only()
    health.note_fault(RuntimeError("no database error"))
    assert not health.read_only()
