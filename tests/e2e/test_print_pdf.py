"""The demo's day record (值班记录表) and handover record (交接班记录), made with the
installed command as HTML and printed to PDF by headless Chromium, read back with
pdftotext: the Chinese is there, every page is numbered "page n of N", both
signers' names are printed and the handover record fits its A4 pages (EN-8.7.1:
the record is kept for inspection, so it must print whole).

Needs chromium, pdftotext/pdfinfo (poppler-utils) and a CJK font. Outside CI a
missing tool skips with the reason; with CI set (``.ci/run`` installs them) it fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# The header and footer Chromium adds by itself (date, title, file URL) are turned
# off: the pages carry their own numbers in the @page margin boxes.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)


def _tool(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    found = {
        "chromium": _tool("chromium", "chromium-browser", "google-chrome"),
        "pdftotext": _tool("pdftotext"),
        "pdfinfo": _tool("pdfinfo"),
    }
    missing = sorted(k for k, v in found.items() if v is None)
    if missing:
        reason = f"printing needs {', '.join(missing)} (apt-get install chromium poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must install them (.ci/run)")
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    return {k: v for k, v in found.items() if v}


def _dutydesk() -> str:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("dutydesk", path=search)
    assert found, "the dutydesk command is not installed"
    return found


def _run(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180, **kw)
    assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("print")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    env.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "data"), LANG="C.UTF-8")
    db = tmp / "demo.db"
    _run([_dutydesk(), "demo", "--no-run", "--days", "3", "--db", str(db)], env)
    return db, env


def _print(tools: dict[str, str], html: Path, env: dict[str, str]) -> tuple[str, int]:
    pdf = html.with_suffix(".pdf")
    profile = html.parent / f"profile-{html.stem}"
    subprocess.run(
        [tools["chromium"], *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
         f"--print-to-pdf={pdf}", str(html)],
        env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert pdf.exists() and pdf.stat().st_size > 1000, "chromium printed nothing"
    text = _run([tools["pdftotext"], "-layout", str(pdf), "-"], env).stdout
    info = _run([tools["pdfinfo"], str(pdf)], env).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert "A4" in info, info
    return text, pages


def _numbers(text: str) -> list[tuple[int, int]]:
    """The "第 n 页 / 共 N 页" labels, spaces and line breaks taken out."""
    flat = re.sub(r"\s+", "", text)
    return [(int(a), int(b)) for a, b in re.findall(r"第(\d+)页/共(\d+)页", flat)]


def _yesterday(db: Path) -> str:
    tz = sqlite3.connect(db).execute("select tz from site").fetchone()[0]
    return (dt.datetime.now(ZoneInfo(tz)).date() - dt.timedelta(days=1)).isoformat()


def test_day_and_handover_records_print_on_a4(tools, demo, tmp_path):
    db, env = demo
    base = [_dutydesk(), "report", "--db", str(db), "--desk", "security", "--lang", "zh"]
    day_html = tmp_path / "day.html"
    handover_html = tmp_path / "handover.html"
    _run([*base[:2], "day", *base[2:], "--date", _yesterday(db), "-o", str(day_html)], env)
    _run([*base[:2], "handover", *base[2:], "-o", str(handover_html)], env)
    signed = _run([*base[:2], "handover", *base[2:], "--format", "csv"], env).stdout
    rows = list(csv.reader(io.StringIO(signed.lstrip("\ufeff"))))
    start = rows.index(["# signatures"])
    signers = [r[1] for r in rows[start + 2 :] if len(r) == 4]
    assert len(signers) == 2, rows[start:]
    digest = re.search(r"\b[0-9a-f]{64}\b", handover_html.read_text(encoding="utf-8")).group(0)

    text, pages = _print(tools, day_html, env)
    assert "值班记录表" in text and "值班记录" in text
    assert _numbers(text) == [(n, pages) for n in range(1, pages + 1)]

    text, pages = _print(tools, handover_html, env)
    flat = re.sub(r"\s+", "", text)
    assert "交接班记录" in text
    for name in signers:
        assert name.replace(" ", "") in flat, name
    # It fits: every page numbered, the whole hash on one line, a few pages at most.
    assert _numbers(text) == [(n, pages) for n in range(1, pages + 1)]
    assert digest in text
    assert 1 <= pages <= 4
