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
        place = Text(no_wrap=True, overflow="ellipsis")
        if desk is not None:
            place.append(clean(pick(desk.name, desk.name_en)))
            if desk.location:
                place.append(" · " + clean(desk.location))
        person = Text(no_wrap=True, overflow="ellipsis")
        staff = getattr(app, "staff", None)
        if staff is not None:
            person.append(f"{clean(staff.staff_no)} {clean(staff.name)}", style="bold")
        else:
            person.append(_("Locked"), style="italic")
        stamp = app.wall_clock().strftime("%Y-%m-%d %H:%M")
        width = self.size.width or (app.size.width - 2)
        room = width - len(stamp) - 1
        # The clock always shows; then the person at the keyboard, in full where
        # the room allows: the desk's name and location give way first.
        if desk is not None:
            spare = room - text.cell_len - 6 - person.cell_len  # two " │ "
            if place.cell_len > spare:
                place.truncate(max(spare, 2), overflow="ellipsis")
            text.append(" │ ")
            text.append_text(place)
        text.append(" │ ")
        text.append_text(person)
        if text.cell_len > room:  # still too long: the names give way
            text.truncate(max(room, 0), overflow="ellipsis")
        text.append(" " * max(width - text.cell_len - len(stamp), 1))
        text.append(stamp, style="bold")
        return text
