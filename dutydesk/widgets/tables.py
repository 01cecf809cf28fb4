"""Lists that use the room they get: page sizes from the screen height, and the
free-text columns sized so every column shows and the widest text takes what is
left (docs/keys.md, "Terminal size": every screen works at 80×24 and uses larger ones).

:class:`PagedTable` is the list of the list-and-detail screens (incidents,
repair requests, logs, reports and search): one page of rows loaded from the
database at a time (a row costs the table about 0.14 ms: never load a whole
log), PgUp / PgDn to turn the page, Enter to open the row under the cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar

import arrow
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from dutydesk.i18n import N_
from dutydesk.widgets.keybar import KeyBar

# Lines a list screen spends on other things: header, bars, status, key bar.
CHROME_LINES = 8
KEY_BAR_LINES = 2  # the key bar takes at most two lines (docs/keys.md)
MIN_TEXT = 8  # cells: the main free-text column never narrower than this
MIN_OTHER = 6  # cells: the other free-text columns


def room_for(table: DataTable[Any]) -> int | None:
    """Lines the screen gives ``table``: its parent's height less what its siblings
    take (the table itself may be shorter, fitted to a short page). None before
    the parent is laid out."""
    parent = table.parent
    if not isinstance(parent, Widget) or parent.size.height <= 0:
        return None
    room = parent.content_size.height if parent is not table.screen else parent.size.height
    for sibling in parent.children:
        if sibling is table or not isinstance(sibling, Widget) or not sibling.display:
            continue
        styles = sibling.styles
        if styles.overlay == "screen" or styles.position == "absolute" or styles.layer:
            continue  # drawn over the others (notifications, tooltips)
        height = sibling.outer_size.height
        if isinstance(sibling, KeyBar):
            # Counted at its most (two lines): a page sized while the bar had one
            # line would overflow the screen once it takes two, which then scrolls,
            # narrows every column and draws the whole table again.
            height = max(height, KEY_BAR_LINES)
        room -= height
    max_height = table.styles.max_height
    if max_height is not None and not max_height.is_auto:
        limit = max_height.resolve(parent.content_size, table.app.size)
        room = min(room, int(limit))
    return room - table.styles.gutter.height


def page_size(table: DataTable[Any], chrome: int = CHROME_LINES) -> int:
    """Rows that fill the room the screen gives the table (its header aside);
    before it is laid out, from the screen's height."""
    room = room_for(table)
    if room is not None and room > 2:
        return max(5, room - 1)
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
        # Text cut to the column ends with "…" (the header too), never mid-word bare.
        column.label.no_wrap = True
        column.label.overflow = "ellipsis"
        for cells in table._data.values():
            value = cells.get(column.key)
            if isinstance(value, str):
                cells[column.key] = Text(value, no_wrap=True, overflow="ellipsis")
    table._require_update_dimensions = True
    table.refresh()


def short_time(value: arrow.Arrow | None, tz: str, fmt: str = "MM-DD HH:mm") -> str:
    """A time as a list cell shows it (in the desk's time zone); empty for none."""
    return value.to(tz).format(fmt) if value is not None else ""


def paged_bindings(prefix: str) -> list[BindingType]:
    """The keys of a paged list, with ids under ``prefix``: Enter opens the row,
    PgDn / PgUp load the next / previous page."""
    return [
        Binding("enter", "open_row", N_("View"), id=f"{prefix}.open"),
        Binding("pagedown", "next_page", N_("Next page"), id=f"{prefix}.next_page"),
        Binding("pageup", "prev_page", N_("Previous page"), id=f"{prefix}.prev_page"),
    ]


class SteadyTable(DataTable[Any]):
    """A DataTable that stays steady when its rows are loaded again (after a record
    was viewed, a dialog closed, a setting saved):

    - the cursor stays on the row of the same key (the same record), when that row
      is loaded again: :meth:`clear` remembers it, :meth:`add_row` puts it back;
    - the cells are drawn again once the rows are measured. DataTable measures the
      rows added on idle; a paint before that (a screen coming back from a dialog
      while its list loads again) caches every cell cut to the header's width, and
      the cache does not know the widths changed (the ``#`` of a record then showed
      one digit). Here the caches go whenever measuring changes a width (and only
      then: drawing every cell twice doubled the cost of opening a list).
    """

    _keep_key: str | None = None  # the key of the row the cursor was on before a clear

    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None: no rows)."""
        if self.row_count == 0:
            return None
        try:
            row_key, _col = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return None if row_key.value is None else str(row_key.value)

    _forget = False  # the next clear forgets the cursor's row

    def forget_cursor(self) -> None:
        """The next load starts with the cursor on its first row."""
        self._keep_key = None
        self._forget = True

    def clear(self, columns: bool = False) -> Self:
        if self._forget:
            self._forget = False
            self._keep_key = None
        else:
            self._keep_key = self.cursor_key() or self._keep_key
        return super().clear(columns)

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        if key is not None and key == self._keep_key:
            self._keep_key = None
            self.move_cursor(row=self.row_count - 1, animate=False)
        return row_key

    def _widths(self) -> list[int]:
        return [column.get_render_width(self) for column in self.columns.values()]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        before = self._widths()
        super()._update_dimensions(new_rows)
        if self._widths() != before:  # cells drawn at the old widths are stale now
            self._clear_caches()
            self.refresh()


ItemT = TypeVar("ItemT")


class PagedTable(SteadyTable, Generic[ItemT]):
    """One page of a list loaded from the database, each row standing for an item.

    The screen that shows it passes ``load`` (fill the table with the page the table
    is on: :attr:`page` for an offset, :attr:`start` for a keyset cursor) and
    ``open_row`` (what Enter does with the item under the cursor). A load starts
    with :meth:`begin`, adds rows with :meth:`add_item` and ends with :meth:`loaded`,
    which says whether a next page exists. Subclasses set ``BINDINGS`` from
    :func:`paged_bindings` (their key ids) and may set ``UNLAID_ROWS``.
    """

    # Rows of a page asked for before the table is laid out; None: from the screen's height.
    UNLAID_ROWS: ClassVar[int | None] = None

    def __init__(
        self,
        load: Callable[[], None],
        open_row: Callable[[ItemT], object],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._load = load
        self._open_row = open_row
        self.items: dict[str, ItemT] = {}
        self._starts: list[Any] = [None]  # where each page so far starts; [-1] is shown
        self._next: Any = None  # where the next page starts; None: this is the last

    # --- where in the list ------------------------------------------------------------

    @property
    def page(self) -> int:
        """The page shown, from 0."""
        return len(self._starts) - 1

    @property
    def start(self) -> Any:
        """The keyset cursor the page shown starts after (None on the first page)."""
        return self._starts[-1]

    @property
    def has_more(self) -> bool:
        return self._next is not None

    def first_page(self) -> None:
        """Back to the first page (the screen loads it), the cursor on its first row."""
        self._starts = [None]
        self.forget_cursor()

    def step_back(self) -> bool:
        """One page back, when the page shown came out empty; False on the first page."""
        if len(self._starts) > 1:
            self._starts.pop()
            return True
        return False

    def page_rows(self) -> int:
        """How many rows a page has: as many as the room the screen gives the table
        shows (the same on every page, a short one before it or not)."""
        if self.UNLAID_ROWS is not None and room_for(self) is None:
            return self.UNLAID_ROWS
        return page_size(self)

    # --- loading a page ---------------------------------------------------------------

    def begin(self, columns: Iterable[tuple[str, str]]) -> None:
        """Empty the table and give it ``columns``: (key, header) pairs."""
        self.clear(columns=True)
        self.items = {}
        self._next = None
        for key, header in columns:
            self.add_column(header, key=key)

    def add_item(self, key: str, item: ItemT, cells: Sequence[Any]) -> None:
        """One row: ``cells`` shown, ``item`` what Enter opens."""
        self.items[key] = item
        self.add_row(*cells, key=key)

    def loaded(self, *, has_more: bool = False, next_start: Any = None) -> None:
        """The page is in: offset paging says ``has_more``, keyset paging gives the
        ``next_start`` cursor (None at the end)."""
        if next_start is not None:
            self._next = next_start
        else:
            self._next = self.page + 1 if has_more else None
        if not self._refitting:
            self.call_after_refresh(self._refit)

    _refitting = False  # loading the page again, shorter

    def _refit(self) -> None:
        """The screen laid out anew after the load (a key bar of two lines, a banner):
        a page longer than the table's room now is loaded again, shorter, so that no
        row hides below the bottom (and PgDn never skips it)."""
        if self.is_attached and self.row_count > self.page_rows() and room_for(self):
            self._refitting = True
            try:
                self._load()
            finally:
                self._refitting = False

    def selected(self) -> ItemT | None:
        """The item under the cursor."""
        if self.row_count == 0:
            return None
        try:
            row_key, _col = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:  # no row under the cursor
            return None
        return self.items.get(str(row_key.value))

    # --- keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self.has_more
        if action == "prev_page":
            return self.page > 0
        if action == "open_row":
            return bool(self.items)
        return True

    def action_next_page(self) -> None:
        if self._next is not None:
            self._starts.append(self._next)
            self.forget_cursor()
            self._load()

    def action_prev_page(self) -> None:
        if self.step_back():
            self.forget_cursor()
            self._load()

    def action_open_row(self) -> None:
        item = self.selected()
        if item is not None:
            self._open_row(item)
