"""``dutydesk bench`` runs end to end and reports every figure with its ratio.

Functional only: a one-day site, one run, no warm-up. No timing is asserted (the
targets are judged by the bench itself, on the machine that runs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutydesk.bench import (
    LABELS,
    SCREEN_OPENERS,
    Figure,
    callgrind_available,
    count_instructions,
    format_table,
    parse_callgrind,
    peak_rss_kb,
)
from dutydesk.cli import main
from dutydesk.i18n import set_language

FIGURES = {
    "build",
    "cold_start",
    "screen.f2",
    "screen.f3",
    "screen.f4",
    "screen.f5",
    "screen.f6",
    "screen.f7",
    "screen.f8",
    "key.shift.f1",
    "key.patrol.down",
    "key.patrol.l",
    "tick.minute",
    "query.current_shift",
    "query.overdue_alarms",
    "query.overdue_reports",
    "query.patrol_progress",
    "query.report_month",
    "query.report_day",
    "query.search_1",
    "query.search_2",
    "query.search_4",
    "query.search_en",
    "query.search_prefix",
    "memory",
    "backup",
    "verify_against",
    "verify.time",
    "verify.memory",
}
# Only when valgrind is installed (and not turned off with --no-callgrind).
CALLGRIND = "cold_start.instructions"


def test_every_figure_has_a_label() -> None:
    assert set(LABELS) == FIGURES | {CALLGRIND}


def test_peak_rss_is_this_process() -> None:
    kb = peak_rss_kb()
    assert 1_000 < kb < 10_000_000


def test_bench_runs_end_to_end_and_writes_every_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    site = tmp_path / "site.db"
    code = main(
        [
            "bench",
            "--days",
            "1",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--db",
            str(site),
            "--json",
            str(out),
            "--lang",
            "en",
            "--no-callgrind",  # tested on its own below (Python under valgrind is slow)
        ]
    )
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    figures = {f["key"]: f for f in report["figures"]}
    assert set(figures) == FIGURES
    for key, f in figures.items():
        assert f["value"] is not None and f["value"] > 0, key
        assert f["ratio"] is not None and f["ratio"] > 0, key
        assert f["met"] in (True, False), key
        assert f["target"], key
    # Baselines: the bare app for start-up and memory, the empty site for screens.
    assert figures["cold_start"]["baseline_of"] == "bare"
    assert figures["memory"]["baseline_of"] == "bare"
    # Screens against the bare Textual screen with F3's widgets (F2: going back to
    # one); keys that open no screen against the empty site (and ≤ 50 ms).
    for key, anchor in SCREEN_OPENERS.items():
        assert figures[key]["baseline_of"] == anchor, key
        assert figures[key]["empty"] is not None and figures[key]["empty"] > 0, key
    assert figures["key.patrol.down"]["baseline_of"] == "empty"
    assert report["raw"]["f3_tables"] and all(t["columns"] for t in report["raw"]["f3_tables"])
    assert report["raw"]["verify"]["exit"] == 0  # the demo site verifies
    assert figures["query.search_2"]["baseline_of"] == "empty"
    assert (
        report["raw"]["rows"]["empty"]["incidents"]
        <= report["raw"]["rows"]["ten_year"]["incidents"]
    )
    assert site.exists()  # --db keeps the built site for the next run
    printed = capsys.readouterr().out
    assert "Cold start to the lock screen" in printed
    assert "Peak memory after every screen" in printed


def test_instruction_count_of_a_python_child() -> None:
    assert parse_callgrind("==7== Events    : Ir\n==7== Collected : 1022673674\n==7==") == (
        1022673674
    )
    assert parse_callgrind("valgrind: not found") is None
    if callgrind_available():  # where valgrind is installed (the bench then counts too)
        small = count_instructions("pass")
        bigger = count_instructions("import json, decimal, fractions")
        assert 0 < small < bigger


def test_table_shows_ratio_and_met() -> None:
    set_language("en")
    f = Figure("cold_start", LABELS["cold_start"], 650.0, "ms", 325.0, "bare", 2.0, "≤ 1.3×", False)
    table = format_table([f], markdown=True)
    assert "| Cold start to the lock screen | 650.0 ms |" in table
    assert "2.00×" in table and "NO" in table
