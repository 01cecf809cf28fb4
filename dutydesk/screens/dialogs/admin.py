"""The F9 dialogs: add a person, reset a PIN."""

from __future__ import annotations

from typing import Any, Generic

from textual.app import ComposeResult
from textual.widgets import Label, Select

from dutydesk.domain import staff as staff_rules
from dutydesk.domain.context import StaffRole
from dutydesk.domain.site import ROLES
from dutydesk.i18n import N_, _
from dutydesk.screens.base import ResultT
from dutydesk.screens.dialogs.common import FormDialog
from dutydesk.widgets.literal import clean

ROLE_NAMES: dict[str, str] = {
    StaffRole.GUARD: N_("guard"),
    StaffRole.ENGINEER: N_("engineer"),
    StaffRole.SERVICE: N_("service staff"),
    StaffRole.LEADER: N_("shift leader"),
    StaffRole.SUPERVISOR: N_("supervisor"),
    StaffRole.ADMIN: N_("administrator"),
}


# The temporary PIN, twice: it must be changed at the next login.
TEMPORARY_PIN_FIELDS: list[tuple[str, str, bool, str]] = [
    ("pin", N_("Temporary PIN"), True, ""),
    ("repeat", N_("Temporary PIN again"), True, ""),
]


class _TemporaryPinDialog(FormDialog[ResultT], Generic[ResultT]):
    """A dialog that sets a temporary PIN, typed twice."""

    def pins_differ(self) -> bool:
        """The two PINs differ: said beside the second one."""
        if self.value("pin") == self.value("repeat"):
            return False
        self.show_error(_("The two PINs differ"), "repeat")
        return True


class AddStaffDialog(_TemporaryPinDialog[staff_rules.StaffInfo]):
    """A new person with a temporary PIN (to be changed at first login)."""

    TITLE_MSGID = N_("Add staff")

    def compose_before_fields(self) -> ComposeResult:
        yield Label(_("Role"), classes="field-label")
        yield Select(
            [(_(ROLE_NAMES[r]), r) for r in ROLES],
            value=StaffRole.GUARD,
            allow_blank=False,
            id="role",
        )

    def on_mount(self) -> None:
        self.query_one("#staff_no").focus()

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("staff_no", N_("Staff number"), False, ""),
            ("name", N_("Name"), False, ""),
            *TEMPORARY_PIN_FIELDS,
        ]

    def submit(self) -> None:
        if self.pins_differ():
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


class ResetPinDialog(_TemporaryPinDialog[bool]):
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
        return TEMPORARY_PIN_FIELDS

    def submit(self) -> None:
        if self.pins_differ():
            return
        app: Any = self.app
        staff_rules.reset_pin(app.actor, self.person.id, self.value("pin"))
        self.dismiss(True)
