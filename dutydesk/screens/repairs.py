"""Repair requests (报修, EN-8.3.2) at the engineering and service desks.

Reached from F4 (``p``) and F6 (``8``). The list is newest first and paged
(PgUp / PgDn); ``n`` takes a request (received now, the cursor in the
problem); ``h`` marks the selected one handled (what was done), ``x`` not
handled (the reason is required, EN-8.3.2); Enter opens it read-only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from dutydesk.domain import repairs
from dutydesk.domain.repairs import RepairInfo
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.incidents import ActionPrompt
from dutydesk.widgets.banner import AlertBanner
from dutydesk.widgets.deskbar import DeskBar
from dutydesk.widgets.form import FormField, FormKeyBar, FormScreen, format_time
from dutydesk.widgets.literal import literal

NEW_FORM_ID = "repairs.new"

REPAIR_FIELDS: list[FormField] = [
    FormField("received_at", N_("Received at"), "time", required=True),
    FormField("from_name", N_("From (name)")),
    FormField("from_unit", N_("Unit")),
    FormField("from_phone", N_("Phone")),
    FormField("place", N_("Place")),
    FormField("problem", N_("Problem"), "area", required=True),
]


def _short(value: Any, tz: str) -> str:
    return value.to(tz).format("MM-DD HH:mm") if value is not None else ""


def _status(info: RepairInfo) -> Text:
    style = {"open": "bold yellow", "handled": "", "not_handled": "bold red"}[info.status]
    return Text(info.status_label, style=style)


def repair_details(info: RepairInfo, tz: str) -> Text:
    text = Text()

    def row(label: str, value: str | Text) -> None:
        text.append(f"{label}: ", style="bold")
        text.append(value if isinstance(value, Text) else literal(value))
        text.append("\n")

    row(_("Received at"), format_time(info.received_at, tz))
    row(_("From (name)"), info.from_name)
    row(_("Unit"), info.from_unit)
    row(_("Phone"), info.from_phone)
    row(_("Place"), info.place)
    row(_("Problem"), info.problem)
    row(_("Status"), _status(info))
    if info.action:
        row(_("What was done"), info.action)
    if info.handled_at is not None:
        row(
            _("Handled"),
            f"{format_time(info.handled_at, tz)} {repairs.handled_by_name(info)}",
        )
    if info.reason:
        row(_("Why not handled"), info.reason)
    return text


def mark(screen: Screen[Any], info: RepairInfo, handled: bool, done: Any) -> None:
    """Ask what was done (handled) or why not (not handled); the domain checks the answer."""
    app: Any = screen.app
    if handled:
        question = _("What was done for request #{id}?", id=info.id)

        def apply(text: str) -> RepairInfo:
            return repairs.mark_handled(app.actor, info.id, text)
    else:
        question = _("Why can request #{id} not be handled? (EN-8.3.2)", id=info.id)

        def apply(text: str) -> RepairInfo:
            return repairs.mark_not_handled(app.actor, info.id, text)

    app.push_screen(ActionPrompt(question, apply), done)


class RepairScreen(Screen[None]):
    """One repair request, read-only, with the keys to mark it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "handled", N_("Handled"), id="repair.handled"),
        Binding("x", "not_handled", N_("Not handled"), id="repair.not_handled"),
        Binding("escape", "back", N_("Back"), id="repair.back"),
    ]
    """Keys of an opened repair request: handled, not handled, back."""

    def __init__(self, repair_id: int) -> None:
        super().__init__()
        self.info = repairs.get_repair(repair_id)

    def compose(self) -> ComposeResult:
        yield DeskBar()
        yield AlertBanner()  # read-only mode, a wrong clock: on every screen
        yield Static(Text(_("Repair request #{id}", id=self.info.id)), id="repair-title")
        with VerticalScroll():
            yield Static(id="repair-details")
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.info = repairs.get_repair(self.info.id)
        app: Any = self.app
        self.query_one("#repair-details", Static).update(
            repair_details(self.info, str(app.clock.tz))
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        desk = getattr(app, "desk", None)
        mine = desk is not None and desk.id == self.info.desk_id
        if action == "handled":
            return mine and self.info.status != "handled"
        if action == "not_handled":
            return mine and self.info.status == "open"
        return True

    def action_handled(self) -> None:
        mark(self, self.info, True, lambda _r: self.reload())

    def action_not_handled(self) -> None:
        mark(self, self.info, False, lambda _r: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)

    def refresh_live(self) -> None:
        for bar in self.query(DeskBar):
            bar.refresh()


class RepairTable(DataTable[Any]):
    """The list of repair requests; PgUp / PgDn page through them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_repair", N_("View"), id="repairs.open"),
        Binding("pagedown", "screen.next_page", N_("Next page"), id="repairs.next_page"),
        Binding("pageup", "screen.prev_page", N_("Previous page"), id="repairs.prev_page"),
    ]
    """Keys of the list: open a row, and page."""


class RepairsScreen(DeskScreen):
    """The desk's repair requests (EN-8.3.2); open ones carry over to the next shift."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("EN-8.3.2", N_("Repair requests: handled, or not handled with the reason")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new", N_("New"), id="repairs.new"),
        Binding("h", "handled", N_("Handled"), id="repairs.handled"),
        Binding("x", "not_handled", N_("Not handled"), id="repairs.not_handled"),
        Binding("escape", "back", N_("Back"), id="repairs.back"),
    ]
    """Keys of the repair list: new request, handled, not handled, back."""

    def __init__(self, pushed: bool = False) -> None:
        super().__init__()
        self.pushed = pushed
        self.page = 0
        self.has_more = False
        self._rows: dict[str, RepairInfo] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="repairs-status", markup=False)
        yield RepairTable(id="repairs-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(RepairTable).focus()
        self.call_after_refresh(self.reload)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self.reload()

    @property
    def takes_requests(self) -> bool:
        desk = getattr(self.app, "desk", None)
        return desk is not None and desk.kind in repairs.REPAIR_DESK_KINDS

    def _page_size(self) -> int:
        height = self.query_one(RepairTable).size.height
        return max(5, height - 1) if height > 2 else 15

    def reload(self) -> None:
        app: Any = self.app
        desk = getattr(app, "desk", None)
        if desk is None:
            return
        tz = str(app.clock.tz)
        page = repairs.list_repairs(desk.id, page=self.page, page_size=self._page_size())
        self.has_more = page.has_more
        table = self.query_one(RepairTable)
        table.clear(columns=True)
        for key, header in (
            ("id", "#"),
            ("at", _("Received at")),
            ("status", _("Status")),
            ("from", _("From (name)")),
            ("place", _("Place")),
            ("problem", _("Problem")),
        ):
            table.add_column(header, key=key)
        self._rows = {}
        for info in page.items:
            key = str(info.id)
            self._rows[key] = info
            table.add_row(
                str(info.id),
                _short(info.received_at, tz),
                _status(info),
                literal(f"{info.from_name} {info.from_unit}".strip(), one_line=True, limit=20),
                literal(info.place, one_line=True, limit=20),
                literal(info.problem, one_line=True, limit=40),
                key=key,
            )
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_("Repair requests"), style="bold")
        status.append("  " + _("page {n}", n=self.page + 1))
        if not self.takes_requests:
            status.append(
                "  " + _("Repair requests are taken at the engineering and service desks"),
                style="dim",
            )
        open_count = len(repairs.open_repairs(desk.id))
        if open_count:
            status.append("  " + _("{n} open", n=open_count), style="bold yellow")
        self.query_one("#repairs-status", Static).update(status)
        self.refresh_bindings()

    def selected(self) -> RepairInfo | None:
        table = self.query_one(RepairTable)
        if table.row_count == 0:
            return None
        try:
            row_key, _col = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # no row under the cursor
            return None
        return self._rows.get(str(row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self.takes_requests
        if action in ("handled", "not_handled"):
            info = self.selected() if self.is_mounted else None
            if info is None:
                return False
            return info.status == "open" or (action == "handled" and info.status != "handled")
        if action == "next_page":
            return self.has_more
        if action == "prev_page":
            return self.page > 0
        if action == "open_repair":
            return bool(self._rows)
        if action == "back":
            return self.pushed
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def action_new(self) -> None:
        app: Any = self.app

        def saved(result: Any) -> None:
            if isinstance(result, RepairInfo):
                self.notify(_("Saved: repair request #{id}", id=result.id), markup=False)
            self.page = 0
            self.reload()

        app.push_screen(
            FormScreen(
                form_id=NEW_FORM_ID,
                title=_("New repair request"),
                fields=REPAIR_FIELDS,
                values={"received_at": app.clock.now()},
                submit=lambda v: repairs.create_repair(app.actor, v),
                main="problem",
            ),
            saved,
        )

    def action_handled(self) -> None:
        info = self.selected()
        if info is not None:
            mark(self, info, True, lambda _r: self.reload())

    def action_not_handled(self) -> None:
        info = self.selected()
        if info is not None:
            mark(self, info, False, lambda _r: self.reload())

    def action_open_repair(self) -> None:
        info = self.selected()
        if info is not None:
            self.app.push_screen(RepairScreen(info.id), lambda _r: self.reload())

    def action_next_page(self) -> None:
        if self.has_more:
            self.page += 1
            self.reload()

    def action_prev_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.reload()

    def action_back(self) -> None:
        if self.pushed:
            self.dismiss(None)
