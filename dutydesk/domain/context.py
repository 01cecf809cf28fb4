"""Who is acting, where, and when: passed to every rule that writes."""

from __future__ import annotations

from dataclasses import dataclass

import arrow

from dutydesk.clock import Clock


@dataclass(frozen=True)
class Actor:
    """The person at the keyboard of a desk. ``staff_id`` is None before login."""

    clock: Clock
    desk_id: int | None
    staff_id: int | None = None

    def now(self) -> arrow.Arrow:
        return self.clock.now()

    def as_staff(self, staff_id: int | None) -> Actor:
        return Actor(self.clock, self.desk_id, staff_id)
