"""Who is acting, where, and when: passed to every rule that writes.

The two guards every feature needs live here, once: :meth:`Actor.require_login`
("Log in first") and :meth:`Actor.require_role` ("Only a supervisor…", SG-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

import arrow

from dutydesk.clock import Clock
from dutydesk.errors import RuleViolation
from dutydesk.i18n import N_
from dutydesk.models import Staff


class StaffRole(StrEnum):
    """A staff member's role (the values are the stored strings)."""

    GUARD = "guard"
    ENGINEER = "engineer"
    SERVICE = "service"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Who may approve, reset PINs, administer (F9) and let the kiosk quit.
SUPERVISOR_ROLES: frozenset[str] = frozenset({StaffRole.SUPERVISOR, StaffRole.ADMIN})
# Leader level and above, for escalation rules (CS6).
LEADER_ROLES: frozenset[str] = frozenset({StaffRole.LEADER, StaffRole.SUPERVISOR, StaffRole.ADMIN})


class Seat(NamedTuple):
    """A logged-in person at a desk: what :meth:`Actor.require_login` returns."""

    desk_id: int
    staff_id: int


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

    def require_login(self) -> Seat:
        """The desk and the person, or :class:`RuleViolation` "Log in first"."""
        if self.staff_id is None or self.desk_id is None:
            raise RuleViolation(N_("Log in first"))
        return Seat(self.desk_id, self.staff_id)

    def require_staff(self) -> int:
        """The person (a desk is not needed), or "Log in first"."""
        if self.staff_id is None:
            raise RuleViolation(N_("Log in first"))
        return self.staff_id

    def require_role(
        self,
        roles: frozenset[str] = SUPERVISOR_ROLES,
        *,
        message: str = N_("Only a supervisor can do this"),
        rule: str | None = None,
    ) -> Staff:
        """The acting staff member if active and in ``roles``; RuleViolation otherwise."""
        me: Staff | None = Staff.get_or_none(Staff.id == self.staff_id) if self.staff_id else None
        if me is None or me.role not in roles or not me.active:
            raise RuleViolation(message, rule=rule)
        return me
