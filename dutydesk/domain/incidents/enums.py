"""The words an incident is stored with: its status, its severity, who was told and how.

Each is a ``StrEnum`` whose values are the strings in the database, so a member
compares equal to the stored text and the schema does not change.
"""

from __future__ import annotations

from enum import StrEnum

from dutydesk.domain.context import LEADER_ROLES
from dutydesk.i18n import N_


class IncidentStatus(StrEnum):
    """open → handling ("being handled", 事故处理中) → resolved."""

    OPEN = "open"
    HANDLING = "handling"
    RESOLVED = "resolved"


class Severity(StrEnum):
    NORMAL = "normal"
    MAJOR = "major"


class NotifyRole(StrEnum):
    """Who can be told of an incident (CS6, SE-4), in the order the form offers them."""

    LEADER = "leader"
    CAPTAIN = "captain"
    SUPERVISOR = "supervisor"
    DUTY_MANAGER = "duty_manager"
    DEPARTMENT_HEAD = "department_head"
    HR = "hr"
    POLICE = "police"
    FIRE = "fire"
    AMBULANCE = "ambulance"
    ADMIN = "admin"


class NotifyMethod(StrEnum):
    PHONE = "phone"
    RADIO = "radio"
    IN_PERSON = "in_person"


STATUSES: tuple[str, ...] = tuple(IncidentStatus)
STATUS_LABELS: dict[str, str] = {
    IncidentStatus.OPEN: N_("Open"),
    IncidentStatus.HANDLING: N_("Being handled"),
    IncidentStatus.RESOLVED: N_("Resolved"),
}
SEVERITIES: tuple[str, ...] = tuple(Severity)
SEVERITY_LABELS: dict[str, str] = {Severity.NORMAL: N_("Normal"), Severity.MAJOR: N_("Major")}

NOTIFY_ROLES: tuple[str, ...] = tuple(NotifyRole)
NOTIFY_ROLE_LABELS: dict[str, str] = {
    NotifyRole.LEADER: N_("Shift leader"),
    NotifyRole.CAPTAIN: N_("Captain"),
    NotifyRole.SUPERVISOR: N_("Supervisor"),
    NotifyRole.DUTY_MANAGER: N_("Duty manager"),
    NotifyRole.DEPARTMENT_HEAD: N_("Department head"),
    NotifyRole.HR: N_("HR"),
    NotifyRole.POLICE: N_("Police (110)"),
    NotifyRole.FIRE: N_("Fire brigade (119)"),
    NotifyRole.AMBULANCE: N_("Ambulance (120)"),
    NotifyRole.ADMIN: N_("Administrator"),
}
METHODS: tuple[str, ...] = tuple(NotifyMethod)
METHOD_LABELS: dict[str, str] = {
    NotifyMethod.PHONE: N_("Phone"),
    NotifyMethod.RADIO: N_("Radio"),
    NotifyMethod.IN_PERSON: N_("In person"),
}
# CS6: a major incident needs a reached notification of one of these roles.
ESCALATION_ROLES = frozenset(LEADER_ROLES | {NotifyRole.DEPARTMENT_HEAD})
