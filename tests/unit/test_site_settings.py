"""Site settings after set-up: each audited with old → new values; the refusals name
their reason (CS8: only a supervisor; SE-1: the shift after the open one must follow it)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutydesk.cli import main
from dutydesk.db import open_database
from dutydesk.domain import roster, shifts
from dutydesk.domain import site_settings as ss
from dutydesk.domain.site import DeskSpec, get_site
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.models import AuditEvent, Desk, Shift, ShiftTemplate

DEC1 = dt.date(2026, 12, 1)
DEC2 = dt.date(2026, 12, 2)


def _last(action: str) -> AuditEvent:
    return (
        AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.seq.desc())
        .first()
    )


def _hm(a) -> str:
    return a.to("Asia/Shanghai").format("HH:mm")


def test_shift_times_change_from_a_date_on(site):
    boss = site.actor("S01")
    gaps = ss.change_shift_times(boss, "security", "middle", "16:30", "00:00", DEC2)
    # 16:00–16:30 is now uncovered each day: shown, not refused (two steps make a change).
    assert gaps == ["The shifts leave part of the day uncovered"]
    today = shifts.planned_on(site.security.id, DEC1, "middle")
    tomorrow = shifts.planned_on(site.security.id, DEC2, "middle")
    assert (_hm(today.start), _hm(today.end)) == ("16:00", "00:00")
    assert (_hm(tomorrow.start), _hm(tomorrow.end)) == ("16:30", "00:00")
    # The roster (F7) computes the same occurrences.
    cal = roster.ShiftCalendar()
    t = cal.template_at(site.security.id, "middle")
    assert _hm(cal.ref(t.id, DEC2).start) == "16:30" and _hm(cal.ref(t.id, DEC1).start) == "16:00"
    ev = _last("shift_template.times")
    assert ev.old == {"start": "16:00", "end": "00:00", "from": "2026-12-02"}
    assert ev.new == {"start": "16:30", "end": "00:00", "from": "2026-12-02"}
    assert ev.staff_id == site.staff["S01"].id
    listed = {s.code: s for s in ss.shift_times(site.security.id, DEC1)}
    assert listed["middle"].start == "16:00"
    assert listed["middle"].next_change == (DEC2, "16:30", "00:00")


def test_shifts_opened_after_a_change_use_the_new_times_older_keep_theirs(site):
    first = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    ss.change_shift_times(site.actor("S01"), "security", "early", "07:00", "16:00", DEC1)
    ss.change_shift_times(site.actor("S01"), "security", "night", "00:00", "07:00", DEC2)
    site.clock.set("2026-12-02 07:05")
    later = shifts.open_without_handover(site.actor("G02"), "G01 went home ill")
    first = Shift.get_by_id(first.id)
    assert (_hm(first.planned_start), _hm(first.planned_end)) == ("07:30", "16:00")
    assert later.business_date == DEC2
    assert (_hm(later.planned_start), _hm(later.planned_end)) == ("07:00", "16:00")


def test_a_change_that_overlaps_the_open_shift_is_refused(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")  # early, to 16:00
    with pytest.raises(RuleViolation) as exc:
        ss.change_shift_times(site.actor("S01"), "security", "middle", "15:00", "00:00", DEC1)
    assert "before the open shift ends at 2026-12-01 16:00 (overlap)" in exc.value.translated()
    assert ss.shift_times(site.security.id, DEC1)[1].start == "16:00"  # nothing saved
    assert _last("shift_template.times") is None


def test_a_change_that_leaves_a_gap_after_the_open_shift_is_refused(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    with pytest.raises(RuleViolation) as exc:
        ss.change_shift_times(site.actor("S01"), "security", "middle", "16:30", "00:00", DEC1)
    assert "a gap with no one on duty" in exc.value.translated()
    # From tomorrow on it is allowed: today's middle still follows the open early.
    ss.change_shift_times(site.actor("S01"), "security", "middle", "16:30", "00:00", DEC2)


def test_shift_times_bad_input(site):
    boss = site.actor("S01")
    with pytest.raises(ValidationError) as exc:
        ss.change_shift_times(boss, "security", "middle", "25:00", "00:00", DEC2)
    assert exc.value.field == "start"
    with pytest.raises(ValidationError, match="today or later"):
        ss.change_shift_times(boss, "security", "middle", "16:30", "00:00", dt.date(2026, 11, 30))
    with pytest.raises(RuleViolation) as refused:
        ss.change_shift_times(site.actor("G01"), "security", "middle", "16:30", "00:00", DEC2)
    assert refused.value.rule == "CS8"


def test_add_a_desk(site):
    desk_id = ss.add_desk(site.actor("S01"), DeskSpec("carpark", "停车场岗", "security-2", "B2"))
    codes = [t.code for t in ShiftTemplate.select().where(ShiftTemplate.desk == desk_id)]
    assert codes == ["day", "night"]
    assert "carpark" in [d.code for d in get_site().desks]
    assert _last("desk.create").new == {"code": "carpark", "preset": "security-2"}
    with pytest.raises(ValidationError, match="already a desk"):
        ss.add_desk(site.actor("S01"), DeskSpec("carpark", "x", "security-2"))


def test_retire_a_desk_refused_while_its_shift_is_open(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    with pytest.raises(RuleViolation, match="has a shift open"):
        ss.retire_desk(site.actor("S01"), "security")
    assert Desk.get(Desk.code == "security").retired_at is None
    ss.retire_desk(site.actor("S01"), "engineering")
    ev = _last("desk.retire")
    assert ev.old == {"retired": False} and ev.new == {"retired": True}
    # No new shifts there; its history stays.
    with pytest.raises(RuleViolation, match="retired"):
        shifts.open_without_handover(site.actor("E01", site.engineering), "night duty")
    assert Desk.get(Desk.code == "engineering").retired_at is not None


def test_time_zone_refused_while_shifts_are_open(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    with pytest.raises(RuleViolation) as exc:
        ss.set_timezone(site.actor("S01"), "Asia/Urumqi")
    assert "shifts are open at security" in exc.value.translated()
    assert get_site().tz == "Asia/Shanghai"
    Shift.update(state="closed").execute()
    ss.set_timezone(site.actor("S01"), "Asia/Urumqi")
    assert get_site().tz == "Asia/Urumqi"
    ev = _last("site.timezone")
    assert ev.old == {"tz": "Asia/Shanghai"} and ev.new == {"tz": "Asia/Urumqi"}


@pytest.fixture
def other_disk(tmp_path) -> Iterator[Path]:
    """A folder on another file system than the test database (tmpfs)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.fail("this test needs /dev/shm on a file system of its own")
    folder = Path(tempfile.mkdtemp(dir=shm)) / "backups"
    yield folder
    shutil.rmtree(folder.parent, ignore_errors=True)


def test_language_lock_window_and_backup_settings_are_audited(site, db_path, other_disk):
    boss = site.actor("S01")
    ss.set_language(boss, "zh")
    assert _last("site.language").old == {"language": "en"}
    ss.set_lock_after(boss, 300)
    assert _last("site.lock_after").new == {"lock_after_seconds": 300}
    with pytest.raises(ValidationError, match="from 30 to 3600"):
        ss.set_lock_after(boss, 5)
    ss.set_handover_window(boss, 30, "security")
    ev = _last("desk.handover_window")
    assert ev.old == {"handover_window_minutes": 60} and ev.new == {"handover_window_minutes": 30}
    usb = str(other_disk)
    ss.set_backup(boss, folder=usb, time="02:30", keep=14)
    ev = _last("site.backup")
    assert ev.old == {"backup_dir": None, "backup_time": None, "backup_keep": None}
    assert ev.new == {"backup_dir": usb, "backup_time": "02:30", "backup_keep": 14}
    now = ss.current()
    assert (now.language, now.lock_after_seconds, now.backup_dir, now.backup_time) == (
        "zh",
        300,
        usb,
        "02:30",
    )
    # A folder on the database's own disk is refused when it is set (the backup there
    # would die with the disk), unless the supervisor says so on the command line.
    with pytest.raises(ValidationError, match="same disk as the database"):
        ss.set_backup(boss, folder=str(db_path.parent / "bk"))
    assert ss.current().backup_dir == usb
    ss.set_backup(boss, folder=str(db_path.parent / "bk"), same_disk=True)
    with pytest.raises(ValidationError):
        ss.set_backup(boss, time="2am")


def test_cli_site_commands(site, db_path, capsys, other_disk):
    code = main(
        [
            "--db",
            str(db_path),
            "--lang",
            "en",
            "site",
            "shift-times",
            "security",
            "middle",
            "16:30",
            "00:00",
            "--from",
            "2099-01-01",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "Shift middle of security: 16:30–00:00 from 2099-01-01" in out
    assert (
        main(["--db", str(db_path), "--lang", "en", "site", "backup", "/tmp/x", "--time", "03:00"])
        == 1
    )
    assert "same disk as the database" in capsys.readouterr().err
    usb = str(other_disk)
    assert (
        main(["--db", str(db_path), "--lang", "en", "site", "backup", usb, "--time", "03:00"]) == 0
    )
    out = capsys.readouterr().out
    assert f"backup folder: {usb}" in out and "daily backup at: 03:00" in out
    assert main(["--db", str(db_path), "--lang", "en", "site", "retire-desk", "nowhere"]) == 1
    assert capsys.readouterr().err.strip() == "dutydesk: No desk nowhere"


def test_migration_4_on_the_version_1_fixture(tmp_path: Path):
    source = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1.db"
    copy = tmp_path / "v1.db"
    shutil.copyfile(source, copy)
    database = open_database(str(copy))
    database.close()
    con = sqlite3.connect(copy)
    try:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version")]
        assert versions[0] == 1 and 4 in versions
        assert con.execute("SELECT COUNT(*) FROM shift_time_change").fetchone() == (0,)
        retired = con.execute("SELECT COUNT(*) FROM desk WHERE retired_at IS NULL").fetchone()
        total = con.execute("SELECT COUNT(*) FROM desk").fetchone()
        assert retired == total and total[0] > 0
    finally:
        con.close()
