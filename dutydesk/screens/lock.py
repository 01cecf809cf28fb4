"""The lock screen: staff number, Tab, PIN, Enter (KEYMAP "Login and lock screen").

It shows the desk, the live clock and the shift on now at a glance. A wrong PIN
gets a clear message beside the field; lockout after repeated failures and the
refusal of inactive staff come from :func:`dutydesk.domain.staff.authenticate`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Digits, Input, Label, Static

from dutydesk.domain import overview
from dutydesk.domain import staff as staff_rules
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, current_language, pick
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.widgets.literal import clean, literal


def shift_text(line: overview.ShiftLine | None) -> Text:
    """ "Early shift 07:30–16:00 · open" in the current language."""
    text = Text()
    if line is None:
        text.append(_("No shift of this desk is on now"))
        return text
    text.append(clean(pick(line.name_zh, line.name_en)), style="bold")
    text.append(f"  {line.start.format('HH:mm')}–{line.end.format('HH:mm')}  ")
    if line.is_open:
        text.append(_("open"), style="green")
    else:
        text.append(_("not opened yet"), style="yellow")
    return text


class LockScreen(DeskScreen):
    """Who is at the keyboard? Nothing else is needed to start working."""

    BINDINGS = [
        Binding(
            "ctrl+t",
            "app.toggle_language",
            N_("Language"),
            id="language",
            tooltip=N_("Switch language"),
        ),
    ]
    RULES: ClassVar[Rules] = [
        ("CS1", N_("Staff are put on duty every day: logins are compared with the roster")),
        ("SG-5", N_("A login while a presence check waits confirms it")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._composed_in = current_language()

    def compose_body(self) -> ComposeResult:
        self._composed_in = current_language()
        with Vertical(id="lock-body"):
            yield Static("", id="lock-desk", markup=False)
            with Center():
                yield Digits("", id="lock-clock")
            yield Static("", id="lock-shift", markup=False)
            with Vertical(id="login-form"):
                with Horizontal(classes="login-row"):
                    yield Label(_("Staff number"), classes="login-label")
                    yield Input(id="staff-no", classes="login-input", max_length=32)
                with Horizontal(classes="login-row"):
                    yield Label(_("PIN"), classes="login-label")
                    yield Input(id="pin", password=True, classes="login-input", max_length=32)
                yield Static("", id="login-error", markup=False)
                yield Static(
                    _("Staff number, Tab, PIN, Enter")
                    + "\n"
                    + _("Quit (Ctrl+Q) needs a supervisor's number and PIN"),
                    id="login-hint",
                )

    def on_mount(self) -> None:
        self.query_one("#staff-no", Input).focus()
        self.refresh_live()

    def on_screen_resume(self) -> None:
        if self._composed_in != current_language():
            self.refresh_language()
            return
        self.refresh_live()

    def reset(self) -> None:
        """After a lock: whoever comes next starts from empty fields."""
        for field in self.query(Input):
            field.value = ""
        self.query_one("#login-error", Static).update("")
        self.query_one("#staff-no", Input).focus()

    def refresh_language(self) -> None:
        self.refresh(recompose=True)
        self.call_after_refresh(self._after_recompose)

    def _after_recompose(self) -> None:
        self.query_one("#staff-no", Input).focus()
        self.refresh_live()

    def refresh_live(self) -> None:
        super().refresh_live()
        app: Any = self.app
        if not self.is_mounted or app.desk is None:
            return
        try:
            desk_line = self.query_one("#lock-desk", Static)
        except Exception:
            return
        desk = app.desk
        label = Text(clean(pick(desk.name, desk.name_en)), style="bold")
        if desk.location:
            label.append(" · " + clean(desk.location))
        desk_line.update(label)
        self.query_one("#lock-clock", Digits).update(app.clock.now().format("HH:mm"))
        self.query_one("#lock-shift", Static).update(shift_text(overview.shift_glance(app.actor)))

    @on(Input.Submitted, "#staff-no")
    def _staff_entered(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _pin_entered(self) -> None:
        app: Any = self.app
        staff_no = self.query_one("#staff-no", Input).value
        pin_input = self.query_one("#pin", Input)
        try:
            person = staff_rules.authenticate(app.actor, staff_no, pin_input.value)
        except DutyDeskError as exc:
            # Both fields cleared, cursor in the staff number: retyping
            # "G03 Tab PIN Enter" from the start never puts a PIN in the wrong field.
            pin_input.value = ""
            self.query_one("#staff-no", Input).value = ""
            self.query_one("#login-error", Static).update(literal(exc.translated()))
            app.bell()
            self.query_one("#staff-no", Input).focus()
            return
        app.login(person)
