"""F4: one incident, read-only, with the keys that move it on (EN-8.6.2, CS6), and
its written report, drafted from its fields and signed with a PIN (CS6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import arrow
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType

from dutydesk.domain import incidents
from dutydesk.domain.incidents import IncidentInfo, IncidentStatus
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs.incidents import ActionPrompt, SignReportDialog
from dutydesk.screens.incidents.form import NotificationForm, delay_text, notification_line
from dutydesk.screens.listing import DetailScreen
from dutydesk.widgets.form import FormField, FormScreen, format_time
from dutydesk.widgets.literal import literal

# --- the written report (CS6) -----------------------------------------------------------------


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
        self._sign(text)

    @work
    async def _sign(self, text: str) -> None:
        info = await self.app.push_screen_wait(SignReportDialog(self.incident_id, text))
        if info is not None:
            self._discard_draft()
            self.dismiss(info)


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


class IncidentScreen(DetailScreen):
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

    NAME = "incident"
    FOCUS_DETAILS = True

    def __init__(self, incident_id: int) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.info = incidents.get_incident(incident_id)

    def reload(self) -> None:
        self.info = incidents.get_incident(self.incident_id)
        super().reload()

    def title_text(self) -> Text:
        title = Text(_("Incident {id}", id=self.info.id) + "  ")
        title.append(self.info.status_label)
        if self.info.major:
            title.append("  " + self.info.severity_label, style="bold red")
        return title

    def details(self) -> Text:
        return incident_details(self.info, self.tz, self.kiosk.clock.now())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        info = self.info
        if action == "start_handling":
            return info.status == IncidentStatus.OPEN
        if action == "resolve":
            return info.status != IncidentStatus.RESOLVED
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
        actor = self.kiosk.actor
        self._run(
            lambda: incidents.start_handling(actor, self.incident_id), _("Being handled (EN-8.6.2)")
        )

    @work
    async def action_resolve(self) -> None:
        actor = self.kiosk.actor
        prompt = ActionPrompt(
            _("Result of incident {id}:", id=self.incident_id),
            lambda text: incidents.resolve(actor, self.incident_id, text),
            self.info.result,
        )
        if await self.app.push_screen_wait(prompt) is not None:
            self.notify(_("Incident {id} resolved", id=self.incident_id), markup=False)
            self.reload()

    @work
    async def action_notify_someone(self) -> None:
        app = self.kiosk
        form = NotificationForm(app.actor, self.info.occurred_at, app.clock.now())
        note = await app.push_screen_wait(form)
        if note is not None:
            self._run(
                lambda: incidents.add_notification(app.actor, self.incident_id, note),
                _("Notification recorded"),
            )

    @work
    async def action_write_report(self) -> None:
        if await self.app.push_screen_wait(ReportForm(self.incident_id)) is not None:
            self.notify(_("Written report filed and signed"), markup=False)
        self.reload()
