"""Plain text for a fixed-pitch printout: at most 80 columns, Chinese characters
counting two (Rich's cell widths, the same as the terminal's), no control codes,
so ``| lp`` prints it. Tables wrap inside their columns."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len, set_cell_size

from dutydesk.render.document import Chart, Document, Pairs, Para, SignLines, Table

WIDTH = 80


def clean(text: object) -> str:
    """User text with control characters (escape codes, tabs…) made harmless."""
    out = []
    for ch in str(text if text is not None else ""):
        if ch == "\n":
            out.append(ch)
        elif ch == "\t" or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap ``text`` to ``width`` cells, breaking at spaces where possible and
    anywhere in a word (or a run of Chinese) longer than the line."""
    lead = indent if first is None else first
    lines: list[str] = []
    for para in clean(text).split("\n"):
        line = lead
        for i, word in enumerate(para.split(" ")):
            piece = word if i == 0 or line.strip() == "" else " " + word
            if cell_len(line + piece) <= width:
                line += piece
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = indent
                piece = word
            for ch in piece:
                if cell_len(line) + cell_len(ch) > width:
                    lines.append(line.rstrip())
                    line = indent
                line += ch
        lines.append(line.rstrip())
        lead = indent
    return lines


def pad(text: str, width: int) -> str:
    """``text`` cut or filled with spaces to exactly ``width`` cells."""
    return set_cell_size(text, width)


def _widths(table: Table, width: int) -> list[int]:
    n = len(table.columns)
    room = width - (n - 1)  # one space between columns
    natural = [
        max(
            [
                cell_len(c)
                for c in [table.columns[i], *(r[i] for r in table.rows)]
                for c in c.split("\n")
            ]
            + [1]
        )
        for i in range(n)
    ]
    if sum(natural) <= room:
        return natural
    weights = list(table.widths or [1] * n)
    # At least the longest word of a column (headings wrap too), where that fits.
    words = [
        max([cell_len(w) for r in [table.columns, *table.rows] for w in r[i].split()] + [1])
        for i in range(n)
    ]
    floor = [min(natural[i], words[i], 16) for i in range(n)]
    if sum(floor) > room:
        floor = [min(natural[i], max(4, cell_len(table.columns[i]))) for i in range(n)]
    if sum(floor) > room:
        return []  # too many columns for the page: one block per row instead
    widths = floor[:]
    spare = room - sum(widths)
    # Share the rest by weight, never more than a column needs.
    while spare > 0:
        wanting = [i for i in range(n) if widths[i] < natural[i]]
        if not wanting:
            break
        total = sum(weights[i] for i in wanting)
        given = 0
        for i in wanting:
            add = max(1, spare * weights[i] // total)
            add = min(add, natural[i] - widths[i], spare - given)
            widths[i] += add
            given += add
            if given >= spare:
                break
        spare -= given
        if given == 0:
            break
    return widths


def table_lines(table: Table, width: int = WIDTH) -> list[str]:
    if not table.rows:
        return [f"  {table.empty}"] if table.empty else []
    widths = _widths(table, width)
    if not widths:
        return _record_lines(table, width)

    def row_lines(cells: tuple[str, ...]) -> list[str]:
        wrapped = [wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [pad(w[k] if k < len(w) else "", widths[i]) for i, w in enumerate(wrapped)]
            out.append(" ".join(parts).rstrip())
        return out

    lines = row_lines(table.columns)
    lines.append(" ".join("-" * w for w in widths))
    for row in table.rows:
        lines += row_lines(row)
    return lines


def _record_lines(table: Table, width: int) -> list[str]:
    """Each row as "column: value" lines, rows parted by a thin rule."""
    label_w = min(24, max(cell_len(c) for c in table.columns) + 1)
    lines: list[str] = []
    for n, row in enumerate(table.rows):
        if n:
            lines.append("." * min(width, 40))
        for column, value in zip(table.columns, row, strict=True):
            lines += wrap(
                value, width, indent=" " * (label_w + 1), first=pad(column + ":", label_w) + " "
            )
    return lines


def chart_lines(chart: Chart, width: int = WIDTH) -> list[str]:
    """Bars of ``#``; a per-day chart as one line of digits-free blocks."""
    if not chart.bars:
        return []
    top = max(v for _l, v in chart.bars) or 1
    lines = [chart.title]
    if chart.columns:
        levels = " ▁▂▃▄▅▆▇█"
        spark = "".join(levels[round(8 * v / top)] for _l, v in chart.bars)
        return [*lines, *wrap(spark, width, indent="  ", first="  "), f"  max {top:g}"]
    label_w = min(30, max(cell_len(label) for label, _v in chart.bars))
    bar_w = width - label_w - 12
    for label, v in chart.bars:
        bar = "#" * round(bar_w * v / top)
        lines.append(f"  {pad(label, label_w)} {bar} {v:g}{chart.unit}".rstrip())
    return lines


def render_text(doc: Document, width: int = WIDTH) -> str:
    out: list[str] = []
    title = clean(doc.title)
    out.append(" " * max(0, (width - cell_len(title)) // 2) + title)
    out.append(" " * max(0, (width - cell_len(clean(doc.subtitle))) // 2) + clean(doc.subtitle))
    out.append("=" * width)
    label_w = min(24, max([cell_len(label) for label, _v in doc.meta] + [0]) + 1)
    for label, value in doc.meta:
        out += wrap(value, width, indent=" " * (label_w + 1), first=pad(label + ":", label_w) + " ")
    for section in doc.sections:
        out.append("")
        if section.title:
            out += wrap(section.title, width)
            out.append("-" * width)
        for block in section.blocks:
            if isinstance(block, Table):
                out += table_lines(block, width)
            elif isinstance(block, Para):
                out += wrap(block.text, width, indent="  ", first="  ")
            elif isinstance(block, Pairs):
                lw = min(30, max([cell_len(label) for label, _v in block.items] + [0]) + 1)
                for label, value in block.items:
                    out += wrap(
                        value, width, indent=" " * (lw + 3), first="  " + pad(label + ":", lw) + " "
                    )
            elif isinstance(block, Chart):
                out += chart_lines(block, width)
            elif isinstance(block, SignLines):
                for label in block.labels:
                    out.append("")
                    out += wrap(f"{label}: {'_' * 28}  {block.date_label}: {'_' * 12}", width)
    out += ["", "=" * width]
    return "\n".join(line.rstrip() for line in out) + "\n"
