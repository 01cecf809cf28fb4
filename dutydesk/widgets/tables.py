"""Lists that use the room they get: page sizes from the screen height, and the
free-text columns sized so every column shows and the widest text takes what is
left (KEYMAP "Terminal size": every screen works at 80×24 and uses larger ones)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

# Lines a list screen spends on other things: header, bars, status, key bar.
CHROME_LINES = 8
MIN_TEXT = 8  # cells: the main free-text column never narrower than this
MIN_OTHER = 6  # cells: the other free-text columns


def page_size(table: DataTable[Any], chrome: int = CHROME_LINES) -> int:
    """Rows that fill the table; before it is laid out, from the screen's height."""
    height = table.size.height
    if height > 2:
        return max(5, height - 1)
    return max(5, table.app.size.height - chrome - 1)


def fit_columns(table: DataTable[Any], flexible: Sequence[str]) -> None:
    """Size the ``flexible`` (free-text) columns so the row fits the table's width:
    the widest is cut first, and the first of them takes any room left over."""
    width = (table.size.width or table.app.size.width - 2) - 1  # a scrollbar's cell
    if table._require_update_dimensions:  # measure the rows just added (else on idle)
        table._require_update_dimensions = False
        new_rows = set(table._new_rows)
        table._new_rows.clear()
        table._update_dimensions(new_rows)
    columns = table.columns
    flex = [columns[ColumnKey(k)] for k in flexible if ColumnKey(k) in columns]
    if not flex:
        return
    pad = 2 * table.cell_padding
    fixed = sum(c.get_render_width(table) for c in columns.values() if c not in flex)
    room = width - fixed - pad * len(flex)
    wanted = [max(c.content_width, len(c.label.plain)) for c in flex]
    sizes = list(wanted)
    # The others give way first (widest first), then the main text column.
    while sum(sizes) > room:
        others = [i for i in range(1, len(sizes)) if sizes[i] > MIN_OTHER]
        if others:
            i = max(others, key=lambda i: sizes[i])
        elif sizes[0] > MIN_TEXT:
            i = 0
        else:
            break
        sizes[i] -= 1
    if sum(sizes) < room:
        sizes[0] += room - sum(sizes)
    for column, size in zip(flex, sizes, strict=True):
        column.auto_width = False
        column.width = size
    table._require_update_dimensions = True
    table.refresh()
