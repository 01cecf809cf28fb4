"""End to end: G01 hands over to G02 on the demo, keys only, in a real 80×24 terminal.

The INSTALLED ``dutydesk`` builds the demo under libfaketime at a fixed instant
(1 Dec 2026 15:30 in Shanghai, 30 minutes before the end of the early security
shift), so the roster promise holds: G01 on the shift on now, G02 on the next.
The kiosk then runs under the same fake clock in tmux; G01 logs in, F5 starts
the handover, any blockers are cleared on the screen (reasons, rounds skipped),
G02 identifies, answers the checklist, acknowledges each item, reads back the
count and both sign. The database then holds a signed handover and G02's open
shift, and ``dutydesk verify`` exits 0.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TZ = "Asia/Shanghai"
BUILD_AT = "@2026-12-01 15:30:00"  # 30 min before the early shift ends (07:30–16:00)
RUN_AT = "@2026-12-01 15:30:30"  # the kiosk starts a little after the build
CARRY_KINDS = ("incident", "repair", "key", "carried", "checklist")


def installed_dutydesk() -> str:
    """The ``dutydesk`` command on PATH: an installed one, never the checkout's package."""
    found = shutil.which("dutydesk")
    assert found, "no `dutydesk` on PATH: install the package (pip install .)"
    assert not Path(found).resolve().is_relative_to(REPO / "dutydesk"), found
    return found


def faked(at: str) -> dict[str, str]:
    """The environment of a command run at the fake instant ``at`` (the clock runs on)."""
    env = dict(os.environ)
    env.update(
        TZ=TZ,
        LANG="C.UTF-8",
        FAKETIME_DONT_FAKE_MONOTONIC="1",  # asyncio timers keep the real monotonic clock
        FAKETIME_DONT_RESET="1",
    )
    env.pop("FAKETIME", None)
    return env


class Tmux:
    """One private tmux server running one 80×24 window."""

    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], check=True, capture_output=True, text=True
        ).stdout

    # A pause after each send: keys that arrive in one burst with the text before
    # them can be taken for part of it by the terminal parser.
    PAUSE = 0.4

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "kiosk", *keys)
        time.sleep(self.PAUSE)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "kiosk", "-l", text)
        time.sleep(self.PAUSE)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "kiosk")

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{screen}")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    term = Tmux(f"dutydesk-handover-e2e-{os.getpid()}")
    yield term
    subprocess.run([*term.base, "kill-server"], capture_output=True)


def _query(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def _first_blocker(screen: str) -> str:
    lines = [ln.strip() for ln in screen.splitlines() if "⛔" in ln]
    return lines[0] if lines else ""


@pytest.mark.e2e
def test_g01_hands_over_to_g02_on_the_demo_with_keys(tmux: Tmux, tmp_path: Path) -> None:
    exe = installed_dutydesk()
    faketime = shutil.which("faketime")
    assert faketime, "libfaketime is needed (.ci/run installs it)"
    db = tmp_path / "demo.db"
    build = subprocess.run(
        [faketime, "-f", BUILD_AT, exe, "demo", "--db", str(db), "--days", "2", "--no-run"],
        env=faked(BUILD_AT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    # The demo's promise at the fake instant: G01's early shift is open, ending at 16:00.
    rows = _query(
        db,
        "SELECT s.planned_end, st.staff_no FROM shift s JOIN desk d ON d.id = s.desk_id"
        " JOIN staff st ON st.id = s.opened_by_id WHERE d.code = 'security'"
        " AND s.state = 'open'",
    )
    assert [(str(end)[:16], no) for end, no in rows] == [("2026-12-01 08:00", "G01")]

    command = (
        f"{faketime} -f '{RUN_AT}' {exe} --db {db} --desk security --lang en"
        " --lock-after 3600; sleep 60"
    )
    env_args = [
        "-e",
        "TERM=xterm-256color",
        "-e",
        "LANG=C.UTF-8",
        "-e",
        f"TZ={TZ}",
        "-e",
        "FAKETIME_DONT_FAKE_MONOTONIC=1",
        "-e",
        "FAKETIME_DONT_RESET=1",
    ]
    tmux.run("new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", *env_args, command)
    tmux.wait_for(lambda s: "Staff number" in s and "PIN" in s, "the lock screen")
    time.sleep(1)
    tmux.type("G01")
    tmux.keys("Tab")
    tmux.type("1234")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Logged in: G01" in s, "G01 on duty on F2")

    tmux.keys("F5")
    tmux.wait_for(lambda s: "Press s to start the handover" in s, "the handover screen")
    tmux.keys("s")
    screen = tmux.wait_for(
        lambda s: "Signing is blocked" in s or "The incoming person identifies" in s,
        "the handover started",
    )
    # Clear each blocker on the screen: the cursor is on the first one.
    for _ in range(12):
        if "Signing is blocked" not in screen:
            break
        first = _first_blocker(screen)
        if "CS-R6" in first:
            tmux.keys("e")
            tmux.wait_for(lambda s: "Why is this not resolved" in s, "the reason prompt")
            tmux.type("Handed on as agreed with the supervisor")
        elif "Patrol round due" in first:
            tmux.keys("k")
            tmux.wait_for(lambda s: "skipped?" in s, "the skip prompt")
            tmux.type("Handover in progress, next shift walks it")
        else:
            raise AssertionError(f"a blocker the demo should not have:\n{screen}")
        tmux.keys("Enter")
        screen = tmux.wait_for(
            lambda s, before=first: _first_blocker(s) != before or "Signing is blocked" not in s,
            "the blocker cleared",
        )
    assert "The incoming person identifies" in screen, screen

    tmux.keys("i")
    tmux.wait_for(lambda s: "who takes over" in s, "the identification dialog")
    tmux.type("G02")
    tmux.keys("Enter")
    tmux.type("1234")
    tmux.keys("Enter")
    for k in range(1, 6):
        tmux.wait_for(lambda s, k=k: f"question {k} of 5" in s, f"checklist question {k}")
        tmux.keys("y")
    screen = tmux.wait_for(
        lambda s: "Acknowledge each item" in s or "Step 6 · Read back" in s, "the items"
    )
    # One key per item, no "accept all".
    while (m := re.search(r"Acknowledge each item \((\d+) left\)", screen)) is not None:
        left = int(m.group(1))
        tmux.keys("a")
        screen = tmux.wait_for(
            lambda s, left=left: f"({left} left)" not in s, "the item acknowledged"
        )
    assert "Step 6 · Read back" in screen, screen

    (hid,) = _query(db, "SELECT id FROM handover WHERE state = 'draft'")[0]
    marks = ",".join("?" for _ in CARRY_KINDS)
    (count,) = _query(
        db,
        f"SELECT COUNT(*) FROM handover_item WHERE handover_id = ? AND kind IN ({marks})"
        " AND resolved_at IS NULL",
        hid,
        *CARRY_KINDS,
    )[0]
    tmux.keys("c")
    tmux.wait_for(lambda s: "Number of items carried over" in s, "the read-back dialog")
    tmux.type(str(count))
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Step 7 · Both sign" in s, "the signing step")

    tmux.keys("s")
    tmux.wait_for(lambda s: "Sign the handover" in s, "the signing dialog")
    for value in ("G01", "1234", "G02", "1234"):
        tmux.type(value)
        tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "Handover signed" in s, "the signed record")
    assert re.search(r"Audit chain head: \d+:[0-9a-f]{16}", screen), screen
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "Logged in: G02" in s, "G02's shift on F2")
    assert "G02" in screen.splitlines()[0]  # the incoming is at the keyboard now

    state, out_id, in_id = _query(
        db, "SELECT state, outgoing_shift_id, incoming_shift_id FROM handover WHERE id = ?", hid
    )[0]
    assert state == "signed"
    signers = _query(db, "SELECT staff_no FROM signature WHERE handover_id = ? ORDER BY id", hid)
    assert signers == [("G01",), ("G02",)]
    shifts = dict(_query(db, "SELECT id, state FROM shift WHERE id IN (?, ?)", out_id, in_id))
    assert shifts == {out_id: "closed", in_id: "open"}
    (opener,) = _query(
        db,
        "SELECT st.staff_no FROM shift s JOIN staff st ON st.id = s.opened_by_id WHERE s.id = ?",
        in_id,
    )[0]
    assert opener == "G02"

    check = subprocess.run(
        [faketime, "-f", "@2026-12-01 15:45:00", exe, "verify", "--db", str(db)],
        env=faked(RUN_AT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
