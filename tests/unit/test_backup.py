"""Backups, restoring one, and the live chain checked against a backup (a copy of the
audit chain kept outside the file closes the "rehash from the last printed head" gap)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import arrow
import pytest

from dutydesk.cli import main
from dutydesk.db import open_database, write
from dutydesk.domain import audit, backup, handover
from dutydesk.errors import ConfigError
from dutydesk.models import AuditEvent, database_proxy
from tests.helpers.handover import signed_handover
from tests.helpers.tamper import drop_triggers, rehash_from

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from dutydesk.clock import SystemClock
    from dutydesk.db import open_database, write
    from dutydesk.domain import audit
    from dutydesk.domain.context import Actor

    open_database(sys.argv[1], create=False)
    actor = Actor(SystemClock("Asia/Shanghai"), None)
    stop = Path(sys.argv[2])
    i = 0
    while not stop.exists():
        with write():
            audit.record(actor, "test.write", new={"i": i})
        i += 1
        print(i, flush=True)
    print("done", i, flush=True)
    """
)


def _events(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0])
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_while_another_process_writes(site, db_path, tmp_path):
    """The online backup API copies a consistent snapshot while a kiosk keeps writing:
    no error on either side, the copy verifies and holds every row committed before."""
    stop = tmp_path / "stop"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until the writer is well under way
            if int(line) >= 30:
                break
        committed = _events(db_path)
        result = backup.make_backup(tmp_path / "backups", same_disk=True)
        # The writer is still writing after the copy.
        for line in proc.stdout:
            if int(line) >= 60:
                break
    finally:
        stop.touch()
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert err == ""
    assert result.path.exists()
    assert _events(result.path) >= committed
    assert backup.full_verify(result.path) == []
    assert _events(db_path) > _events(result.path)


def test_backup_name_has_site_time_and_head(site, tmp_path):
    result = backup.make_backup(
        tmp_path / "b", same_disk=True, now=arrow.get("2026-12-01T02:00:00Z")
    )
    head = audit.head()
    assert head is not None
    assert result.path.name == (
        f"test-gardens_20261201T020000Z_h{head.seq}-{head.hash[:12]}{backup.SUFFIX}"
    )
    assert result.info.site_name == "Test Gardens"
    # One self-contained file: no WAL beside it.
    assert sorted(p.name for p in result.path.parent.iterdir()) == [result.path.name]


def test_backup_on_the_same_disk_is_refused_without_same_disk(site, tmp_path, capsys, db_path):
    with pytest.raises(ConfigError, match="same disk"):
        backup.make_backup(tmp_path / "b")
    assert not list((tmp_path / "b").iterdir())
    code = main(["--db", str(db_path), "--lang", "en", "backup", "--to", str(tmp_path / "b")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "same disk" in err and "--same-disk" in err


def test_backup_of_a_postgresql_site_says_pg_dump(capsys):
    code = main(["--db", "postgresql://u:secret@host/db", "--lang", "en", "backup", "--to", "/x"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == "dutydesk: backup of a PostgreSQL site: use pg_dump"


def test_cli_backup_verifies_records_and_prunes(site, db_path, tmp_path, capsys):
    folder = tmp_path / "b"
    older = [
        backup.make_backup(folder, same_disk=True, now=arrow.get(f"2026-11-2{d}T02:00Z")).path
        for d in (1, 2)
    ]
    code = main(
        [
            "--db",
            str(db_path),
            "--lang",
            "en",
            "backup",
            "--to",
            str(folder),
            "--same-disk",
            "--keep",
            "2",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "verified" in out and "Deleted 1 older backups (keeping 2)" in out
    files = backup.backups_in(folder)
    assert len(files) == 2 and files[0] == older[1] and not older[0].exists()
    open_database(str(db_path))
    last = backup.last_backup()
    assert last is not None and last.ok and Path(last.file) == files[-1]


def test_pruning_keeps_the_newest_n(site, tmp_path):
    folder = tmp_path / "b"
    made = []
    for hour in range(5):
        with write():
            audit.record(site.actor("S01"), "test.write", new={"hour": hour})
        at = arrow.get(f"2026-12-01T0{hour}:00:00Z")
        made.append(backup.make_backup(folder, keep=3, same_disk=True, now=at).path)
    assert backup.backups_in(folder) == made[-3:]
    # A file of another site in the same folder is never touched.
    assert backup.prune(folder, "Other Site", 1) == []


def test_pruning_waits_for_the_new_copy_to_verify(site, db, tmp_path, monkeypatch):
    folder = tmp_path / "b"
    first = backup.make_backup(folder, keep=1, same_disk=True, now=arrow.get("2026-12-01T01:00Z"))
    monkeypatch.setattr(backup, "full_verify", lambda path: ["event content changed"])
    with pytest.raises(backup.BackupError, match="does not verify"):
        backup.make_backup(folder, keep=1, same_disk=True, now=arrow.get("2026-12-01T02:00Z"))
    assert backup.backups_in(folder) == [first.path]
    assert sorted(p.name for p in folder.iterdir()) == [first.path.name]


# --- restore ------------------------------------------------------------------------------


def _restore(db_path: Path, file: Path, *extra: str) -> int:
    database_proxy.obj.close()
    return main(["--db", str(db_path), "--lang", "en", "restore", str(file), *extra])


def test_restore_of_a_good_backup(site, db_path, tmp_path, capsys):
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    head_then = audit.head()
    with write():
        audit.record(site.actor("S01"), "test.later", new={"lost": True})
    assert _restore(db_path, made.path) == 0
    out = capsys.readouterr().out
    assert "Restored Test Gardens" in out and f"chain head {made.info.head}" in out
    aside = list(tmp_path.glob("dutydesk.db.before-restore-*Z"))
    assert len(aside) == 1 and "kept as" in out
    assert _events(aside[0]) == made.info.head_seq + 1  # the old one, whole
    open_database(str(db_path))
    last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert last.action == "backup.restore" and last.seq == head_then.seq + 1
    assert last.new["head"] == made.info.head
    assert audit.verify_chain() == []


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "not_dutydesk", "other_site"])
def test_restore_refuses_a_bad_backup_and_keeps_the_database(
    site, db_path, tmp_path, capsys, damage
):
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    bad = tmp_path / "bad.db"
    data = made.path.read_bytes()
    if damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "corrupted":
        # Overwrite the middle of the file (table pages) with junk.
        mid = len(data) // 2
        bad.write_bytes(data[:mid] + b"\xa5" * 8192 + data[mid + 8192 :])
    elif damage == "not_dutydesk":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    else:
        other = tmp_path / "other.db"
        database_proxy.obj.close()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dutydesk",
                "--db",
                str(other),
                "init",
                "--name",
                "Elsewhere",
                "--tz",
                "UTC",
                "--add-desk",
                "gate:security-2",
                "--supervisor",
                "S09",
                "--supervisor-name",
                "Boss",
                "--pin-env",
                "P",
            ],
            check=True,
            env={**os.environ, "P": "4862"},
            capture_output=True,
        )
        con = sqlite3.connect(other)
        con.execute("PRAGMA journal_mode=DELETE")
        con.close()
        bad = other
        open_database(str(db_path))
    database_proxy.obj.close()
    before = _digest(db_path)
    code = main(["--db", str(db_path), "--lang", "en", "restore", str(bad)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    expected = {
        "truncated": "truncated",
        "corrupted": "damaged",
        "not_dutydesk": "not a DutyDesk database",
        "other_site": "another site",
    }[damage]
    assert expected in err
    assert _digest(db_path) == before
    assert not list(tmp_path.glob("dutydesk.db.before-restore-*"))


def test_restore_refuses_while_a_kiosk_has_the_database_open(site, db_path, tmp_path, capsys):
    from dutydesk.domain import sessions

    made = backup.make_backup(tmp_path / "b", same_disk=True)
    sessions.start_session(site.actor("G01"))
    # This process keeps the database open, as a kiosk would.
    database_proxy.obj.execute_sql("SELECT 1")
    code = main(["--db", str(db_path), "--lang", "en", "restore", str(made.path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "has the database open" in err and "security (G01)" in err
    assert not list(tmp_path.glob("dutydesk.db.before-restore-*"))


def test_restore_onto_a_new_pc(site, db_path, tmp_path, capsys):
    """Moving: backup on the old PC, restore where there is no database yet, verify."""
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    new_db = tmp_path / "newpc" / "data" / "dutydesk.db"
    assert main(["--db", str(new_db), "--lang", "en", "restore", str(made.path)]) == 0
    assert main(["--db", str(new_db), "--lang", "en", "verify", "--against", str(made.path)]) == 0
    out = capsys.readouterr().out
    assert "Restored Test Gardens" in out and "extends the backup's chain" in out


# --- verify --against ---------------------------------------------------------------------


def test_verify_against_passes_when_the_chain_extends_the_backup(site, db_path, tmp_path):
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    with write():
        audit.record(site.actor("S01"), "test.later")
    found = backup.compare_with_backup(made.path)
    assert found.ok and found.live_head_seq == made.info.head_seq + 1


def test_verify_against_names_history_rewritten_before_the_backup(db, site, db_path, tmp_path):
    """Edit event 5 and recompute every hash after it: the chain alone is intact again,
    but it no longer extends the backup's chain, and event 5 is named."""
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    drop_triggers(db)
    db.execute_sql("UPDATE audit_event SET staff_no = 'X99' WHERE seq = 5")
    rehash_from(db, 5)
    assert audit.verify_chain() == []
    found = backup.compare_with_backup(made.path)
    assert not found.ok and found.first_difference == 5
    db.close()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dutydesk",
            "--db",
            str(db_path),
            "--lang",
            "en",
            "verify",
            "--against",
            str(made.path),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "audit event 5 differs from the backup's" in proc.stdout


def test_verify_against_catches_a_cut_tail(db, site, tmp_path):
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    drop_triggers(db)
    db.execute_sql("DELETE FROM audit_event WHERE seq >= ?", (made.info.head_seq - 1,))
    found = backup.compare_with_backup(made.path)
    assert found.first_difference == made.info.head_seq - 1


def test_verify_against_a_backup_of_another_site(db, site, tmp_path):
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    drop_triggers(db)
    db.execute_sql("UPDATE audit_event SET hash = 'x' WHERE seq = 1")
    assert backup.compare_with_backup(made.path).foreign


# --- automatic backups ----------------------------------------------------------------------


def _set_folder(folder: Path) -> None:
    from dutydesk.models import Site

    with write():
        s = Site.get()
        s.settings = {**(s.settings or {}), "backup_dir": str(folder), "backup_same_disk": True}
        s.save()


def test_automatic_backup_after_a_signed_handover(site, tmp_path):
    folder = tmp_path / "auto"
    _set_folder(folder)
    calls: list[int] = []

    def hook(actor, handover_id):
        calls.append(handover_id)
        backup.auto_backup(actor, "handover")

    handover.AFTER_SIGN.append(hook)
    try:
        hid = signed_handover(site)
    finally:
        handover.AFTER_SIGN.remove(hook)
    assert calls == [hid]
    files = backup.backups_in(folder)
    assert len(files) == 1
    assert backup.full_verify(files[0]) == []
    # The copy holds the signed handover (taken after the commit).
    con = sqlite3.connect(files[0])
    assert con.execute("SELECT state FROM handover WHERE id = ?", (hid,)).fetchone() == ("signed",)
    con.close()
    last = backup.last_backup()
    assert last is not None and last.ok


def test_failed_and_missing_backups_are_problems(site, tmp_path):
    now = site.clock.now()
    assert backup.problems(now) == []  # a new site: nothing missing yet
    later = now.shift(hours=27)
    assert [m for m, _v in backup.problems(later)] == ["No backup has been made yet"]
    _set_folder(tmp_path / "nowhere" / "x")
    (tmp_path / "nowhere").write_text("a file, not a folder")
    assert backup.auto_backup(site.actor(), "daily") is None
    msgs = [m for m, _v in backup.problems(later)]
    assert "The last backup failed: {error}" in msgs
    _set_folder(tmp_path / "good")
    assert backup.auto_backup(site.actor(), "daily") is not None
    assert backup.problems(site.clock.now()) == []
    assert [m for m, _v in backup.problems(now.shift(hours=27))] == ["No backup for {hours} hours"]


def test_daily_backup_is_due_once_after_its_time(site, tmp_path):
    from dutydesk.models import Site

    _set_folder(tmp_path / "d")
    with write():
        s = Site.get()
        s.settings = {**s.settings, "backup_time": "02:00"}
        s.save()
    tz = "Asia/Shanghai"
    assert backup.daily_due(arrow.get("2026-12-02 01:59", tzinfo=tz), tz) is False
    assert backup.daily_due(arrow.get("2026-12-02 02:00", tzinfo=tz), tz) is True
    site.clock.set("2026-12-02 02:01")
    backup.auto_backup(site.actor(), "daily")
    assert backup.daily_due(arrow.get("2026-12-02 09:00", tzinfo=tz), tz) is False
    assert backup.daily_due(arrow.get("2026-12-03 02:00", tzinfo=tz), tz) is True


# --- paths and status -------------------------------------------------------------------------


def test_paths_names_database_and_backup_folder(
    site, db_path, tmp_path, capsys, monkeypatch, error_log
):
    _set_folder(tmp_path / "usb")
    monkeypatch.setenv("DUTYDESK_REPORTS_DIR", str(tmp_path / "printed"))
    assert main(["--db", str(db_path), "--lang", "en", "paths"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines()}
    assert lines["database"] == str(db_path)
    assert lines["backups"] == str(tmp_path / "usb")
    assert {"logs", "reports", "config"} <= set(lines)
    # Where the files really go: the folders set for this run, not the defaults.
    assert lines["logs"] == str(error_log.parent)
    assert lines["reports"] == str(tmp_path / "printed")


def test_status_lists_site_shifts_backup_and_problems(site, db_path, tmp_path, capsys):
    from dutydesk.domain import shifts

    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    made = backup.make_backup(tmp_path / "b", same_disk=True)
    backup.record_made(site.actor(), made, "command")
    report = backup.status(site.clock.now())
    lines = dict(report.lines)
    assert lines["site"] == "Test Gardens (Asia/Shanghai)"
    assert lines["open shifts"] == "Security booth Early 12-01 07:30–16:00"
    assert made.path.name in lines["last backup"] and "MiB" in lines["database size"]
    assert report.problems == []
    backup.record_failed(site.actor(), "daily", "disk full")
    assert backup.status(site.clock.now()).problems == ["The last backup failed: disk full"]
    # The command prints the same lines (its clock is the real one) and fails on a problem.
    assert main(["--db", str(db_path), "--lang", "en", "status"]) == 1
    out = capsys.readouterr().out
    assert "site: Test Gardens (Asia/Shanghai)" in out
    assert "PROBLEM: The last backup failed: disk full" in out
    # A dropped protective trigger is a problem too.
    from dutydesk.models import AuditEvent

    site_db = AuditEvent._meta.database
    site_db.execute_sql("DROP TRIGGER audit_event_no_update")
    assert backup.status(site.clock.now()).problems[-1] == (
        "database guard audit_event_no_update is missing: signed records could be changed"
    )


def test_restore_refuses_a_backup_of_a_newer_dutydesk(site, db_path, tmp_path, capsys):
    from dutydesk.migrations import LATEST

    made = backup.make_backup(tmp_path / "b", same_disk=True)
    con = sqlite3.connect(made.path)
    con.execute(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', '2030')",
        (LATEST + 1,),
    )
    con.commit()
    con.close()
    database_proxy.obj.close()
    before = _digest(db_path)
    assert main(["--db", str(db_path), "--lang", "en", "restore", str(made.path)]) == 1
    assert "made by a newer DutyDesk" in capsys.readouterr().err
    assert _digest(db_path) == before
