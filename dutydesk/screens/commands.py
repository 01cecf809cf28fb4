"""The command palette (Ctrl+P): every screen and action by name, in both languages.

Each entry reads "中文 / English" (current language first), so a person can
search in either language whatever the kiosk shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from dutydesk.i18n import N_, _, current_language
from dutydesk.i18n import _load as _catalogue
from dutydesk.screens.registry import SCREENS


def both(msgid: str) -> str:
    """``msgid`` in the current language, then in the other one."""
    zh = _catalogue("zh").gettext(msgid)
    return f"{zh} / {msgid}" if current_language() == "zh" else f"{msgid} / {zh}"


# (title msgid, help msgid, app action) of the actions beside the F-key screens.
ACTIONS: list[tuple[str, str, str]] = [
    (N_("Lock"), N_("Lock the terminal now"), "lock"),
    (N_("Help"), N_("Keys and duty rules"), "help"),
    (N_("Change my PIN"), N_("Type the current PIN, then the new one twice"), "change_pin"),
    (N_("Switch language"), N_("中文 ↔ English"), "toggle_language"),
    (N_("Acknowledge alerts"), N_("Clear the alert banner"), "acknowledge"),
    (N_("Quit"), N_("Quit the kiosk (supervisor PIN)"), "request_quit"),
]


class KioskCommands(Provider):
    """The F-key screens for the palette (the actions come from App.get_system_commands)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        found: list[tuple[str, str, Callable[[], Any]]] = []
        for mode, (_module, _cls, title, key) in SCREENS.items():
            found.append((both(title), key.upper(), partial(app.action_goto, mode)))
        return found

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class KioskPalette(CommandPalette):
    """Textual's palette with its one English line, "No matches found", translated."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
