"""The figures of the bench: what is measured (keys, labels, targets) and one row of the
table (:class:`Figure`)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dutydesk.i18n import N_

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


def median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def ratio_of(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None
