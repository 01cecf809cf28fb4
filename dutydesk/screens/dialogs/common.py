"""The desk-wide modal dialogs and the base they share.

:class:`FormDialog` is the one base of a modal form (labelled one-line inputs,
Enter moves on, Enter on the last submits, the error beside the fields);
:class:`ConfirmDialog` is the one yes/no; :class:`PromptDialog` the one line of
text (a reason, a note). Built on them: PIN prompts (presence, quit), PIN change.

Every PIN typed here goes through :func:`dutydesk.domain.staff.authenticate`
(directly or through the domain), so it counts toward the same lockout.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from dutydesk.domain import health, sessions
from dutydesk.domain import staff as staff_rules
from dutydesk.errors import DutyDeskError, StorageError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog, ResultT
from dutydesk.widgets.form_fields import FormKeyBar
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import literal


class FormDialog(DeskDialog[ResultT], Generic[ResultT]):
    """A titled box of labelled inputs; Enter moves on, Enter on the last one submits.

    ``ResultT`` is what :meth:`submit` dismisses with; Esc dismisses with None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
        # Enter as a priority binding, like Tab: the focus moves on before the next key
        # reaches a field, so a staff number, Enter and a PIN typed fast never put the
        # PIN into the (visible) staff number field.
        Binding("enter", "enter", show=False, priority=True, id="dialog.enter"),
    ]

    TITLE_MSGID = ""
    CANCELLABLE = True
    # Esc with text typed asks "Drop what you typed?" first; off for the short
    # staff-number-and-PIN prompts, where nothing worth keeping is typed.
    ASK_BEFORE_DROPPING = True

    def fields(self) -> list[tuple[str, str, bool, str]]:
        """(id, label msgid, password, initial value) of the inputs, in reading order."""
        return []

    def intro(self) -> str:
        return ""

    def title_text(self) -> str:
        """The dialog's title, translated."""
        return _(self.TITLE_MSGID)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text()), classes="dialog-title")
            if self.intro():
                yield Static(self.intro(), classes="dialog-intro", markup=False)
            yield from self.compose_before_fields()
            for field_id, label, password, value in self.fields():
                if label:
                    yield Label(_(label), classes="field-label")
                yield Input(value=value, password=password, id=field_id, classes="field-input")
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            yield KeyBar()

    def compose_before_fields(self) -> ComposeResult:
        """Widgets above the inputs (a choice list, say); none by default."""
        yield from ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.CANCELLABLE
        return True

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    # Domain field names → input ids, where they differ.
    FIELD_MAP: ClassVar[dict[str, str]] = {}

    def show_error(self, message: str, field: str | None = None) -> None:
        """The message beside the fields; PINs are cleared, the named field focused."""
        self.query_one("#dialog-error", Static).update(literal(message))
        self.app.bell()
        for field_id, _label, password, _value in self.fields():
            if password:
                self.query_one(f"#{field_id}", Input).value = ""
        field = self.FIELD_MAP.get(field or "", field)
        ids = [f[0] for f in self.fields()]
        if field in ids:
            self.set_focus(self.query_one(f"#{field}", Input))
        else:
            first_pin = [f[0] for f in self.fields() if f[2]]
            if first_pin:
                self.set_focus(self.query_one(f"#{first_pin[0]}", Input))

    def action_enter(self) -> None:
        """Enter in a field but the last: on to the next one at once. In the last field
        (submit), and in any other widget, the key goes on to the widget as usual, after
        the keys queued before it."""
        ids = [f[0] for f in self.fields()]
        current = self.focused.id if isinstance(self.focused, Input) else None
        if current not in ids[:-1]:
            raise SkipAction()
        self._next_or_submit(ids, current)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f[0] for f in self.fields()]
        if event.input.id in ids:
            self._next_or_submit(ids, event.input.id)

    def _next_or_submit(self, ids: list[str], current: str | None) -> None:
        if current in ids and ids.index(current) < len(ids) - 1:
            self.set_focus(self.query_one(f"#{ids[ids.index(current) + 1]}", Input))
            return
        try:
            self.submit()
        except DutyDeskError as exc:
            self.show_error(exc.translated(), exc.field)

    def submit(self) -> None:
        raise NotImplementedError

    def typed_anything(self) -> bool:
        """Text typed into a field (a PIN is not kept, so it does not count)."""
        return any(
            self.query_one(f"#{field_id}", Input).value != initial
            for field_id, _label, password, initial in self.fields()
            if not password
        )

    def action_cancel(self) -> None:
        """Esc: back; with text typed, ask first (docs/keys.md: nothing typed is lost
        by one stray key)."""
        if not self.CANCELLABLE:
            return
        if not (self.ASK_BEFORE_DROPPING and self.typed_anything()):
            self.dismiss(None)
            return
        ask_before_dropping(self)


class PresenceDialog(FormDialog[bool]):
    """SG-5: the person at the desk confirms they are there, with their PIN."""

    ASK_BEFORE_DROPPING = False

    TITLE_MSGID = N_("Presence check")
    FIELD_MAP = {"pin": "presence-pin", "staff_no": "presence-pin"}
    RULES = [("SG-5", N_("On night shifts, confirm your presence with your PIN"))]

    def __init__(self, due: sessions.PresenceDue) -> None:
        super().__init__()
        self.due = due

    def intro(self) -> str:
        return _(
            "Type your PIN and press Enter before {time}.", time=self.due.deadline.format("HH:mm")
        )

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [("presence-pin", N_("PIN"), True, "")]

    def submit(self) -> None:
        app: Any = self.app
        sessions.confirm_presence(
            app.actor, self.due.id, app.staff.staff_no, self.value("presence-pin")
        )
        app.presence_confirmed()
        app.notify(_("Presence confirmed"), markup=False)
        self.dismiss(True)


class QuitDialog(FormDialog[bool]):
    """Ctrl+Q: only a supervisor may close the kiosk."""

    ASK_BEFORE_DROPPING = False

    TITLE_MSGID = N_("Quit the kiosk")
    FIELD_MAP = {"staff_no": "quit-staff", "pin": "quit-pin"}

    def intro(self) -> str:
        return _("A supervisor's staff number and PIN are needed to quit.")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("quit-staff", N_("Supervisor staff number"), False, ""),
            ("quit-pin", N_("PIN"), True, ""),
        ]

    def submit(self) -> None:
        app: Any = self.app
        try:
            who = staff_rules.authenticate(
                app.actor, self.value("quit-staff"), self.value("quit-pin"), purpose="quit"
            )
        except StorageError:
            if not health.read_only():
                raise
            # Read-only mode: a supervisor can still quit (to restart once it is fixed).
            who = health.authenticate_read_only(
                app.actor, self.value("quit-staff"), self.value("quit-pin")
            )
        if not who.is_supervisor:
            self.show_error(_("Only a supervisor can quit the kiosk"), "quit-staff")
            return
        self.dismiss(True)


class ChangePinDialog(FormDialog[bool]):
    """Everyone changes their own PIN; forced after a reset (must_change_pin)."""

    ASK_BEFORE_DROPPING = False

    TITLE_MSGID = N_("Change my PIN")
    FIELD_MAP = {"old_pin": "old-pin", "pin": "new-pin", "repeat": "new-pin"}

    def __init__(self, forced: bool) -> None:
        super().__init__()
        self.forced = forced
        self.CANCELLABLE = not forced

    def intro(self) -> str:
        if self.forced:
            return _("Your PIN was set by someone else: choose your own PIN now.")
        return _("Type the current PIN, then the new one twice")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("old-pin", N_("Current PIN"), True, ""),
            ("new-pin", N_("New PIN"), True, ""),
            ("repeat-pin", N_("New PIN again"), True, ""),
        ]

    def submit(self) -> None:
        app: Any = self.app
        staff_rules.change_own_pin(
            app.actor, self.value("old-pin"), self.value("new-pin"), self.value("repeat-pin")
        )
        app.staff = staff_rules.get(app.staff.id)
        app.notify(_("PIN changed"), markup=False)
        self.dismiss(True)


class PromptDialog(FormDialog[str | None]):
    """Ask for one line of text (a reason, a note): Enter or Ctrl+S accepts, Esc
    dismisses with None. ``required``: an empty answer is refused beside the field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FormDialog.BINDINGS,
        Binding("ctrl+s", "accept", N_("Save"), id="prompt.save"),
    ]

    def __init__(
        self, question: str, value: str = "", *, required: bool = True, label: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.initial = value
        self.required = required
        self.label = label

    def title_text(self) -> str:
        return self.question

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [("prompt-input", self.label, False, self.initial)]

    def action_accept(self) -> None:
        self.submit()

    def submit(self) -> None:
        text = self.value("prompt-input")
        if self.required and not text.strip():
            self.show_error(_("Fill this in"), "prompt-input")
            return
        self.dismiss(text)


class ReasonDialog(PromptDialog):
    """A titled question for a reason (one line, required); the text or None."""

    FIELD_MAP = {"reason": "prompt-input"}

    def __init__(self, title_msgid: str, intro: str) -> None:
        super().__init__(_(title_msgid), label=N_("Reason"))
        self._intro = intro

    def intro(self) -> str:
        return self._intro

    def submit(self) -> None:
        if not self.value("prompt-input").strip():
            self.show_error(_("Type a reason"), "prompt-input")
            return
        super().submit()


class ConfirmDialog(DeskDialog[bool]):
    """The one yes/no: ``y`` answers yes; ``n`` and Esc answer no; Enter presses the
    focused button, which is No unless ``default`` is True (a slip of Enter does not
    confirm a deletion)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n", "answer(False)", N_("No"), id="confirm.no"),
        Binding("escape", "answer(False)", N_("Back"), id="confirm.back", show=False),
    ]

    def __init__(self, question: str, *, default: bool = False) -> None:
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question), id="question", classes="dialog-title")
            with Horizontal(classes="confirm-buttons"):
                yield Button(_("Yes") + " (y)", id="yes", variant="warning")
                yield Button(_("No") + " (n)", id="no", variant="primary")
            yield FormKeyBar()

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default else "#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


def ask_before_dropping(dialog: DeskDialog[Any]) -> None:
    """ "Drop what you typed?": Yes closes ``dialog`` with None, No keeps it as it is."""

    def answered(drop: bool | None) -> None:
        if drop:
            dialog.dismiss(None)

    dialog.app.push_screen(ConfirmDialog(_("Drop what you typed in this form?")), answered)
