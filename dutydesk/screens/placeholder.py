"""The panel shown when a screen could not be opened (the error is logged)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from dutydesk.i18n import _
from dutydesk.screens.base import DeskScreen


class PlaceholderScreen(DeskScreen):
    """Stands in for a screen that failed to open, so the kiosk keeps running."""

    def __init__(self, title_msgid: str) -> None:
        super().__init__()
        self.title_msgid = title_msgid

    def compose_body(self) -> ComposeResult:
        with Middle(id="placeholder-body"), Center():
            yield Static(self._text(), id="placeholder", markup=False)

    def _text(self) -> str:
        return (
            _(
                "{screen}: this screen could not be opened. Tell the supervisor.",
                screen=_(self.title_msgid),
            )
            + "\n\n"
            + _("F2 returns to the shift screen.")
        )

    def refresh_language(self) -> None:
        self.query_one("#placeholder", Static).update(self._text())
