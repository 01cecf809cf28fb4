"""F7: the roster of the desk — a week grid, its warnings, shift swaps and rotations.

* **Week grid** (CS1, SE-3). Days down, the desk's shifts across; names (or
  staff numbers when the terminal is narrow) in the cells, holidays marked ★
  (CS9), cells short of staff or with a warning marked ``!``. Arrow keys move
  (off the top or bottom into the previous or next week), PgUp / PgDn change
  the week, Home comes back to today. The line under the grid names everyone
  in the selected cell in full; the warnings are below the grid (beside it on
  wide terminals).
* **Supervisors** assign (``a``, a person from a list) and remove (``d``)
  staff in the selected cell, and generate a rotation (``g``: preview first).
  Everyone else sees the grid read-only: the keys are not offered.
* **Swaps** (CS8, EN-8.3.5). ``n`` asks for an exchange, a cover, "needs
  cover" or an absence for one's own shift. ``r`` shows the requests: the
  colleague accepts (``c``) or declines (``k``) with their own staff number and
  PIN, on the spot or later at their own login; a supervisor approves (``o``)
  or rejects (``x``) with PIN. The domain refuses what the rules forbid
  (self-approval, late requests) and its message is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from dutydesk.domain import roster, rotations
from dutydesk.domain import staff as staff_rules
from dutydesk.domain.roster import GridCell, GridCursor, RosterGrid, RosterSlot, SwapInfo
from dutydesk.domain.site import site_timezone
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog, DeskScreen
from dutydesk.screens.dialogs import ConfirmDialog, FormDialog
from dutydesk.widgets.form import FormField, FormScreen, PromptDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean, literal

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

KIND_LABELS: dict[str, str] = {
    "exchange": N_("Exchange"),
    "cover": N_("Cover"),
    "needs_cover": N_("Needs cover"),
    "absence": N_("Sick / absent"),
}

KIND_HELP: dict[str, str] = {
    "exchange": N_("Exchange: trade this shift for a colleague's shift"),
    "cover": N_("Cover: a colleague takes this shift"),
    "needs_cover": N_("Needs cover: the supervisor finds someone (give the reason)"),
    "absence": N_("Sick / absent on the day: the supervisor assigns cover"),
}

STATE_LABELS: dict[str, str] = {
    "colleague": N_("waiting for colleague"),
    "you": N_("waiting for you"),
    "supervisor": N_("waiting for supervisor"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "declined": N_("declined"),
    "withdrawn": N_("withdrawn"),
}

DAY_WIDTH = 11  # "Mon 12-01 ★"
WIDE_GRID = 80  # a grid at least this wide shows names (where they fit), else staff numbers


def _error(screen: Any, exc: DutyDeskError) -> None:
    """The domain's message, as it is, on the screen's message line and as a toast."""
    message = exc.translated()
    show = getattr(screen, "show_message", None)
    if callable(show):
        show(message, error=True)
    screen.app.bell()
    screen.notify(message, severity="error", markup=False, timeout=8)


def state_key(info: SwapInfo, me: int | None) -> str:
    waiting = info.waiting_for
    if waiting == "colleague" and info.colleague is not None and info.colleague.id == me:
        return "you"
    return waiting or info.state


def swap_summary(info: SwapInfo) -> str:
    """One line: who asks what for which shift (names literal: data)."""
    kind = _(KIND_LABELS.get(info.kind, info.kind))
    line = f"#{info.id} {kind}: {info.requester.staff_no} {info.requester.name}, "
    line += info.slot.label()
    if info.colleague is not None:
        line += f" ↔ {info.colleague.staff_no} {info.colleague.name}"
        if info.colleague_slot is not None:
            line += f", {info.colleague_slot.label()}"
    if info.reason:
        line += f" — {info.reason}"
    return line


# --- dialogs -----------------------------------------------------------------------------


class PickDialog(DeskDialog):
    """Choose one item from a list; typing filters it. Enter chooses, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", N_("Choose"), id="pick.choose"),
        Binding("escape", "cancel", N_("Cancel"), id="pick.cancel"),
        Binding("up", "move(-1)", N_("Previous"), id="pick.up", show=False),
        Binding("down", "move(1)", N_("Next"), id="pick.down", show=False),
    ]
    """The keys of a choice list: up / down, Enter, Esc; letters filter."""

    def __init__(
        self, title: str, items: list[tuple[str, str]], intro: str = "", *, filter: bool = True
    ) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.intro_text = intro
        self.with_filter = filter

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            if self.intro_text:
                yield Static(literal(self.intro_text), classes="dialog-intro")
            if self.with_filter:
                yield Input(placeholder=_("Type to filter"), id="pick-filter")
            yield OptionList(*self._options(""), id="pick-list")
            yield KeyBar()

    def _options(self, text: str) -> list[Option]:
        wanted = text.strip().lower()
        return [
            Option(literal(label, one_line=True), id=key)
            for key, label in self.items
            if wanted in label.lower()
        ]

    def on_mount(self) -> None:
        target = "#pick-filter" if self.with_filter else "#pick-list"
        self.query_one(target).focus()
        self.query_one(OptionList).highlighted = 0 if self.items else None

    @on(Input.Changed, "#pick-filter")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.set_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    @on(Input.Submitted, "#pick-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PinDialog(FormDialog):
    """A staff number and a PIN, handed to ``submit`` (a domain call) on Enter.

    The staff number is prefilled (the person expected) and the cursor starts in
    the PIN; a refusal from the domain is shown in the dialog as it is.
    """

    FIELD_MAP: ClassVar[dict[str, str]] = {"staff_no": "pin-staff", "pin": "pin-pin"}

    def __init__(
        self, title: str, intro: str, staff_no: str, submit: Callable[[str, str], Any]
    ) -> None:
        super().__init__()
        self.TITLE_MSGID = title
        self._intro = intro
        self._staff_no = staff_no
        self._submit = submit

    def intro(self) -> str:
        return clean(self._intro)

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("pin-staff", N_("Staff number"), False, self._staff_no),
            ("pin-pin", N_("PIN"), True, ""),
        ]

    def on_mount(self) -> None:
        self.query_one("#pin-pin" if self._staff_no else "#pin-staff", Input).focus()

    def submit(self) -> None:
        self.dismiss(self._submit(self.value("pin-staff").strip(), self.value("pin-pin")))


class RotationPreviewDialog(DeskDialog):
    """What a rotation would write, its conflicts and warnings; ``y`` writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Write it"), id="rotation.apply"),
        Binding("n,escape", "answer(False)", N_("Cancel"), id="rotation.cancel"),
    ]
    """Keys of the preview: write the rotation, or cancel."""

    def __init__(self, plan: rotations.RotationPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        p = self.plan
        with Vertical(classes="dialog"):
            yield Static(
                _(
                    "Rotation {first} – {last}: preview",
                    first=p.first.isoformat(),
                    last=p.last.isoformat(),
                ),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="rotation-preview"):
                yield Static(self._text(), markup=False)
            yield KeyBar()

    def _text(self) -> Text:
        p = self.plan
        text = Text()
        text.append(
            _(
                "{add} to add, {remove} to remove, {same} unchanged, {kept} kept, "
                "{started} started shifts left alone",
                add=len(p.add),
                remove=len(p.remove),
                same=p.unchanged,
                kept=len(p.conflicts),
                started=p.started,
            )
            + "\n",
            style="bold",
        )
        for c in p.conflicts:
            text.append("• ")
            text.append(literal(c.text()))
            text.append("\n")
        if p.warnings:
            text.append(_("Warnings after it: {count}", count=len(p.warnings)) + "\n", style="bold")
            for w in p.warnings:
                text.append("! ", style="bold yellow")
                text.append(literal(w.text()))
                text.append("\n")
        else:
            text.append(_("No warnings after it.") + "\n")
        return text

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# --- the grid ------------------------------------------------------------------------------


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
        Binding("pageup", "move('pageup')", N_("Previous week"), id="roster.pageup"),
        Binding("pagedown", "move('pagedown')", N_("Next week"), id="roster.pagedown"),
        Binding("home", "move('home')", N_("This week"), id="roster.home", show=False),
    ]
    """Keys of the week grid: arrows, previous / next week, back to this week."""

    def action_move(self, key: str) -> None:
        screen: Any = self.screen
        screen.move(key)

    def render(self) -> Text:
        screen: Any = self.screen
        grid: RosterGrid | None = screen.grid
        if grid is None:
            return Text("")
        cursor: GridCursor = screen.cursor
        me = screen.me_id
        today = screen.today
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
            label = f"{_(WEEKDAYS[day.weekday()])} {day.strftime('%m-%d')}"
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


# --- the screen ----------------------------------------------------------------------------


class RequestTable(DataTable[Any]):
    """The swap requests: waiting for you first, then the desk's pending ones, then yours."""


class RosterScreen(DeskScreen):
    """F7: the week grid of this desk, its warnings, and the swap requests."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("CS1", N_("Staff are put on duty every day: the roster")),
        ("SE-3", N_("Work to the roster: overlaps, rest and nights are warned")),
        ("CS9", N_("Holidays need reinforced duty: short holiday shifts are warned")),
        ("CS8", N_("Swaps are asked for before the shift and reported to the supervisor")),
        ("EN-8.3.5", N_("No private swaps: a supervisor, never the requester, approves")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new_request", N_("New request"), id="roster.new"),
        Binding("r", "toggle_view", N_("Requests"), id="roster.requests"),
        Binding("a", "assign", N_("Assign"), id="roster.assign"),
        Binding("d", "remove", N_("Remove"), id="roster.remove"),
        Binding("g", "rotation", N_("Rotation"), id="roster.rotation"),
        Binding("c", "accept", N_("Accept"), id="roster.accept"),
        Binding("k", "decline", N_("Decline"), id="roster.decline"),
        Binding("o", "approve", N_("Approve"), id="roster.approve"),
        Binding("x", "reject", N_("Reject"), id="roster.reject"),
        Binding("w", "withdraw", N_("Withdraw"), id="roster.withdraw"),
    ]
    """Keys of the roster: requests, the supervisor's edits, and deciding requests."""

    def __init__(self) -> None:
        super().__init__()
        self.grid: RosterGrid | None = None
        self.cursor = GridCursor(dt.date(2000, 1, 3))
        self.today = dt.date(2000, 1, 3)
        self.view = "week"
        self.requests: dict[str, SwapInfo] = {}
        self.waiting_for_me = 0
        self._suspended = False

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
                    yield WeekGrid(id="roster-grid")
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

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # Only after a suspend: Textual posts ScreenResume twice when a mode's screen
        # is first shown, and on_mount loads it already.
        if self.grid is not None and self._suspended:
            self._suspended = False
            self.reload()

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
        for view, label in (("week", N_("Week")), ("requests", N_("Requests"))):
            shown = _(label)
            if view == "requests":
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
        return self.grid.cell_at(self.cursor)

    def _update_detail(self) -> None:
        cell = self.selected_cell()
        text = Text()
        if cell is not None:
            ref = cell.shift
            day = ref.business_date
            # The day's own times (they may change from a date on: F9 shift times).
            tz = site_timezone()
            times = f" {ref.start.to(tz).format('HH:mm')}–{ref.end.to(tz).format('HH:mm')}"
            text.append(
                f"{_(WEEKDAYS[day.weekday()])} {day.isoformat()} {ref.name}{times}", style="bold"
            )
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
                Text(_(STATE_LABELS.get(key, key)), style="bold yellow" if key == "you" else ""),
                key=str(r.id),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _pending_ids(self) -> list[int]:
        return [r.id for r in self.requests.values() if r.waiting_for is not None]

    def selected_request(self) -> SwapInfo | None:
        if self.view != "requests":
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
            key = state_key(r, self.me_id)
            text.append(literal(swap_summary(r)))
            text.append("  [" + _(STATE_LABELS.get(key, key)) + "]", style="bold")
            if r.decided_by is not None:
                text.append("  " + _("by") + " ")
                text.append(literal(f"{r.decided_by.staff_no} {r.decided_by.name}"))
            if r.decision_note:
                text.append(" — ")
                text.append(literal(r.decision_note))
        elif self.view == "requests":
            text.append(_("No swap requests."))
        if self.view == "requests":
            self.query_one("#request-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#request-table")
    def _request_highlighted(self) -> None:
        self._update_request_detail()
        self.refresh_bindings()

    # --- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        week = self.view == "week"
        if action in ("assign", "rotation"):
            return week and self.is_supervisor
        if action == "remove":
            cell = self.selected_cell()
            return week and self.is_supervisor and bool(cell and cell.staff)
        if action in ("accept", "decline"):
            r = self.selected_request()
            return r is not None and r.waiting_for == "colleague"
        if action == "approve":
            r = self.selected_request()
            return self.is_supervisor and r is not None and r.waiting_for == "supervisor"
        if action == "reject":
            r = self.selected_request()
            return self.is_supervisor and r is not None and r.waiting_for is not None
        if action == "withdraw":
            r = self.selected_request()
            return r is not None and r.waiting_for is not None and r.requester.id == self.me_id
        return True

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
        self.view = "requests" if self.view == "week" else "week"
        self.set_class(self.view == "requests", "-requests")
        self._relabel("r", N_("Week") if self.view == "requests" else N_("Requests"))
        self.reload()
        target = RequestTable if self.view == "requests" else WeekGrid
        self.query_one(target).focus()

    def _relabel(self, key: str, description: str) -> None:
        # The map's lists are shared with the class: replace the list, never edit it.
        bindings = self._bindings.key_to_bindings
        bindings[key] = [replace(b, description=description) for b in bindings.get(key, [])]

    # --- supervisors: assign, remove, rotation -------------------------------------------

    def action_assign(self) -> None:
        cell = self.selected_cell()
        desk = getattr(self.app, "desk", None)
        if cell is None or desk is None or not self.is_supervisor:
            return
        people = roster.assignable_staff(cell.shift.template_id, cell.shift.business_date)
        items = [(str(p.id), f"{p.staff_no} {p.name}") for p in people]
        title = _("Assign to {shift}", shift=cell.shift.label())

        def chosen(staff_id: str | None) -> None:
            if staff_id is None:
                return
            try:
                slot = roster.assign(
                    self.kiosk.actor,
                    desk.id,
                    cell.shift.template_id,
                    cell.shift.business_date,
                    int(staff_id),
                )
            except DutyDeskError as exc:
                _error(self, exc)
                return
            self.reload()
            self.show_message(
                _("{name} is on {shift}", name=slot.staff.name, shift=slot.shift.label())
            )

        self.app.push_screen(PickDialog(title, items), chosen)

    def action_remove(self) -> None:
        cell = self.selected_cell()
        if cell is None or not cell.staff or not self.is_supervisor:
            return

        def remove(slot: RosterSlot) -> None:
            def confirmed(yes: bool | None) -> None:
                if not yes or slot.entry_id is None:
                    return
                try:
                    roster.unassign(self.kiosk.actor, slot.entry_id)
                except DutyDeskError as exc:
                    _error(self, exc)
                    return
                self.reload()
                self.show_message(
                    _("{name} removed from {shift}", name=slot.staff.name, shift=slot.shift.label())
                )

            who = f"{slot.staff.staff_no} {slot.staff.name}"
            question = _("Remove {name} from {shift}?", name=who, shift=slot.shift.label())
            self.app.push_screen(ConfirmDialog(question), confirmed)

        if len(cell.staff) == 1:
            remove(cell.staff[0])
            return
        by_id = {str(s.entry_id): s for s in cell.staff}
        items = [(key, f"{s.staff.staff_no} {s.staff.name}") for key, s in by_id.items()]

        def chosen(key: str | None) -> None:
            if key is not None:
                remove(by_id[key])

        self.app.push_screen(
            PickDialog(_("Remove whom from {shift}?", shift=cell.shift.label()), items), chosen
        )

    def action_rotation(self) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None or not self.is_supervisor:
            return
        choices = rotations.rotations_for(desk.id)
        if not choices:
            self.show_message(_("No built-in rotation fits the shifts of this desk"), error=True)
            return
        teams = max(r.teams for r in choices)
        fields = [
            FormField(
                "rotation",
                N_("Rotation"),
                "choice",
                required=True,
                choices=tuple((r.code, r.name) for r in choices),
            ),
            FormField("first", N_("First day"), required=True, placeholder="YYYY-MM-DD"),
            FormField("weeks", N_("Weeks"), required=True),
        ]
        fields += [
            FormField(f"team{i}", _("Team {number}", number=i), placeholder="G01 G02")
            for i in range(1, teams + 1)
        ]
        next_monday = roster.week_start(self._today()) + dt.timedelta(days=7)
        first = max(self.cursor.week, next_monday)
        values: dict[str, Any] = {
            "rotation": choices[0].code,
            "first": first.isoformat(),
            "weeks": "4",
        }
        actor = self.kiosk.actor

        def submit(v: dict[str, Any]) -> rotations.RotationPlan:
            rot = rotations.rotation(v["rotation"] or choices[0].code)
            try:
                start = dt.date.fromisoformat(v["first"].strip())
            except ValueError:
                raise ValidationError(N_("Enter the day as YYYY-MM-DD"), field="first") from None
            try:
                weeks = int(v["weeks"].strip())
            except ValueError:
                weeks = 0
            if not 1 <= weeks <= 52:
                raise ValidationError(N_("Between 1 and 52 weeks"), field="weeks")
            team_ids: list[list[int]] = []
            for i in range(1, rot.teams + 1):
                ids = []
                for number in v[f"team{i}"].replace(",", " ").split():
                    person = staff_rules.by_number(number)
                    if person is None:
                        raise ValidationError(
                            N_("No staff member {number}"), field=f"team{i}", number=number
                        )
                    ids.append(person.id)
                team_ids.append(ids)
            try:
                return rotations.preview(
                    actor, desk.id, rot.code, team_ids, start, start + dt.timedelta(weeks * 7 - 1)
                )
            except ValidationError as exc:
                if exc.field == "teams":
                    exc.field = "team1"
                raise

        def previewed(plan: rotations.RotationPlan | None) -> None:
            if plan is None:
                return

            def answered(yes: bool | None) -> None:
                if not yes:
                    return
                try:
                    done = rotations.apply(self.kiosk.actor, plan)
                except DutyDeskError as exc:
                    _error(self, exc)
                    return
                self.reload()
                self.show_message(
                    _("Rotation written: {count} roster entries added", count=len(done.add))
                )

            self.app.push_screen(RotationPreviewDialog(plan), answered)

        self.app.push_screen(
            FormScreen(
                form_id="roster.rotation",
                title=_("Generate a rotation (preview first)"),
                fields=fields,
                values=values,
                submit=submit,
                main="first",
                note=_("Teams: staff numbers separated by spaces; approved swaps are kept."),
            ),
            previewed,
        )

    # --- swaps: asking ------------------------------------------------------------------

    def _my_slot_here(self) -> RosterSlot | None:
        if self.view != "week":
            return None
        cell = self.selected_cell()
        me = self.me_id
        if cell is None or me is None:
            return None
        return next((s for s in cell.staff if s.staff.id == me), None)

    def action_new_request(self) -> None:
        me = self.me_id
        if me is None:
            return
        slot = self._my_slot_here()
        if slot is not None:
            self._ask_kind(slot)
            return
        now = self.kiosk.clock.now()
        ahead = roster.upcoming_slots(me, now)
        if not ahead:
            self.show_message(
                _("You have no shift ahead on the roster: select your shift in the grid"),
                error=True,
            )
            return
        by_id = {str(s.entry_id): s for s in ahead}
        items = [(k, s.shift.label(with_desk=True)) for k, s in by_id.items()]

        def chosen(key: str | None) -> None:
            if key is not None:
                self._ask_kind(by_id[key])

        self.app.push_screen(PickDialog(_("Which of your shifts?"), items), chosen)

    def _ask_kind(self, slot: RosterSlot) -> None:
        items = [(kind, _(KIND_HELP[kind])) for kind in roster.KINDS]
        title = _("Swap request for {shift}", shift=slot.shift.label())

        def chosen(kind: str | None) -> None:
            if kind == "exchange":
                self._pick_colleague(slot, self._pick_colleague_shift)
            elif kind == "cover":
                self._pick_colleague(slot, self._cover_reason)
            elif kind in ("needs_cover", "absence"):
                self._needs_cover(slot, kind)

        self.app.push_screen(PickDialog(title, items, filter=False), chosen)

    def _pick_colleague(self, slot: RosterSlot, then: Callable[[RosterSlot, Any], None]) -> None:
        people = [
            p
            for p in roster.assignable_staff(slot.shift.template_id, slot.shift.business_date)
            if p.id != self.me_id
        ]
        by_id = {str(p.id): p for p in people}
        items = [(k, f"{p.staff_no} {p.name}") for k, p in by_id.items()]

        def chosen(key: str | None) -> None:
            if key is not None:
                then(slot, by_id[key])

        self.app.push_screen(
            PickDialog(_("Which colleague?"), items, _("Type a staff number or a name.")), chosen
        )

    def _pick_colleague_shift(self, slot: RosterSlot, colleague: Any) -> None:
        theirs = roster.upcoming_slots(colleague.id, self.kiosk.clock.now())
        if not theirs:
            self.show_message(
                _("{name} has no shift ahead to exchange", name=colleague.name), error=True
            )
            return
        by_id = {str(s.entry_id): s for s in theirs}
        items = [(k, s.shift.label(with_desk=True)) for k, s in by_id.items()]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            other = by_id[key]

            def with_reason(reason: str | None) -> None:
                if reason is None:
                    return
                self._ask(
                    lambda: roster.request_exchange(
                        self.kiosk.actor,
                        slot.entry_id or 0,
                        colleague.id,
                        other.entry_id or 0,
                        reason,
                    )
                )

            self.app.push_screen(
                PromptDialog(_("Reason (may stay empty), then Enter"), required=False),
                with_reason,
            )

        self.app.push_screen(
            PickDialog(_("Which shift of {name}?", name=colleague.name), items, filter=False),
            chosen,
        )

    def _cover_reason(self, slot: RosterSlot, colleague: Any) -> None:
        def with_reason(reason: str | None) -> None:
            if reason is None:
                return
            self._ask(
                lambda: roster.request_cover(
                    self.kiosk.actor, slot.entry_id or 0, colleague.id, reason
                )
            )

        self.app.push_screen(
            PromptDialog(_("Reason (may stay empty), then Enter"), required=False), with_reason
        )

    def _needs_cover(self, slot: RosterSlot, kind: str) -> None:
        def with_reason(reason: str | None) -> None:
            if reason is None:
                return
            call = roster.request_needs_cover if kind == "needs_cover" else roster.report_absence
            self._ask(lambda: call(self.kiosk.actor, slot.entry_id or 0, reason))

        self.app.push_screen(PromptDialog(_("Why? (required), then Enter")), with_reason)

    def _ask(self, call: Callable[[], SwapInfo]) -> None:
        try:
            info = call()
        except DutyDeskError as exc:
            _error(self, exc)
            return
        self.reload()
        if info.waiting_for == "colleague" and info.colleague is not None:
            self.show_message(
                _(
                    "Request #{id} sent: waiting for {name} to accept",
                    id=info.id,
                    name=info.colleague.name,
                )
            )
            question = _("Is {name} here to accept now, with their PIN?", name=info.colleague.name)

            def now(yes: bool | None) -> None:
                if yes:
                    self._accept(info)

            self.app.push_screen(ConfirmDialog(question), now)
        else:
            self.show_message(_("Request #{id} sent: the supervisor decides", id=info.id))

    # --- swaps: answering and deciding ----------------------------------------------------

    def _accept(self, info: SwapInfo) -> None:
        expected = info.colleague.staff_no if info.colleague is not None else ""

        def submit(staff_no: str, pin: str) -> SwapInfo:
            return roster.accept(self.kiosk.actor, info.id, staff_no, pin)

        intro = _("Accept with your own staff number and PIN:") + "\n" + swap_summary(info)
        self.app.push_screen(
            PinDialog(N_("The colleague accepts"), intro, expected, submit), self._decided
        )

    def action_accept(self) -> None:
        r = self.selected_request()
        if r is not None and r.waiting_for == "colleague":
            self._accept(r)

    def action_decline(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for != "colleague":
            return
        expected = r.colleague.staff_no if r.colleague is not None else ""

        def submit(staff_no: str, pin: str) -> SwapInfo:
            return roster.decline(self.kiosk.actor, r.id, staff_no, pin)

        intro = _("Decline with your own staff number and PIN:") + "\n" + swap_summary(r)
        self.app.push_screen(
            PinDialog(N_("The colleague declines"), intro, expected, submit), self._decided
        )

    def action_approve(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for != "supervisor" or not self.is_supervisor:
            return
        if r.kind in ("needs_cover", "absence"):
            people = [
                p
                for p in roster.assignable_staff(r.slot.template_id, r.slot.business_date)
                if p.id != r.requester.id
            ]
            by_id = {str(p.id): p for p in people}
            items = [(k, f"{p.staff_no} {p.name}") for k, p in by_id.items()]

            def chosen(key: str | None) -> None:
                if key is not None:
                    self._approve(r, by_id[key].id)

            self.app.push_screen(
                PickDialog(_("Who covers {shift}?", shift=r.slot.label()), items), chosen
            )
            return
        self._approve(r, None)

    def _approve(self, r: SwapInfo, cover_id: int | None) -> None:
        try:
            found = roster.approval_warnings(r.id, cover_id)
        except DutyDeskError as exc:
            _error(self, exc)
            return
        lines = [_("Approve with your staff number and PIN:"), swap_summary(r)]
        lines += ["! " + w.text() for w in found]

        def submit(staff_no: str, pin: str) -> SwapInfo:
            return roster.approve(self.kiosk.actor, r.id, staff_no, pin, cover_id=cover_id)

        staff = self.kiosk.staff
        self.app.push_screen(
            PinDialog(N_("Approve the swap"), "\n".join(lines), staff.staff_no, submit),
            self._decided,
        )

    def action_reject(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for is None or not self.is_supervisor:
            return

        def submit(staff_no: str, pin: str) -> SwapInfo:
            return roster.reject(self.kiosk.actor, r.id, staff_no, pin)

        intro = _("Reject with your staff number and PIN:") + "\n" + swap_summary(r)
        self.app.push_screen(
            PinDialog(N_("Reject the swap"), intro, self.kiosk.staff.staff_no, submit),
            self._decided,
        )

    def action_withdraw(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for is None or r.requester.id != self.me_id:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                info = roster.withdraw(self.kiosk.actor, r.id)
            except DutyDeskError as exc:
                _error(self, exc)
                return
            self._decided(info)

        self.app.push_screen(ConfirmDialog(_("Withdraw request #{id}?", id=r.id)), confirmed)

    def _decided(self, info: SwapInfo | None) -> None:
        if info is None:
            return
        self.reload()
        key = state_key(info, self.me_id)
        self.show_message(
            _("Request #{id}: {state}", id=info.id, state=_(STATE_LABELS.get(key, key)))
        )
