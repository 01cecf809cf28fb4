"""The frame every kiosk screen shares: header line, alert banner, body, key bar."""

from __future__ import annotations

from typing import ClassVar, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from dutydesk.screens.context import KioskContext
from dutydesk.widgets.banner import AlertBanner
from dutydesk.widgets.deskbar import DeskBar
from dutydesk.widgets.keybar import KeyBar

# (rule id, short English msgid) pairs a screen serves; F1 lists them.
Rules = list[tuple[str, str]]

# Tab / Shift+Tab as priority bindings: they move the focus before the next key is
# handed to a widget, so "G01<Tab>1234<Enter>" typed fast lands in the right fields
# (without priority, keys queued behind Tab still reach the old field).
FOCUS_KEYS: list[BindingType] = [
    Binding("tab", "app.focus_next", show=False, priority=True, id="focus_next"),
    Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="focus_previous"),
]


class DeskScreen(Screen[None]):
    """A full-screen page of the kiosk. Subclasses yield their body from ``compose_body``."""

    BINDINGS = FOCUS_KEYS

    # Shown on F1: the duty rules this screen serves.
    RULES: ClassVar[Rules] = []

    def compose(self) -> ComposeResult:
        yield DeskBar()
        yield AlertBanner()
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.refresh_live()

    # Speed: Textual posts ScreenResume twice when a mode's screen is first shown, and
    # each one restyles every node of the screen (~10 ms at the lock screen's start).
    # A screen styled by the current stylesheet as it mounted, and not suspended
    # since, has nothing to restyle. Defining ``_on_screen_resume`` here means Textual
    # dispatches this at DeskScreen's level instead of ``on_screen_resume``, which it
    # therefore calls itself, as Textual did.
    _suspended_since_mount = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._suspended_since_mount and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False
        DeskScreen.on_screen_resume(self)

    def _on_screen_suspend(self) -> None:
        self._suspended_since_mount = True

    def refresh_live(self) -> None:
        """Called on the app's tick and on resume: update clock-dependent parts."""
        for bar in self.query(DeskBar):
            bar.refresh()
        for banner in self.query(AlertBanner):
            banner.refresh_alerts()

    @property
    def kiosk(self) -> KioskContext:
        """The DutyDesk app, as far as a screen may use it (:class:`KioskContext`)."""
        return cast("KioskContext", self.app)


ResultT = TypeVar("ResultT")


class DeskDialog(ModalScreen[ResultT]):
    """A modal dialog of the kiosk, with its own key bar; ``ResultT`` is what it
    dismisses with (``DeskDialog[bool]`` for a yes/no, ``DeskDialog[str | None]``…)."""

    BINDINGS = FOCUS_KEYS

    RULES: ClassVar[Rules] = []
