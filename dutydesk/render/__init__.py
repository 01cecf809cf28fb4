"""Renderers: a report's data (``dutydesk.domain.reports``) as HTML, text, CSV or XLSX.

Plain Python, no Textual. :mod:`.layout` lays each report out as a
:class:`~.document.Document` (titles, tables, charts, lines to sign) in the
current language; :mod:`.html` (Jinja2 templates, autoescaped), :mod:`.text`
(80 columns, CJK-aware), :mod:`.tabular` (CSV with BOM, XLSX) print any document.
"""

from __future__ import annotations

FORMATS = ("html", "txt", "csv", "xlsx")
