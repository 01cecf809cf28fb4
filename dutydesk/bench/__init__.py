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

The package, one job per module: :mod:`~dutydesk.bench.figures` (what is measured,
targets, labels), :mod:`~dutydesk.bench.process` (child processes, cold starts,
callgrind), :mod:`~dutydesk.bench.screens` (the screens and keys inside a child),
:mod:`~dutydesk.bench.measures` (queries, verify, backup), :mod:`~dutydesk.bench.output`
(table, notes, JSON report) and :mod:`~dutydesk.bench.run` (the whole run).
"""

from __future__ import annotations

from dutydesk.bench.child import child_main
from dutydesk.bench.figures import (
    AGAINST_TARGET_S,
    BACKUP_TARGET_S,
    BARE_RATIO,
    BASELINES,
    BUILD_TARGET_S,
    COLD_RATIO,
    DESK,
    HEADLESS_DRIVER,
    LABELS,
    QUERY_MS,
    RANK_WINDOW,
    REPORT_MS,
    RSS_MB,
    SCREEN_KEYS,
    SCREEN_MS,
    SCREEN_OPENERS,
    SCREEN_RATIO,
    SEARCH_MS,
    SEARCH_WORDS,
    SIZE,
    STAFF_NO,
    VERIFY_MB,
    VERIFY_S,
    Figure,
)
from dutydesk.bench.measures import ensure_search_index, queries_child, run_verify
from dutydesk.bench.output import format_notes, format_table, machine, table_rows
from dutydesk.bench.process import (
    BARE_APP,
    callgrind_available,
    cold_start_code,
    count_instructions,
    parse_callgrind,
    peak_rss_kb,
    run_child,
    run_cold_start,
)
from dutydesk.bench.run import Sites, collect, prepare_sites, run_bench
from dutydesk.bench.screens import (
    F3_TABLES,
    bare_child,
    bare_screen_app,
    capture_tables,
    screens_child,
    settle,
    timed_key,
)

__all__ = [
    "AGAINST_TARGET_S",
    "BACKUP_TARGET_S",
    "BARE_APP",
    "BARE_RATIO",
    "BASELINES",
    "BUILD_TARGET_S",
    "COLD_RATIO",
    "DESK",
    "F3_TABLES",
    "HEADLESS_DRIVER",
    "LABELS",
    "QUERY_MS",
    "RANK_WINDOW",
    "REPORT_MS",
    "RSS_MB",
    "SCREEN_KEYS",
    "SCREEN_MS",
    "SCREEN_OPENERS",
    "SCREEN_RATIO",
    "SEARCH_MS",
    "SEARCH_WORDS",
    "SIZE",
    "STAFF_NO",
    "VERIFY_MB",
    "VERIFY_S",
    "Figure",
    "Sites",
    "bare_child",
    "bare_screen_app",
    "callgrind_available",
    "capture_tables",
    "child_main",
    "cold_start_code",
    "collect",
    "count_instructions",
    "ensure_search_index",
    "format_notes",
    "format_table",
    "machine",
    "parse_callgrind",
    "peak_rss_kb",
    "prepare_sites",
    "queries_child",
    "run_bench",
    "run_child",
    "run_cold_start",
    "run_verify",
    "screens_child",
    "settle",
    "table_rows",
    "timed_key",
]
