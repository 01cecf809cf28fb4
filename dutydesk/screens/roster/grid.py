"""The week grid of F7: days down, the desk's shifts across, the cursor's cell reversed."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget

from dutydesk.domain.roster import GridCell, RosterGrid, weekday_name
from dutydesk.i18n import N_
from dutydesk.screens.roster.cursor import GridCursor
from dutydesk.widgets.literal import clean

DAY_WIDTH = 11  # "Mon 12-01 ★"
WIDE_GRID = 80  # a grid at least this wide shows names (where they fit), else staff numbers


class GridHost(Protocol):
    """What the week grid reads from its screen: the data, the cursor, who is looking."""

    grid: RosterGrid | None
    cursor: GridCursor
    today: dt.date

    @property
    def me_id(self) -> int | None: ...

    def move(self, key: str) -> None: ...


def _cut(text: str, width: int) -> str:
    """``text`` cut with … to at most ``width`` terminal cells (Chinese is two wide)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""


def _fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` terminal cells."""
    return set_cell_size(_cut(text, width), width)


class WeekGrid(Widget, can_focus=True):
    """Days × shifts of one week; the screen owns the cursor and the data."""

    DEFAULT_CSS = """
    WeekGrid { height: auto; min-height: 8; }
    WeekGrid:focus { background-tint: $primary 5%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move('up')", N_("Previous day"), id="roster.up", show=False),
        Binding("down", "move('down')", N_("Next day"), id="roster.down", show=False),
        Binding("left", "move('left')", N_("Previous shift"), id="roster.left", show=False),
        Binding("right", "move('right')", N_("Next shift"), id="roster.right", show=False),
        # One key-bar entry for both, so that neither is the one left off at 80 columns.
        Binding(
            "pageup",
            "move('pageup')",
            N_("Previous / next week"),
            id="roster.pageup",
            key_display="PgUp/PgDn",
        ),
        Binding("pagedown", "move('pagedown')", N_("Next week"), id="roster.pagedown", show=False),
        Binding("home", "move('home')", N_("This week"), id="roster.home", show=False),
    ]
    """Keys of the week grid: arrows, previous / next week, back to this week."""

    def __init__(self, host: GridHost, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.host = host

    def action_move(self, key: str) -> None:
        self.host.move(key)

    def render(self) -> Text:
        grid = self.host.grid
        if grid is None:
            return Text("")
        cursor = self.host.cursor
        me = self.host.me_id
        today = self.host.today
        ncols = max(len(grid.columns), 1)
        width = max(self.size.width, DAY_WIDTH + 4 * ncols)
        cell_w = (width - DAY_WIDTH - ncols) // ncols
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" " * DAY_WIDTH)
        for col in grid.columns:
            head = f"{col.name} {col.start_time}–{col.end_time}"
            if cell_len(head) > cell_w:
                head = col.name
            text.append(" " + _fit(head, cell_w), style="bold underline")
        for d, day in enumerate(grid.days):
            text.append("\n")
            holiday = grid.holidays.get(day)
            label = f"{weekday_name(day)} {day.strftime('%m-%d')}"
            label = _fit(label + (" ★" if holiday else ""), DAY_WIDTH)
            style = "bold magenta" if holiday else ("bold" if day == today else "")
            if day == today:
                style += " underline"
            text.append(label, style=style.strip())
            for c in range(len(grid.columns)):
                cell = grid.cell(d, c)
                selected = d == cursor.day and c == cursor.column
                text.append(" ")
                text.append_text(self._cell(cell, cell_w, selected, me))
        return text

    def _cell(self, cell: GridCell, width: int, selected: bool, me: int | None) -> Text:
        flagged = cell.short or bool(cell.warnings)
        mark = "!" if flagged else " "
        count = f" {len(cell.staff)}/{cell.required}" if cell.short else ""
        room = width - 1 - cell_len(count)
        names = ", ".join(clean(s.staff.name) for s in cell.staff)
        if self.size.width < WIDE_GRID or cell_len(names) > room:
            names = " ".join(clean(s.staff.staff_no) for s in cell.staff)
        if not cell.staff:
            names = "—"
        body = _fit(mark + _cut(names, room) + count, width)
        style = ""
        if cell.short:
            style = "bold red"
        elif cell.warnings:
            style = "bold yellow"
        if me is not None and any(s.staff.id == me for s in cell.staff):
            style += " underline"
        if selected:
            style += " reverse"
        return Text(body, style=style.strip())
