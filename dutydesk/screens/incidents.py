"""F4: incidents — the list, the SE-4 form with who was told (CS6, CS-R3), the
detail with its status keys, and the written report signed with a PIN.

The list is newest first and paged from the database (PgUp / PgDn); open
incidents of earlier shifts are in it like any other. ``n`` / Ctrl+N opens the
form with the time set to now and the cursor in the place; Ctrl+O records
someone told; Ctrl+S saves (a major incident without a reached leader-level
notification is refused with the domain's message, CS6). Enter opens an
incident: ``h`` starts handling, ``r`` resolves it with its result, Ctrl+O adds
a notification, ``w`` writes and signs the written report of a major incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import arrow
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from dutydesk.domain import drafts, incidents, repairs
from dutydesk.domain.incidents import IncidentFields, IncidentInfo, NotificationFields
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.dialogs import FormDialog
from dutydesk.widgets.banner import AlertBanner
from dutydesk.widgets.deskbar import DeskBar
from dutydesk.widgets.form import FormField, FormKeyBar, FormScreen, format_time, parse_time
from dutydesk.widgets.literal import literal
from dutydesk.widgets.tables import fit_columns, page_size

NEW_FORM_ID = "incidents.new"
CELL_LIMIT = 40

STATUS_CHOICES = tuple((s, incidents.STATUS_LABELS[s]) for s in incidents.STATUSES)
SEVERITY_CHOICES = tuple((s, incidents.SEVERITY_LABELS[s]) for s in incidents.SEVERITIES)
METHOD_CHOICES = tuple((m, incidents.METHOD_LABELS[m]) for m in incidents.METHODS)


def _app(node: Widget | Screen[Any]) -> Any:
    return node.app


def _tz(node: Widget | Screen[Any]) -> str:
    return str(_app(node).clock.tz)


def _short(value: arrow.Arrow | None, tz: str) -> str:
    return value.to(tz).format("MM-DD HH:mm") if value is not None else ""


def natures(actor: Any, desk_kind: str) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """The two-level nature list of a desk kind as form choices, and each detail's parent.

    A detail reads "nature / detail", so one list offers both levels.
    """
    cats = incidents.categories(actor, desk_kind)
    names = {c.code: c.name for c in cats if not c.parent_code}
    choices: list[tuple[str, str]] = []
    parents: dict[str, str] = {}
    for c in cats:
        if c.parent_code:
            parents[c.code] = c.parent_code
            choices.append((c.code, f"{names.get(c.parent_code, c.parent_code)} / {c.name}"))
        else:
            choices.append((c.code, c.name))
    return tuple(choices), parents


def incident_fields(nature_choices: tuple[tuple[str, str], ...]) -> list[FormField]:
    """The SE-4 form, in reading order."""
    return [
        FormField("occurred_at", N_("Occurred at"), "time", required=True),
        FormField("place", N_("Place"), required=True),
        FormField("category", N_("Nature"), "choice", required=True, choices=nature_choices),
        FormField("description", N_("What happened"), "area", required=True),
        FormField("people_count", N_("Number of people")),
        FormField("people_involved", N_("Who was involved")),
        FormField("characteristics", N_("Characteristics")),
        FormField("actions", N_("Actions taken")),
        FormField("result", N_("Result")),
        FormField("status", N_("Status"), "choice", required=True, choices=STATUS_CHOICES),
        FormField("severity", N_("Severity"), "choice", required=True, choices=SEVERITY_CHOICES),
    ]


def delay_text(delay: dt.timedelta | None) -> str:
    """CS-R3: the time from occurrence to the first report, as the form shows it."""
    if delay is None:
        return _("Not reported to anyone yet")
    minutes = max(0, int(delay.total_seconds() // 60))
    return _("First report {minutes} min after it happened", minutes=minutes)


def notification_line(n: Any, tz: str) -> Text:
    """``HH:MM role name (method, reached)`` of a notification (form or stored)."""
    when = n.notified_at.to(tz).format("HH:mm") if n.notified_at is not None else _("now")
    role = _(incidents.NOTIFY_ROLE_LABELS.get(n.role, n.role))
    method = _(incidents.METHOD_LABELS.get(n.method, n.method))
    reached = _("reached") if n.reached else _("not reached")
    line = Text(f"  {when} {role} ")
    line.append(literal(n.name, one_line=True, limit=30))
    line.append(f" ({method}, {reached})", style="" if n.reached else "dim")
    return line


# --- a one-line answer checked by the domain --------------------------------------------------


class ActionPrompt(ModalScreen[Any]):
    """Ask for one line (a result, a reason) and hand it to ``apply``; the domain's
    message shows under the input when it refuses. Enter or Ctrl+S accepts, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", N_("Save"), id="action.save"),
        Binding("escape", "cancel", N_("Back"), id="action.back"),
    ]
    """Keys of a one-line answer: save it, or go back."""

    def __init__(self, question: str, apply: Callable[[str], Any], value: str = "") -> None:
        super().__init__()
        self.question = question
        self.apply = apply
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Input(self.value, id="action-input")
            yield Static("", markup=False, id="action-error")
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        try:
            result = self.apply(self.query_one(Input).value)
        except DutyDeskError as exc:
            self.query_one("#action-error", Static).update(exc.translated())
            self.app.bell()
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- who was told -----------------------------------------------------------------------------


class NotificationForm(FormScreen):
    """One person told: the site's contact list is offered first, then every role."""

    def __init__(self, actor: Any, occurred_at: arrow.Arrow | None, now: arrow.Arrow) -> None:
        self.contacts = {f"contact:{c.id}": c for c in incidents.contacts(actor)}
        choices: list[tuple[str, str]] = []
        for key, c in self.contacts.items():
            label = " ".join(x for x in (c.role_label, c.name, c.phone) if x.strip())
            choices.append((key, label))
        choices += [(r, incidents.NOTIFY_ROLE_LABELS[r]) for r in incidents.NOTIFY_ROLES]
        self.actor = actor
        self.occurred_at = occurred_at
        super().__init__(
            form_id=None,
            title=_("Who was told"),
            fields=[
                FormField("role", N_("Who"), "choice", required=True, choices=tuple(choices)),
                FormField("name", N_("Name")),
                FormField("method", N_("How"), "choice", required=True, choices=METHOD_CHOICES),
                FormField("notified_at", N_("When"), "time", required=True),
                FormField("reached", N_("Reached"), "check"),
            ],
            values={"role": "", "method": "phone", "notified_at": now, "reached": True},
            submit=self._submit,
            main="role",
            note=_("CS6: a major incident needs a reached shift leader, supervisor or head."),
        )

    def _make_input(self, f: FormField) -> Widget:
        if f.name == "role":  # nothing chosen until the person chooses
            options = [(_(label), code) for code, label in f.choices]
            return Select(options, id="field-role", prompt=_("Choose…"), allow_blank=True)
        return super()._make_input(f)

    @on(Select.Changed, "#field-role")
    def _contact_chosen(self, event: Select.Changed) -> None:
        contact = self.contacts.get(str(event.value))
        name = self.query_one("#field-name", Input)
        if contact is not None and not name.value.strip():
            name.value = contact.name

    def _submit(self, v: dict[str, Any]) -> NotificationFields:
        role = v["role"]
        contact = self.contacts.get(role)
        name = v["name"]
        if contact is not None:
            role = contact.role
            name = name if name.strip() else contact.name
        n = NotificationFields(
            role=role,
            name=name,
            method=v["method"],
            notified_at=v["notified_at"],
            reached=bool(v["reached"]),
        )
        prefix = "notifications.0."
        occurred = IncidentFields(occurred_at=self.occurred_at)
        for problem in incidents.check_incident(self.actor, occurred, [n]):
            if problem.field and problem.field.startswith(prefix):
                problem.field = problem.field[len(prefix) :]
                raise problem
        return n


# --- the incident form ------------------------------------------------------------------------


class IncidentForm(FormScreen):
    """The SE-4 form with its notifications; the draft keeps both."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "notify_someone", N_("Who was told"), id="incident.notify"),
    ]
    """Keys of the incident form beside save and back: record someone told (CS6)."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("SE-4", N_("Place, nature, number of people, characteristics; who was told")),
        ("CS6", N_("A major incident is reported to a leader at once; report due next day")),
        ("CS-R3", N_("The delay from occurrence to the first report is shown")),
    ]

    def __init__(self, actor: Any, desk_kind: str, values: dict[str, Any]) -> None:
        choices, self.parents = natures(actor, desk_kind)
        self.notes: list[NotificationFields] = []
        self.checkpoint_id = values.get("checkpoint_id")
        super().__init__(
            form_id=NEW_FORM_ID,
            title=_("New incident"),
            fields=incident_fields(choices),
            values=values,
            submit=self._submit,
            main="description",  # KEYMAP: a new-entry form opens in its main text field
        )

    def compose(self) -> ComposeResult:
        last = f"error-{self.fields[-1].name}"
        for widget in super().compose():
            yield widget
            if widget.id == last:  # still inside the scrolling form
                yield Static("", id="incident-notes")

    def _make_input(self, f: FormField) -> Widget:
        if f.name == "category":  # required, yet nothing chosen until the person chooses
            options = [(_(label), code) for code, label in f.choices]
            value = self._initial.get("category") or Select.NULL
            return Select(
                options, value=value, id="field-category", prompt=_("Choose…"), allow_blank=True
            )
        return super()._make_input(f)

    def on_mount(self) -> None:
        super().on_mount()
        if self._restored and self._can_draft():
            draft = drafts.load(self._actor, NEW_FORM_ID) or {}
            self.set_values({"notifications": draft.get("notifications", [])})
            if draft.get("checkpoint_id") is not None:
                self.checkpoint_id = draft["checkpoint_id"]
        desk = getattr(self.app, "desk", None)
        if desk is not None:
            areas = incidents.desk_areas(desk.id)
            if areas:
                self.query_one("#field-place", Input).suggester = SuggestFromList(areas)
        self.show_notes()

    # --- values and drafts ---------------------------------------------------------

    def raw_values(self) -> dict[str, Any]:
        out = super().raw_values()
        if self.notes:
            out["notifications"] = [n.to_draft() for n in self.notes]
        if self.checkpoint_id is not None:  # opened from a patrol check: kept in the draft
            out["checkpoint_id"] = self.checkpoint_id
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        super().set_values(values)
        if "notifications" in values:
            self.notes = [NotificationFields.from_mapping(n) for n in values["notifications"]]
            self.show_notes()

    def _occurred(self) -> arrow.Arrow:
        now = _app(self).clock.now()
        try:
            return parse_time(self.query_one("#field-occurred_at", Input).value, now, "x") or now
        except ValidationError:
            return now

    def show_notes(self) -> None:
        """Who was told so far, and the time from occurrence to the first report (CS-R3)."""
        if not self.is_mounted:
            return
        tz = _tz(self)
        text = Text(_("Who was told (Ctrl+O):"), style="bold")
        if not self.notes:
            text.append(" " + _("nobody yet"), style="dim")
        for n in self.notes:
            text.append("\n")
            text.append(notification_line(n, tz))
        now = _app(self).clock.now()
        delay = incidents.report_delay(self._occurred(), self.notes, now)
        text.append("\n")
        text.append(delay_text(delay), style="bold" if delay is not None else "bold red")
        self.query_one("#incident-notes", Static).update(text)

    @on(Input.Changed, "#field-occurred_at")
    def _occurred_changed(self) -> None:
        self.show_notes()

    # --- actions -----------------------------------------------------------------------

    def action_notify_someone(self) -> None:
        app = _app(self)

        def added(note: NotificationFields | None) -> None:
            if note is not None:
                self.notes.append(note)
                self.show_notes()
                self._changed()

        app.push_screen(NotificationForm(app.actor, self._occurred(), app.clock.now()), added)

    def _fields(self, v: dict[str, Any]) -> IncidentFields:
        code = v.get("category", "")
        parent = self.parents.get(code, "")
        return IncidentFields(
            place=v["place"],
            category=parent or code,
            subcategory=code if parent else "",
            description=v["description"],
            occurred_at=v["occurred_at"],
            people_count=v["people_count"],
            people_involved=v["people_involved"],
            characteristics=v["characteristics"],
            actions=v["actions"],
            result=v["result"],
            status=v["status"],
            severity=v["severity"],
            checkpoint_id=self.checkpoint_id,
        )

    @staticmethod
    def _field_of(exc: ValidationError) -> None:
        if exc.field == "subcategory":
            exc.field = "category"
        elif exc.field and exc.field.startswith("notifications."):
            exc.field = None

    def action_save(self) -> None:
        # Every field problem at once, each beside its field; the cursor goes to the first.
        self.clear_errors()
        try:
            fields = self._fields(self.typed_values())
        except ValidationError as exc:
            self.show_error(exc.field, exc.translated())
            return
        problems = incidents.check_incident(_app(self).actor, fields, self.notes)
        for problem in reversed(problems):
            self._field_of(problem)
            self.show_error(problem.field, problem.translated())
        if not problems:
            super().action_save()

    def _submit(self, v: dict[str, Any]) -> IncidentInfo:
        try:
            return incidents.create_incident(_app(self).actor, self._fields(v), self.notes)
        except ValidationError as exc:
            self._field_of(exc)
            raise


def open_incident_form(screen: Screen[Any], done: Callable[[Any], None]) -> None:
    """Push the new-incident form of the app's desk (now, this desk, this person)."""
    app = _app(screen)
    kind = app.desk.kind if app.desk else "security"
    values = {"occurred_at": app.clock.now(), "status": "open", "severity": "normal"}
    app.push_screen(IncidentForm(app.actor, kind, values), done)


def open_incident_from_checkpoint(
    screen: Screen[Any], checkpoint_id: int, description: str
) -> None:
    """The incident form for a problem found on patrol or an out-of-range reading
    (EN-8.3.2): place and checkpoint filled in from the
    checkpoint, the patrol note as what happened. The patrol screen calls this.

    An unsaved incident draft of the person is never overwritten: they finish or drop
    it on F4 first (the note still goes to the duty log when the round is finished).
    """
    app = _app(screen)
    if drafts.load(app.actor, NEW_FORM_ID):
        screen.notify(
            _("Finish or drop your unsaved incident on F4 first (n opens it)."),
            severity="warning",
            markup=False,
            timeout=8,
        )
        return
    try:
        f = incidents.fields_from_checkpoint(app.actor, checkpoint_id, description)
    except DutyDeskError as exc:
        screen.notify(exc.translated(), severity="error", markup=False)
        return
    kind = app.desk.kind if app.desk else "security"
    values = {
        "occurred_at": f.occurred_at or app.clock.now(),
        "place": f.place,
        "description": f.description,
        "status": "open",
        "severity": "normal",
        "checkpoint_id": f.checkpoint_id,
    }

    def saved(result: Any) -> None:
        if isinstance(result, IncidentInfo):
            screen.notify(_("Saved: incident {id}", id=result.id), markup=False)

    app.push_screen(IncidentForm(app.actor, kind, values), saved)


# --- the written report (CS6) -----------------------------------------------------------------


class SignReportDialog(FormDialog):
    """The author signs and files the written report with their PIN (CS6)."""

    TITLE_MSGID = N_("Sign the written report")
    FIELD_MAP = {"pin": "sign-pin", "staff_no": "sign-pin"}
    RULES = [("CS6", N_("The written report is signed by its author with PIN"))]

    def __init__(self, incident_id: int, text: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.text = text

    def intro(self) -> str:
        return _("Type your PIN and press Enter to sign and file the report.")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [("sign-pin", N_("PIN"), True, "")]

    def submit(self) -> None:
        app: Any = self.app
        info = incidents.file_report(
            app.actor, self.incident_id, self.text, app.staff.staff_no, self.value("sign-pin")
        )
        self.dismiss(info)


class ReportForm(FormScreen):
    """The written report, drafted from the incident's fields; Ctrl+S asks for the PIN."""

    def __init__(self, incident_id: int) -> None:
        self.incident_id = incident_id
        super().__init__(
            form_id=f"incidents.report.{incident_id}",
            title=_("Written report of incident {id}", id=incident_id),
            fields=[FormField("text", N_("Written report"), "area")],
            values={"text": incidents.draft_report(incident_id)},
            submit=lambda v: None,
            main="text",
            note=_("Edit the draft, then Ctrl+S to sign it with your PIN (CS6)."),
        )

    def action_save(self) -> None:
        self.clear_errors()
        text = self.raw_values()["text"]
        if not text.strip():
            self.show_error("text", _("Write the report"))
            return

        def signed(info: Any) -> None:
            if info is not None:
                self._discard_draft()
                self.dismiss(info)

        self.app.push_screen(SignReportDialog(self.incident_id, text), signed)


# --- one incident -----------------------------------------------------------------------------


def incident_details(info: IncidentInfo, tz: str, now: arrow.Arrow) -> Text:
    """Every field of an incident, literally, with who was told and its status history."""
    text = Text()

    def row(label: str, value: str | Text, style: str = "") -> None:
        text.append(f"{label}: ", style="bold")
        shown = value.copy() if isinstance(value, Text) else literal(value)
        if style:
            shown.stylize(style)
        text.append(shown)
        text.append("\n")

    nature = " / ".join(x for x in (info.category_name, info.subcategory_name) if x)
    row(_("Occurred at"), format_time(info.occurred_at, tz))
    row(_("Place"), info.place)
    row(_("Nature"), nature)
    row(_("Severity"), info.severity_label, "bold red" if info.major else "")
    row(_("Status"), info.status_label, "bold yellow" if info.being_handled else "")
    row(_("Number of people"), str(info.people_count))
    row(_("Who was involved"), info.people_involved)
    row(_("Characteristics"), info.characteristics)
    row(_("What happened"), info.description)
    row(_("Actions taken"), info.actions)
    row(_("Result"), info.result)
    row(_("Written by"), f"{info.author_no} {info.author_name}  {format_time(info.created_at, tz)}")
    if info.report_due_at is not None:
        if info.report_filed_at is not None:
            row(_("Written report"), _("filed {time}", time=format_time(info.report_filed_at, tz)))
        elif info.report_overdue(now):
            due = format_time(info.report_due_at, tz)
            row(_("Written report"), _("OVERDUE since {time}", time=due), "bold red")
        else:
            row(_("Written report"), _("due by {time}", time=format_time(info.report_due_at, tz)))
    text.append(_("Who was told") + ":", style="bold")
    if not info.notifications:
        text.append(" " + _("nobody yet"), style="dim")
    for n in info.notifications:
        text.append("\n")
        text.append(notification_line(n, tz))
    text.append("\n" + delay_text(info.first_report_delay) + "\n")
    text.append(_("Status history") + ":", style="bold")
    for change in incidents.status_history(info.id):
        text.append(f"\n  {format_time(change.at, tz)} {change.status_label} ")
        text.append(literal(f"{change.staff_no} {change.staff_name}", one_line=True))
        if change.result:
            text.append(" — ")
            text.append(literal(change.result, one_line=True, limit=60))
    for rep in incidents.reports(info.id):
        text.append("\n\n")
        who = rep.author_no + " " + rep.author_name
        signed = _(
            "Written report signed by {who} at {time}", who=who, time=format_time(rep.signed_at, tz)
        )
        text.append(literal(signed, "bold"))
        text.append("\n")
        text.append(literal(rep.text))
    return text


class IncidentScreen(Screen[None]):
    """One incident read-only, with the keys that move it on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "start_handling", N_("Start handling"), id="incident.handle"),
        Binding("r", "resolve", N_("Resolve"), id="incident.resolve"),
        Binding("ctrl+o,t", "notify_someone", N_("Who was told"), id="incident.tell"),
        Binding("w", "write_report", N_("Written report"), id="incident.report"),
        Binding("escape", "back", N_("Back"), id="incident.back"),
    ]
    """Keys of an opened incident: handle, resolve, record who was told, report, back."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("EN-8.6.2", N_("An incident being handled blocks the handover")),
        ("CS6", N_("A major incident's written report is due the next day")),
    ]

    def __init__(self, incident_id: int) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.info = incidents.get_incident(incident_id)

    def compose(self) -> ComposeResult:
        yield DeskBar()
        yield AlertBanner()  # read-only mode, a wrong clock: on every screen
        yield Static(id="incident-title")
        with VerticalScroll():
            yield Static(id="incident-details")
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(VerticalScroll).focus()

    def reload(self) -> None:
        self.info = incidents.get_incident(self.incident_id)
        app = _app(self)
        title = Text(_("Incident {id}", id=self.info.id) + "  ")
        title.append(self.info.status_label)
        if self.info.major:
            title.append("  " + self.info.severity_label, style="bold red")
        self.query_one("#incident-title", Static).update(title)
        details = incident_details(self.info, _tz(self), app.clock.now())
        self.query_one("#incident-details", Static).update(details)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        info = self.info
        if action == "start_handling":
            return info.status == "open"
        if action == "resolve":
            return info.status != "resolved"
        if action == "write_report":
            return info.major and info.report_filed_at is None
        return True

    def _run(self, do: Callable[[], Any], done: str) -> None:
        try:
            do()
        except DutyDeskError as exc:
            self.notify(exc.translated(), severity="error", markup=False)
            return
        self.notify(done, markup=False)
        self.reload()

    def action_start_handling(self) -> None:
        actor = _app(self).actor
        self._run(
            lambda: incidents.start_handling(actor, self.incident_id), _("Being handled (EN-8.6.2)")
        )

    def action_resolve(self) -> None:
        actor = _app(self).actor

        def done(result: Any) -> None:
            if result is not None:
                self.notify(_("Incident {id} resolved", id=self.incident_id), markup=False)
                self.reload()

        self.app.push_screen(
            ActionPrompt(
                _("Result of incident {id}:", id=self.incident_id),
                lambda text: incidents.resolve(actor, self.incident_id, text),
                self.info.result,
            ),
            done,
        )

    def action_notify_someone(self) -> None:
        app = _app(self)

        def added(note: NotificationFields | None) -> None:
            if note is not None:
                self._run(
                    lambda: incidents.add_notification(app.actor, self.incident_id, note),
                    _("Notification recorded"),
                )

        app.push_screen(NotificationForm(app.actor, self.info.occurred_at, app.clock.now()), added)

    def action_write_report(self) -> None:
        def filed(info: Any) -> None:
            if info is not None:
                self.notify(_("Written report filed and signed"), markup=False)
            self.reload()

        self.app.push_screen(ReportForm(self.incident_id), filed)

    def action_back(self) -> None:
        self.dismiss(None)

    def refresh_live(self) -> None:
        for bar in self.query(DeskBar):
            bar.refresh()


# --- the list ---------------------------------------------------------------------------------


class IncidentTable(DataTable[Any]):
    """The incident list; PgUp / PgDn load the previous / next page from the database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_incident", N_("View"), id="incidents.open"),
        Binding("pagedown", "screen.next_page", N_("Next page"), id="incidents.next_page"),
        Binding("pageup", "screen.prev_page", N_("Previous page"), id="incidents.prev_page"),
    ]
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


def parse_day(text: str, field: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` filter day; empty gives None."""
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(N_("Enter the day as YYYY-MM-DD"), field=field) from None


class IncidentsScreen(DeskScreen):
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
        self.page = 0
        self.has_more = False
        self.filters: dict[str, Any] = {}
        self._rows: dict[str, IncidentInfo] = {}
        # Reload on a resume only after a suspend: Textual posts ScreenResume twice
        # when a mode's screen is first shown, and on_mount loads it already.
        self._suspended = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="incidents-status", markup=False)
        yield IncidentTable(id="incidents-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(IncidentTable).focus()
        self.call_after_refresh(self.reload)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._suspended:
            self._suspended = False
            self.reload()

    def refresh_language(self) -> None:
        self.reload()

    def _page_size(self) -> int:
        return page_size(self.query_one(IncidentTable))

    def reload(self) -> None:
        app = _app(self)
        desk = getattr(app, "desk", None)
        if desk is None or not self.is_mounted:
            return
        tz = _tz(self)
        now = app.clock.now()
        page = incidents.list_incidents(
            desk.id, page=self.page, page_size=self._page_size(), **self.filters
        )
        if not page.items and self.page > 0:
            self.page -= 1
            self.reload()
            return
        self.has_more = page.has_more
        table = self.query_one(IncidentTable)
        table.clear(columns=True)
        # The Report column only when a listed incident has a report (major ones).
        with_report = any(info.report_due_at is not None for info in page.items)
        for key, header in (
            ("id", "#"),
            ("at", _("Time")),
            ("severity", _("Severity")),
            ("status", _("Status")),
            ("nature", _("Nature")),
            ("place", _("Place")),
            ("report", _("Report")),
            ("what", _("What happened")),
        ):
            if key != "report" or with_report:
                table.add_column(header, key=key)
        self._rows = {}
        for info in page.items:
            key = str(info.id)
            self._rows[key] = info
            overdue = info.report_overdue(now)
            nature = info.subcategory_name or info.category_name
            mark = "bold red" if overdue else ""  # an overdue report marks the whole row
            cells = [
                Text(str(info.id), style=mark),
                Text(_short(info.occurred_at, tz), style=mark),
                Text(info.severity_label, style="bold red" if info.major else ""),
                Text(info.status_label, style="bold yellow" if info.being_handled else ""),
                literal(nature, one_line=True, limit=20),
                literal(info.place, one_line=True, limit=20),
                *([report_cell(info, now, tz)] if with_report else []),
                literal(info.description, one_line=True, limit=CELL_LIMIT),
            ]
            table.add_row(*cells, key=key)
        fit_columns(table, ["what", "place", "nature"])  # what happened takes the room
        self._update_status(now)
        self.refresh_bindings()

    def _update_status(self, now: arrow.Arrow) -> None:
        status = Text(no_wrap=True, overflow="ellipsis")
        status.append(_("Incidents"), style="bold")
        status.append("  " + _("page {n}", n=self.page + 1))
        described = self._describe_filters()
        if described:
            status.append("  " + described)
        desk = getattr(self.app, "desk", None)
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

    def selected(self) -> IncidentInfo | None:
        table = self.query_one(IncidentTable)
        if table.row_count == 0:
            return None
        try:
            row_key, _col = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # no row under the cursor
            return None
        return self._rows.get(str(row_key.value))

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self.has_more
        if action == "prev_page":
            return self.page > 0
        if action == "open_incident":
            return bool(self._rows)
        if action == "repairs":
            desk = getattr(self.app, "desk", None)
            return desk is not None and desk.kind in repairs.REPAIR_DESK_KINDS
        return True

    def action_next_page(self) -> None:
        if self.has_more:
            self.page += 1
            self.reload()

    def action_prev_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.reload()

    def action_new(self) -> None:
        def saved(result: Any) -> None:
            if isinstance(result, IncidentInfo):
                self.notify(_("Saved: incident {id}", id=result.id), markup=False)
            self.page = 0
            self.reload()

        open_incident_form(self, saved)

    def action_open_incident(self) -> None:
        info = self.selected()
        if info is not None:
            self.app.push_screen(IncidentScreen(info.id), lambda _r: self.reload())

    def action_repairs(self) -> None:
        from dutydesk.screens.repairs import RepairsScreen

        self.app.push_screen(RepairsScreen(pushed=True))

    def action_filter(self) -> None:
        app = _app(self)
        kind = app.desk.kind if app.desk else "security"
        choices, _parents = natures(app.actor, kind)
        fields = [
            FormField("status", N_("Status"), "choice", choices=STATUS_CHOICES),
            FormField("severity", N_("Severity"), "choice", choices=SEVERITY_CHOICES),
            FormField("category", N_("Nature"), "choice", choices=choices),
            FormField("day_from", N_("From day"), placeholder="YYYY-MM-DD"),
            FormField("day_to", N_("To day"), placeholder="YYYY-MM-DD"),
        ]
        values = {k: v or "" for k, v in self.filters.items()}

        def submit(v: dict[str, Any]) -> dict[str, Any]:
            start = parse_day(v["day_from"], "day_from")
            end = parse_day(v["day_to"], "day_to")
            if start and end and end < start:
                raise ValidationError(
                    N_("The last day must not be before the first"), field="day_to"
                )
            out = {
                "status": v["status"] or None,
                "severity": v["severity"] or None,
                "category": v["category"] or None,
                "day_from": start,
                "day_to": end,
            }
            return {k: x for k, x in out.items() if x}

        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                self.filters = result
                self.page = 0
                self.reload()

        app.push_screen(
            FormScreen(
                form_id=None,
                title=_("Filter incidents"),
                fields=fields,
                values=values,
                submit=submit,
                main="status",
                note=_("Empty: no limit."),
            ),
            done,
        )


def open_incident(screen: Screen[Any], incident_id: int, done: Callable[[Any], None]) -> None:
    """Push the detail of an incident (search results open it too)."""
    screen.app.push_screen(IncidentScreen(incident_id), done)
