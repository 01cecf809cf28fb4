"""A report in one of the formats: text for html/txt/csv, bytes for xlsx."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dutydesk.domain.context import Actor
from dutydesk.domain.reports.request import ReportRequest, file_name, make, resolve
from dutydesk.render.html import render_html
from dutydesk.render.layout import document_for
from dutydesk.render.tabular import render_csv, render_xlsx
from dutydesk.render.text import render_text


def render(report: Any, fmt: str) -> str | bytes:
    doc = document_for(report)
    if fmt == "html":
        return render_html(doc)
    if fmt == "txt":
        return render_text(doc)
    if fmt == "csv":
        return render_csv(doc)
    if fmt == "xlsx":
        return render_xlsx(doc)
    raise ValueError(f"unknown format: {fmt}")


def reports_dir() -> Path:
    """The site's reports folder: ``DUTYDESK_REPORTS_DIR``, else ``reports`` in the
    user data folder (beside the default database)."""
    configured = os.environ.get("DUTYDESK_REPORTS_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_data_path

    return user_data_path("dutydesk", appauthor=False) / "reports"


def _free(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… when it exists (never overwrite)."""
    n = 2
    found = path
    while found.exists():
        found = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return found


def save(actor: Actor, req: ReportRequest, fmt: str, folder: Path | None = None) -> Path:
    """Make the report for ``actor`` (audited), write it to the reports folder and
    return the file's path. Raises the domain's errors (not allowed, bad range)
    and OSError when the folder cannot be written."""
    req = resolve(req)
    folder = folder or reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = _free(folder / file_name(req, fmt))
    report = make(actor, req, fmt, str(path))
    out = render(report, fmt)
    if isinstance(out, bytes):
        path.write_bytes(out)
    else:
        path.write_text(out, encoding="utf-8", newline="")
    return path
