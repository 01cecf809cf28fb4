"""The clock. Everything that depends on "now" takes one of these.

The kiosk uses :class:`SystemClock`; tests use :class:`FixedClock` and move it
with :meth:`FixedClock.advance` instead of sleeping.
"""

from __future__ import annotations

from typing import Protocol

import arrow


class Clock(Protocol):
    """Anything that can say what time it is, in the site's zone."""

    tz: str

    def now(self) -> arrow.Arrow:
        """The current instant, expressed in the site's time zone."""
        ...


class SystemClock:
    """The machine's real clock, expressed in the site's time zone."""

    def __init__(self, tz: str = "local") -> None:
        self.tz = tz

    def now(self) -> arrow.Arrow:
        return arrow.now(self.tz)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, instant: str | arrow.Arrow, tz: str = "UTC") -> None:
        self.tz = tz
        if isinstance(instant, arrow.Arrow):
            self._now = instant.to(tz)
        else:
            # A naive string is read as wall time in the site's zone.
            self._now = arrow.get(instant, tzinfo=tz).to(tz)

    def now(self) -> arrow.Arrow:
        return self._now

    def set(self, instant: str | arrow.Arrow) -> None:
        """Jump to another instant (naive strings are site wall time)."""
        if isinstance(instant, arrow.Arrow):
            self._now = instant.to(self.tz)
        else:
            self._now = arrow.get(instant, tzinfo=self.tz).to(self.tz)

    def advance(self, **shift: float) -> None:
        """Move forward in real time, e.g. ``advance(minutes=5)`` (through UTC, so a
        DST change does not add or lose an hour)."""
        # check_imaginary named: arrow's first positional parameter, else the checker
        # cannot tell the keyword units from it.
        self._now = self._now.to("UTC").shift(check_imaginary=True, **shift).to(self.tz)
