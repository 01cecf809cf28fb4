"""The F9 dialogs: add a person, reset a PIN."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from dutydesk.domain import staff as staff_rules
from dutydesk.domain.site import ROLES
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs.common import FormDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean

ROLE_NAMES = {
    "guard": N_("guard"),
    "engineer": N_("engineer"),
    "service": N_("service staff"),
    "leader": N_("shift leader"),
    "supervisor": N_("supervisor"),
    "admin": N_("administrator"),
}


class AddStaffDialog(FormDialog[staff_rules.StaffInfo]):
    """A new person with a temporary PIN (to be changed at first login)."""

    TITLE_MSGID = N_("Add staff")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_(self.TITLE_MSGID), classes="dialog-title")
            yield Label(_("Role"), classes="field-label")
            yield Select(
                [(_(ROLE_NAMES[r]), r) for r in ROLES], value="guard", allow_blank=False, id="role"
            )
            for field_id, label, password, value in self.fields():
                yield Label(_(label), classes="field-label")
                yield Input(value=value, password=password, id=field_id, classes="field-input")
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#staff_no").focus()

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("staff_no", N_("Staff number"), False, ""),
            ("name", N_("Name"), False, ""),
            ("pin", N_("Temporary PIN"), True, ""),
            ("repeat", N_("Temporary PIN again"), True, ""),
        ]

    def submit(self) -> None:
        if self.value("pin") != self.value("repeat"):
            self.show_error(_("The two PINs differ"), "repeat")
            return
        app: Any = self.app
        role = self.query_one("#role", Select).value
        person = staff_rules.add_staff(
            app.actor,
            staff_no=self.value("staff_no"),
            name=self.value("name"),
            role=str(role),
            pin=self.value("pin"),
        )
        self.dismiss(person)


class ResetPinDialog(FormDialog[bool]):
    TITLE_MSGID = N_("Reset PIN")

    def __init__(self, person: staff_rules.StaffInfo) -> None:
        super().__init__()
        self.person = person

    def intro(self) -> str:
        return _(
            "{staff_no} {name} must change this PIN at the next login.",
            staff_no=clean(self.person.staff_no),
            name=clean(self.person.name),
        )

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("pin", N_("Temporary PIN"), True, ""),
            ("repeat", N_("Temporary PIN again"), True, ""),
        ]

    def submit(self) -> None:
        if self.value("pin") != self.value("repeat"):
            self.show_error(_("The two PINs differ"), "repeat")
            return
        app: Any = self.app
        staff_rules.reset_pin(app.actor, self.person.id, self.value("pin"))
        self.dismiss(True)
