"""Repair requests (报修, EN-8.3.2) at the engineering and service desks.

Reached from F4 (``p``) and F6 (``8``). The list is newest first and paged
(PgUp / PgDn); ``n`` takes a request (received now, the cursor in the
problem); ``h`` marks the selected one handled (what was done), ``x`` not
handled (the reason is required, EN-8.3.2); Enter opens it read-only.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from dutydesk.domain import repairs
from dutydesk.domain.repairs import RepairInfo, RepairStatus
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs.repairs import mark_prompt
from dutydesk.screens.listing import DetailScreen, ListScreen
from dutydesk.widgets.form import FormField, FormScreen, format_time
from dutydesk.widgets.literal import literal
from dutydesk.widgets.tables import PagedTable, fit_columns, paged_bindings, short_time

NEW_FORM_ID = "repairs.new"

REPAIR_FIELDS: list[FormField] = [
    FormField("received_at", N_("Received at"), "time", required=True),
    FormField("from_name", N_("From (name)")),
    FormField("from_unit", N_("Unit")),
    FormField("from_phone", N_("Phone")),
    FormField("place", N_("Place")),
    FormField("problem", N_("Problem"), "area", required=True),
]


STATUS_STYLES: dict[str, str] = {
    RepairStatus.OPEN: "bold yellow",
    RepairStatus.HANDLED: "",
    RepairStatus.NOT_HANDLED: "bold red",
}


def _status(info: RepairInfo) -> Text:
    return Text(info.status_label, style=STATUS_STYLES[info.status])


def can_mark(action: str, status: str) -> bool:
    """Whether ``handled`` (h) or ``not_handled`` (x) applies to a request in ``status``:
    a request is marked handled unless it is already, and not handled only while open."""
    if action == "handled":
        return status != RepairStatus.HANDLED
    return status == RepairStatus.OPEN


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


class RepairScreen(DetailScreen):
    """One repair request, read-only, with the keys to mark it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "handled", N_("Handled"), id="repair.handled"),
        Binding("x", "not_handled", N_("Not handled"), id="repair.not_handled"),
        Binding("escape", "back", N_("Back"), id="repair.back"),
    ]
    """Keys of an opened repair request: handled, not handled, back."""

    NAME = "repair"

    def __init__(self, repair_id: int) -> None:
        super().__init__()
        self.info = repairs.get_repair(repair_id)

    def reload(self) -> None:
        self.info = repairs.get_repair(self.info.id)
        super().reload()

    def title_text(self) -> Text:
        return Text(_("Repair request #{id}", id=self.info.id))

    def details(self) -> Text:
        return repair_details(self.info, self.tz)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        desk = getattr(self.app, "desk", None)
        mine = desk is not None and desk.id == self.info.desk_id
        if action in ("handled", "not_handled"):
            return mine and can_mark(action, self.info.status)
        return True

    @work
    async def action_handled(self) -> None:
        await self.app.push_screen_wait(mark_prompt(self.kiosk.actor, self.info, True))
        self.reload()

    @work
    async def action_not_handled(self) -> None:
        await self.app.push_screen_wait(mark_prompt(self.kiosk.actor, self.info, False))
        self.reload()


class RepairTable(PagedTable[RepairInfo]):
    """The list of repair requests; PgUp / PgDn page through them."""

    BINDINGS: ClassVar[list[BindingType]] = paged_bindings("repairs")
    """Keys of the list: open a row, and page."""

    UNLAID_ROWS = 15


class RepairsScreen(ListScreen[RepairInfo]):
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

    def compose_body(self) -> ComposeResult:
        yield Static(id="repairs-status", markup=False)
        yield RepairTable(self.reload, self._open, id="repairs-table")

    @property
    def takes_requests(self) -> bool:
        desk = self.desk
        return desk is not None and desk.kind in repairs.REPAIR_DESK_KINDS

    def load(self, desk_id: int, tz: str) -> None:
        table = self.table
        page = repairs.list_repairs(desk_id, page=table.page, page_size=table.page_rows())
        table.begin(
            [
                ("id", "#"),
                ("at", _("Received at")),
                ("status", _("Status")),
                ("from", _("From (name)")),
                ("place", _("Place")),
                ("problem", _("Problem")),
            ]
        )
        for info in page.items:
            cells = [
                str(info.id),
                short_time(info.received_at, tz),
                _status(info),
                literal(f"{info.from_name} {info.from_unit}".strip(), one_line=True, limit=20),
                literal(info.place, one_line=True, limit=20),
                literal(info.problem, one_line=True, limit=40),
            ]
            table.add_item(str(info.id), info, cells)
        table.loaded(has_more=page.has_more)
        fit_columns(table, ["problem", "place", "from"])
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_("Repair requests"), style="bold")
        status.append("  " + _("page {n}", n=table.page + 1))
        if not self.takes_requests:
            status.append(
                "  " + _("Repair requests are taken at the engineering and service desks"),
                style="dim",
            )
        open_count = len(repairs.open_repairs(desk_id))
        if open_count:
            status.append("  " + _("{n} open", n=open_count), style="bold yellow")
        self.query_one("#repairs-status", Static).update(status)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self.takes_requests
        if action in ("handled", "not_handled"):
            info = self.selected() if self.is_mounted else None
            if info is None:
                return False
            return can_mark(action, info.status)
        if action == "back":
            return self.pushed
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    @work
    async def action_new(self) -> None:
        app = self.kiosk
        form = FormScreen(
            form_id=NEW_FORM_ID,
            title=_("New repair request"),
            fields=REPAIR_FIELDS,
            values={"received_at": app.clock.now()},
            submit=lambda v: repairs.create_repair(app.actor, v),
            main="problem",
        )
        result = await app.push_screen_wait(form)
        if isinstance(result, RepairInfo):
            self.notify(_("Saved: repair request #{id}", id=result.id), markup=False)
        self.first_page()

    @work
    async def _mark(self, handled: bool) -> None:
        info = self.selected()
        if info is not None:
            await self.app.push_screen_wait(mark_prompt(self.kiosk.actor, info, handled))
            self.reload()

    def action_handled(self) -> None:
        self._mark(True)

    def action_not_handled(self) -> None:
        self._mark(False)

    @work
    async def _open(self, info: RepairInfo) -> None:
        await self.app.push_screen_wait(RepairScreen(info.id))
        self.reload()

    def action_back(self) -> None:
        if self.pushed:
            self.dismiss(None)
