"""Started without a terminal (stdin from /dev/null, as a misconfigured service would),
the installed ``dutydesk`` says it needs one and exits 2 at once, instead of spinning
a core for ever. Subcommands such as ``verify`` still work without a terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import DUTYDESK, INIT
from tests.helpers.site import PIN

MESSAGE = "dutydesk needs a terminal (run it in a console or over SSH)"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("DUTYDESK_", "TEXTUAL"))}
    e.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        LANG="C.UTF-8",
        PIN_VAR=PIN,
    )
    return e


@pytest.fixture
def site_db(tmp_path: Path, env: dict[str, str]) -> Path:
    path = tmp_path / "site.db"
    done = subprocess.run(
        [DUTYDESK, "init", "--db", str(path), "--lang", "en", *INIT],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return path


def test_no_terminal_exits_2_at_once(site_db: Path, env: dict[str, str]) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [DUTYDESK, "--db", str(site_db), "--desk", "security", "--lang", "en"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=5,
    )
    assert time.monotonic() - started < 5
    assert done.returncode == 2
    assert done.stderr.splitlines() == [MESSAGE]
    assert done.stdout == ""


def test_no_terminal_message_in_chinese(site_db: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [DUTYDESK, "--db", str(site_db), "--desk", "security", "--lang", "zh"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=5,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "dutydesk 需要终端（请在控制台或通过 SSH 运行）"


def test_subcommands_need_no_terminal(site_db: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [DUTYDESK, "verify", "--db", str(site_db), "--lang", "en"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert MESSAGE not in done.stderr


@pytest.fixture
def tmux() -> Iterator[list[str]]:
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    base = ["tmux", "-L", f"dutydesk-noterm-e2e-{os.getpid()}", "-f", "/dev/null"]
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True)


@pytest.mark.e2e
def test_in_a_terminal_with_stdin_from_dev_null(
    tmux: list[str], site_db: Path, env: dict[str, str], tmp_path: Path
) -> None:
    """The service case in a real terminal: the screen is a tty, the keyboard is not."""
    status = tmp_path / "status"
    command = (
        f"{DUTYDESK} --db {site_db} --desk security --lang en < /dev/null;"
        f" echo $? > {status}.tmp; mv {status}.tmp {status}; sleep 30"
    )
    started = time.monotonic()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", command],
        env=env,
        check=True,
    )
    while not status.exists() and time.monotonic() - started < 5:
        time.sleep(0.05)  # polling for the exit status, bounded by the 5 s promise
    assert status.exists(), "dutydesk was still running after 5 s"
    assert status.read_text().strip() == "2"
    screen = subprocess.run(
        [*tmux, "capture-pane", "-p", "-t", "kiosk"], capture_output=True, text=True, check=True
    ).stdout
    assert MESSAGE in screen and "Traceback" not in screen
