"""The header line: DutyDesk, the desk, the person at the keyboard, the clock.

It reads the app's state on every render; the app refreshes it on its tick,
so the clock shown is always the injected clock (tests use a FixedClock).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget

from dutydesk.i18n import _, pick
from dutydesk.widgets.literal import clean


class DeskBar(Widget):
    """``DutyDesk │ desk · location │ person │ date time``."""

    DEFAULT_CSS = """
    DeskBar {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def render(self) -> Text:
        app: Any = self.app
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("DutyDesk", style="bold")
        # Before the database is open, the desk as the lock screen's first look found it.
        desk = getattr(app, "desk", None) or getattr(app, "desk_glance", None)
        if desk is not None:
            text.append(" │ ")
            text.append(clean(pick(desk.name, desk.name_en)))
            if desk.location:
                text.append(" · " + clean(desk.location))
        text.append(" │ ")
        staff = getattr(app, "staff", None)
        if staff is not None:
            text.append(f"{clean(staff.staff_no)} {clean(staff.name)}", style="bold")
        else:
            text.append(_("Locked"), style="italic")
        stamp = app.wall_clock().strftime("%Y-%m-%d %H:%M")
        width = self.size.width or (app.size.width - 2)
        room = width - len(stamp) - 1
        if text.cell_len > room:  # the clock always shows: the names give way
            text.truncate(max(room, 0), overflow="ellipsis")
        text.append(" " * max(width - text.cell_len - len(stamp), 1))
        text.append(stamp, style="bold")
        return text
