"""A report in one of the formats: text for html/txt/csv, bytes for xlsx."""

from __future__ import annotations

from typing import Any

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
