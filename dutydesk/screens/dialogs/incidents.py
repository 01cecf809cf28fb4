"""The modal dialogs of incidents (F4): a one-line answer the domain checks (a
result, a reason), and signing the written report with a PIN (CS6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from dutydesk.domain import incidents
from dutydesk.domain.incidents import ReportInfo
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.screens.dialogs.common import FormDialog
from dutydesk.widgets.form import FormKeyBar

AnswerT = TypeVar("AnswerT")


class ActionPrompt(ModalScreen[AnswerT | None]):
    """Ask for one line (a result, a reason) and hand it to ``apply``; the domain's
    message shows under the input when it refuses. Enter or Ctrl+S accepts, Esc cancels.
    Dismissed with what ``apply`` returned, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", N_("Save"), id="action.save"),
        Binding("escape", "cancel", N_("Back"), id="action.back"),
    ]
    """Keys of a one-line answer: save it, or go back."""

    def __init__(self, question: str, apply: Callable[[str], AnswerT], value: str = "") -> None:
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


class SignReportDialog(FormDialog, DeskDialog[ReportInfo | None]):
    """The author signs and files the written report with their PIN (CS6); dismissed
    with the filed report, or None."""

    ASK_BEFORE_DROPPING = False

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
        info: ReportInfo = incidents.file_report(
            app.actor, self.incident_id, self.text, app.staff.staff_no, self.value("sign-pin")
        )
        self.dismiss(info)
