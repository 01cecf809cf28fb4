"""The roster's dialogs (F7): a colleague's or supervisor's PIN and a rotation's
preview. Choosing from a list is :class:`~dutydesk.screens.dialogs.pick.PickDialog`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from dutydesk.domain.roster.rotations import RotationPlan
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.screens.dialogs.common import FormDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean, literal

AnswerT = TypeVar("AnswerT")


class PinDialog(FormDialog, Generic[AnswerT]):
    """A staff number and a PIN, handed to ``submit`` (a domain call) on Enter; the
    dialog dismisses with what ``submit`` returns (None on Esc).

    The staff number is prefilled (the person expected) and the cursor starts in
    the PIN; a refusal from the domain is shown in the dialog as it is.
    """

    ASK_BEFORE_DROPPING = False

    FIELD_MAP: ClassVar[dict[str, str]] = {"staff_no": "pin-staff", "pin": "pin-pin"}

    def __init__(
        self, title: str, intro: str, staff_no: str, submit: Callable[[str, str], AnswerT]
    ) -> None:
        super().__init__()
        self.TITLE_MSGID = title
        self._intro = intro
        self._staff_no = staff_no
        self._submit = submit

    def intro(self) -> str:
        return clean(self._intro)

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("pin-staff", N_("Staff number"), False, self._staff_no),
            ("pin-pin", N_("PIN"), True, ""),
        ]

    def on_mount(self) -> None:
        self.query_one("#pin-pin" if self._staff_no else "#pin-staff", Input).focus()

    def submit(self) -> None:
        self.dismiss(self._submit(self.value("pin-staff").strip(), self.value("pin-pin")))


class RotationPreviewDialog(DeskDialog[bool]):
    """What a rotation would write, its conflicts and warnings; ``y`` writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Write it"), id="rotation.apply"),
        Binding("n,escape", "answer(False)", N_("Cancel"), id="rotation.cancel"),
    ]
    """Keys of the preview: write the rotation, or cancel."""

    def __init__(self, plan: RotationPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        p = self.plan
        with Vertical(classes="dialog"):
            yield Static(
                _(
                    "Rotation {first} – {last}: preview",
                    first=p.first.isoformat(),
                    last=p.last.isoformat(),
                ),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="rotation-preview"):
                yield Static(self._text(), markup=False)
            yield KeyBar()

    def _text(self) -> Text:
        p = self.plan
        text = Text()
        text.append(
            _(
                "{add} to add, {remove} to remove, {same} unchanged, {kept} kept, "
                "{started} started shifts left alone",
                add=len(p.add),
                remove=len(p.remove),
                same=p.unchanged,
                kept=len(p.conflicts),
                started=p.started,
            )
            + "\n",
            style="bold",
        )
        for c in p.conflicts:
            text.append("• ")
            text.append(literal(c.text()))
            text.append("\n")
        if p.warnings:
            text.append(_("Warnings after it: {count}", count=len(p.warnings)) + "\n", style="bold")
            for w in p.warnings:
                text.append("! ", style="bold yellow")
                text.append(literal(w.text()))
                text.append("\n")
        else:
            text.append(_("No warnings after it.") + "\n")
        return text

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
