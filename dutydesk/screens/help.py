"""F1: every key of the current screen, and the duty rules it serves."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskDialog, Rules
from dutydesk.widgets.keybar import KeyBar

# Keys that work in every screen (docs/keys.md) besides the bound ones.
GENERAL_KEYS: list[tuple[str, str]] = [
    ("Tab / Shift+Tab", N_("Next / previous field")),
    ("↑ / ↓, PgUp / PgDn, Home / End", N_("Move in lists and tables")),
    ("Enter", N_("Open the selected row, or press the focused button")),
    ("Space", N_("Toggle the focused checkbox")),
    ("Ctrl+S", N_("Save the form in front of you")),
    ("Esc", N_("Back / cancel")),
    (
        "F10",
        N_("Acknowledge the banner's alert (recorded; it goes once its cause is gone)"),
    ),
    ("Ctrl+T", N_("Language: 中文 / English")),
    ("Ctrl+Q", N_("Quit the kiosk: needs a supervisor's staff number and PIN")),
]

# Aliases that work but are not listed: the app's Ctrl+C is Ctrl+Q's twin (same PIN).
HIDDEN_KEYS: list[tuple[str, str]] = [("ctrl+c", N_("Quit"))]


# Textual's key names as the keycaps print them (the same in both languages).
KEYCAPS = {
    "HOME": "Home",
    "END": "End",
    "UP": "↑",
    "DOWN": "↓",
    "LEFT": "←",
    "RIGHT": "→",
    "SLASH": "/",
    "BACKSLASH": "\\",
    "QUESTION_MARK": "?",
    "PLUS": "+",
    "MINUS": "-",
    "EQUALS_SIGN": "=",
    "FULL_STOP": ".",
    "COMMA": ",",
    "BACKSPACE": "Backspace",
    "INSERT": "Ins",
    "PAGEUP": "PgUp",
    "PAGEDOWN": "PgDn",
}


def keycap(key: str) -> str:
    """``Ctrl+HOME`` → ``Ctrl+Home``, ``SLASH`` → ``/``, ``UP`` → ``↑``."""
    if key in KEYCAPS or "+" not in key[1:]:
        return KEYCAPS.get(key, key)
    return "+".join(KEYCAPS.get(part, part) for part in key.split("+"))


class HelpScreen(DeskDialog):
    """The keys of the screen below, then its duty rules (rule id + short text)."""

    BINDINGS = [Binding("escape,f1", "close", N_("Close"), id="close")]

    def __init__(self, keys: list[tuple[str, str]], rules: Rules) -> None:
        super().__init__()
        self.keys = keys
        self.rules = rules

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="dialog"):
            yield Static(_("Help"), classes="dialog-title")
            yield Static(self._keys_table(), markup=False)
            if self.rules:
                yield Static(_("Duty rules"), classes="dialog-title")
                yield Static(self._rules_table(), markup=False)
            yield KeyBar()

    def _keys_table(self) -> Table:
        table = Table(show_header=True, expand=True, box=None, padding=(0, 1))
        table.add_column(_("Key"), style="bold", no_wrap=True)
        table.add_column(_("Action"))
        hidden = {(self.app.get_key_display(Binding(k, "")), d) for k, d in HIDDEN_KEYS}
        # One row per key; the general list's longer words win (Ctrl+Q, Ctrl+T).
        unavailable = self._unavailable_here()
        rows: dict[str, str] = {}
        for key, description in self.keys:
            if (key, description) in hidden or description in unavailable:
                continue
            if keycap(key) not in rows:
                rows[keycap(key)] = _(description)
        for key, description in GENERAL_KEYS:
            rows[key] = _(description)
        # The F-keys that open screens, on one row as the strip shows them.
        fkeys = [k for k in rows if re.fullmatch(r"F\d+", k) and k not in ("F1", "F10")]
        strip = "  ".join(f"{k} {rows.pop(k)}" for k in fkeys)
        for key, description in rows.items():
            table.add_row(Text(key), Text(description))
            if key == "F1" and strip:
                table.add_row(Text("F2–F12"), Text(strip))
        if strip and "F1" not in rows:
            table.add_row(Text("F2–F12"), Text(strip))
        return table

    def _unavailable_here(self) -> set[str]:
        """Descriptions of the screen's keys that never work at this desk: an action
        the screen names in ``DESK_ACTIONS`` that its ``check_action`` refuses (keys
        that only wait for the right moment stay listed)."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        if below is None:
            return set()
        refused = {
            a for a in getattr(below, "DESK_ACTIONS", ()) if below.check_action(a, ()) is False
        }
        return {
            b.description
            for cls in type(below).__mro__
            for b in cls.__dict__.get("BINDINGS", [])
            if isinstance(b, Binding) and b.action in refused
        }

    def _rules_table(self) -> Table:
        table = Table(show_header=False, expand=True, box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for rule_id, text in self.rules:
            table.add_row(Text(rule_id), Text(_(text)))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
