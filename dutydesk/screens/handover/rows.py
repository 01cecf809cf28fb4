"""The selectable lines of the handover screen: a blocker or an item, and headings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from dutydesk.domain.handover import Blocker, ItemView
from dutydesk.i18n import N_


class Row(Static, can_focus=True):
    """One selectable line of the handover: a blocker or an item (↑↓ move, keys act)."""

    DEFAULT_CSS = """
    Row { height: auto; padding: 0 1; }
    Row:focus { background: $accent 35%; text-style: bold; }
    """

    # Here, not on the screen: the scrolling body would take ↑↓ first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move(-1)", N_("Previous"), show=False, id="handover.row_up"),
        Binding("down", "screen.move(1)", N_("Next"), show=False, id="handover.row_down"),
    ]

    def __init__(
        self, content: Text, key: str, blocker: Blocker | None = None, item: ItemView | None = None
    ) -> None:
        super().__init__(content, markup=False)
        self.body = content
        self.key = key
        self.blocker = blocker
        self.item = item


class Heading(Static):
    """A section title inside the handover body."""

    DEFAULT_CSS = """
    Heading { height: auto; margin: 1 0 0 0; padding: 0 1; text-style: bold; color: $accent; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)
        self.body = text
