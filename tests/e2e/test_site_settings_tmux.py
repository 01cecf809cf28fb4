"""End to end: the INSTALLED ``dutydesk demo`` in tmux (80×24), keys only.

The supervisor S01 changes the security desk's middle shift to 16:30–00:00 from
tomorrow on F9 (section 8, shift times); F7 then shows tomorrow's middle shift
with the new times, today's with the old ones (CS8: a supervisor's change, audited).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from tests.helpers.tmux import RUN_AT, TZ, Tmux, installed_dutydesk


def _slowly(term: Tmux, *keys: str) -> None:
    """One key at a time, as a person types (a burst can split an escape sequence)."""
    for key in keys:
        term.keys(key)
        time.sleep(0.3)


@pytest.mark.e2e
def test_supervisor_changes_middle_shift_times_on_f9_and_f7_shows_them(
    tmux: Tmux, tmp_path: Path
) -> None:
    exe = installed_dutydesk()
    faketime = shutil.which("faketime")
    assert faketime, "libfaketime is needed (.ci/run installs it)"
    db = tmp_path / "demo.db"
    command = f"{faketime} -f '{RUN_AT}' {exe} demo --db {db} --days 2 --lang en; sleep 30"
    env_args = [
        *("-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", "-e", f"TZ={TZ}"),
        *("-e", "FAKETIME_DONT_FAKE_MONOTONIC=1", "-e", "FAKETIME_DONT_RESET=1"),
    ]
    tmux.run("new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", *env_args, command)
    tmux.wait_for(lambda s: "Staff number" in s and "PIN" in s, "the lock screen")
    time.sleep(1)

    tmux.type("S01")
    tmux.keys("Tab")
    tmux.type("1234")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Logged in: S01" in s, "S01 logged in on F2")

    _slowly(tmux, "F9")
    tmux.wait_for(lambda s: "Staff" in s and "8 Times" in s, "the admin screen")
    _slowly(tmux, "8")
    tmux.wait_for(lambda s: "middle" in s and "16:00–00:00" in s, "the shift times section")
    _slowly(tmux, "Down", "Enter")
    tmux.wait_for(lambda s: "Starts at" in s and "16:00" in s, "the middle shift's form")
    _slowly(tmux, "End", *["BSpace"] * 5)
    tmux.type("16:30")
    time.sleep(0.3)
    _slowly(tmux, "Tab", "Tab", "C-s")  # ends 00:00; from tomorrow (the form's default)
    tmux.wait_for(lambda s: "2026-12-02: 16:30–00:00" in s, "the change listed")

    _slowly(tmux, "F7")
    tmux.wait_for(lambda s: "Tue 2026-12-01" in s, "the roster on today")
    _slowly(tmux, "Down", "Right")  # tomorrow, the middle shift
    tmux.wait_for(lambda s: "Wed 2026-12-02 Middle 16:30–00:00" in s, "tomorrow's new times")
    _slowly(tmux, "Up")
    tmux.wait_for(lambda s: "Tue 2026-12-01 Middle 16:00–00:00" in s, "today's times kept")

    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT c.from_date, c.start_time, c.end_time FROM shift_time_change c"
            " JOIN shift_template t ON t.id = c.template_id JOIN desk d ON d.id = t.desk_id"
            " WHERE d.code = 'security' AND t.code = 'middle'"
        ).fetchall()
        audited = con.execute(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'shift_template.times'"
        ).fetchone()
    assert rows == [("2026-12-02", "16:30", "00:00")]
    assert audited == (1,)
