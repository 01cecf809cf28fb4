"""F9: staff administration (supervisor role); everyone can change their own PIN here.

Add staff, deactivate them (at once: they cannot log in), reset a PIN (it must
be changed at the next login). Every change is audited by the domain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from dutydesk.domain import sessions
from dutydesk.domain import staff as staff_rules
from dutydesk.i18n import N_, _
from dutydesk.screens.admin.base import CS8_RULE, SECTIONS, confirm_then_apply, sections_line
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.dialogs.admin import ROLE_NAMES, AddStaffDialog, ResetPinDialog
from dutydesk.widgets.literal import clean, literal
from dutydesk.widgets.tables import SteadyTable


def _lock_text(state: staff_rules.LockState) -> str:
    """ " · locked 12 min", " · locked until unlocked", " · 3 wrong PINs" or nothing."""
    if state.until_unlocked:
        return " · " + _("locked until unlocked (u)")
    if state.locked:
        return " · " + _("locked {minutes} min", minutes=state.minutes_left)
    if state.failures:
        return " · " + _("{n} wrong PINs", n=state.failures)
    return ""


def _who(person: staff_rules.StaffInfo) -> dict[str, str]:
    """A person's number and name for a message (control characters made visible)."""
    return {"staff_no": clean(person.staff_no), "name": clean(person.name)}


class AdminScreen(DeskScreen):
    """Staff list with add / deactivate / reset PIN; missed presence checks."""

    BINDINGS = [
        Binding("a", "add", N_("Add staff"), id="add_staff"),
        Binding("d", "toggle_active", N_("Deactivate / reactivate"), id="deactivate"),
        Binding("r", "reset_pin", N_("Reset PIN"), id="reset_pin"),
        Binding("u", "unlock", N_("Unlock"), id="unlock", tooltip=N_("Lift a PIN lockout")),
        Binding("p", "app.change_pin", N_("Change my PIN"), id="change_pin"),
        # The other sections (base.py and the section modules); 1 is this staff list.
        *[
            Binding(str(n), f"section({n})", N_("Section"), show=False, id=f"admin.section{n}")
            for n in range(1, 10)
        ],
    ]
    RULES: ClassVar[Rules] = [
        ("SG-5", N_("Missed night presence checks are shown to the supervisor")),
        CS8_RULE,
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="admin-body"):
            yield Static("", id="admin-note", markup=False)
            yield SteadyTable(id="staff-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="admin-missed", markup=False)

    @property
    def is_supervisor(self) -> bool:
        app: Any = self.app
        return app.staff is not None and app.staff.is_supervisor

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def refresh_language(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "toggle_active", "reset_pin", "unlock", "section"):
            return self.is_supervisor
        return True

    def reload(self) -> None:
        if not self.is_mounted:
            return
        note = self.query_one("#admin-note", Static)
        table = self.query_one("#staff-table", DataTable)
        missed = self.query_one("#admin-missed", Static)
        table.clear(columns=True)
        if not self.is_supervisor:
            note.update(
                _("Staff administration is for supervisors. You can change your own PIN with p.")
            )
            table.display = False
            missed.update("")
            return
        note.update(
            sections_line(1)
            + "\n"
            + _("Staff: a add, d deactivate / reactivate, r reset PIN, p change my PIN")
            + "\n"
            + _("u unlocks a number locked after wrong PINs")
        )
        table.display = True
        table.add_columns(_("Staff number"), _("Name"), _("Role"), _("Status"))
        for person in staff_rules.list_staff():
            status = _("active") if person.active else _("inactive")
            if person.must_change_pin:
                status += " · " + _("must change PIN")
            status += _lock_text(staff_rules.lock_state(person.id, self.kiosk.clock.now()))
            table.add_row(
                literal(person.staff_no, one_line=True, limit=16),
                literal(person.name, one_line=True, limit=40),
                Text(_(ROLE_NAMES.get(person.role, person.role))),
                Text(status),
                key=str(person.id),
            )
        table.focus()
        text = Text(_("Missed presence checks:") + " ", style="bold")
        rows = sessions.missed_checks(limit=5)
        if not rows:
            text.append(_("none"), style="dim")
        for m in rows:
            text.append("\n" + m.due_at.format("MM-DD HH:mm") + " ")
            text.append(literal(f"{m.desk_name} {m.staff_no}", one_line=True, limit=60))
        missed.update(text)
        self.refresh_bindings()

    def _selected(self) -> staff_rules.StaffInfo | None:
        table = self.query_one("#staff-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return staff_rules.get(int(key)) if key else None

    def action_section(self, number: int) -> None:
        if number in SECTIONS and self.is_supervisor:
            self.app.push_screen(SECTIONS[number]())

    def action_add(self) -> None:
        self.app.push_screen(AddStaffDialog(), lambda _result: self.reload())

    def action_toggle_active(self) -> None:
        person = self._selected()
        if person is None:
            return
        msgid = (
            N_("Deactivate {staff_no} {name}? They cannot log in from now on.")
            if person.active
            else N_("Reactivate {staff_no} {name}?")
        )
        question = _(msgid, **_who(person))
        app: Any = self.app
        confirm_then_apply(
            self,
            question,
            lambda: staff_rules.set_active(app.actor, person.id, not person.active),
            self.reload,
        )

    def action_unlock(self) -> None:
        """u: lift the lockout of the selected person (audited as staff.unlock)."""
        person = self._selected()
        if person is None:
            return
        question = _(
            "Unlock {staff_no} {name}? Their count of wrong PINs starts again.", **_who(person)
        )
        app: Any = self.app
        confirm_then_apply(
            self,
            question,
            lambda: staff_rules.unlock(app.actor, person.id),
            self.reload,
            done=_("{staff_no} unlocked", staff_no=clean(person.staff_no)),
        )

    def action_reset_pin(self) -> None:
        person = self._selected()
        if person is not None:
            self.app.push_screen(ResetPinDialog(person), lambda _result: self.reload())
