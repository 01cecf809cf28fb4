"""The alert banner: standing warnings and alerts that wait for a key.

Alerts (presence check, overdue round, overdue report, relief overdue) ring the
terminal bell once when raised and stay here until acknowledged (F10); standing
warnings such as "relief overdue" (CS-R4) stay until their cause is gone.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget

from dutydesk.i18n import _


class AlertBanner(Widget):
    """Shows ``app.alerts`` (acknowledgeable) and ``app.warnings`` (standing)."""

    DEFAULT_CSS = """
    AlertBanner {
        height: auto;
        max-height: 4;
        display: none;
        background: $error;
        color: $text;
        padding: 0 1;
        text-style: bold;
    }
    AlertBanner.-shown { display: block; }
    """

    def render(self) -> Text:
        app: Any = self.app
        text = Text()
        for msg in [*getattr(app, "warnings", []), *getattr(app, "alerts", [])]:
            if text:
                text.append("\n")
            text.append("⚠ " + msg)
        if getattr(app, "alerts", []):
            text.append("  " + _("(F10: acknowledge)"))
        return text

    def on_mount(self) -> None:
        # Standing warnings (read-only mode, a wrong clock) show from the first paint.
        self.refresh_alerts()

    _showing: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def refresh_alerts(self) -> None:
        app: Any = self.app
        showing = (tuple(getattr(app, "warnings", [])), tuple(getattr(app, "alerts", [])))
        if showing == self._showing:  # nothing new: no new layout of the whole screen
            return
        self._showing = showing
        self.set_class(any(showing), "-shown")
        self.refresh(layout=True)
