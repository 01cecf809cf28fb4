"""CSV and XLSX of a document's tables.

CSV is UTF-8 with a byte-order mark (Excel then opens Chinese correctly) and
every cell that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) gets a leading apostrophe. XLSX is written by
openpyxl, one sheet per table, every value stored as data (strings never
become formulas).
"""

from __future__ import annotations

import csv
import io
import re

from dutydesk.render.document import Document, Table

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(value: object) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(doc: Document) -> str:
    """All tables one after another: a line naming the table, its header, its rows,
    a blank line. A single table (an export of one kind) is just header and rows."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    tables = [t for t in doc.tables() if t.columns]
    for n, t in enumerate(tables):
        if len(tables) > 1:
            if n:
                w.writerow([])
            w.writerow([guard(f"# {t.name}")])
        w.writerow([guard(c) for c in t.columns])
        for row in t.rows:
            w.writerow([guard(c) for c in row])
    return BOM + out.getvalue()


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# Counts become numbers a spreadsheet can add up; longer digit strings (phone
# numbers, ids with leading zeros) stay text.
_COUNT = re.compile(r"^(0|[1-9][0-9]{0,8})$")


def _cell(value: str) -> str | int:
    return int(value) if _COUNT.match(value) else value


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:28] or "sheet"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:25]}_{n}"
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(doc: Document) -> bytes:
    """The tables as a workbook, one sheet each, headers bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    wb = Workbook()
    first = wb.active
    used: set[str] = set()
    tables: list[Table] = [t for t in doc.tables() if t.columns]
    for n, t in enumerate(tables):
        ws = first if n == 0 and first is not None else wb.create_sheet()
        ws.title = _sheet_title(t.name, used)
        ws.append(list(t.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append([_cell(v) for v in row])
        # openpyxl reads a string starting with "=" as a formula: keep it text.
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = TYPE_STRING
        ws.freeze_panes = "A2"
        for i, c in enumerate(t.columns, 1):
            longest = max([len(str(c))] + [len(str(r[i - 1])) for r in t.rows[:200]])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, max(8, longest + 2))
    if not tables and first is not None:
        first.title = "empty"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
