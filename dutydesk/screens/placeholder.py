"""A plain "not available yet" panel for screens that come with later issues."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from dutydesk.i18n import _
from dutydesk.screens.base import DeskScreen


class PlaceholderScreen(DeskScreen):
    """Shown behind an F-key whose screen is not built yet (or failed to open)."""

    def __init__(self, title_msgid: str, failed: bool = False) -> None:
        super().__init__()
        self.title_msgid = title_msgid
        self.failed = failed

    def compose_body(self) -> ComposeResult:
        with Middle(id="placeholder-body"), Center():
            yield Static(self._text(), id="placeholder", markup=False)

    def _text(self) -> str:
        title = _(self.title_msgid)
        if self.failed:
            return _(
                "{screen}: this screen could not be opened. Tell the supervisor.", screen=title
            )
        return (
            _("{screen}: not available yet.", screen=title)
            + "\n\n"
            + _("F2 returns to the shift screen.")
        )

    def refresh_language(self) -> None:
        self.query_one("#placeholder", Static).update(self._text())
