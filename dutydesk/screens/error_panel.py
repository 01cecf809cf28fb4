"""The plain panel a person sees when something in the kiosk failed.

It says what failed, what became of the data, that what they typed is kept,
and to tell the supervisor. The technical story (the traceback) is in the error
log only (:mod:`dutydesk.errorlog`), never on the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog
from dutydesk.widgets.keybar import KeyBar


class ErrorPanel(DeskDialog):
    """A fault, told in the person's language; Enter or Esc closes it, the kiosk goes on."""

    BINDINGS = [
        Binding("enter,escape", "close", N_("Close"), id="error.close"),
    ]
    """The one key of the panel: close it and carry on."""

    def __init__(self, screen_title: str, saved_nothing: bool, log_path: str) -> None:
        super().__init__(id="error-panel")
        self.screen_title = screen_title
        self.saved_nothing = saved_nothing
        self.log_path = log_path
        self.count = 1

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Something went wrong"), classes="dialog-title")
            yield Static(self._text(), id="error-text", markup=False)
            yield KeyBar()

    def _text(self) -> str:
        lines = [_("The last step on the {screen} screen failed.", screen=_(self.screen_title))]
        if self.saved_nothing:
            lines.append(_("Nothing was saved by that step; records saved earlier are safe."))
        else:
            lines.append(_("Records saved earlier are safe; check that your last entry is listed."))
        lines.append(_("What you typed is kept: close this message and carry on."))
        lines.append(_("Tell the supervisor. The details are in the error log:"))
        lines.append(self.log_path)
        if self.count > 1:
            lines.append(_("(this happened {n} times)", n=self.count))
        return "\n".join(lines)

    def again(self) -> None:
        """Another fault while the panel is open: counted here, not a second panel."""
        self.count += 1
        if self.is_mounted:
            self.query_one("#error-text", Static).update(self._text())

    def refresh_language(self) -> None:
        self.refresh(recompose=True)

    def action_close(self) -> None:
        self.dismiss(None)
