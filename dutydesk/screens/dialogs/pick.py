"""Choose one item from a filtered list: used by the roster (F7) and the patrol (F5)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import literal


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
