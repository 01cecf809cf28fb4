"""The bench's output: the table (plain or Markdown), the notes under it, the machine
it ran on and the JSON report."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dutydesk.bench.figures import BASELINES, Figure, ratio_of
from dutydesk.i18n import _


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
    ratio = ratio_of(f.value, f.empty)
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


def make_report(
    figures: Sequence[Figure],
    raw: dict[str, Any],
    *,
    days: int,
    runs: int,
    warmup: int,
    site: str | None,
    total_seconds: float,
) -> dict[str, Any]:
    """The JSON report of a run: when, how it was started, the machine, every figure and
    the raw data."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": " ".join(["dutydesk", *sys.argv[1:]]) if sys.argv else "dutydesk bench",
        "machine": machine(),
        "days": days,
        "runs": runs,
        "warmup": warmup,
        "site": site,
        "total_seconds": total_seconds,
        "figures": [asdict(f) for f in figures],
        "raw": raw,
    }


def write_json(report: dict[str, Any], path: str) -> None:
    Path(path).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
