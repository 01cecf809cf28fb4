"""Who was told of an incident: the form's rows, the stored notifications, and the
rules read from them (CS6 escalation, CS-R3 report delay, SG-7 parties to tell)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import from_row, moment, typed
from dutydesk.domain.incidents._helpers import (
    Check,
    _choice,
    _desk_kind,
    _from_draft,
    _row,
    _run,
    _to_draft,
)
from dutydesk.domain.incidents.enums import (
    ESCALATION_ROLES,
    METHOD_LABELS,
    METHODS,
    NOTIFY_ROLE_LABELS,
    NOTIFY_ROLES,
    NotifyMethod,
)
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import IncidentCategory, Notification


@dataclass
class NotificationFields:
    """One row of "who was told": role, name, how, when (None: now), reached or not."""

    role: str = ""
    name: str = ""
    method: str = NotifyMethod.PHONE
    notified_at: arrow.Arrow | None = None
    reached: bool = True

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NotificationFields:
        return cls(**_from_draft(cls, data, "notified_at"))

    def to_draft(self) -> dict[str, Any]:
        return _to_draft(self, "notified_at")


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    incident_id: int
    role: str
    name: str
    method: str
    notified_at: arrow.Arrow
    reached: bool
    author_id: int
    created_at: arrow.Arrow

    @property
    def role_label(self) -> str:
        return _(NOTIFY_ROLE_LABELS.get(self.role, self.role))

    @property
    def method_label(self) -> str:
        return _(METHOD_LABELS.get(self.method, self.method))


class _Told(Protocol):
    """What the rules read of a notification, saved or still on the form."""

    @property
    def role(self) -> str: ...
    @property
    def reached(self) -> bool: ...
    @property
    def notified_at(self) -> arrow.Arrow | None: ...


def _notification_info(n: Notification) -> NotificationInfo:
    return from_row(NotificationInfo, n)


def _as_notification(value: NotificationFields | Mapping[str, Any]) -> NotificationFields:
    if isinstance(value, NotificationFields):
        return value
    return NotificationFields.from_mapping(value)


def _notification_checks(
    actor: Actor, n: NotificationFields, occurred_at: arrow.Arrow | None, prefix: str
) -> Iterable[Check]:
    yield lambda: _choice(n.role, NOTIFY_ROLES, prefix + "role", N_("Choose who was told"))
    yield lambda: _choice(n.method, METHODS, prefix + "method", N_("Choose how they were told"))
    yield lambda: _notified_at(actor, n.notified_at, occurred_at, prefix + "notified_at")


def _notified_at(
    actor: Actor, value: Any, occurred_at: arrow.Arrow | None, field_name: str
) -> arrow.Arrow:
    when = moment(actor, value, field_name, N_("The time they were told cannot be in the future"))
    if occurred_at is not None and when < occurred_at:
        raise ValidationError(N_("They cannot have been told before it happened"), field=field_name)
    return when


def _notification_values(actor: Actor, n: NotificationFields) -> dict[str, Any]:
    return {
        "role": n.role,
        "name": typed(n.name),
        "method": n.method,
        "notified_at": n.notified_at or actor.now(),
        "reached": bool(n.reached),
    }


def _store_notification(
    actor: Actor, incident_id: int, staff_id: int, n: NotificationFields, now: arrow.Arrow
) -> Notification:
    """Write one notification and its audit line (inside the caller's transaction)."""
    values = _notification_values(actor, n)
    note: Notification = Notification.create(
        incident=incident_id, author=staff_id, created_at=now, **values
    )
    audit.record(
        actor,
        "notification.create",
        "notification",
        note.id,
        new={"incident": incident_id, **values},
    )
    return note


def escalated(notifications: Iterable[_Told]) -> bool:
    """CS6: someone at leader level or above, or the department head, was reached."""
    return any(n.reached and n.role in ESCALATION_ROLES for n in notifications)


def report_delay(
    occurred_at: arrow.Arrow,
    notifications: Iterable[_Told],
    now: arrow.Arrow | None = None,
) -> dt.timedelta | None:
    """CS-R3: time from occurrence to the first reached notification (None: nobody yet).

    Notifications without a time count as made ``now`` (the unsaved form).
    """
    times = [n.notified_at or now for n in notifications if n.reached]
    known = [t for t in times if t is not None]
    if not known:
        return None
    return cast(dt.timedelta, min(known) - occurred_at)


def add_notification(
    actor: Actor, incident_id: int, notification: NotificationFields | Mapping[str, Any]
) -> NotificationInfo:
    """Record one more person told (notifications are never changed)."""
    _desk, staff_id = actor.require_login()
    n = _as_notification(notification)
    r = _row(incident_id)
    problems = _run(_notification_checks(actor, n, r.occurred_at, ""))
    if problems:
        raise problems[0]
    with write():
        note = _store_notification(actor, r.id, staff_id, n, actor.now())
    return _notification_info(note)


def notify_roles_missing(incident_id: int) -> list[str]:
    """Parties the incident's nature says must be told and who were not reached yet
    (SG-7: HR for a dispute)."""
    r = _row(incident_id)
    kind = _desk_kind(r.desk_id)
    wanted = [
        c.notify_role
        for c in IncidentCategory.select().where(
            (IncidentCategory.desk_kind == kind)
            & IncidentCategory.code.in_([r.category, r.subcategory])
            & (IncidentCategory.notify_role != "")
        )
    ]
    told = {
        n.role
        for n in Notification.select().where(
            (Notification.incident == r.id) & (Notification.reached == True)  # noqa: E712
        )
    }
    return [role for role in dict.fromkeys(wanted) if role not in told]
