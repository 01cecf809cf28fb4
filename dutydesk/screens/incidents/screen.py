"""F4: the desk's incidents, newest first, paged from the database and filtered
with ``/``; overdue written reports stand out (CS6)."""

from __future__ import annotations

from typing import Any, ClassVar

import arrow
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from dutydesk.domain import drafts, incidents, repairs
from dutydesk.domain.incidents import IncidentInfo
from dutydesk.domain.patterns import DeskKind
from dutydesk.i18n import N_, _
from dutydesk.screens.incidents.detail import IncidentScreen
from dutydesk.screens.incidents.form import (
    NEW_FORM_ID,
    SEVERITY_CHOICES,
    STATUS_CHOICES,
    natures,
    new_incident_form,
)
from dutydesk.screens.listing import DAY_FIELDS, ListScreen, parse_days
from dutydesk.screens.repairs import RepairsScreen
from dutydesk.widgets.form import FormField, FormScreen
from dutydesk.widgets.literal import literal
from dutydesk.widgets.tables import PagedTable, fit_columns, paged_bindings, short_time

CELL_LIMIT = 40


class IncidentTable(PagedTable[IncidentInfo]):
    """The incident list; PgUp / PgDn load the previous / next page from the database."""

    BINDINGS: ClassVar[list[BindingType]] = paged_bindings("incidents")
    """Keys of the list: open a row, and page through the incidents."""


def report_cell(info: IncidentInfo, now: arrow.Arrow, tz: str) -> Text:
    """The list's report column: overdue reports stand out (CS6)."""
    if info.report_due_at is None:
        return Text("")
    if info.report_filed_at is not None:
        return Text(_("filed"), style="dim")
    if info.report_overdue(now):
        return Text(_("OVERDUE"), style="bold white on red")
    # The day is enough in the list (a report is due by the end of it, CS6); the
    # incident itself shows the time.
    due = info.report_due_at.to(tz).format("MM-DD")
    return Text(_("due {day}", day=due), style="bold")


class IncidentsScreen(ListScreen[IncidentInfo]):
    """F4: the desk's incidents, newest first, filtered with ``/``."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("SE-4", N_("Place, nature, number of people, characteristics; who was told")),
        ("CS6", N_("A major incident is reported to a leader at once; report due next day")),
        ("CS-R3", N_("The delay from occurrence to the first report is shown")),
        ("EN-8.6.2", N_("An incident being handled blocks the handover")),
        ("EN-8.3.2", N_("Repair requests: handled, or not handled with the reason")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new", N_("New"), id="incidents.new"),
        Binding("slash", "filter", N_("Filter"), id="incidents.filter", key_display="/"),
        Binding("p", "repairs", N_("Repair requests"), id="incidents.repairs"),
    ]
    """Keys of the incident list: new incident, filter, repair requests."""

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="incidents-status", markup=False)
        yield IncidentTable(self.reload, self._open, id="incidents-table")

    def load(self, desk_id: int, tz: str) -> None:
        now = self.kiosk.clock.now()
        table = self.table
        page = incidents.list_incidents(
            desk_id, page=table.page, page_size=table.page_rows(), **self.filters
        )
        if not page.items and table.step_back():
            self.reload()
            return
        # The Report column only when a listed incident has a report (major ones).
        with_report = any(info.report_due_at is not None for info in page.items)
        table.begin(
            (key, header)
            for key, header in (
                ("id", "#"),
                ("at", _("Time")),
                ("severity", _("Severity")),
                ("status", _("Status")),
                ("nature", _("Nature")),
                ("place", _("Place")),
                ("report", _("Report")),
                ("what", _("What happened")),
            )
            if key != "report" or with_report
        )
        for info in page.items:
            overdue = info.report_overdue(now)
            nature = info.subcategory_name or info.category_name
            mark = "bold red" if overdue else ""  # an overdue report marks the whole row
            cells = [
                Text(str(info.id), style=mark),
                Text(short_time(info.occurred_at, tz), style=mark),
                Text(info.severity_label, style="bold red" if info.major else ""),
                Text(info.status_label, style="bold yellow" if info.being_handled else ""),
                literal(nature, one_line=True, limit=20),
                literal(info.place, one_line=True, limit=20),
                *([report_cell(info, now, tz)] if with_report else []),
                literal(info.description, one_line=True, limit=CELL_LIMIT),
            ]
            table.add_item(str(info.id), info, cells)
        table.loaded(has_more=page.has_more)
        fit_columns(table, ["what", "place", "nature"])  # what happened takes the room
        self._update_status(now)
        self.refresh_bindings()

    def _update_status(self, now: arrow.Arrow) -> None:
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_("Incidents"), style="bold")
        status.append("  " + _("page {n}", n=self.table.page + 1))
        described = self._describe_filters()
        if described:
            status.append("  " + described)
        desk = self.desk
        overdue = incidents.overdue_reports(now, desk.id) if desk else []
        if overdue:
            status.append("  ")
            status.append(
                _("{n} written report(s) overdue", n=len(overdue)), style="bold white on red"
            )
        actor = getattr(self.app, "actor", None)
        if actor is not None and NEW_FORM_ID in drafts.forms_with_drafts(actor):
            status.append("  " + _("draft kept: press n"), style="bold")
        self.query_one("#incidents-status", Static).update(status)

    def _describe_filters(self) -> str:
        f = self.filters
        parts = []
        if f.get("status"):
            parts.append(_(incidents.STATUS_LABELS[f["status"]]))
        if f.get("severity"):
            parts.append(_(incidents.SEVERITY_LABELS[f["severity"]]))
        if f.get("category"):
            parts.append(f["category"])
        if f.get("day_from") or f.get("day_to"):
            parts.append(
                _(
                    "days {start} – {end}",
                    start=f.get("day_from") or "…",
                    end=f.get("day_to") or "…",
                )
            )
        return ", ".join(str(p) for p in parts)

    # --- keys ---------------------------------------------------------------------------

    # Keys that work at some desks only: F1 leaves them out where they never work.
    DESK_ACTIONS: ClassVar[frozenset[str]] = frozenset({"repairs"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "repairs":
            desk = self.desk
            return desk is not None and desk.kind in repairs.REPAIR_DESK_KINDS
        return True

    @work
    async def action_new(self) -> None:
        result = await self.app.push_screen_wait(new_incident_form(self))
        if isinstance(result, IncidentInfo):
            self.notify(_("Saved: incident {id}", id=result.id), markup=False)
        self.first_page()

    @work
    async def _open(self, info: IncidentInfo) -> None:
        await self.app.push_screen_wait(IncidentScreen(info.id))
        self.reload()

    def action_repairs(self) -> None:
        self.app.push_screen(RepairsScreen(pushed=True))

    @work
    async def action_filter(self) -> None:
        app = self.kiosk
        kind = app.desk.kind if app.desk else DeskKind.SECURITY
        choices, _parents = natures(app.actor, kind)
        fields = [
            FormField("status", N_("Status"), "choice", choices=STATUS_CHOICES),
            FormField("severity", N_("Severity"), "choice", choices=SEVERITY_CHOICES),
            FormField("category", N_("Nature"), "choice", choices=choices),
            *DAY_FIELDS,
        ]
        values = {k: v or "" for k, v in self.filters.items()}

        def submit(v: dict[str, Any]) -> dict[str, Any]:
            start, end = parse_days(v)
            out = {
                "status": v["status"] or None,
                "severity": v["severity"] or None,
                "category": v["category"] or None,
                "day_from": start,
                "day_to": end,
            }
            return {k: x for k, x in out.items() if x}

        form = FormScreen(
            form_id=None,
            title=_("Filter incidents"),
            fields=fields,
            values=values,
            submit=submit,
            main="status",
            note=_("Empty: no limit."),
        )
        result = await app.push_screen_wait(form)
        if result is not None:
            self.filters = result
            self.first_page()
