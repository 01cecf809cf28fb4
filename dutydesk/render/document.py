"""A report laid out for print, independent of the medium: sections of blocks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """Rows under column headings; ``name`` names the sheet in CSV / XLSX."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # shown instead of an empty table
    # Relative widths for print (None: the renderer decides).
    widths: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "" / "sub" (a small heading) / "note" / "mono"


@dataclass(frozen=True)
class Pairs:
    """Label: value lines (the head of a form)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per label (horizontal), or a column per day (``columns``)."""

    title: str
    bars: tuple[tuple[str, float], ...]
    columns: bool = False
    unit: str = ""


@dataclass(frozen=True)
class SignLines:
    """Lines to sign by hand: one per label, with a place for the date."""

    labels: tuple[str, ...]
    date_label: str = ""


Block = Table | Para | Pairs | Chart | SignLines


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    break_before: bool = False  # start it on a new printed page
    keep: bool = False  # never split across pages

    @property
    def keep_together(self) -> bool:
        """Kept on one page: asked for, or holding lines to sign by hand."""
        return self.keep or any(isinstance(b, SignLines) for b in self.blocks)


@dataclass(frozen=True)
class Document:
    kind: str
    lang: str  # "zh" / "en"
    title: str
    subtitle: str
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    page_label: str = "{page} / {pages}"
    extra_tables: tuple[Table, ...] = field(default=())

    def tables(self) -> list[Table]:
        """Every table of the document (for CSV / XLSX), in reading order."""
        found = [b for s in self.sections for b in s.blocks if isinstance(b, Table)]
        return found + list(self.extra_tables)
