"""End to end: the INSTALLED ``dutydesk demo`` in a real terminal (tmux, 80×24).

Keys only (tmux send-keys): G01 / 1234 logs in and is shown on duty; F6, ``n``,
a duty-log text, Ctrl+S; then the entry is found in the database with G01 as its
author. The command is resolved on PATH and must not live in this checkout, so
the test exercises the built wheel (stylesheet and catalogues included).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEXT = "E2E tmux entry 7731"
TZ = "Asia/Shanghai"
RUN_AT = "@2026-12-01 10:00:00"  # the security early shift (07:30–16:00)


def installed_dutydesk() -> str:
    """``dutydesk`` on PATH, skipping any copy inside this checkout (an editable venv)."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or Path(folder).resolve().is_relative_to(REPO):
            continue
        found = shutil.which("dutydesk", path=folder)
        if found and not Path(found).resolve().is_relative_to(REPO):
            return found
    pytest.fail(
        "no installed `dutydesk` outside the checkout on PATH: run `pip install .` "
        "in a virtual environment outside the repository (as .ci/run does)"
    )


class Tmux:
    """One private tmux server running one 80×24 window."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True
        ).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "kiosk", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "kiosk", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "kiosk")

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    term = Tmux(f"dutydesk-e2e-{os.getpid()}")
    yield term
    subprocess.run([*term.base, "kill-server"], capture_output=True)


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
