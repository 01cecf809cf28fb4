"""The tables of the F3 screens: they draw their rows, and their own keys run their
screen's actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

import arrow
from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from dutydesk.domain.patrols import STATE_LABELS, CheckInfo, LogRow, RoundInfo, RoundState
from dutydesk.i18n import N_, _, pgettext
from dutydesk.widgets.literal import literal
from dutydesk.widgets.patrol_marks import KIND_LABELS, STATE_STYLES, expected_text, mark_text, num
from dutydesk.widgets.tables import PagedTable


def hhmm(instant: arrow.Arrow | None, tz: str) -> str:
    """A time of day in the site's zone; empty for no time."""
    return instant.to(tz).format("HH:mm") if instant is not None else ""


PADDING = 2 + 2 * 6  # the scrollbar, and the cells' padding of six columns


def _cell_width(cell: str | Text) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


def relabel(screen: Any, key: str, description: str) -> None:
    """Give ``key``'s binding on ``screen`` another description (a msgid)."""
    # The map's lists are shared with the class: replace the list, never edit it.
    bindings = screen._bindings.key_to_bindings
    if bindings.get(key) and bindings[key][0].description != description:
        bindings[key] = [replace(b, description=description) for b in bindings[key]]


class ScreenKeysTable(DataTable[Any]):
    """A table whose own keys run its screen's actions, asking its own screen (not the
    dialog on top) whether they work, so a covered key bar never shows stale keys."""

    FORWARDED: ClassVar[tuple[str, ...]] = ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.FORWARDED:
            return self.screen.check_action(action, parameters)
        return True

    async def run_forwarded(self, action: str) -> None:
        await self.app.run_action(action, self.screen)

    def set_columns(self, headers: dict[str, str], widths: dict[str, int]) -> None:
        """Start afresh with these columns (key → header), of fixed widths."""
        self.clear(columns=True)
        for key, header in headers.items():
            self.add_column(header, key=key, width=widths[key])


def _list_keys(list_id: str, start_id: str) -> list[BindingType]:
    """Home / End of a list of the checklist, and Enter that starts the round."""
    return [
        Binding("home", "scroll_top", N_("First"), show=False, id=f"{list_id}.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id=f"{list_id}.last"),
        Binding(
            "enter",
            "start_round",
            N_("Start round"),
            id=start_id,
            tooltip=N_("Start the selected round now"),
        ),
    ]


class StartRoundTable(ScreenKeysTable):
    """A list of the checklist whose Enter starts the selected round."""

    FORWARDED = ("start_round",)

    async def action_start_round(self) -> None:
        await self.run_forwarded("start_round")


class RoundTable(StartRoundTable):
    """The shift's rounds; Enter starts the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = _list_keys("patrol.rounds", "patrol.start")
    """Keys of the rounds list: start the selected round."""

    def show(self, rounds: list[RoundInfo], tz: str, name_width: int) -> None:
        """Redraw with ``rounds``: due time, tolerance, state, checks, start, name."""
        self.clear(columns=True)
        rows: list[tuple[str, list[str | Text]]] = []
        for r in rounds:
            state = Text(_(STATE_LABELS[r.state]), style=STATE_STYLES.get(r.state, ""))
            name = literal(r.schedule_name, one_line=True, limit=name_width)
            if r.state == RoundState.SKIPPED and r.skip_reason:
                name = literal(
                    f"{r.schedule_name} — {r.skip_reason}", one_line=True, limit=name_width
                )
            started: str | Text = (
                hhmm(r.started_at, tz)
                if r.state != RoundState.UPCOMING  # else when Enter will start it
                else Text(_("from {time}", time=hhmm(r.window_start, tz)), style="italic")
            )
            cells: list[str | Text] = [
                hhmm(r.due_at, tz),
                f"±{r.tolerance_minutes}",
                state,
                f"{r.checks_marked}/{r.checks_total}",
                started,
                name,
            ]
            rows.append((str(r.id), cells))
        headers = {
            "due": pgettext("patrol round", "Due"),
            "tol": _("±min"),
            "state": _("State"),
            "checks": _("Checks"),
            "started": _("Started"),
            "name": _("Round"),
        }
        # Widths that fit header and cells, set now: a table redrawn from a worker is
        # never drawn with the header's widths before it has measured its rows.
        for n, (key, header) in enumerate(headers.items()):
            fit = max([cell_len(header)] + [_cell_width(cells[n]) for _k, cells in rows])
            self.add_column(header, key=key, width=fit)
        for row_key, cells in rows:
            self.add_row(*cells, key=row_key)


class CheckTable(StartRoundTable):
    """The checks of the selected round in walking order; Enter starts the round too."""

    BINDINGS: ClassVar[list[BindingType]] = _list_keys("patrol.checks", "patrol.start_checks")
    """Keys of the checks list: start the round shown."""

    def show(self, checks: list[CheckInfo], room: int) -> None:
        """Redraw with ``checks``, numbered 1..N in walking order whatever the stored
        positions start at, in ``room`` cells."""
        # Fixed widths that fill the table: the mark (with its note) gets what is left,
        # so nothing runs off the right edge at 80 columns and wider screens show more.
        room = room - PADDING
        widths = {
            "pos": 2,
            "name": max(14, room // 4),
            "area": max(9, room // 7),
            "kind": 9,
            "expected": max(11, room // 7),
        }
        # A long name takes the room the mark does not need: at 80 columns none (the
        # mark keeps its 17), at 120 a name of up to 39 cells is shown whole.
        longest = max((cell_len(c.checkpoint.display_name) for c in checks), default=0)
        spare = room - sum(widths.values()) + widths["name"] - max(17, room // 4)
        widths["name"] = max(widths["name"], min(longest, spare))
        widths["mark"] = max(12, room - sum(widths.values()))
        headers = {
            "pos": "#",
            "name": _("Checkpoint"),
            "area": _("Area"),
            "kind": _("Kind"),
            "expected": _("Expected"),
            "mark": _("Mark"),
        }
        self.set_columns(headers, widths)
        for number, check in enumerate(checks, start=1):
            cp = check.checkpoint
            self.add_row(
                str(number),
                literal(cp.display_name, one_line=True, limit=widths["name"]),
                literal(cp.area, one_line=True, limit=widths["area"]),
                _(KIND_LABELS.get(cp.kind, cp.kind)),
                literal(expected_text(cp), one_line=True, limit=widths["expected"]),
                mark_text(check, widths["mark"]),
                key=str(check.id),
            )


class ReadingsTable(PagedTable[LogRow]):
    """Readings newest first, one page from the database at a time (a keyset cursor
    per page); PgDn / PgUp load the older / newer page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", N_("First"), show=False, id="oplog.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id="oplog.last"),
        Binding(
            "pagedown",
            "next_page",
            N_("Older"),
            id="oplog.next_page",
            tooltip=N_("The next page of older readings"),
        ),
        Binding(
            "pageup",
            "prev_page",
            N_("Newer"),
            id="oplog.prev_page",
            tooltip=N_("The previous page of newer readings"),
        ),
    ]
    """Keys of the readings list: page through the log."""

    UNLAID_ROWS = 10

    def __init__(self, load: Callable[[], None], *, id: str | None = None) -> None:
        super().__init__(load, lambda _row: None, id=id)

    def show(self, rows: list[LogRow], tz: str, room: int) -> None:
        """Redraw with a page of readings in ``room`` cells; the note gets what is left."""
        room = room - PADDING
        widths = {"time": 11, "name": max(12, room // 5), "value": 12, "range": 13, "by": 4}
        widths["note"] = max(8, room - sum(widths.values()))
        headers = {
            "time": _("Time"),
            "name": _("Checkpoint"),
            "value": _("Value"),
            "range": _("Normal"),
            "by": _("By"),
            "note": _("Note"),
        }
        self.begin(())
        for key, header in headers.items():
            self.add_column(header, key=key, width=widths[key])
        for row in rows:
            value = Text(f"{num(row.value)} {row.unit}".rstrip(), style="bold")
            if row.out_of_range:
                value.append(" ⚠")
                value.stylize("bold red")
            if row.superseded:
                value.stylize("strike dim")
            cells = (
                row.marked_at.to(tz).format("MM-DD HH:mm"),
                literal(row.name, one_line=True, limit=widths["name"]),
                value,
                row.range_text,
                literal(row.marked_by, one_line=True, limit=widths["by"]),
                literal(row.note, one_line=True, limit=widths["note"]),
            )
            self.add_item(str(row.check_id), row, cells)
