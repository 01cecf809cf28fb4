"""The installed ``dutydesk`` driven in a private tmux server (80×24), keys only."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


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
