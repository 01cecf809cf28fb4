"""The roster's dialogs (F7): choose from a list, a colleague's or supervisor's PIN,
and a rotation's preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dutydesk.domain.roster.rotations import RotationPlan
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.screens.dialogs.common import FormDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean, literal

AnswerT = TypeVar("AnswerT")


class PickDialog(DeskDialog[str | None]):
    """Choose one item from a list; typing filters it. Enter chooses, Esc cancels.

    ``items`` are (key, label) pairs; the dialog dismisses with the chosen key.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", N_("Choose"), id="pick.choose"),
        Binding("escape", "cancel", N_("Cancel"), id="pick.cancel"),
        Binding("up", "move(-1)", N_("Previous"), id="pick.up", show=False),
        Binding("down", "move(1)", N_("Next"), id="pick.down", show=False),
    ]
    """The keys of a choice list: up / down, Enter, Esc; letters filter."""

    def __init__(
        self, title: str, items: list[tuple[str, str]], intro: str = "", *, filter: bool = True
    ) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.intro_text = intro
        self.with_filter = filter

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            if self.intro_text:
                yield Static(literal(self.intro_text), classes="dialog-intro")
            if self.with_filter:
                yield Input(placeholder=_("Type to filter"), id="pick-filter")
            yield OptionList(*self._options(""), id="pick-list")
            yield KeyBar()

    def _options(self, text: str) -> list[Option]:
        wanted = text.strip().lower()
        return [
            Option(literal(label, one_line=True), id=key)
            for key, label in self.items
            if wanted in label.lower()
        ]

    def on_mount(self) -> None:
        target = "#pick-filter" if self.with_filter else "#pick-list"
        self.query_one(target).focus()
        self.query_one(OptionList).highlighted = 0 if self.items else None

    @on(Input.Changed, "#pick-filter")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.set_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    @on(Input.Submitted, "#pick-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


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
