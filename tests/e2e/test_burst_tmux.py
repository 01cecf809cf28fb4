"""Keys sent all at once in a real terminal (tmux ``send-keys`` with no pauses), as a
fast typist or a barcode scanner sends them: login, F6, the visitors' form, three
fields with Tab between them and Ctrl+U in the middle, Ctrl+S. Every field lands in
its own column of the database (SG-2)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.site import PIN
from tests.helpers.tmux import Tmux


@pytest.fixture
def burst_tmux() -> Any:
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    term = Tmux(f"dutydesk-burst-{os.getpid()}")
    yield term
    subprocess.run([*term.base, "kill-server"], capture_output=True)


@pytest.mark.e2e
def test_a_burst_of_keys_lands_in_the_right_fields(
    burst_tmux: Tmux, site: Any, db_path: Path
) -> None:
    command = f"{sys.executable} -m dutydesk --db {db_path} --desk security --lang en; sleep 30"
    env = ["-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8"]
    burst_tmux.run("new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", *env, command)
    burst_tmux.wait_for(lambda s: "Staff number" in s and "PIN" in s, "the lock screen")
    time.sleep(1)  # the first screen settles, as before a person walks up
    burst_tmux.keys(
        *("G01", "Tab", PIN, "Enter", "F6", "3", "n"),
        *("Mr Li", "Tab", "Elevator Co", "Tab", "lift repair", "C-u", "VS8812 lift", "C-s"),
    )
    screen = burst_tmux.wait_for(
        lambda s: "Mr Li" in s and "New entry" not in s, "the visitor listed", timeout=60
    )
    assert "Elevator Co" in screen
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT name, organisation, purpose FROM visitor").fetchall()
    assert rows == [("Mr Li", "Elevator Co", "VS8812 lift")]
