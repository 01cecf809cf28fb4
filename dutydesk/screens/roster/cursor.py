"""The selected cell of the F7 week grid: UI state, moved by the arrow keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dutydesk.domain.roster import week_start


@dataclass(frozen=True)
class GridCursor:
    """The selected cell of a week grid: ``day`` 0–6 (Mon–Sun), ``column`` a shift.

    Moving off the top or bottom goes into the previous or next week, so a
    screen reloads :func:`~dutydesk.domain.roster.week_grid` when ``week`` changes.
    """

    week: dt.date
    day: int = 0
    column: int = 0

    @classmethod
    def on(cls, day: dt.date, column: int = 0) -> GridCursor:
        return cls(week_start(day), day.weekday(), column)

    @property
    def date(self) -> dt.date:
        return self.week + dt.timedelta(days=self.day)

    def moved(self, key: str, columns: int) -> GridCursor:
        """The cursor after ``key``: up, down, left, right, pageup, pagedown, home, end."""
        last_column = max(columns - 1, 0)
        if key == "left":
            return replace(self, column=max(self.column - 1, 0))
        if key == "right":
            return replace(self, column=min(self.column + 1, last_column))
        if key in ("up", "down"):
            return GridCursor.on(
                self.date + dt.timedelta(days=-1 if key == "up" else 1), self.column
            )
        if key in ("pageup", "pagedown"):
            step = dt.timedelta(days=-7 if key == "pageup" else 7)
            return replace(self, week=self.week + step)
        if key == "home":
            return replace(self, day=0)
        if key == "end":
            return replace(self, day=6)
        return self
