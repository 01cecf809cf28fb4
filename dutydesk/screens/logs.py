"""F6: the desk's logs — duty log, phone calls, visitors, absences, discipline
notes, key lending and (at engineering desks) switching operations.

Digits 1–7 switch the kind shown; the list is newest first and paged from the
database (PgUp / PgDn), never loaded whole. ``n`` opens a new entry of the kind
shown with every field prefilled but the main text, so the quickest entry is
``n``, type, Ctrl+S. Enter opens a row read-only, where ``c`` corrects it (a
new linked entry with a reason, CS3) and ``o`` closes an open one (a visitor
signs out, a key comes back, an operation finishes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, ClassVar

import arrow
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from dutydesk.domain import drafts, health, logs, repairs
from dutydesk.domain.logs import DutyKind, LogEntry, LogKind
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.listing import DAY_FIELDS, DetailScreen, ListScreen, parse_days
from dutydesk.screens.repairs import RepairsScreen
from dutydesk.widgets.form import FormField, FormScreen, PromptDialog, format_time
from dutydesk.widgets.literal import literal
from dutydesk.widgets.tables import PagedTable, fit_columns, paged_bindings, short_time

# Short names for the kind bar (the full names title the forms).
SHORT_LABELS: dict[str, str] = {
    LogKind.DUTY: N_("Duty"),
    LogKind.PHONE: N_("Phone"),
    LogKind.VISITOR: N_("Visitors"),
    LogKind.ABSENCE: N_("Absence"),
    LogKind.DISCIPLINE: N_("Discipline"),
    LogKind.KEY: N_("Keys"),
    LogKind.SWITCHING: N_("Switching"),
}

# What ``o`` does for the kinds that can be closed.
CLOSE_LABELS: dict[str, str] = {
    LogKind.VISITOR: N_("Sign out"),
    LogKind.KEY: N_("Key back"),
    LogKind.SWITCHING: N_("Finished"),
}

OPEN_LABELS: dict[str, str] = {
    LogKind.VISITOR: N_("inside"),
    LogKind.KEY: N_("out"),
    LogKind.SWITCHING: N_("running"),
}

FORMS: dict[str, list[FormField]] = {
    LogKind.DUTY: [
        FormField("occurred_at", N_("Time"), "time", required=True),
        FormField("category", N_("Category"), "choice", choices=logs.DUTY_CATEGORIES),
        FormField("text", N_("What happened"), "area", required=True),
        FormField("result", N_("Handling result"), "area"),
    ],
    LogKind.PHONE: [
        FormField("call_at", N_("Time"), "time", required=True),
        FormField("caller", N_("Caller")),
        FormField("number", N_("Number")),
        FormField("content", N_("Content"), "area", required=True),
        FormField("action", N_("Action taken"), "area"),
    ],
    LogKind.VISITOR: [
        FormField("name", N_("Name"), required=True),
        FormField("organisation", N_("Organisation")),
        FormField("purpose", N_("Purpose")),
        FormField("entered_room", N_("Entered the room"), "check"),
        FormField("time_in", N_("Time in"), "time", required=True),
        FormField("time_out", N_("Time out"), "time"),
    ],
    LogKind.ABSENCE: [
        FormField("reason", N_("Reason"), required=True),
        FormField("absent_from", N_("From"), "time", required=True),
        FormField("absent_to", N_("To"), "time", required=True),
    ],
    LogKind.DISCIPLINE: [
        FormField("occurred_at", N_("Time"), "time", required=True),
        FormField("names", N_("Names"), required=True),
        FormField("text", N_("What was seen"), "area", required=True),
    ],
    LogKind.KEY: [
        FormField("key_name", N_("Key"), required=True),
        FormField("borrower", N_("To whom"), required=True),
        FormField("out_at", N_("Out"), "time", required=True),
        FormField("back_at", N_("Back"), "time"),
    ],
    LogKind.SWITCHING: [
        FormField("what", N_("Operation"), "area", required=True),
        FormField("operator", N_("Operator"), required=True),
        FormField("started_at", N_("Started"), "time", required=True),
        FormField("finished_at", N_("Finished"), "time"),
    ],
}

# List columns per kind: (header msgid, value field or a computed one).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    LogKind.DUTY: [
        (N_("Time"), "@at"),
        (N_("Category"), "category"),
        (N_("What happened"), "text"),
        (N_("Result"), "result"),
    ],
    LogKind.PHONE: [
        (N_("Time"), "@at"),
        (N_("Caller"), "caller"),
        (N_("Number"), "number"),
        (N_("Content"), "content"),
        (N_("Action taken"), "action"),
    ],
    LogKind.VISITOR: [
        (N_("In"), "@at"),
        (N_("Out"), "time_out"),
        (N_("Name"), "name"),
        (N_("Organisation"), "organisation"),
        (N_("Room"), "entered_room"),
        (N_("Purpose"), "purpose"),
    ],
    LogKind.ABSENCE: [(N_("From"), "@at"), (N_("To"), "absent_to"), (N_("Reason"), "reason")],
    LogKind.DISCIPLINE: [
        (N_("Time"), "@at"),
        (N_("Names"), "names"),
        (N_("What was seen"), "text"),
    ],
    LogKind.KEY: [
        (N_("Out"), "@at"),
        (N_("Back"), "back_at"),
        (N_("Key"), "key_name"),
        (N_("To whom"), "borrower"),
    ],
    LogKind.SWITCHING: [
        (N_("Started"), "@at"),
        (N_("Finished"), "finished_at"),
        (N_("Operation"), "what"),
        (N_("Operator"), "operator"),
    ],
}

CELL_LIMIT = 40

# The free-text columns of each list, the one that takes spare room first.
FREE_TEXT: dict[str, list[str]] = {
    LogKind.DUTY: ["text", "result", "category"],
    LogKind.PHONE: ["content", "action", "caller"],
    LogKind.VISITOR: ["purpose", "organisation", "name"],
    LogKind.ABSENCE: ["reason"],
    LogKind.DISCIPLINE: ["text", "names"],
    LogKind.KEY: ["borrower", "key_name"],
    LogKind.SWITCHING: ["what", "operator"],
}


def relabel(screen: Screen[Any], key: str, description: str | None) -> None:
    """Give ``key``'s binding on this screen another description (a msgid)."""
    if not description:
        return
    # The map's lists are shared with the class: replace the list, never edit it.
    bindings = screen._bindings.key_to_bindings
    bindings[key] = [replace(b, description=description) for b in bindings.get(key, [])]


def _cell(entry: LogEntry, field: str, tz: str) -> Any:
    if field == "@at":
        return short_time(entry.at, tz)
    value = entry.values.get(field)
    if isinstance(value, arrow.Arrow):
        return short_time(value, tz)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "category" and value:
        known = logs.CATEGORY_LABELS.get(str(value))
        if known:
            return _(known)
        if entry.entry_kind == DutyKind.INCIDENT:
            # Lines written by an incident keep its nature code; the text names it.
            return _("Incident")
        return literal(str(value), one_line=True, limit=CELL_LIMIT)
    return literal(str(value or ""), one_line=True, limit=CELL_LIMIT)


def _state(entry: LogEntry) -> Text:
    parts = []
    if entry.corrected:
        parts.append(_("corrected"))
    if entry.corrects_id is not None:
        parts.append(_("correction of #{id}", id=entry.corrects_id))
    if entry.is_open and not entry.corrected:
        parts.append(_(OPEN_LABELS[entry.kind]))
    return Text(", ".join(parts), style="dim" if entry.corrected else "")


def new_values(kind: str, now: arrow.Arrow, staff_name: str) -> dict[str, Any]:
    """The prefill of a new entry: now for the times it needs, this person as operator."""
    values: dict[str, Any] = {}
    for f in FORMS[kind]:
        if f.kind == "time" and f.required:
            values[f.name] = now
    if kind == LogKind.SWITCHING:
        values["operator"] = staff_name
    return values


def entry_form(screen: Screen[Any], kind: str, entry: LogEntry | None, reason: str) -> FormScreen:
    """The new-entry form of ``kind``, or the correction form of ``entry``; it is
    dismissed with the entry saved, or None."""
    app: Any = screen.app
    fields = list(FORMS[kind])
    if entry is None:
        form_id = f"logs.new.{kind}"
        values = new_values(kind, app.clock.now(), app.staff.name if app.staff else "")
        title = _("New entry: {kind}", kind=_(logs.KIND_LABELS[kind]))

        def submit(v: dict[str, Any]) -> LogEntry:
            return logs.add(app.actor, kind, v)
    else:
        form_id = f"logs.correct.{kind}.{entry.id}"
        values = {**entry.values, "correction_reason": reason}
        fields.insert(
            0, FormField("correction_reason", N_("Reason for the correction"), required=True)
        )
        title = _("Correct entry #{id}: {kind}", id=entry.id, kind=_(logs.KIND_LABELS[kind]))
        original_id = entry.id

        def submit(v: dict[str, Any]) -> LogEntry:
            reason_now = v.pop("correction_reason")
            try:
                return logs.correct(app.actor, kind, original_id, v, reason_now)
            except ValidationError as exc:
                if exc.field == "reason":
                    exc.field = "correction_reason"
                raise

    return FormScreen(
        form_id=form_id,
        title=title,
        fields=fields,
        values=values,
        submit=submit,
        main=logs.main_field(kind),
    )


class LogTable(PagedTable[LogEntry]):
    """The list of entries; PgUp / PgDn load the previous / next page from the database."""

    BINDINGS: ClassVar[list[BindingType]] = paged_bindings("logs")
    """Keys of the list: open a row, and page through the log."""


class LogsScreen(ListScreen[LogEntry]):
    """F6: every log of the desk, one kind at a time."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("CS3", N_("Duty log: time, what happened, handling result")),
        ("CS5-2.6", N_("Phone log: time, caller, number, content, action")),
        ("SG-2", N_("Visitor log")),
        ("SG-4", N_("Visitors who entered the guard room are marked")),
        ("CS7", N_("Absence from the post with reason and times")),
        ("SG-3", N_("Discipline notes with names")),
        ("EN-8.3.6", N_("Keys lent and returned; visitors to the duty room")),
        ("EN-8.6.2", N_("A switching operation still running blocks the handover")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new", N_("New"), id="logs.new"),
        Binding("slash", "filter", N_("Filter"), id="logs.filter", key_display="/"),
        Binding("o", "close_entry", N_("Sign out"), id="logs.close"),
        # On F1 (the key bar keeps its room for o and PgDn): the entry opens to correct it.
        Binding("c", "correct", N_("Correct"), id="logs.correct", show=False),
        Binding("1", "kind(1)", logs.KIND_LABELS[LogKind.DUTY], id="logs.kind1", show=False),
        Binding("2", "kind(2)", logs.KIND_LABELS[LogKind.PHONE], id="logs.kind2", show=False),
        Binding("3", "kind(3)", logs.KIND_LABELS[LogKind.VISITOR], id="logs.kind3", show=False),
        Binding("4", "kind(4)", logs.KIND_LABELS[LogKind.ABSENCE], id="logs.kind4", show=False),
        Binding("5", "kind(5)", logs.KIND_LABELS[LogKind.DISCIPLINE], id="logs.kind5", show=False),
        Binding("6", "kind(6)", logs.KIND_LABELS[LogKind.KEY], id="logs.kind6", show=False),
        Binding("7", "kind(7)", logs.KIND_LABELS[LogKind.SWITCHING], id="logs.kind7", show=False),
        Binding("8", "repairs", N_("Repair requests"), id="logs.repairs", show=False),
    ]
    """Keys of the logs screen: new entry, filter, close an open entry, switch kind."""

    def __init__(self) -> None:
        super().__init__()
        self.kind: str = LogKind.DUTY
        self.day_from: dt.date | None = None
        self.day_to: dt.date | None = None
        self.only_open = False

    @property
    def kinds(self) -> list[str]:
        desk = self.desk
        return logs.kinds_for_desk(desk.kind if desk else "")

    def compose_body(self) -> ComposeResult:
        yield Static(id="kind-bar", markup=False)
        yield Static(id="logs-status", markup=False)
        yield LogTable(self.reload, self._open, id="logs-table")

    # --- loading ------------------------------------------------------------------------

    def load(self, desk_id: int, tz: str) -> None:
        """The page shown of the kind shown."""
        start, end = logs.day_bounds(self.day_from, self.day_to, tz)
        table = self.table
        page = logs.list_entries(
            self.kind,
            desk_id=desk_id,
            start=start,
            end=end,
            limit=table.page_rows(),
            after=table.start,
            only_open=self.only_open,
        )
        table.begin(
            [
                ("id", "#"),
                *((field, _(header)) for header, field in COLUMNS[self.kind]),
                ("@by", _("By")),
                ("@state", _("State")),
            ]
        )
        for entry in page.entries:
            cells: list[Any] = [str(entry.id)]
            cells += [_cell(entry, field, tz) for _h, field in COLUMNS[self.kind]]
            cells += [literal(entry.author_no, one_line=True), _state(entry)]
            table.add_item(str(entry.id), entry, cells)
        table.loaded(next_start=page.next_cursor)
        fit_columns(table, FREE_TEXT[self.kind])
        self._update_bars()
        self.refresh_bindings()

    def _update_bars(self) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        # Key 8 (the repair requests) where the desk takes them; then, to fit 80
        # columns, one space between the kinds instead of two.
        with_repairs = self.desk is not None and self.desk.kind in repairs.REPAIR_DESK_KINDS
        after = "" if with_repairs else " "
        for number, kind in enumerate(self.kinds, start=1):
            style = "reverse bold" if kind == self.kind else ""
            bar.append(f" {number} {_(SHORT_LABELS[kind])}{after}", style=style)
        if with_repairs:
            bar.append(f" 8 {_('Repairs')}")
        self.query_one("#kind-bar", Static).update(bar)
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_(logs.KIND_LABELS[self.kind]), style="bold")
        status.append("  " + _("page {n}", n=self.table.page + 1))
        if self.day_from or self.day_to:
            status.append(
                "  " + _("days {start} – {end}", start=self.day_from or "…", end=self.day_to or "…")
            )
        if self.only_open:
            status.append("  " + _("open ones only"))
        actor = getattr(self.app, "actor", None)
        if actor is not None and f"logs.new.{self.kind}" in drafts.forms_with_drafts(actor):
            status.append("  " + _("draft kept: press n"), style="bold")
        self.query_one("#logs-status", Static).update(status)
        # The ``o`` key says what it does for the kind shown.
        relabel(self, "o", CLOSE_LABELS.get(self.kind))

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_entry":
            entry = self.selected() if self.is_mounted else None
            return bool(entry and entry.is_open and not entry.corrected)
        if action == "kind":
            return isinstance(parameters[0], int) and parameters[0] <= len(self.kinds)
        if action == "correct":
            entry = self.selected() if self.is_mounted else None
            return bool(entry and entry.correctable)
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def action_kind(self, number: int) -> None:
        kinds = self.kinds
        if 1 <= number <= len(kinds) and kinds[number - 1] != self.kind:
            self.kind = kinds[number - 1]
            self.only_open = False
            self.first_page()

    def action_repairs(self) -> None:
        """Key 8: the desk's repair requests (EN-8.3.2), on their own screen."""
        self.app.push_screen(RepairsScreen(pushed=True))

    @work
    async def action_new(self) -> None:
        result = await self.app.push_screen_wait(entry_form(self, self.kind, None, ""))
        if isinstance(result, LogEntry):
            self.notify(_("Saved: entry #{id}", id=result.id))
        self.first_page()

    @work
    async def _open(self, entry: LogEntry, correct: bool = False) -> None:
        await self.app.push_screen_wait(EntryScreen(entry, correct=correct))
        self.reload()

    def action_correct(self) -> None:
        """``c``: the entry under the cursor, opened to correct it (CS3)."""
        entry = self.selected()
        if entry is not None and entry.correctable:
            self._open(entry, correct=True)

    def action_close_entry(self) -> None:
        entry = self.selected()
        if entry is not None:
            close_entry(self, entry)
            self.reload()

    @work
    async def action_filter(self) -> None:
        fields = list(DAY_FIELDS)
        if self.kind in CLOSE_LABELS:
            fields.append(FormField("only_open", N_("Open ones only"), "check"))
        values = {
            "day_from": self.day_from or "",
            "day_to": self.day_to or "",
            "only_open": self.only_open,
        }

        def submit(v: dict[str, Any]) -> dict[str, Any]:
            start, end = parse_days(v)
            return {"day_from": start, "day_to": end, "only_open": bool(v.get("only_open"))}

        form = FormScreen(
            form_id=None,
            title=_("Filter: {kind}", kind=_(logs.KIND_LABELS[self.kind])),
            fields=fields,
            values=values,
            submit=submit,
            main="day_from",
            note=_("Empty days: no limit."),
        )
        result = await self.app.push_screen_wait(form)
        if result is not None:
            self.day_from = result["day_from"]
            self.day_to = result["day_to"]
            self.only_open = result["only_open"]
            self.first_page()


def close_entry(screen: Screen[Any], entry: LogEntry) -> None:
    """Close ``entry`` now (sign out, key back, finished), telling the user how it went."""
    app: Any = screen.app
    try:
        done = logs.close(app.actor, entry.kind, entry.id)
    except DutyDeskError as exc:
        screen.notify(exc.translated(), severity="error", markup=False)
        return
    screen.notify(
        _("{what}: entry #{id}", what=_(CLOSE_LABELS[entry.kind]), id=done.id), markup=False
    )


class EntryScreen(DetailScreen):
    """One entry, read-only, with its corrections and the keys to correct or close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "correct", N_("Correct"), id="entry.correct"),
        Binding("o", "close_entry", N_("Close"), id="entry.close"),
        Binding("escape", "back", N_("Back"), id="entry.back"),
    ]
    """Keys of an opened entry: correct it, close it, back to the list."""

    NAME = "entry"

    def __init__(self, entry: LogEntry, *, correct: bool = False) -> None:
        super().__init__()
        self.entry = entry
        self.correct_at_once = correct  # opened with ``c`` on the list

    def on_mount(self) -> None:
        relabel(self, "o", CLOSE_LABELS.get(self.entry.kind))
        super().on_mount()
        if self.correct_at_once:
            self.call_after_refresh(self.action_correct)

    def title_text(self) -> Text:
        kind = _(logs.KIND_LABELS[self.entry.kind])
        return Text(_("Entry #{id}: {kind}", id=self.entry.id, kind=kind))

    def details(self) -> Text:
        e = self.entry
        tz = self.tz
        text = Text()
        for f in FORMS[e.kind]:
            value = e.values.get(f.name)
            if isinstance(value, arrow.Arrow) or (f.kind == "time" and value is None):
                shown: Text | str = format_time(value, tz)
            elif isinstance(value, bool):
                shown = _("yes") if value else _("no")
            elif f.name == "category" and value:
                shown = _(logs.CATEGORY_LABELS.get(str(value), str(value)))
            else:
                shown = literal(str(value or ""))
            text.append(f"{_(f.label)}: ", style="bold")
            text.append(shown)
            text.append("\n")
        text.append(f"{_('Written by')}: ", style="bold")
        text.append(literal(f"{e.author_no} {e.author_name}"))
        text.append(f"  {format_time(e.created_at, tz)}\n")
        if e.corrects_id is not None:
            text.append(_("Correction of entry #{id}", id=e.corrects_id) + ": ", style="bold")
            text.append(literal(e.correction_reason))
            text.append("\n")
        if e.corrected:
            text.append(_("Corrected by entry #{id}", id=e.corrected_by_id), style="bold")
            text.append("\n")
        since = health.written_while_clock_wrong(f"log.{e.kind}.", e.id, e.created_at)
        if since is not None:
            text.append(
                "⚠ "
                + _(
                    "Written while the PC clock looked wrong (since {since}): its times may be off",
                    since=format_time(since, tz),
                ),
                style="bold",
            )
            text.append("\n")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "correct":
            return self.entry.correctable
        if action == "close_entry":
            return self.entry.is_open and not self.entry.corrected
        return True

    def action_close_entry(self) -> None:
        close_entry(self, self.entry)
        self.dismiss(None)

    @work
    async def action_correct(self) -> None:
        """The reason first, then the correction form (CS3); a correction already
        begun (a draft) goes straight back to its form."""
        entry = self.entry
        form_id = f"logs.correct.{entry.kind}.{entry.id}"
        reason = ""
        if form_id not in drafts.forms_with_drafts(self.kiosk.actor):
            question = _("Why is entry #{id} corrected?", id=entry.id)
            answer = await self.app.push_screen_wait(PromptDialog(question))
            if answer is None:
                return
            reason = answer
        result = await self.app.push_screen_wait(entry_form(self, entry.kind, entry, reason))
        if isinstance(result, LogEntry):
            self.notify(_("Saved: entry #{id}", id=result.id))
            self.dismiss(None)
