"""The key bar: the keys that work right now, in the current language.

At most two lines, and a key is never parted from its label (docs/keys.md, "Terminal
size"). The first line holds the screen's own keys, as many as fit; the second a
compact strip of the global keys in the way Midnight Commander fits ten F-keys
into one line: the key's number plain, its label on a bar (``1Help 2Shift …``),
labels shortened only when the line is too narrow. Keys that do not fit are
listed on F1. Descriptions are English msgids, translated at render time;
bindings whose ``check_action`` says False are left out.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Static

from dutydesk.i18n import _

# The global keys' order on the strip: F-keys by number, then the palette and Quit.
_STRIP_ORDER = ("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12")
_STRIP_EXTRA = ("ctrl+p", "ctrl+q")
_MIN_LABEL = 3  # cells: shorter than this, a label says nothing
_MOVE_KEYS = frozenset({"pageup", "pagedown", "home", "end", "up", "down", "left", "right"})


def _strip_key(key: str) -> str:
    """``f4`` → ``4`` (the strip's compact key); other keys as the app shows them."""
    return key[1:] if key.startswith("f") and key[1:].isdigit() else key


def _total(items: list[tuple[str, str]]) -> int:
    return sum(cell_len(k) + cell_len(label) for k, label in items) + len(items) - 1


def fit_strip(items: list[tuple[str, str]], width: int, optional: int = 0) -> list[tuple[str, str]]:
    """Fit ``key+label`` pairs (one space apart) into ``width``: first leave out the
    last ``optional`` pairs (they are on F1), then shorten the longest labels a cell
    at a time, each shortened one marked with "…" so that it reads as an abbreviation,
    not as a word cut in two (never below three cells), then leave out more."""
    items = list(items)
    while optional and _total(items) > width:
        items.pop()
        optional -= 1
    while items:
        keys = [k for k, _l in items]
        labels = [label for _k, label in items]
        shown = list(labels)
        while _total(list(zip(keys, shown, strict=True))) > width:
            longest = max(range(len(shown)), key=lambda i: cell_len(shown[i]))
            size = cell_len(shown[longest])
            if size <= _MIN_LABEL:
                break
            # One cell less than shown now, the mark included.
            stem = set_cell_size(labels[longest], size - 2).rstrip()
            if len(stem) < 1 or cell_len(stem) + 1 >= size:
                break
            labels[longest] = stem
            shown[longest] = stem + "…"
        fitted = list(zip(keys, shown, strict=True))
        if _total(fitted) <= width:
            return fitted
        items.pop()
    return []


class KeyBar(Static):
    """Two lines: the screen's keys, then the strip of global keys."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 2;
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

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_keys)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.update_keys)

    def update_keys(self) -> None:
        if self.is_attached and self.is_mounted:
            # The bar may be removed while a refresh is pending.
            with contextlib.suppress(NoScreen):
                self.update(self.render_keys())

    def _width(self) -> int:
        return self.size.width or max(self.app.size.width - 2, 20)

    def _shown_bindings(self) -> tuple[list[Binding], list[Binding]]:
        """(the screen's own keys, the global keys) that work now, each action once."""
        own: list[Binding] = []
        global_: list[Binding] = []
        seen: set[str] = set()
        actives = list(self.screen.active_bindings.values())
        actives.sort(key=lambda a: (a.node is self.app, a.binding.priority))
        for active in actives:
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            if not active.enabled:
                continue
            seen.add(binding.action)
            (global_ if active.node is self.app else own).append(binding)
        return own, global_

    def render_keys(self) -> Text:
        app: Any = self.app
        width = self._width()
        own, global_ = self._shown_bindings()
        first = Text(no_wrap=True, overflow="crop")
        # Keys that do something before keys that only move (PgUp/PgDn are on F1 too).
        own.sort(key=lambda b: b.key.split(",")[0] in _MOVE_KEYS)
        for binding in own:
            pair = Text()
            pair.append(f" {app.get_key_display(binding)} ", style="reverse bold")
            pair.append(" " + _(binding.description))
            gap = 2 if first else 0
            if first.cell_len + gap + pair.cell_len > width:
                continue  # on F1; a shorter label further on may still fit
            if gap:
                first.append(" " * gap)
            first.append_text(pair)
        order = {key: i for i, key in enumerate(_STRIP_ORDER + _STRIP_EXTRA)}
        strip = sorted(
            (b for b in global_ if b.key.split(",")[0] in order),
            key=lambda b: order[b.key.split(",")[0]],
        )
        others = [b for b in global_ if b.key.split(",")[0] not in order]
        items = [
            (
                _strip_key(b.key.split(",")[0])
                if b.key.startswith("f")
                # A key of several characters and its label apart: "Ctrl+Q Quit".
                else app.get_key_display(b) + " ",
                _(b.description),
            )
            for b in [*strip, *others]
        ]
        second = Text(no_wrap=True, overflow="crop")
        optional = sum(1 for b in global_ if b.key.split(",")[0] in _STRIP_EXTRA)
        optional += len(others)
        for key, label in fit_strip(items, width, optional):
            if second:
                second.append(" ")
            second.append(key, style="bold")
            second.append(label, style="reverse")
        lines = [line for line in (first, second) if line]
        return Text("\n").join(lines) if lines else Text()
