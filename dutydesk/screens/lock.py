"""The lock screen: staff number, Tab, PIN, Enter (docs/keys.md, "Lock screen").

It shows the desk, the live clock and the shift on now at a glance. A wrong PIN
gets a clear message beside the field; lockout after repeated failures and the
refusal of inactive staff come from :func:`dutydesk.domain.staff.authenticate`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Digits, Input, Label, Static

from dutydesk.errors import DutyDeskError, StorageError
from dutydesk.i18n import N_, _, current_language, pick
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.widgets.literal import clean, literal

if TYPE_CHECKING:
    from dutydesk.domain import overview


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
        # Enter as a priority binding, like Tab (FOCUS_KEYS): it moves the focus before
        # the next key is handed to a field, so "G01<Enter>2580<Enter>" typed fast never
        # leaves the PIN in the (visible) staff number field.
        Binding("enter", "enter", show=False, priority=True, id="login.enter"),
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
        # Few widgets on purpose (each costs the first paint): the screen's alignment
        # centres the clock, and the form is a grid of label and field.
        yield Static("", id="lock-desk", markup=False)
        yield Digits("", id="lock-clock")
        yield Static("", id="lock-shift", markup=False)
        with Vertical(id="login-form"):
            yield Label(_("Staff number"), classes="login-label")
            yield Input(id="staff-no", classes="login-input", max_length=32)
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
        # DeskScreen's resume handler (dispatched after this one) refreshes the live
        # parts; refreshing them here too read the shift twice per resume.
        if self._composed_in != current_language():
            self.refresh_language()

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
        # Before the database is open: the desk as the first look found it, no shift yet.
        desk = app.desk or app.desk_glance
        if not self.is_mounted or desk is None:
            return
        try:
            desk_line = self.query_one("#lock-desk", Static)
        except Exception:
            return
        label = Text(clean(pick(desk.name, desk.name_en)), style="bold")
        if desk.location:
            label.append(" · " + clean(desk.location))
        desk_line.update(label)
        self.query_one("#lock-clock", Digits).update(app.wall_clock().strftime("%H:%M"))
        if app.ready:
            from dutydesk.domain import overview  # deferred for start-up speed

            glance = overview.shift_glance(app.actor)
            self.query_one("#lock-shift", Static).update(shift_text(glance))

    def action_enter(self) -> None:
        """Enter in the staff number: on to the PIN at once. In the PIN, the field takes
        its Enter itself, after the digits queued before it (Input.Submitted)."""
        focused = self.focused
        if focused is None or focused.id != "staff-no":
            raise SkipAction()
        self.set_focus(self.query_one("#pin", Input))

    @on(Input.Submitted, "#pin")
    def _pin_entered(self) -> None:
        app: Any = self.app
        staff_no = self.query_one("#staff-no", Input).value
        pin_input = self.query_one("#pin", Input)
        # Taken out of the field first: whatever happens next (even a fault), the PIN
        # is not left for the next person's Enter.
        pin, pin_input.value = pin_input.value, ""
        # Typed before the database is open: checked the moment it is.
        app.when_ready(partial(self._log_in, staff_no, pin))

    def _log_in(self, staff_no: str, pin: str) -> None:
        from dutydesk.domain import health  # deferred for start-up speed
        from dutydesk.domain import staff as staff_rules  # deferred for start-up speed

        app: Any = self.app
        pin_input = self.query_one("#pin", Input)
        try:
            try:
                person = staff_rules.authenticate(app.actor, staff_no, pin)
            except StorageError:
                if not health.read_only():
                    raise  # another desk is saving: say so, try again
                # Read-only mode (disk full, read-only or damaged file): the login
                # cannot be written, but records can still be read.
                person = health.authenticate_read_only(app.actor, staff_no, pin)
        except DutyDeskError as exc:
            self.query_one("#login-error", Static).update(literal(exc.translated()))
            app.bell()
            if isinstance(exc, StorageError) and exc.field != "staff_no":
                # Another desk saving refused nothing: the number stays, the PIN is
                # typed again.
                self.set_focus(pin_input)
            else:
                # Both fields cleared, cursor in the staff number: retyping
                # "G03 Tab PIN Enter" from the start never puts a PIN in the wrong
                # field, and a PIN typed into the staff number does not stay on screen.
                pin_input.value = ""
                staff_field = self.query_one("#staff-no", Input)
                staff_field.value = ""
                self.set_focus(staff_field)
            return
        app.login(person)
