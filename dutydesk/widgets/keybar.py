"""The key bar: the keys that work right now, in the current language.

Textual's ``Footer`` shows each binding's description as written in the code;
the kiosk's descriptions are English msgids, translated here at render time.
Bindings whose ``check_action`` says False are left out, so the bar only
offers keys that work. It wraps onto a second line on narrow terminals.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Static

from dutydesk.i18n import _


class KeyBar(Static):
    """One line (or two) of ``key description`` pairs."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.update_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.update_keys)

    def update_keys(self) -> None:
        if self.is_attached and self.is_mounted:
            # The bar may be removed while a refresh is pending.
            with contextlib.suppress(NoScreen):
                self.update(self.render_keys())

    def render_keys(self) -> Text:
        text = Text(no_wrap=False)
        seen: set[str] = set()
        actives = list(self.screen.active_bindings.values())
        # The screen's own keys first, then the global ones; Quit and the palette last.
        actives.sort(key=lambda a: (a.node is self.app, a.binding.priority))
        for active in actives:
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append("  ")
            text.append(f" {self.app.get_key_display(binding)} ", style="reverse bold")
            text.append(" " + _(binding.description))
        return text
