"""End to end: the INSTALLED ``dutydesk demo`` in a real terminal (tmux, 80×24).

Keys only (tmux send-keys): G01 / 1234 logs in and is shown on duty; F6, ``n``,
a duty-log text, Ctrl+S; then the entry is found in the database with G01 as its
author. The command is resolved on PATH and must not live in this checkout, so
the test exercises the built wheel (stylesheet and catalogues included).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from tests.helpers.tmux import RUN_AT, TZ, Tmux, installed_dutydesk

TEXT = "E2E tmux entry 7731"


@pytest.mark.e2e
def test_demo_login_and_duty_log_entry_with_keys(tmux: Tmux, tmp_path: Path) -> None:
    exe = installed_dutydesk()
    faketime = shutil.which("faketime")
    assert faketime, "libfaketime is needed (.ci/run installs it)"
    db = tmp_path / "demo.db"
    # The demo is built and run at a fixed instant (libfaketime, the clock running on),
    # so what the screens show does not depend on when the suite runs.
    command = f"{faketime} -f '{RUN_AT}' {exe} demo --db {db} --days 2 --lang en; sleep 30"
    env_args = [
        *("-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", "-e", f"TZ={TZ}"),
        *("-e", "FAKETIME_DONT_FAKE_MONOTONIC=1", "-e", "FAKETIME_DONT_RESET=1"),
    ]
    tmux.run("new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", *env_args, command)
    tmux.wait_for(lambda s: "Staff number" in s and "PIN" in s, "the lock screen")
    time.sleep(1)  # let the first screen settle, as a person would

    tmux.type("G01")
    tmux.keys("Tab")
    tmux.type("1234")
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "Logged in: G01" in s, "G01 on duty on F2")
    header = next(line for line in screen.splitlines() if "DutyDesk │" in line)
    assert "G01" in header  # the header names the person at the keyboard
    assert "Rostered: G01" in screen  # the demo's promise: G01 is on the shift on now

    tmux.keys("F6")
    tmux.wait_for(lambda s: "Duty" in s and "New" in s, "the logs screen")
    tmux.keys("n")
    time.sleep(1)
    tmux.type(TEXT)
    tmux.keys("C-s")
    tmux.wait_for(lambda s: TEXT in s, "the new entry in the list")

    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT s.staff_no, d.code FROM duty_log_entry e JOIN staff s ON s.id = e.author_id"
            " JOIN desk d ON d.id = e.desk_id WHERE e.text = ?",
            (TEXT,),
        ).fetchall()
    assert rows == [("G01", "security")]
