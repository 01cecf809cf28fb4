"""The bench run: build (or reuse) the sites, run every measurement against its
baseline and turn the results into figures."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutydesk.bench.figures import (
    AGAINST_TARGET_S,
    BACKUP_TARGET_S,
    BARE_RATIO,
    BUILD_TARGET_S,
    COLD_RATIO,
    LABELS,
    QUERY_MS,
    RANK_WINDOW,
    REPORT_MS,
    RSS_MB,
    SCREEN_MS,
    SCREEN_OPENERS,
    SEARCH_MS,
    VERIFY_MB,
    VERIFY_S,
    Figure,
    median,
    ratio_of,
)
from dutydesk.bench.measures import backup_times, ensure_search_index, run_verify
from dutydesk.bench.output import make_report, write_json
from dutydesk.bench.process import (
    callgrind_available,
    cold_start_code,
    count_instructions,
    run_child,
    run_cold_start,
)
from dutydesk.i18n import N_, _


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
    dd, bare = median(cold["dutydesk"]), median(cold["bare"])
    ratio = ratio_of(dd, bare)
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
        ratio = ratio_of(dd_m, bare_m)
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
        med = median(samples)
        empty = median(screens_empty["times_ms"].get(key, []))
        anchor = SCREEN_OPENERS.get(key)
        if anchor is not None:
            base = median(bare_screens["times_ms"].get(anchor, []))
            ratio = ratio_of(med, base)
            target = f"≤ {BARE_RATIO}×"
            met = ratio is not None and ratio <= BARE_RATIO
        else:  # a key that does not open a screen
            base, anchor = empty, "empty"
            ratio = ratio_of(med, base)
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
        med = median(samples)
        base = median(queries_empty["times_ms"].get(key, []))
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
                ratio_of(med, base),
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
            ratio_of(mem_mb, bare_mb),
            f"≤ {RSS_MB:g} MB",
            mem_mb <= RSS_MB,
        )
    )

    say(_("Backup and verify --against …"))
    backup_s, against_s = backup_times(sites.ten_year)
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
    report = make_report(
        figures,
        raw,
        days=days,
        runs=runs,
        warmup=warmup,
        site=sites.ten_year if db else None,
        total_seconds=total,
    )
    if json_path:
        write_json(report, json_path)
    return figures, report
