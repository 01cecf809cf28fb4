"""F8: reports and search.

``1`` search: Chinese words of one, two or more characters and English words
across incidents, the duty log, the phone log and repair requests, ranked, the
hits highlighted (the excerpt is data: its spans are styled, never parsed as
markup), paged with PgUp / PgDn. ``2`` the written reports overdue at every
desk (CS6), ``3`` the open incidents of every desk. Enter opens the record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import arrow
from rich.bar import Bar
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Sparkline, Static

from dutydesk.domain import incidents, reports, search
from dutydesk.domain import site as site_rules
from dutydesk.domain.incidents import IncidentStatus
from dutydesk.domain.reports.request import ReportRequest, build
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, pgettext, pick
from dutydesk.oserrors import describe
from dutydesk.render.layout import document_for
from dutydesk.render.text import render_text
from dutydesk.screens.incidents import IncidentScreen
from dutydesk.screens.listing import DetailScreen, ListScreen
from dutydesk.screens.repairs import RepairScreen
from dutydesk.widgets.form import format_time
from dutydesk.widgets.literal import clean, literal
from dutydesk.widgets.tables import PagedTable, paged_bindings, short_time

VIEWS: tuple[str, ...] = ("search", "overdue", "open", "make")
VIEW_LABELS: dict[str, str] = {
    "search": N_("Search"),
    "overdue": N_("Overdue written reports"),
    "open": N_("Open incidents"),
    "make": N_("Reports"),
}
# The printed records offered on F8 (an incident's report is made from F4's list
# by number on the command line).
MAKE_KINDS: tuple[str, ...] = ("day", "handover", "patrol", "month", "export")
MAKE_LABELS: dict[str, str] = {
    "day": N_("Duty record"),
    "handover": N_("Duty handover record"),
    "patrol": N_("Patrol record"),
    "month": N_("Monthly duty report"),
    "export": N_("Records export"),
}
MAKE_FORMATS: tuple[str, ...] = ("html", "txt", "csv", "xlsx")
HIT_STYLE = "bold black on yellow"


def _short(value: arrow.Arrow | None, tz: str) -> str:
    return short_time(value, tz, "YYYY-MM-DD HH:mm")


def highlighted(snippet: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Text:
    """The excerpt as literal text with the words found styled (offsets kept: control
    characters are replaced one for one)."""
    text = Text(clean(snippet), no_wrap=True, overflow="ellipsis")
    for start, end in spans:
        text.stylize(HIT_STYLE, start, end)
    return text


def fit_cells(
    snippet: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]], room: int
) -> tuple[str, list[tuple[int, int]]]:
    """The excerpt cut to ``room`` cells around its first match (wide characters take
    two), "…" where text is left out, spans moved along: the match always shows."""
    if cell_len(snippet) <= room or not spans:
        return (snippet if cell_len(snippet) <= room else snippet[:room]), list(spans)
    start, end = spans[0]
    budget = room - 2  # the two ellipses
    while cell_len(snippet[start:end]) > budget and end > start + 1:
        end -= 1
    grew = True
    while grew:  # one character on each side in turn, while it fits
        grew = False
        if start > 0 and cell_len(snippet[start - 1 : end]) <= budget:
            start, grew = start - 1, True
        if end < len(snippet) and cell_len(snippet[start : end + 1]) <= budget:
            end, grew = end + 1, True
    # An ellipsis is not needed at an end that is reached: use its cell for text.
    if start == 1 and cell_len(snippet[0:end]) <= room - (end < len(snippet)):
        start = 0
    if end == len(snippet) - 1 and cell_len(snippet[start:]) <= room - (start > 0):
        end = len(snippet)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(snippet) else ""
    shift = len(prefix) - start
    moved = [
        (max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start
    ]
    return prefix + snippet[start:end] + suffix, moved


class ResultTable(PagedTable[tuple[str, int]]):
    """Hits or rows of a report, each a (kind, id) to open; PgUp / PgDn load the
    previous / next page."""

    BINDINGS: ClassVar[list[BindingType]] = paged_bindings("reports")
    """Keys of the results: open a row, and page."""

    UNLAID_ROWS = 10


class RecordScreen(DetailScreen):
    """A duty-log or phone-log entry found by search, read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="record.back"),
    ]
    """Keys of a record found by search: back to the results."""

    NAME = "record"
    BODY = "body"
    FOCUS_DETAILS = True

    def __init__(self, kind: str, ref_id: int) -> None:
        super().__init__()
        self.kind = kind
        self.ref_id = ref_id
        self.doc = search.document(kind, ref_id)

    def title_text(self) -> Text:
        title = f"{_(search.KIND_LABELS[self.kind])} #{self.ref_id}  "
        return Text(title + format_time(self.doc.at, self.tz))

    def details(self) -> Text:
        return literal(self.doc.text)


class ReportsScreen(ListScreen[tuple[str, int]]):
    """F8: search, overdue written reports, open incidents."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("CS6", N_("A written report stays flagged until it is filed")),
        ("CS3", N_("Search the duty log, the phone log, incidents and repair requests")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", N_("Search"), id="reports.search", key_display="/"),
        Binding("escape", "leave_search", N_("Back"), show=False, id="reports.leave_search"),
        Binding("1", "view('search')", N_("Search"), id="reports.view1", show=False),
        # The views' digits are on the tab bar above the list (and on F1): the key bar
        # keeps its room for the keys of the view shown (PgDn of the results).
        Binding("2", "view('overdue')", N_("Overdue reports"), id="reports.view2", show=False),
        Binding("3", "view('open')", N_("Open incidents"), id="reports.view3", show=False),
        Binding("4", "view('make')", N_("Reports"), id="reports.view4", show=False),
        Binding("r", "next_kind", N_("Which report"), id="reports.kind"),
        Binding("d", "next_desk", N_("Desk"), id="reports.desk"),
        Binding("left", "shift_day(-1)", N_("Date"), id="reports.earlier", key_display="←→"),
        Binding("right", "shift_day(1)", N_("Date"), id="reports.later", show=False),
        Binding("f", "next_format", N_("Format"), id="reports.format"),
        Binding("ctrl+s", "write_report", N_("Write file"), id="reports.write"),
        Binding(
            "pagedown",
            "scroll_preview(1)",
            N_("Scroll the preview"),
            show=False,
            id="reports.preview_down",
        ),
        Binding(
            "pageup",
            "scroll_preview(-1)",
            N_("Scroll the preview"),
            show=False,
            id="reports.preview_up",
        ),
        Binding("down", "scroll_preview(0.1)", show=False, id="reports.preview_line_down"),
        Binding("up", "scroll_preview(-0.1)", show=False, id="reports.preview_line_up"),
    ]
    """Keys of reports and search: search, the four views, and making a report."""

    def __init__(self) -> None:
        super().__init__()
        self.view = "search"
        self.query_text = ""
        self.make_kind = "day"
        self.make_desk: int | None = None  # None until mounted: this desk
        self.make_day: Any = None  # a date; None until mounted: today
        self.make_format = "html"
        self.last_written = ""

    def compose_body(self) -> ComposeResult:
        yield Static(id="reports-views", markup=False)
        yield Input(
            placeholder=_("Search: 消防, 电梯故障, smoke detector … Enter"), id="search-input"
        )
        yield Static(id="reports-status", markup=False)
        yield ResultTable(self.reload, self._open, id="reports-table")
        # Not focusable: the screen keeps the keys (r, d, ←/→, f); PgUp/PgDn scroll it.
        with VerticalScroll(id="report-preview-box", can_focus=False):
            yield Static(id="report-charts", markup=False)
            yield Sparkline([], id="report-spark")
            yield Static(id="report-preview", markup=False)

    def refresh_language(self) -> None:
        self.reload()

    @property
    def page(self) -> int:
        return self.table.page

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        table = self.table
        table.begin(())
        # What is hidden is also disabled: never focused (by Tab, or by Textual when the
        # screen comes back with no focus), so no key is typed into a hidden search box.
        search_box = self.query_one("#search-input", Input)
        search_box.display = self.view == "search"
        search_box.disabled = self.view != "search"
        table.display = self.view != "make"
        table.disabled = self.view == "make"
        self.query_one("#report-preview-box").display = self.view == "make"
        app: Any = self.app
        tz = str(app.clock.tz)
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_(VIEW_LABELS[self.view]), style="bold")
        if self.view == "search":
            self._load_search(table, tz, status)
        elif self.view == "make":
            self._load_make(status)
        elif self.view == "overdue":
            self._load_overdue(table, tz, app.clock.now(), status)
        else:
            self._load_open(table, tz, app.clock.now(), status)
        if self.view != "make":
            status.append("  " + _("page {n}", n=self.page + 1))
        self.query_one("#reports-status", Static).update(status)
        bar = Text(no_wrap=True, overflow="ellipsis")
        for number, view in enumerate(VIEWS, start=1):
            style = "reverse bold" if view == self.view else ""
            bar.append(f" {number} {_(VIEW_LABELS[view])} ", style=style)
        self.query_one("#reports-views", Static).update(bar)
        self.refresh_bindings()

    def _load_search(self, table: PagedTable[tuple[str, int]], tz: str, status: Text) -> None:
        table.begin([("kind", _("Kind")), ("at", _("Time")), ("snippet", _("Found"))])
        if not self.query_text.strip():
            return
        try:
            found = search.search(self.query_text, page=self.page, page_size=table.page_rows())
        except DutyDeskError as exc:
            status.append("  " + exc.translated(), style="bold red")
            return
        table.loaded(has_more=found.has_more)
        total = f"{search.sqlite_extras.RANK_WINDOW}+" if found.total_capped else str(found.total)
        status.append("  ")
        status.append(literal(self.query_text, one_line=True, limit=30))
        status.append("  " + _("{n} found", n=total))
        # The excerpt fits its column, centred on the match (Kind and Time take ~30).
        room = max(20, (table.size.width or self.size.width) - 34)
        for i, hit in enumerate(found.hits):
            cells = [
                _(search.KIND_LABELS[hit.kind]),
                _short(hit.at, tz),
                highlighted(*fit_cells(hit.snippet, hit.spans, room)),
            ]
            table.add_item(f"{hit.kind}:{hit.ref_id}:{i}", (hit.kind, hit.ref_id), cells)

    def _desk_names(self) -> dict[int, str]:
        if not site_rules.site_exists():
            return {}
        return {d.id: pick(d.name, d.name_en) for d in site_rules.get_site().desks}

    def _load_overdue(
        self, table: PagedTable[tuple[str, int]], tz: str, now: arrow.Arrow, status: Text
    ) -> None:
        table.begin(
            [
                ("id", "#"),
                ("desk", _("Desk")),
                ("due", pgettext("written report", "Due")),
                ("at", _("Occurred at")),
                ("place", _("Place")),
            ]
        )
        due = incidents.overdue_reports(now)
        size = table.page_rows()
        shown = due[self.page * size : (self.page + 1) * size]
        table.loaded(has_more=len(due) > (self.page + 1) * size)
        status.append("  " + _("{n} overdue", n=len(due)), style="bold red" if due else "")
        desks = self._desk_names()
        for r in shown:
            cells = [
                Text(str(r.incident_id), style="bold red"),
                literal(desks.get(r.desk_id, ""), one_line=True, limit=20),
                Text(_short(r.due_at, tz), style="bold red"),
                _short(r.occurred_at, tz),
                literal(r.place, one_line=True, limit=30),
            ]
            table.add_item(f"incident:{r.incident_id}", ("incident", r.incident_id), cells)

    def _load_open(
        self, table: PagedTable[tuple[str, int]], tz: str, now: arrow.Arrow, status: Text
    ) -> None:
        table.begin(
            [
                ("id", "#"),
                ("desk", _("Desk")),
                ("at", _("Time")),
                ("status", _("Status")),
                ("place", _("Place")),
                ("what", _("What happened")),
            ]
        )
        page = incidents.list_incidents(
            None,
            status=[IncidentStatus.OPEN, IncidentStatus.HANDLING],
            page=self.page,
            page_size=table.page_rows(),
        )
        table.loaded(has_more=page.has_more)
        desks = self._desk_names()
        for info in page.items:
            mark = "bold red" if info.report_overdue(now) or info.major else ""
            cells = [
                Text(str(info.id), style=mark),
                literal(desks.get(info.desk_id, ""), one_line=True, limit=20),
                _short(info.occurred_at, tz),
                Text(info.status_label, style="bold yellow" if info.being_handled else ""),
                literal(info.place, one_line=True, limit=20),
                literal(info.description, one_line=True, limit=40),
            ]
            table.add_item(f"incident:{info.id}", ("incident", info.id), cells)

    # --- making a report (the printed records) ------------------------------------------

    def _role(self) -> str:
        app: Any = self.app
        return app.staff.role if app.staff is not None else ""

    def _own_desk(self) -> int | None:
        app: Any = self.app
        return app.desk.id if app.desk is not None else None

    def _desk_choices(self) -> list[int | None]:
        """This desk first; a supervisor or leader also every other desk and, for the
        month and the export, the whole site."""
        own = self._own_desk()
        desks = [d.id for d in site_rules.get_site().desks] if site_rules.site_exists() else []
        choices: list[int | None] = [own] + [d for d in desks if d != own]
        if self.make_kind in ("month", "export"):
            choices.append(None)
        return [d for d in choices if reports.may_make(self._role(), self.make_kind, d, own)] or [
            own
        ]

    def _request(self) -> ReportRequest:
        app: Any = self.app
        if self.make_day is None:
            self.make_day = reports.today(app.clock.now())
        if self.make_desk is None and self.make_kind not in ("month", "export"):
            self.make_desk = self._own_desk()
        day = self.make_day
        if self.make_kind == "month":
            period = reports.month_period(day.year, day.month)
        else:
            period = reports.Period(day, day)
        return ReportRequest(self.make_kind, self.make_desk, period)

    def _desk_label(self, desk_id: int | None) -> str:
        if desk_id is None:
            return _("All desks")
        return self._desk_names().get(desk_id, "")

    def _load_make(self, status: Text) -> None:
        req = self._request()
        when = (
            req.period.label() if self.make_kind != "month" else req.period.first.strftime("%Y-%m")
        )
        status.append("  ")
        for label, value in (
            (_("Which report"), _(MAKE_LABELS[self.make_kind])),
            (_("Desk"), self._desk_label(req.desk_id)),
            (_("Date"), when),
            (_("Format"), self.make_format),
        ):
            status.append(f"{label}: ", style="bold")
            status.append(literal(value, one_line=True, limit=24))
            status.append("  ")
        charts = self.query_one("#report-charts", Static)
        spark = self.query_one("#report-spark", Sparkline)
        preview = self.query_one("#report-preview", Static)
        charts.display = spark.display = False
        app: Any = self.app
        own = self._own_desk()
        if not reports.may_make(self._role(), req.kind, req.desk_id, own):
            preview.update(
                Text(_("Only supervisors and leaders make site-wide and monthly reports"))
            )
            return
        try:
            report = build(req, app.clock.now())
        except DutyDeskError as exc:
            preview.update(Text(exc.translated(), style="bold red"))
            return
        if req.kind == "month":
            self._show_month(report, charts, spark)
        # The printed text's layout, as wide as the preview (at most the page's 80).
        width = max(40, min(80, self.query_one("#report-preview-box").size.width - 3))
        text = render_text(document_for(report), width=width)
        note = ""
        if self.last_written:
            note = _("Written: {path}", path=self.last_written) + "\n\n"
        preview.update(Text(clean(note + text)))

    def _show_month(self, report: Any, charts: Static, spark: Sparkline) -> None:
        """The month's figures as terminal charts: bars of incidents by nature and of
        patrol completion per route, a sparkline of incidents per day."""

        def grid() -> Table:
            g = Table.grid(padding=(0, 1), expand=True)
            g.add_column(width=18, no_wrap=True, overflow="ellipsis")
            g.add_column(ratio=1)
            g.add_column(width=6, justify="right")
            return g

        natures, routes = grid(), grid()
        top = max([c.count for c in report.by_nature] + [1])
        for c in report.by_nature:
            natures.add_row(literal(c.label, one_line=True), Bar(top, 0, c.count), str(c.count))
        for r in report.routes:
            pct = (r.completion or 0) * 100
            routes.add_row(literal(r.name, one_line=True), Bar(100, 0, pct), f"{pct:.0f}%")
        charts.update(
            Group(
                Text(_("Incidents by nature"), style="bold"),
                natures,
                Text(_("Completion per route (%)"), style="bold"),
                routes,
                Text(_("Incidents per day"), style="bold"),
            )
        )
        charts.display = True
        spark.data = [float(v) for v in report.per_day]
        spark.tooltip = _("Incidents per day")
        spark.display = True

    def action_next_kind(self) -> None:
        i = MAKE_KINDS.index(self.make_kind)
        self.make_kind = MAKE_KINDS[(i + 1) % len(MAKE_KINDS)]
        if self.make_desk not in self._desk_choices():
            self.make_desk = self._own_desk()
        self.last_written = ""
        self.reload()

    def action_next_desk(self) -> None:
        choices = self._desk_choices()
        i = choices.index(self.make_desk) if self.make_desk in choices else -1
        self.make_desk = choices[(i + 1) % len(choices)]
        self.last_written = ""
        self.reload()

    def action_shift_day(self, step: int) -> None:
        self._request()
        day = self.make_day
        if self.make_kind == "month":
            month = day.month - 1 + step
            day = dt.date(day.year + month // 12, month % 12 + 1, 1)
        else:
            day = day + dt.timedelta(days=step)
        self.make_day = day
        self.last_written = ""
        self.reload()

    def action_next_format(self) -> None:
        i = MAKE_FORMATS.index(self.make_format)
        self.make_format = MAKE_FORMATS[(i + 1) % len(MAKE_FORMATS)]
        self.reload()

    def action_scroll_preview(self, pages: float) -> None:
        box = self.query_one("#report-preview-box", VerticalScroll)
        step = max(1, int(box.size.height * abs(pages)))
        box.scroll_relative(y=step if pages > 0 else -step, animate=False)

    def action_write_report(self) -> None:
        # Loaded on the first file written: it brings Jinja2 and the XLSX writer,
        # which F8's list and preview never need (about 40 ms).
        from dutydesk.render.output import reports_dir, save

        app: Any = self.app
        try:
            path = save(app.actor, self._request(), self.make_format)
        except DutyDeskError as exc:
            self.notify(exc.translated(), severity="error")
            return
        except OSError as exc:
            self.notify(describe(exc, reports_dir()), severity="error")
            return
        self.last_written = str(path)
        self.notify(_("Written: {path}", path=str(path)), timeout=10)
        self.reload()

    # --- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in (
            "next_kind",
            "next_desk",
            "shift_day",
            "next_format",
            "write_report",
            "scroll_preview",
        ):
            return self.view == "make"
        return True

    @on(Input.Submitted, "#search-input")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_text = event.value
        self.first_page()
        # Off the search box even with no hits: 1 2 3 4 and / are the screen's keys again.
        self.table.focus()

    def action_leave_search(self) -> None:
        """Esc in the search box: back to the results (the query stays as typed)."""
        if isinstance(self.focused, Input):
            self.table.focus()

    def action_focus_search(self) -> None:
        if self.view != "search":
            self.view = "search"
            self.first_page()
        self.query_one("#search-input", Input).focus()

    def action_view(self, view: str) -> None:
        if view in VIEWS and view != self.view:
            self.view = view
            self.first_page()
            if view == "search":
                self.query_one("#search-input", Input).focus()
            elif view == "make":
                self.set_focus(None)  # keys go to the screen: r, d, ←/→, f, Ctrl+S
            else:
                self.table.focus()

    def _open(self, chosen: tuple[str, int]) -> None:
        kind, ref_id = chosen
        if kind == "incident":
            self.app.push_screen(IncidentScreen(ref_id))
        elif kind == "repair":
            self.app.push_screen(RepairScreen(ref_id))
        else:
            self.app.push_screen(RecordScreen(kind, ref_id))
