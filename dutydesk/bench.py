"""``dutydesk bench``: how fast the kiosk is on ten years of history.

Every figure is measured against a baseline in the same run, on the same machine:

- **build**: :func:`dutydesk.demo.build_demo` of the ten-year site, wall time (≤ 3 min).
- **cold start**: process spawn to exit, where the process exits at the first idle of
  the lock screen after its first paint (headless). DutyDesk is started through its
  own command line (``dutydesk --db … --desk security``, as a kiosk starts it); the
  baseline is a bare Textual app showing one line of text, started by the same
  harness. Median of the runs each (≤ 1.3 × the bare app).
- **screens and keys**: inside one process per site (``run_test`` headless, logged in
  as G01): the time from posting the key event to the app until the screen has
  processed every message it caused and painted. Pilot's fixed pauses are not used:
  the harness awaits the message queues of the app and the screen, and when a
  repaint is pending it runs the frame update at once instead of waiting for the next
  frame tick (1/60 s). One app runs as at the desk; each run is a login, and locking
  drops the person's screens, so an F-key is the first opening of that screen after
  a login; F2 is the return to the home screen (it reloads). The first login(s)
  (``--warmup``) load modules and parse widget CSS once per process and are not counted.
  Ten-year site vs the empty site (same desks, staff and checkpoints, no history):
  median and max, and the ratio of medians (≤ 50 ms, ≤ 1.5 ×).
- **queries**: the domain calls behind the screens, in a process of their own, on both
  sites (current shift ≤ 5 ms, overdue ≤ 5 ms, searches ≤ 100 ms).
- **memory**: peak RSS (:func:`peak_rss_kb`) of a process that opened every screen on
  the ten-year site vs the bare app's cold start (≤ 150 MB).

The measuring code runs in child processes (``python -m dutydesk.bench _child …``),
so nothing of the parent (the build) is counted, and everything works from an
installed package. Timing never runs in the test suite.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dutydesk.i18n import N_, _

DESK = "security"
STAFF_NO = "G01"  # on the security shift that is on when the demo is built
SIZE = (120, 40)  # a booth PC's full-screen terminal
HEADLESS_DRIVER = "textual.drivers.headless_driver:HeadlessDriver"

# (key of the figure, key pressed): F-keys in the order they are opened after login.
SCREEN_KEYS: tuple[tuple[str, str], ...] = (
    ("screen.f3", "f3"),
    ("screen.f4", "f4"),
    ("screen.f5", "f5"),
    ("screen.f6", "f6"),
    ("screen.f7", "f7"),
    ("screen.f8", "f8"),
    ("screen.f2", "f2"),
)
SEARCH_WORDS: tuple[tuple[str, str], ...] = (
    ("query.search_1", "水"),
    ("query.search_2", "电梯"),
    ("query.search_4", "夜间巡逻"),
    ("query.search_en", "delivery"),
    ("query.search_prefix", "del"),
)
# Rows that open a screen: judged against the bare Textual screen with F3's widgets
# (F2 returns to a screen already built: against switching back to a bare screen).
SCREEN_OPENERS = {
    "screen.f3": "bare.open",
    "screen.f4": "bare.open",
    "screen.f5": "bare.open",
    "screen.f6": "bare.open",
    "screen.f7": "bare.open",
    "screen.f8": "bare.open",
    "key.shift.f1": "bare.push",  # F1 and l push a screen over the current one
    "key.patrol.l": "bare.push",
    "screen.f2": "bare.back",
}

BUILD_TARGET_S = 180.0
COLD_RATIO = 1.3
SCREEN_MS = 50.0  # a key that does not open a screen
SCREEN_RATIO = 1.5  # ten-year site / empty site
BARE_RATIO = 1.1  # a screen / the bare Textual screen with the same widgets
VERIFY_S = 10.0
VERIFY_MB = 150.0
QUERY_MS = 5.0
SEARCH_MS = 100.0
# The printed records: a month of one desk, one day's duty record.
REPORT_MS = {"query.report_month": 2000.0, "query.report_day": 200.0}
RSS_MB = 150.0
BACKUP_TARGET_S = 30.0
AGAINST_TARGET_S = 10.0
RANK_WINDOW = 5000  # sqlite_extras.RANK_WINDOW: a search counts at most this many + 1

# What each figure is called in the table (English msgids, shown translated).
LABELS: dict[str, str] = {
    "build": N_("Build the demo site ({days} days)"),
    "cold_start": N_("Cold start to the lock screen"),
    "cold_start.instructions": N_("Cold start: instructions (callgrind, millions)"),
    "screen.f2": N_("F2 shift (back to the home screen)"),
    "screen.f3": N_("F3 patrol: open"),
    "screen.f4": N_("F4 incidents: open"),
    "screen.f5": N_("F5 handover: open"),
    "screen.f6": N_("F6 logs: open"),
    "screen.f7": N_("F7 roster: open"),
    "screen.f8": N_("F8 reports: open"),
    "key.shift.f1": N_("Shift screen: F1 help"),
    "key.patrol.down": N_("Patrol screen: Down (next round and its checks)"),
    "key.patrol.l": N_("Patrol screen: l (operation log)"),
    "tick.minute": N_("Minute tick on F2 (alerts and reload)"),
    "query.current_shift": N_("Query: current shift with its open items"),
    "query.overdue_alarms": N_("Query: overdue rounds and reports of the desk"),
    "query.overdue_reports": N_("Query: overdue written reports, all desks"),
    "query.patrol_progress": N_("Query: patrol progress of the open shift"),
    "query.report_month": N_("Report: the monthly report of one desk"),
    "query.report_day": N_("Report: the day's duty record of one desk"),
    "query.search_1": N_("Search: one Chinese character (水)"),
    "query.search_2": N_("Search: two Chinese characters (电梯)"),
    "query.search_4": N_("Search: four Chinese characters (夜间巡逻)"),
    "query.search_en": N_("Search: an English word (delivery)"),
    "query.search_prefix": N_("Search: a 3-letter English prefix (del)"),
    "memory": N_("Peak memory after every screen"),
    "backup": N_("Backup of the site (copy, integrity check, full verify)"),
    "verify_against": N_("Live chain compared with the backup's (verify --against)"),
    "verify.time": N_("dutydesk verify: the whole site"),
    "verify.memory": N_("dutydesk verify: peak memory"),
}
BASELINES = {
    "target": N_("target"),
    "bare": N_("bare Textual app"),
    "empty": N_("empty site"),
    "bare.open": N_("bare Textual screen, F3's widgets"),
    "bare.back": N_("back to a bare Textual screen"),
    "bare.push": N_("bare Textual screen pushed, F3's widgets"),
}


@dataclass
class Figure:
    """One row of the table. ``ratio`` is value / baseline (for the build: / target)."""

    key: str
    figure: str
    value: float | None
    unit: str
    baseline: float | None
    baseline_of: str  # "bare", "empty" or "target"
    ratio: float | None
    target: str
    met: bool | None
    max: float | None = None
    note: str = ""  # an English msgid, shown under the table
    note_params: dict[str, Any] = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)  # values for ``figure``
    empty: float | None = None  # the same figure on the empty site (screens and keys)


# --- child processes ---------------------------------------------------------------------

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


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["TEXTUAL_DRIVER"] = HEADLESS_DRIVER
    env["COLUMNS"], env["LINES"] = str(SIZE[0]), str(SIZE[1])
    env.pop("TEXTUAL", None)  # no devtools
    return env


def run_cold_start(kind: str, db: str | None) -> tuple[float, int]:
    """(seconds from spawn to exit, peak RSS in kB) of one cold start."""
    code = cold_start_code(kind, db)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{kind} cold start failed:\n{done.stderr[-2000:]}")
    return elapsed, int(json.loads(done.stdout.strip().splitlines()[-1])["rss_kb"])


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
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    count = parse_callgrind(done.stderr)
    if done.returncode != 0 or count is None:
        raise RuntimeError(f"callgrind run failed:\n{done.stderr[-2000:]}")
    return count


_VERIFY = """
import json, sys
from dutydesk.cli import main
code = main(["--db", DB, "--lang", "en", "verify"])
from dutydesk.bench import peak_rss_kb
sys.stdout.write("\\n" + json.dumps({"rss_kb": peak_rss_kb(), "exit": code}) + "\\n")
"""


def run_verify(db: str) -> tuple[float, int, int]:
    """(seconds from spawn to exit, peak RSS in kB, exit code) of ``dutydesk verify``."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"DB = {db!r}\n{_VERIFY}"],
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise RuntimeError(f"verify failed:\n{done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return elapsed, int(out["rss_kb"]), int(out["exit"])


def run_child(*args: str) -> dict[str, Any]:
    """Run ``python -m dutydesk.bench _child …`` and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "dutydesk.bench", "_child", *args],
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args[0]} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- inside the screens child ------------------------------------------------------------


async def settle(app: Any, pilot: Any) -> None:
    """Wait until the current screen has processed everything and painted.

    Pilot's ``_wait_for_screen`` awaits the messages queued on the app, the screen
    and its widgets; a pending repaint is run at once (what the 1/60 s frame timer
    would do); callbacks waiting for "after refresh" are run; workers are awaited.
    Repeated until a round finds nothing to do and the screen did not change.
    """
    screen = None
    for _round in range(500):
        await pilot._wait_for_screen()
        busy = app.screen is not screen
        screen = app.screen
        if (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._recompose_required
            or screen._dirty_widgets
        ):
            screen._on_timer_update()
            busy = True
        if screen._callbacks:
            await screen._invoke_and_clear_callbacks()
            busy = True
        if any(not w.is_finished for w in app.workers):
            await app.workers.wait_for_complete()
            busy = True
        if not busy:
            return


async def timed_key(app: Any, pilot: Any, key: str) -> float:
    """Milliseconds from posting ``key`` to the app until the screen has settled."""
    from textual import events

    char = key if len(key) == 1 else None
    event = events.Key(key, char)
    await settle(app, pilot)
    t0 = time.perf_counter()
    app.post_message(event)
    await settle(app, pilot)
    return (time.perf_counter() - t0) * 1000


async def _close_modals(app: Any, pilot: Any) -> None:
    from textual.screen import ModalScreen

    while isinstance(app.screen, ModalScreen):
        app.pop_screen()
        await settle(app, pilot)


# The tables of the F3 screen as first opened (columns, rows as plain text): the bare
# Textual screen of the honest anchor is built with the same.
F3_TABLES: list[tuple[list[str], list[list[str]]]] = []


def capture_tables(screen: Any) -> list[tuple[list[str], list[list[str]]]]:
    """Every DataTable of ``screen``: its column labels and its rows, as plain text."""
    from textual.widgets import DataTable

    out = []
    for table in screen.query(DataTable):
        columns = [str(c.label) for c in table.columns.values()]
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        out.append((columns, rows))
    return out


async def _one_login(app: Any, pilot: Any, results: dict[str, list[float]], every: bool) -> None:
    """Log in, open every screen, press the keys, lock; times into ``results``."""
    from dutydesk.app import DutyDeskApp
    from dutydesk.domain import staff as staff_rules

    person = staff_rules.by_number(STAFF_NO)
    assert person is not None, STAFF_NO
    app.login(person)
    await settle(app, pilot)
    await _close_modals(app, pilot)
    for name, key in SCREEN_KEYS:
        results[name].append(await timed_key(app, pilot, key))
        if key == "f3" and not F3_TABLES:
            F3_TABLES.extend(capture_tables(app.screen))
        await _close_modals(app, pilot)
    # A key in the shift screen: F1 (its keys and duty rules).
    results["key.shift.f1"].append(await timed_key(app, pilot, "f1"))
    await _close_modals(app, pilot)
    # Keys in the patrol screen: Down on the rounds, then l (operation log).
    await timed_key(app, pilot, "f3")
    tables = [t for t in app.screen.query("RoundTable") if t.display]
    if tables:
        tables[0].focus()
    results["key.patrol.down"].append(await timed_key(app, pilot, "down"))
    results["key.patrol.l"].append(await timed_key(app, pilot, "l"))
    await _close_modals(app, pilot)
    if every:
        await timed_key(app, pilot, "escape")
        await timed_key(app, pilot, "f9")
        await _close_modals(app, pilot)
    # The minute tick on the home screen: alerts (overdue counts) and the reload.
    await timed_key(app, pilot, "f2")
    app._last_check_minute = None
    app.screen._minute = None
    t0 = time.perf_counter()
    DutyDeskApp._idle_tick(app)
    await settle(app, pilot)
    results["tick.minute"].append((time.perf_counter() - t0) * 1000)
    await _close_modals(app, pilot)
    app.lock("lock")  # the next login builds every screen again, as at the desk
    await settle(app, pilot)


async def _session(db: str, runs: int, warmup: int, every: bool) -> dict[str, list[float]]:
    """One kiosk app, as at the desk: ``warmup + runs`` logins, each opening every screen."""
    from dutydesk.cli import KioskOptions
    from dutydesk.kiosk import build_app

    results: dict[str, list[float]] = {k: [] for k, _key in SCREEN_KEYS}
    for k in ("key.shift.f1", "key.patrol.down", "key.patrol.l", "tick.minute"):
        results[k] = []
    app: Any = build_app(KioskOptions(db=db, desk=DESK, lang=None, lock_after=3600))
    # The per-second tick (idle lock, alerts, clock) is timed on its own, not inside
    # the key timings.
    app._idle_tick = lambda: None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for i in range(warmup + runs):
            scratch: dict[str, list[float]] = {k: [] for k in results}
            await _one_login(app, pilot, scratch, every)
            if i >= warmup:
                for k, v in scratch.items():
                    results[k].extend(v)
        app.exit(0)
    return results


def screens_child(db: str, runs: int, warmup: int, every_screen: bool) -> dict[str, Any]:
    import asyncio

    results = asyncio.run(_session(db, runs, warmup, every_screen))
    return {"times_ms": results, "rss_kb": peak_rss_kb(), "f3_tables": F3_TABLES}


# --- inside the bare-screen child: the honest anchor ----------------------------------------


def bare_screen_app(tables: list[tuple[list[str], list[list[str]]]]) -> Any:
    """A bare Textual app opened as DutyDesk opens its screens (modes): its F3 switches
    to a new mode screen with F3's widget kinds (a header line, the DataTables with the
    same columns and rows, the key bar: Textual's Footer), F2 switches back to the
    home mode, F12 drops the F3 screen (as locking drops DutyDesk's screens); F4
    pushes the same screen over the current one (as F1 and l do) and Escape pops it."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Static

    class BareF3(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("DutyDesk │ desk · location │ G01 │ 2026-12-01 10:00")
            for _table in tables:
                yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            for widget, (columns, rows) in zip(self.query(DataTable), tables, strict=False):
                widget.add_columns(*columns)
                widget.add_rows(rows)

    class BareHome(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")
            yield Footer()

    class BareApp(App[None]):
        BINDINGS = [
            Binding("f3", "open", "Open"),
            Binding("f2", "home", "Home"),
            Binding("f12", "drop", "Drop"),
            Binding("f4", "push", "Push"),
            Binding("escape", "pop", "Pop"),
        ]
        MODES = {"home": BareHome}

        def on_mount(self) -> None:
            self.switch_mode("home")

        def action_open(self) -> None:
            if "f3" not in self._modes:
                self.add_mode("f3", BareF3)
            self.switch_mode("f3")

        def action_push(self) -> None:
            self.push_screen(BareF3())

        def action_pop(self) -> None:
            if len(self.screen_stack) > 1:
                self.pop_screen()

        def action_home(self) -> None:
            self.switch_mode("home")

        async def action_drop(self) -> None:
            if "f3" in self._modes and self.current_mode != "f3":
                await self.remove_mode("f3")

    return BareApp()


async def _bare_session(
    tables: list[tuple[list[str], list[list[str]]]], runs: int, warmup: int
) -> dict[str, list[float]]:
    app = bare_screen_app(tables)
    results: dict[str, list[float]] = {"bare.open": [], "bare.back": [], "bare.push": []}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for i in range(warmup + runs):
            opened = await timed_key(app, pilot, "f3")
            back = await timed_key(app, pilot, "f2")
            await timed_key(app, pilot, "f12")
            pushed = await timed_key(app, pilot, "f4")
            await timed_key(app, pilot, "escape")
            if i >= warmup:
                results["bare.open"].append(opened)
                results["bare.back"].append(back)
                results["bare.push"].append(pushed)
        app.exit()
    return results


def bare_child(tables_json: str, runs: int, warmup: int) -> dict[str, Any]:
    import asyncio

    tables = json.loads(Path(tables_json).read_text(encoding="utf-8"))
    return {"times_ms": asyncio.run(_bare_session(tables, runs, warmup))}


# --- inside the queries child ------------------------------------------------------------


def _timed(fn: Callable[[], object], repeat: int, warmup: int) -> list[float]:
    for _i in range(warmup):
        fn()
    out = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def queries_child(db: str, repeat: int, warmup: int) -> dict[str, Any]:
    from dutydesk import models as m
    from dutydesk.clock import SystemClock
    from dutydesk.db import open_database
    from dutydesk.domain import incidents, overview, patrols, reports, search, shifts
    from dutydesk.domain import site as site_rules
    from dutydesk.domain.context import Actor
    from dutydesk.domain.reports import day as reports_day
    from dutydesk.domain.reports import month as reports_month

    open_database(db)
    site = site_rules.get_site()
    desk = site_rules.find_desk(DESK)
    person = m.Staff.get(m.Staff.staff_no == STAFF_NO)
    clock = SystemClock(site.tz)
    actor = Actor(clock, desk.id, person.id)
    counts = {
        "shifts": m.Shift.select().count(),
        "patrol_checks": m.PatrolCheck.select().count(),
        "incidents": m.Incident.select().count(),
        "duty_log": m.DutyLogEntry.select().count(),
        "search_docs": m.SearchDoc.select().count(),
    }
    open_shift = shifts.open_shift_of(desk.id)
    yesterday = reports.today(clock.now()) - dt.timedelta(days=1)
    last_month = reports.month_period(yesterday.year, yesterday.month)
    calls: dict[str, Callable[[], object]] = {
        "query.current_shift": lambda: overview.shift_overview(actor),
        "query.overdue_alarms": lambda: overview.alarms(actor),
        "query.overdue_reports": lambda: incidents.overdue_reports(actor.now()),
        # The printed records (dutydesk.domain.reports): last month, yesterday.
        "query.report_month": lambda: reports_month.month_report(desk.id, last_month, actor.now()),
        "query.report_day": lambda: reports_day.day_record(desk.id, yesterday, actor.now()),
    }
    if open_shift is not None:
        shift_id = open_shift.id
        calls["query.patrol_progress"] = lambda: patrols.progress(shift_id, actor.now())
    hits: dict[str, int] = {}
    for key, word in SEARCH_WORDS:
        calls[key] = functools.partial(search.search, word)
        hits[key] = search.search(word).total
    times = {k: _timed(fn, repeat, warmup) for k, fn in calls.items()}
    return {"times_ms": times, "counts": counts, "hits": hits}


def ensure_search_index(db: str) -> float | None:
    """Index the site for search if its records were loaded without (seconds, or None)."""
    from dutydesk import models as m
    from dutydesk.db import open_database
    from dutydesk.domain import search

    conn = open_database(db)
    try:
        if m.SearchDoc.select().exists() or not (
            m.Incident.select().exists() or m.DutyLogEntry.select().exists()
        ):
            return None
        t0 = time.perf_counter()
        search.reindex_all()
        return time.perf_counter() - t0
    finally:
        conn.close()


def child_main(argv: Sequence[str]) -> int:
    """``python -m dutydesk.bench _child screens|memory|queries|bare DB RUNS WARMUP``."""
    kind, db, runs, warmup = argv[0], argv[1], int(argv[2]), int(argv[3])
    if kind == "screens":
        out = screens_child(db, runs, warmup, every_screen=False)
    elif kind == "memory":
        out = screens_child(db, 1, 0, every_screen=True)
    elif kind == "queries":
        out = queries_child(db, runs, warmup)
    elif kind == "bare":  # db: the JSON file of F3's tables
        out = bare_child(db, runs, warmup)
    else:
        raise SystemExit(f"unknown bench child {kind}")
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    return 0


# --- the parent: build, run the children, the table ----------------------------------------


def _median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


@dataclass
class Sites:
    ten_year: str
    empty: str
    build_s: float | None  # None: reused, not timed
    index_s: float | None  # the search index had to be built by the bench
    days: int


def prepare_sites(db: str | None, days: int, workdir: Path, say: Callable[[str], None]) -> Sites:
    """Build (or reuse) the ten-year site and build the empty one."""
    from dutydesk.backends import is_postgres_target
    from dutydesk.demo import build_demo

    path = db or str(workdir / f"bench-{days}d.db")
    existed = Path(path).exists() and Path(path).stat().st_size > 0
    if is_postgres_target(path):  # a site server: built before if it holds a site
        from dutydesk.transfer import site_name

        existed = site_name(path) is not None
    say(_("Building the demo site ({days} days) at {path} …", days=days, path=path))
    t0 = time.perf_counter()
    path = build_demo(path, days=days)
    build_s = None if existed else time.perf_counter() - t0
    if existed:
        say(_("Reused the site already built at {path} (build not timed)", path=path))
    empty = build_demo(str(workdir / "bench-empty.db"), days=0, rebuild=True)
    index_s = ensure_search_index(path)
    ensure_search_index(empty)
    return Sites(path, empty, build_s, index_s, days)


def collect(
    sites: Sites,
    runs: int,
    warmup: int,
    say: Callable[[str], None],
    callgrind: bool | None = None,
) -> tuple[list[Figure], dict[str, Any]]:
    """Run every measurement; the figures and the raw data."""
    figures: list[Figure] = []
    raw: dict[str, Any] = {}
    build = sites.build_s
    figures.append(
        Figure(
            "build",
            LABELS["build"],
            build,
            "s",
            BUILD_TARGET_S,
            "target",
            None if build is None else build / BUILD_TARGET_S,
            "≤ 180 s",
            None if build is None else build <= BUILD_TARGET_S,
            note="" if build is not None else N_("reused the site given with --db: not timed"),
            params={"days": sites.days},
        )
    )

    say(_("Cold start: DutyDesk and a bare Textual app, {n} runs each …", n=runs))
    cold: dict[str, list[float]] = {"dutydesk": [], "bare": []}
    rss: dict[str, list[int]] = {"dutydesk": [], "bare": []}
    for i in range(warmup + runs):
        for kind in ("dutydesk", "bare"):  # interleaved: both see the same machine load
            t, kb = run_cold_start(kind, sites.ten_year)
            if i >= warmup:
                cold[kind].append(t * 1000)
                rss[kind].append(kb)
    raw["cold_start_ms"] = cold
    dd, bare = _median(cold["dutydesk"]), _median(cold["bare"])
    ratio = _ratio(dd, bare)
    figures.append(
        Figure(
            "cold_start",
            LABELS["cold_start"],
            dd,
            "ms",
            bare,
            "bare",
            ratio,
            f"≤ {COLD_RATIO}×",
            ratio is not None and ratio <= COLD_RATIO,
            max=max(cold["dutydesk"]),
            samples=cold["dutydesk"],
        )
    )

    if callgrind is None:
        callgrind = callgrind_available()
    if callgrind:
        say(_("Cold start under callgrind: instructions of DutyDesk and the bare app …"))
        ir = {
            kind: count_instructions(cold_start_code(kind, sites.ten_year))
            for kind in ("dutydesk", "bare")
        }
        raw["cold_start_instructions"] = ir
        dd_m, bare_m = ir["dutydesk"] / 1e6, ir["bare"] / 1e6
        ratio = _ratio(dd_m, bare_m)
        figures.append(
            Figure(
                "cold_start.instructions",
                LABELS["cold_start.instructions"],
                dd_m,
                "M",
                bare_m,
                "bare",
                ratio,
                f"≤ {COLD_RATIO}×",
                ratio is not None and ratio <= COLD_RATIO,
            )
        )

    say(_("Screens and keys: ten-year site and empty site, {n} runs each …", n=runs))
    screens = run_child("screens", sites.ten_year, str(runs), str(warmup))
    screens_empty = run_child("screens", sites.empty, str(runs), str(warmup))
    say(_("The bare Textual screen with F3's widgets, {n} runs …", n=runs))
    tables_file = Path(tempfile.mkdtemp(prefix="dutydesk-bench-")) / "f3_tables.json"
    tables_file.write_text(json.dumps(screens.get("f3_tables", [])), encoding="utf-8")
    try:
        bare_screens = run_child("bare", str(tables_file), str(runs), str(warmup))
    finally:
        shutil.rmtree(tables_file.parent, ignore_errors=True)
    raw["screens_ms"] = {
        "ten_year": screens["times_ms"],
        "empty": screens_empty["times_ms"],
        "bare": bare_screens["times_ms"],
    }
    raw["f3_tables"] = [
        {"columns": cols, "rows": len(rows)} for cols, rows in screens.get("f3_tables", [])
    ]
    for key, samples in screens["times_ms"].items():
        med = _median(samples)
        empty = _median(screens_empty["times_ms"].get(key, []))
        anchor = SCREEN_OPENERS.get(key)
        if anchor is not None:
            base = _median(bare_screens["times_ms"].get(anchor, []))
            ratio = _ratio(med, base)
            target = f"≤ {BARE_RATIO}×"
            met = ratio is not None and ratio <= BARE_RATIO
        else:  # a key that does not open a screen
            base, anchor = empty, "empty"
            ratio = _ratio(med, base)
            target = f"≤ {SCREEN_MS:g} ms"
            met = med is not None and med <= SCREEN_MS
        figures.append(
            Figure(
                key,
                LABELS[key],
                med,
                "ms",
                base,
                anchor,
                ratio,
                target,
                met,
                max=max(samples) if samples else None,
                samples=samples,
                empty=empty,
            )
        )

    say(_("Queries and searches …"))
    repeat = max(3 * runs, 7)
    queries = run_child("queries", sites.ten_year, str(repeat), str(max(warmup, 1)))
    queries_empty = run_child("queries", sites.empty, str(repeat), str(max(warmup, 1)))
    raw["queries_ms"] = {"ten_year": queries["times_ms"], "empty": queries_empty["times_ms"]}
    raw["rows"] = {"ten_year": queries["counts"], "empty": queries_empty["counts"]}
    raw["search_hits"] = queries["hits"]
    for key, samples in queries["times_ms"].items():
        med = _median(samples)
        base = _median(queries_empty["times_ms"].get(key, []))
        limit = REPORT_MS.get(key, SEARCH_MS if key.startswith("query.search") else QUERY_MS)
        note, note_params = "", {}
        if key in queries["hits"]:
            hits = queries["hits"][key]
            shown = f"{RANK_WINDOW}+" if hits > RANK_WINDOW else str(hits)
            note_params = {"hits": shown, "seconds": sites.index_s or 0}
            note = N_("{hits} records found")
            if sites.index_s is not None:
                note = N_(
                    "{hits} records found; the site had no search index, the bench built "
                    "it in {seconds:.0f} s"
                )
        figures.append(
            Figure(
                key,
                LABELS[key],
                med,
                "ms",
                base,
                "empty",
                _ratio(med, base),
                f"≤ {limit:g} ms",
                med is not None and med <= limit,
                max=max(samples) if samples else None,
                note=note,
                note_params=note_params,
                samples=samples,
            )
        )

    say(_("Memory after every screen …"))
    memory = run_child("memory", sites.ten_year, "1", "0")
    mem_mb = memory["rss_kb"] / 1024
    bare_mb = max(rss["bare"]) / 1024 if rss["bare"] else None
    raw["rss_kb"] = {
        "ten_year_every_screen": memory["rss_kb"],
        "bare": rss["bare"],
        "dutydesk_cold_start": rss["dutydesk"],
    }
    figures.append(
        Figure(
            "memory",
            LABELS["memory"],
            mem_mb,
            "MB",
            bare_mb,
            "bare",
            _ratio(mem_mb, bare_mb),
            f"≤ {RSS_MB:g} MB",
            mem_mb <= RSS_MB,
        )
    )

    say(_("Backup and verify --against …"))
    backup_s, against_s = _backup_times(sites.ten_year)
    raw["backup_s"], raw["verify_against_s"] = backup_s, against_s
    for key, value, limit in (
        ("backup", backup_s, BACKUP_TARGET_S),
        ("verify_against", against_s, AGAINST_TARGET_S),
    ):
        figures.append(
            Figure(
                key,
                LABELS[key],
                value,
                "s",
                limit,
                "target",
                value / limit,
                f"≤ {limit:g} s",
                value <= limit,
            )
        )
    say(_("dutydesk verify on the ten-year site …"))
    verify_s, verify_kb, verify_exit = run_verify(sites.ten_year)
    raw["verify"] = {"seconds": verify_s, "rss_kb": verify_kb, "exit": verify_exit}
    note = "" if verify_exit == 0 else N_("verify found problems (exit {code})")
    figures.append(
        Figure(
            "verify.time",
            LABELS["verify.time"],
            verify_s,
            "s",
            VERIFY_S,
            "target",
            verify_s / VERIFY_S,
            f"≤ {VERIFY_S:g} s",
            verify_s <= VERIFY_S,
            note=note,
            note_params={"code": verify_exit},
        )
    )
    verify_mb = verify_kb / 1024
    figures.append(
        Figure(
            "verify.memory",
            LABELS["verify.memory"],
            verify_mb,
            "MB",
            VERIFY_MB,
            "target",
            verify_mb / VERIFY_MB,
            f"≤ {VERIFY_MB:g} MB",
            verify_mb <= VERIFY_MB,
        )
    )
    return figures, raw


_BACKUP_CHILD = """
import json, sys, time
from pathlib import Path
from dutydesk.db import open_database
from dutydesk.domain import backup
open_database(sys.argv[1], create=False)
t0 = time.perf_counter()
made = backup.make_backup(Path(sys.argv[2]), keep=1, same_disk=True)
t1 = time.perf_counter()
found = backup.compare_with_backup(made.path)
t2 = time.perf_counter()
assert found.ok, found
print(json.dumps({"backup_s": t1 - t0, "against_s": t2 - t1}))
"""


def _backup_times(db: str) -> tuple[float, float]:
    """Seconds for ``dutydesk backup`` of the site (into a throwaway folder) and for the
    comparison of the live chain with that backup, in a child process."""
    with tempfile.TemporaryDirectory(prefix="dutydesk-bench-backup-") as folder:
        proc = subprocess.run(
            [sys.executable, "-c", _BACKUP_CHILD, db, folder],
            capture_output=True,
            text=True,
            env=_child_env(),
            check=True,
        )
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(found["backup_s"]), float(found["against_s"])


# --- output ------------------------------------------------------------------------------


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms" and value < 10:
        return f"{value:.2f} ms"
    if unit in ("ms", "MB"):
        return f"{value:.1f} {unit}"
    if unit == "M":
        return f"{value:,.0f} M"
    return f"{value:.1f} {unit}"


def _empty_cell(f: Figure) -> str:
    """The empty site's median and ten years / empty, where the baseline is another."""
    if f.empty is None or f.baseline_of == "empty":
        return ""
    ratio = _ratio(f.value, f.empty)
    return _num(f.empty, f.unit) + ("" if ratio is None else f" ({ratio:.2f}×)")


def table_rows(figures: Sequence[Figure]) -> list[list[str]]:
    header = [
        _("Figure"),
        _("Value (median)"),
        _("Max"),
        _("Baseline"),
        _("Ratio"),
        _("Target"),
        _("Met"),
        _("Empty site"),
    ]
    rows = [header]
    for f in figures:
        base = "—"
        if f.baseline is not None:
            base = f"{_num(f.baseline, f.unit)} ({_(BASELINES[f.baseline_of])})"
        rows.append(
            [
                _(f.figure, **f.params),
                _num(f.value, f.unit),
                _num(f.max, f.unit) if f.max is not None else "",
                base,
                "—" if f.ratio is None else f"{f.ratio:.2f}×",
                f.target,
                "—" if f.met is None else (_("yes") if f.met else _("NO")),
                _empty_cell(f),
            ]
        )
    return rows


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def format_table(figures: Sequence[Figure], markdown: bool = False) -> str:
    rows = table_rows(figures)
    if markdown:
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:]]
        return "\n".join(out)
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_notes(figures: Sequence[Figure]) -> str:
    """The notes of the figures, one line each, under the table."""
    return "\n".join(
        f"- {_(f.figure, **f.params)}: {_(f.note, **f.note_params)}" for f in figures if f.note
    )


def machine() -> dict[str, Any]:
    import textual

    from dutydesk import __version__

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "dutydesk": __version__,
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "system": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cores": os.cpu_count(),
    }


def run_bench(
    *,
    db: str | None,
    days: int,
    runs: int,
    warmup: int,
    json_path: str | None,
    say: Callable[[str], None] = print,
    callgrind: bool | None = None,
) -> tuple[list[Figure], dict[str, Any]]:
    """The whole bench; prints progress with ``say`` and returns the figures and report."""
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="dutydesk-bench-"))
    try:
        sites = prepare_sites(db, days, workdir, say)
        figures, raw = collect(sites, runs, warmup, say, callgrind)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    total = time.perf_counter() - started
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": " ".join(["dutydesk", *sys.argv[1:]]) if sys.argv else "dutydesk bench",
        "machine": machine(),
        "days": days,
        "runs": runs,
        "warmup": warmup,
        "site": sites.ten_year if db else None,
        "total_seconds": total,
        "figures": [asdict(f) for f in figures],
        "raw": raw,
    }
    if json_path:
        Path(json_path).write_text(
            json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return figures, report


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        raise SystemExit(child_main(sys.argv[2:]))
    raise SystemExit("use: dutydesk bench")
