"""F4: the new-incident form (SE-4) with who was told (CS6, CS-R3), and the ways in:
``n`` on the list, or a problem found on patrol (EN-8.3.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import arrow
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from dutydesk.domain import drafts, incidents
from dutydesk.domain.incidents import (
    IncidentFields,
    IncidentInfo,
    IncidentStatus,
    NotificationFields,
    NotifyMethod,
    Severity,
)
from dutydesk.domain.patterns import DeskKind
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.widgets.form import FormField, FormScreen, parse_time
from dutydesk.widgets.literal import literal

NEW_FORM_ID = "incidents.new"

STATUS_CHOICES = tuple((s, incidents.STATUS_LABELS[s]) for s in incidents.STATUSES)
SEVERITY_CHOICES = tuple((s, incidents.SEVERITY_LABELS[s]) for s in incidents.SEVERITIES)
METHOD_CHOICES = tuple((m, incidents.METHOD_LABELS[m]) for m in incidents.METHODS)


def _app(node: Widget | Screen[Any]) -> Any:
    return node.app


def _tz(node: Widget | Screen[Any]) -> str:
    return str(_app(node).clock.tz)


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
            values={"role": "", "method": NotifyMethod.PHONE, "notified_at": now, "reached": True},
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
            main="description",  # docs/keys.md: a new-entry form opens in its main text field
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

    def refresh_language(self) -> None:
        """Ctrl+T: title, labels and the people told in the new language."""
        super().refresh_language()
        self.title_text = _("New incident")
        self.query_one("#form-title", Static).update(Text(self.title_text))
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

    @work
    async def action_notify_someone(self) -> None:
        app = _app(self)
        form = NotificationForm(app.actor, self._occurred(), app.clock.now())
        note = await app.push_screen_wait(form)
        if note is not None:
            self.notes.append(note)
            self.show_notes()
            self._changed()

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


def new_incident_form(screen: Screen[Any], **values: Any) -> IncidentForm:
    """The new-incident form of the app's desk (now, this desk, this person), open
    and of normal severity unless ``values`` say otherwise."""
    app = _app(screen)
    kind = app.desk.kind if app.desk else DeskKind.SECURITY
    start = {
        "occurred_at": app.clock.now(),
        "status": IncidentStatus.OPEN,
        "severity": Severity.NORMAL,
    }
    return IncidentForm(app.actor, kind, {**start, **values})


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
    form = new_incident_form(
        screen,
        place=f.place,
        description=f.description,
        checkpoint_id=f.checkpoint_id,
        **({"occurred_at": f.occurred_at} if f.occurred_at else {}),
    )

    def saved(result: Any) -> None:
        if isinstance(result, IncidentInfo):
            screen.notify(_("Saved: incident {id}", id=result.id), markup=False)

    app.push_screen(form, saved)
