"""The state and the drawing of F7: the week under the cursor, its warnings, the requests.

:class:`RosterView` loads and draws; the flows that change the roster are in
:mod:`.editing` and :mod:`.swaps`, the keys in :mod:`.screen`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from dutydesk.domain import roster
from dutydesk.domain.roster import GridCell, RosterGrid, SwapInfo, weekday_name
from dutydesk.domain.site import site_timezone
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs.pick import PickDialog
from dutydesk.screens.listing import ReloadingScreen
from dutydesk.screens.roster.cursor import GridCursor
from dutydesk.screens.roster.grid import WeekGrid
from dutydesk.screens.roster.labels import (
    KIND_LABELS,
    YOU,
    state_key,
    state_label,
    swap_summary,
)
from dutydesk.widgets.literal import literal
from dutydesk.widgets.tables import SteadyTable

ItemT = TypeVar("ItemT")


class Pane(StrEnum):
    """What F7 shows: the week grid or the swap requests (``r`` toggles)."""

    WEEK = "week"
    REQUESTS = "requests"


class RequestTable(SteadyTable):
    """The swap requests: waiting for you first, then the desk's pending ones, then yours."""


class RosterView(ReloadingScreen):
    """F7's state (week, cursor, view, requests) and how it is drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.grid: RosterGrid | None = None
        self.cursor = GridCursor(dt.date(2000, 1, 3))
        self.today = dt.date(2000, 1, 3)
        self.view = Pane.WEEK
        self.requests: dict[str, SwapInfo] = {}
        self.waiting_for_me = 0

    # --- state ----------------------------------------------------------------------

    @property
    def me_id(self) -> int | None:
        staff = getattr(self.app, "staff", None)
        return staff.id if staff is not None else None

    @property
    def is_supervisor(self) -> bool:
        staff = getattr(self.app, "staff", None)
        return bool(staff is not None and staff.is_supervisor)

    def _today(self) -> dt.date:
        return self.kiosk.clock.now().to(site_timezone()).date()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="roster-body"):
            yield Static(id="roster-head", markup=False)
            with Vertical(id="roster-week"):
                with Vertical(id="roster-left"):
                    yield WeekGrid(self, id="roster-grid")
                    yield Static(id="roster-detail", markup=False)
                    yield Static(id="roster-message", markup=False, classes="roster-message")
                with VerticalScroll(id="roster-warnings"):
                    yield Static(id="roster-warnings-text", markup=False)
            with Vertical(id="roster-requests"):
                yield RequestTable(id="request-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="request-detail", markup=False)
                yield Static(id="request-message", markup=False, classes="roster-message")

    def on_mount(self) -> None:
        self.today = self._today()
        desk = getattr(self.app, "desk", None)
        # This week's grid, read once: for the cursor's column and for the first load.
        grid = roster.week_grid(desk.id, self.today) if desk is not None else None
        self.cursor = GridCursor.on(self.today, self._current_column(grid))
        self.query_one(WeekGrid).focus()
        self.reload(grid)
        if self.waiting_for_me:
            self.show_message(
                _(
                    "{count} swap requests are waiting for your answer: press r",
                    count=self.waiting_for_me,
                )
            )

    def _current_column(self, grid: RosterGrid | None) -> int:
        """The column of the shift on now (the first one when none is); ``grid`` is
        the week of today."""
        if grid is None:
            return 0
        now = self.kiosk.clock.now()
        for d in (self.today - dt.timedelta(days=1), self.today):
            if d < grid.first:
                continue
            for c, cell in enumerate(grid.rows[(d - grid.first).days]):
                if cell.shift.start <= now < cell.shift.end:
                    return c
        return 0

    def loaded_once(self) -> bool:
        return self.grid is not None

    def refresh_language(self) -> None:
        self.reload()

    def reload(self, grid: RosterGrid | None = None) -> None:
        """Load the week under the cursor (or take ``grid``, that week read just now)
        and the requests; redraw everything."""
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        self.grid = grid if grid is not None else roster.week_grid(desk.id, self.cursor.date)
        if self.cursor.column >= len(self.grid.columns):
            self.cursor = GridCursor(self.cursor.week, self.cursor.day, 0)
        self._load_requests()
        self._update()

    def _update(self) -> None:
        self.query_one(WeekGrid).refresh(layout=True)
        self._update_head()
        self._update_detail()
        self._update_warnings()
        self._update_request_detail()
        self.refresh_bindings()

    def _update_head(self) -> None:
        grid = self.grid
        if grid is None:
            return
        # The desk is in the header line already: here the week and the views.
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"{grid.first.isoformat()} – {grid.last.isoformat()}  ", style="bold")
        for view, label in ((Pane.WEEK, N_("Week")), (Pane.REQUESTS, N_("Requests"))):
            shown = _(label)
            if view == Pane.REQUESTS:
                shown += f" ({len(self._pending_ids())})"
            head.append(f" {shown} ", style="reverse bold" if view == self.view else "")
        if self.waiting_for_me:
            head.append(
                "  " + _("{count} waiting for you", count=self.waiting_for_me), style="bold yellow"
            )
        self.query_one("#roster-head", Static).update(head)

    def selected_cell(self) -> GridCell | None:
        if self.grid is None or not self.grid.columns:
            return None
        return self.grid.cell(self.cursor.day, self.cursor.column)

    def _update_detail(self) -> None:
        cell = self.selected_cell()
        text = Text()
        if cell is not None:
            ref = cell.shift
            day = ref.business_date
            # The day's own times (they may change from a date on: F9 shift times).
            tz = site_timezone()
            times = f" {ref.start.to(tz).format('HH:mm')}–{ref.end.to(tz).format('HH:mm')}"
            text.append(f"{weekday_name(day)} {day.isoformat()} {ref.name}{times}", style="bold")
            if cell.holiday:
                text.append("  ★ ", style="bold magenta")
                text.append(literal(cell.holiday, one_line=True))
            text.append("  ")
            text.append(
                _(
                    "{assigned} of {required} staff",
                    assigned=len(cell.staff),
                    required=cell.required,
                ),
                style="bold red" if cell.short else "",
            )
            text.append(": ")
            if cell.staff:
                text.append(
                    literal(
                        "; ".join(f"{s.staff.staff_no} {s.staff.name}" for s in cell.staff),
                        one_line=True,
                    )
                )
            else:
                text.append(_("nobody"))
        self.query_one("#roster-detail", Static).update(text)

    def _update_warnings(self) -> None:
        grid = self.grid
        text = Text()
        if grid is not None:
            cell = self.selected_cell()
            here = list(cell.warnings) if cell is not None else []
            others = [w for w in grid.warnings if w not in here]
            text.append(_("Warnings: {count}", count=len(grid.warnings)) + "\n", style="bold")
            for w in here:
                text.append("! ", style="bold red")
                text.append(literal(w.text(), "bold"))
                text.append(f" ({w.rule})\n")
            for w in others:
                text.append("! ", style="yellow")
                text.append(literal(w.text()))
                text.append(f" ({w.rule})\n")
        self.query_one("#roster-warnings-text", Static).update(text)

    def refuse(self, exc: DutyDeskError) -> None:
        """The domain's message, as it is, on the message line and as a toast."""
        message = exc.translated()
        self.show_message(message, error=True)
        self.app.bell()
        self.notify(message, severity="error", markup=False, timeout=8)

    def show_message(self, message: str, error: bool = False) -> None:
        """A line under the grid (and the requests) with the last outcome or refusal."""
        for w in self.query(".roster-message").results(Static):
            w.update(literal(message))
            w.set_class(error, "-error")

    # --- the requests -----------------------------------------------------------------

    def _load_requests(self) -> None:
        desk = getattr(self.app, "desk", None)
        me = self.me_id
        if desk is None or me is None:
            return
        now = self.kiosk.clock.now()
        mine = roster.requests_needing_my_acceptance(me, now)
        self.waiting_for_me = len(mine)
        rows: list[SwapInfo] = list(mine)
        seen = {r.id for r in rows}
        for r in [*roster.pending_requests(desk.id), *roster.my_requests(me)[:10]]:
            if r.id not in seen:
                rows.append(r)
                seen.add(r.id)
        table = self.query_one(RequestTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        for header in (
            "#",
            N_("Kind"),
            N_("Shift"),
            N_("From"),
            N_("With"),
            N_("State"),
        ):
            table.add_column(_(header) if header != "#" else header)
        self.requests = {}
        for r in rows:
            self.requests[str(r.id)] = r
            colleague = ""
            if r.colleague is not None:
                colleague = r.colleague.staff_no
                if r.colleague_slot is not None:
                    colleague += f" {r.colleague_slot.business_date.strftime('%m-%d')}"
                    colleague += f" {r.colleague_slot.name}"
            key = state_key(r, me)
            table.add_row(
                str(r.id),
                _(KIND_LABELS.get(r.kind, r.kind)),
                f"{r.slot.business_date.strftime('%m-%d')} {r.slot.name}",
                literal(r.requester.staff_no, one_line=True),
                literal(colleague, one_line=True),
                Text(state_label(r, me), style="bold yellow" if key == YOU else ""),
                key=str(r.id),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _pending_ids(self) -> list[int]:
        return [r.id for r in self.requests.values() if r.waiting_for is not None]

    def selected_request(self) -> SwapInfo | None:
        if self.view != Pane.REQUESTS:
            return None
        table = self.query_one(RequestTable)
        if not table.row_count:
            return None
        try:
            row_key, _col = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # no row under the cursor
            return None
        return self.requests.get(str(row_key.value))

    def _update_request_detail(self) -> None:
        r = self.selected_request()
        text = Text()
        if r is not None:
            text.append(literal(swap_summary(r)))
            text.append("  [" + state_label(r, self.me_id) + "]", style="bold")
            if r.decided_by is not None:
                text.append("  " + _("by") + " ")
                text.append(literal(f"{r.decided_by.staff_no} {r.decided_by.name}"))
            if r.decision_note:
                text.append(" — ")
                text.append(literal(r.decision_note))
        elif self.view == Pane.REQUESTS:
            text.append(_("No swap requests."))
        if self.view == Pane.REQUESTS:
            self.query_one("#request-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#request-table")
    def _request_highlighted(self) -> None:
        self._update_request_detail()
        self.refresh_bindings()

    # --- flows' helpers (call from a worker) -------------------------------------------

    async def choose(
        self,
        title: str,
        items: dict[str, ItemT],
        label: Callable[[ItemT], str],
        intro: str = "",
        *,
        filter: bool = True,
    ) -> ItemT | None:
        """Ask for one of ``items`` (key → item) in a :class:`PickDialog`; None on Esc."""
        shown = [(key, label(item)) for key, item in items.items()]
        key = await self.app.push_screen_wait(PickDialog(title, shown, intro, filter=filter))
        return items[key] if key is not None else None

    # --- moving --------------------------------------------------------------------------

    def move(self, key: str) -> None:
        if self.grid is None:
            return
        if key == "home":
            self.cursor = GridCursor.on(self._today(), self.cursor.column)
        else:
            self.cursor = self.cursor.moved(key, len(self.grid.columns))
        if self.cursor.week != self.grid.first:
            self.reload()
        else:
            self._update()

    def action_toggle_view(self) -> None:
        self.view = Pane.REQUESTS if self.view == Pane.WEEK else Pane.WEEK
        self.set_class(self.view == Pane.REQUESTS, "-requests")
        self._relabel("r", N_("Week") if self.view == Pane.REQUESTS else N_("Requests"))
        self.reload()
        target = RequestTable if self.view == Pane.REQUESTS else WeekGrid
        self.query_one(target).focus()

    def _relabel(self, key: str, description: str) -> None:
        # The map's lists are shared with the class: replace the list, never edit it.
        bindings = self._bindings.key_to_bindings
        bindings[key] = [replace(b, description=description) for b in bindings.get(key, [])]
