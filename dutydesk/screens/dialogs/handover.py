"""The handover's dialogs: the incoming identifies, the read-back count, both sign,
the outgoing's notes, and the signed record in short.

Each is a modal with a typed result: what the domain step returned
(:class:`Person`, :class:`HandoverView`, ``True``), or ``None`` when the dialog
was left without it. A form dialog shows a domain error beside its fields with
the rule that says so; a handover stopped meanwhile (an incident, EN-8.6.3)
closes it with a notice.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

import arrow
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from dutydesk.domain import handover
from dutydesk.domain.handover import HandoverState, HandoverView, Person
from dutydesk.domain.site import site_timezone
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.screens.dialogs.common import FormDialog, ask_before_dropping
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean, literal

T = TypeVar("T")


def with_rule(exc: DutyDeskError) -> str:
    """The error in the user's language, with the rule that says so."""
    text = exc.translated()
    return f"{text} ({exc.rule})" if exc.rule else text


def local_time(value: Any, tz: str, fmt: str = "HH:mm") -> str:
    """An instant (arrow or the ISO text of a stored record) as local time."""
    if value is None or value == "":
        return ""
    at = value if isinstance(value, arrow.Arrow) else arrow.get(value)
    return str(at.to(tz).format(fmt))


def person_text(p: Person | None) -> str:
    """Staff number and name, as plain text."""
    return f"{clean(p.staff_no)} {clean(p.name)}" if p else ""


class HandoverForm(FormDialog, Generic[T]):
    """A form dialog of one handover step, dismissed with what :meth:`step` returned
    (``T``) or ``None``: errors with their rule id; a handover stopped meanwhile (an
    incident, EN-8.6.3) closes it."""

    def __init__(self, handover_id: int) -> None:
        super().__init__()
        self.handover_id = handover_id

    def step(self) -> T:
        raise NotImplementedError

    def submit(self) -> None:
        try:
            result = self.step()
        except DutyDeskError as exc:
            app: Any = self.app
            if handover.view(self.handover_id, app.clock.now()).state != HandoverState.DRAFT:
                app.notify(with_rule(exc), severity="error", markup=False, timeout=10)
                self.dismiss(None)
                return
            self.show_error(with_rule(exc), exc.field)
            return
        self.dismiss(result)


class IdentifyDialog(HandoverForm[Person]):
    """The incoming identifies on the same terminal (EN-8.5.1)."""

    ASK_BEFORE_DROPPING = False

    TITLE_MSGID = N_("Incoming: who takes over?")
    FIELD_MAP: ClassVar[dict[str, str]] = {"staff_no": "incoming-staff", "pin": "incoming-pin"}

    def intro(self) -> str:
        return _("The incoming person types their own staff number and PIN.")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("incoming-staff", N_("Staff number"), False, ""),
            ("incoming-pin", N_("PIN"), True, ""),
        ]

    def step(self) -> Person:
        app: Any = self.app
        return handover.identify_incoming(
            app.actor, self.handover_id, self.value("incoming-staff"), self.value("incoming-pin")
        )


class ReadBackDialog(HandoverForm[bool]):
    """The incoming types the number of items carried over (EN-8.5.2)."""

    TITLE_MSGID = N_("Read back")
    FIELD_MAP: ClassVar[dict[str, str]] = {"count": "read-back"}

    def intro(self) -> str:
        return _("How many items are carried over to your shift (marked ⇒)?")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [("read-back", N_("Number of items carried over"), False, "")]

    def step(self) -> bool:
        app: Any = self.app
        typed = self.value("read-back").strip()
        if not typed.isdigit():
            raise ValidationError(N_("Type the number with digits"), field="count")
        handover.confirm_read_back(app.actor, self.handover_id, int(typed))
        return True


class SignDialog(HandoverForm[HandoverView]):
    """Both sign now: each re-enters staff number and PIN (EN-8.5.1)."""

    ASK_BEFORE_DROPPING = False

    TITLE_MSGID = N_("Sign the handover")
    FIELD_MAP: ClassVar[dict[str, str]] = {
        "outgoing_staff_no": "out-staff",
        "outgoing_pin": "out-pin",
        "incoming_staff_no": "in-staff",
        "incoming_pin": "in-pin",
    }

    def intro(self) -> str:
        return _(
            "Each of you types your own staff number and PIN now: this is your "
            "signature on the record shown."
        )

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("out-staff", N_("Outgoing (hands over): staff number"), False, ""),
            ("out-pin", N_("Outgoing: PIN"), True, ""),
            ("in-staff", N_("Incoming (takes over): staff number"), False, ""),
            ("in-pin", N_("Incoming: PIN"), True, ""),
        ]

    def step(self) -> HandoverView:
        app: Any = self.app
        return handover.sign(
            app.actor,
            self.handover_id,
            outgoing_no=self.value("out-staff"),
            outgoing_pin=self.value("out-pin"),
            incoming_no=self.value("in-staff"),
            incoming_pin=self.value("in-pin"),
        )

    def show_error(self, message: str, field: str | None = None) -> None:
        side = (field or "").split("_")[0]
        if side == "outgoing":
            message = _("Outgoing:") + " " + message
        elif side == "incoming":
            message = _("Incoming:") + " " + message
        super().show_error(message, field)


class NotesDialog(DeskDialog[bool | None]):
    """The outgoing's notes on the record (EN-8.5.3): Ctrl+S saves, Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="notes.save"),
        Binding("escape", "cancel", N_("Back"), id="notes.back"),
    ]

    def __init__(self, handover_id: int, notes: str) -> None:
        super().__init__()
        self.handover_id = handover_id
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                _("Notes for the incoming (EN-8.5.3)"), classes="dialog-title", markup=False
            )
            yield TextArea(
                self.notes,
                id="notes-text",
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
            )
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        app: Any = self.app
        try:
            handover.set_notes(app.actor, self.handover_id, self.query_one(TextArea).text)
        except DutyDeskError as exc:
            self.query_one("#dialog-error", Static).update(literal(with_rule(exc)))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text == self.notes:
            self.dismiss(None)
        else:
            ask_before_dropping(self)


class SignedDialog(DeskDialog[None]):
    """The signed record in short, with the audit chain's head to write down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", N_("Continue"), id="signed.close"),
    ]

    def __init__(self, v: HandoverView) -> None:
        super().__init__()
        self.v = v

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="signed-box"):
            yield Static(_("Handover signed"), classes="dialog-title", markup=False)
            yield Static(self._summary(), id="signed-summary")
            yield KeyBar()

    def _summary(self) -> Text:
        v = self.v
        tz = site_timezone()
        text = Text()
        text.append(_("Handed over:") + " ", style="bold")
        text.append(
            f"{person_text(v.outgoing)}  {local_time(v.signed_at, tz, 'YYYY-MM-DD HH:mm')}\n"
        )
        text.append(_("Taken over:") + " ", style="bold")
        text.append(
            f"{person_text(v.incoming)}  {local_time(v.signed_at, tz, 'YYYY-MM-DD HH:mm')}\n"
        )
        text.append(_("Items carried over: {n}", n=v.carry_count) + "\n")
        text.append(_("Audit chain head: {head}", head=v.chain_head) + "\n", style="bold")
        text.append(_("Content SHA-256: {hash}", hash=v.content_hash[:16] + "…") + "\n")
        text.append(_("Print it: dutydesk handover show {id}", id=v.id) + "\n")
        text.append(
            _("{who} is now on duty; F2 shows the shift.", who=person_text(v.incoming)),
            style="green",
        )
        return text

    def action_close(self) -> None:
        self.dismiss(None)
