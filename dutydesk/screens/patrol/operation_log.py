"""The equipment operation log (机电设备运行日志, EN-8.3.4), opened with ``l`` on F3.

Every reading of the desk by time and checkpoint, out-of-range values marked,
paged from the database with PgDn / PgUp, and the 30-day trend of the selected
checkpoint.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Sparkline, Static

from dutydesk.domain import patrols
from dutydesk.domain.patrols import LogRow
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.patrol.tables import ReadingsTable
from dutydesk.widgets.literal import literal
from dutydesk.widgets.patrol_marks import num

TREND_DAYS = 30


class OperationLogScreen(DeskScreen):
    """机电设备运行日志: the desk's readings by time and checkpoint, and one checkpoint's trend."""

    RULES: ClassVar[Rules] = [
        ("EN-8.3.4", N_("The equipment operation log: readings with units and ranges")),
        ("EN-8.3.3", N_("Patrol equipment on schedule, with parameter readings")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "k",
            "only_checkpoint",
            N_("This checkpoint only"),
            id="oplog.only",
            tooltip=N_("Show only the readings of the selected checkpoint"),
        ),
        Binding(
            "a",
            "all_checkpoints",
            N_("All checkpoints"),
            id="oplog.all",
            tooltip=N_("Show the readings of every checkpoint"),
        ),
        Binding("escape", "back", N_("Back"), id="oplog.back", tooltip=N_("Back to the patrol")),
    ]
    """Keys of the operation log: one checkpoint or all, back."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[LogRow] = []
        self.checkpoint_id: int | None = None  # filter
        self._trend_of: int | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="oplog-body"):
            yield Static("", id="oplog-head", markup=False)
            yield ReadingsTable(lambda: self.reload(keep_page=True), id="oplog-table")
            yield Static("", id="oplog-trend-label", markup=False)
            yield Sparkline([], id="oplog-trend")

    def on_mount(self) -> None:
        self.query_one(ReadingsTable).focus()
        self.call_after_refresh(self.reload)

    def refresh_language(self) -> None:
        self.reload(keep_page=True)

    def reload(self, keep_page: bool = False) -> None:
        """Load one page (never the whole log: a keyset cursor per page)."""
        app = self.kiosk
        if app.desk is None or not self.is_mounted:
            return
        table = self.query_one(ReadingsTable)
        if not keep_page:
            table.first_page()
        tz = str(app.clock.tz)
        page = patrols.operation_log(
            app.desk.id, table.start, checkpoint_id=self.checkpoint_id, limit=table.page_rows()
        )
        self.rows = page.rows
        table.show(self.rows, tz, room=(table.size.width or self.size.width - 2))
        table.loaded(next_start=page.next_cursor)
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(_("Equipment operation log"), style="bold")
        head.append("  " + _("page {n}", n=table.page + 1))
        head.append("  ⚠ " + _("out of range"), style="bold red")
        if self.checkpoint_id is not None and self.rows:
            head.append("  ")
            head.append(literal(self.rows[0].name, one_line=True, limit=30))
        if not self.rows:
            head.append("  " + _("no readings yet"), style="dim")
        self.query_one("#oplog-head", Static).update(head)
        self._show_trend()
        self.refresh_bindings()

    def selected(self) -> LogRow | None:
        return self.query_one(ReadingsTable).selected()

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self._show_trend()
        self.refresh_bindings()

    def _show_trend(self) -> None:
        """The selected checkpoint's values over the last 30 days, as a sparkline."""
        row = self.selected()
        label = self.query_one("#oplog-trend-label", Static)
        spark = self.query_one(Sparkline)
        if row is None:
            label.update("")
            spark.data = []
            self._trend_of = None
            return
        if row.checkpoint_id == self._trend_of:
            return
        self._trend_of = row.checkpoint_id
        points = patrols.trend(row.checkpoint_id, self.kiosk.clock.now(), TREND_DAYS)
        values = [p.value for p in points]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(_("Trend, {days} days", days=TREND_DAYS) + ": ", style="bold")
        text.append(literal(row.name, one_line=True, limit=30))
        if values:
            out = sum(1 for p in points if p.out_of_range)
            text.append(
                "  "
                + _(
                    "readings: {n}, {low}–{high} {unit}",
                    n=len(values),
                    low=num(min(values)),
                    high=num(max(values)),
                    unit=row.unit,
                ).rstrip()
            )
            if out:
                text.append("  " + _("{n} out of range", n=out), style="bold red")
        label.update(text)
        spark.data = values

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "only_checkpoint":
            return self.checkpoint_id is None and self.is_mounted and self.selected() is not None
        if action == "all_checkpoints":
            return self.checkpoint_id is not None
        return True

    def action_only_checkpoint(self) -> None:
        row = self.selected()
        if row is not None:
            self.checkpoint_id = row.checkpoint_id
            self.reload()

    def action_all_checkpoints(self) -> None:
        self.checkpoint_id = None
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
