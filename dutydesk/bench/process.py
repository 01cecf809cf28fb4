"""Child processes of the bench: the cold starts (timed and under callgrind), the
environment every child runs in, and ``python -m dutydesk.bench _child …``.

The code of a cold start is a ``python -c`` program (so it runs from an installed
package and nothing of the parent is counted)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

from dutydesk.bench.figures import DESK, HEADLESS_DRIVER, SIZE

# Installed before the app is imported: the process exits at the first idle of the
# target screen once that screen has been painted (App._display is where a
# compositor update is handed to the driver, also when headless). After a paint the
# screen is given one no-op message, so that it goes idle again once all is done.
_PRELUDE = """
import json, sys
from textual.app import App
from textual.screen import Screen
_painted = set()
_display = App._display
def _display_hook(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and type(screen).__name__ == TARGET:
        _painted.add(id(screen))
        screen.call_later(_noop)  # the screen gets one more message, then its Idle
def _noop():
    pass
App._display = _display_hook
_idle = Screen._on_idle
async def _idle_hook(self, event):
    await _idle(self, event)
    app = self.app
    if (type(self).__name__ == TARGET and app.screen is self and id(self) in _painted
            and not (self._layout_required or self._repaint_required or self._dirty_widgets)):
        app.exit()
Screen._on_idle = _idle_hook
"""
_RSS = """
from dutydesk.bench import peak_rss_kb
sys.stdout.write(json.dumps({"rss_kb": peak_rss_kb()}))
"""
BARE_APP = """
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("DutyDesk bench: one line of text")
Bare().run()
"""
_DUTYDESK_APP = """
from dutydesk.cli import main
main(["--db", DB, "--desk", DESK])
"""


def peak_rss_kb() -> int:
    """Peak resident memory of this process in kB.

    Linux keeps ``ru_maxrss`` across ``execve``: a child of a big parent (the bench
    after building ten years) would report the parent's size. ``VmHWM`` belongs to
    the process image itself, so it is used where it exists.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb // 1024 if sys.platform == "darwin" else kb  # macOS counts bytes


def cold_start_code(kind: str, db: str | None = None) -> str:
    """The ``python -c`` program of a cold start: ``kind`` is "bare" or "dutydesk"."""
    if kind == "bare":
        return f"TARGET = 'Screen'\n{_PRELUDE}{BARE_APP}{_RSS}"
    return f"TARGET = 'LockScreen'\nDB = {db!r}\nDESK = {DESK!r}\n{_PRELUDE}{_DUTYDESK_APP}{_RSS}"


def child_env() -> dict[str, str]:
    """The environment of every child: headless Textual at the booth's size, no devtools."""
    env = dict(os.environ)
    env["TEXTUAL_DRIVER"] = HEADLESS_DRIVER
    env["COLUMNS"], env["LINES"] = str(SIZE[0]), str(SIZE[1])
    env.pop("TEXTUAL", None)  # no devtools
    return env


def last_json(stdout: str) -> dict[str, Any]:
    """The JSON object a child prints on its last line."""
    found: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return found


def run_timed(code: str, timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``python -c code`` as a child: (seconds from spawn to exit, the process)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return time.perf_counter() - t0, done


def run_cold_start(kind: str, db: str | None) -> tuple[float, int]:
    """(seconds from spawn to exit, peak RSS in kB) of one cold start."""
    elapsed, done = run_timed(cold_start_code(kind, db), timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} cold start failed:\n{done.stderr[-2000:]}")
    return elapsed, int(last_json(done.stdout)["rss_kb"])


def callgrind_available() -> bool:
    return shutil.which("valgrind") is not None


def parse_callgrind(stderr: str) -> int | None:
    """The instruction count (``Collected : N``) valgrind's callgrind prints at exit."""
    for line in reversed(stderr.splitlines()):
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    return None


def count_instructions(code: str) -> int:
    """Instructions executed by ``python -c code`` (Python under callgrind): a figure
    that the load of a shared machine does not move, unlike wall time."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            code,
        ],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    count = parse_callgrind(done.stderr)
    if done.returncode != 0 or count is None:
        raise RuntimeError(f"callgrind run failed:\n{done.stderr[-2000:]}")
    return count


def run_child(*args: str) -> dict[str, Any]:
    """Run ``python -m dutydesk.bench _child …`` and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "dutydesk.bench", "_child", *args],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args[0]} failed:\n{done.stderr[-3000:]}")
    return last_json(done.stdout)
