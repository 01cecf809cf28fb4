"""The measurements outside the screens: the domain queries and searches (a child of
their own), ``dutydesk verify`` of the whole site, and the backup with ``verify
--against``. (Memory is the screens child opening every screen:
:func:`dutydesk.bench.screens.screens_child`.)"""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from dutydesk.bench.figures import DESK, SEARCH_WORDS, STAFF_NO
from dutydesk.bench.process import child_env, last_json, run_timed

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


# --- dutydesk verify and the backup, each in a child ---------------------------------------

_VERIFY = """
import json, sys
from dutydesk.cli import main
code = main(["--db", DB, "--lang", "en", "verify"])
from dutydesk.bench import peak_rss_kb
sys.stdout.write("\\n" + json.dumps({"rss_kb": peak_rss_kb(), "exit": code}) + "\\n")
"""


def run_verify(db: str) -> tuple[float, int, int]:
    """(seconds from spawn to exit, peak RSS in kB, exit code) of ``dutydesk verify``."""
    elapsed, done = run_timed(f"DB = {db!r}\n{_VERIFY}", timeout=600)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"verify failed:\n{done.stderr[-2000:]}")
    out = last_json(done.stdout)
    return elapsed, int(out["rss_kb"]), int(out["exit"])


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


def backup_times(db: str) -> tuple[float, float]:
    """Seconds for ``dutydesk backup`` of the site (into a throwaway folder) and for the
    comparison of the live chain with that backup, in a child process."""
    with tempfile.TemporaryDirectory(prefix="dutydesk-bench-backup-") as folder:
        proc = subprocess.run(
            [sys.executable, "-c", _BACKUP_CHILD, db, folder],
            capture_output=True,
            text=True,
            env=child_env(),
            check=True,
        )
    found = last_json(proc.stdout)
    return float(found["backup_s"]), float(found["against_s"])
