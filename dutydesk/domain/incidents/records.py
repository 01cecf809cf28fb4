"""Writing incidents: saving the form with who was told (SE-4, CS6), moving the status
open → handling → resolved, raising to major, and the status history read back from
the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds, interruptions, search
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.formkit import blank, stamp, typed
from dutydesk.domain.incidents._helpers import _choice, _desk_kind, _row
from dutydesk.domain.incidents.category_tree import _names
from dutydesk.domain.incidents.enums import (
    STATUS_LABELS,
    STATUSES,
    IncidentStatus,
    Severity,
)
from dutydesk.domain.incidents.form import IncidentFields, _as_fields, _validated
from dutydesk.domain.incidents.notifications import (
    NotificationFields,
    _as_notification,
    _store_notification,
    escalated,
)
from dutydesk.domain.incidents.queries import IncidentInfo, get_incident
from dutydesk.domain.incidents.written_report import report_due_at
from dutydesk.domain.logs import DutyKind
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import AuditEvent, DutyLogEntry, Incident, Notification, Staff

# A stale screen (another desk changed the incident meanwhile) is told so.
_ALREADY_CHANGED = N_("This incident was changed at another desk; open it again")
_ALREADY = {
    IncidentStatus.RESOLVED: N_("This incident is already resolved; open it again to see by whom")
}
_NOT_ESCALATED = N_(
    "A major incident must be reported at once to a shift leader, supervisor or "
    "department head, and one of them must have been reached"
)


# The incident's own fields as the audit trail keeps them at creation.
# fmt: off
_SNAPSHOT = (
    "occurred_at", "place", "category", "subcategory", "people_count", "people_involved",
    "characteristics", "description", "actions", "result", "status", "severity",
)
# fmt: on


def _snapshot(r: Incident) -> dict[str, Any]:
    """What the audit trail keeps of a new incident."""
    values = {name: getattr(r, name) for name in _SNAPSHOT}
    return {**values, "checkpoint": r.checkpoint_id, "report_due_at": r.report_due_at}


def _duty_line(r: Incident, category_name: str) -> str:
    return f"{category_name} · {r.place}: {r.description}"


def create_incident(
    actor: Actor,
    incident: IncidentFields | Mapping[str, Any],
    notifications: Sequence[NotificationFields | Mapping[str, Any]] = (),
) -> IncidentInfo:
    """Save a new incident at the actor's desk, with who was told, in one transaction.

    Also writes the linked duty-log line (SE-4 ④) and indexes it for search. A
    major incident needs a reached notification at leader level or above (CS6).
    """
    desk_id, staff_id = actor.require_login()
    f = _as_fields(incident)
    notes = [_as_notification(n) for n in notifications]
    v = _validated(actor, f, notes)
    if v.severity == Severity.MAJOR and not escalated(notes):
        raise RuleViolation(_NOT_ESCALATED, rule="CS6")
    now = actor.now()
    resolved = v.status == IncidentStatus.RESOLVED
    with write():
        at_desk = stamp(desk_id, staff_id, now)
        row = Incident.create(
            **at_desk,
            occurred_at=v.occurred_at,
            place=v.place,
            category=v.category,
            subcategory=v.subcategory,
            people_count=v.people_count,
            people_involved=typed(f.people_involved),
            characteristics=typed(f.characteristics),
            description=v.description,
            actions=typed(f.actions),
            result=typed(f.result),
            status=v.status,
            severity=v.severity,
            checkpoint=v.checkpoint_id,
            closed_at=now if resolved else None,
            closed_by=staff_id if resolved else None,
            report_due_at=report_due_at(v.occurred_at) if v.severity == Severity.MAJOR else None,
        )
        audit.record(actor, "incident.create", "incident", row.id, new=_snapshot(row))
        for n in notes:
            _store_notification(actor, row.id, staff_id, n, now)
        kind = _desk_kind(desk_id)
        names = _names(kind, [v.category, v.subcategory])
        nature = " / ".join(names.get(c, c) for c in (v.category, v.subcategory) if c)
        entry = DutyLogEntry.create(
            **at_desk,
            kind=DutyKind.INCIDENT,
            occurred_at=v.occurred_at,
            category=v.category,
            text=_duty_line(row, nature),
            result=row.result,
            ref_type="incident",
            ref_id=row.id,
        )
        audit.record(
            actor,
            "log.duty.create",
            "duty_log_entry",
            entry.id,
            new={"kind": DutyKind.INCIDENT, "ref_type": "incident", "ref_id": row.id},
        )
        search.index_record("incident", row.id)
        interruptions.incident_opened(actor, desk_id, row.id)  # EN-8.6.3, in this transaction
    return get_incident(row.id)


def _check_desk(actor: Actor, r: Incident) -> None:
    if r.desk_id != actor.desk_id:
        me = Staff.get_or_none(Staff.id == actor.staff_id)
        if me is None or me.role not in SUPERVISOR_ROLES:
            raise RuleViolation(N_("This incident belongs to another desk"))


def _closing(r: Incident) -> dict[str, Any]:
    """What a status change may alter (audited before and after)."""
    values = {name: getattr(r, name) for name in ("status", "actions", "result", "closed_at")}
    return {**values, "closed_by": r.closed_by_id}


def set_status(
    actor: Actor,
    incident_id: int,
    status: str,
    *,
    result: str | None = None,
    actions: str | None = None,
    refuse_if_already: bool = False,
) -> IncidentInfo:
    """Move an incident to ``status`` (and/or update what was done and the result).

    Every change is audited with who and when. Resolving it needs a result and
    records who closed it and when; reopening clears that (the audit keeps it).
    With ``refuse_if_already`` an incident already in ``status`` is refused (a second
    desk resolving what the first just resolved must not replace its result).
    """
    actor.require_login()
    _choice(status, STATUSES, "status", N_("Choose a status from the list"))
    status = IncidentStatus(status)
    with write():
        r = _row(incident_id)
        _check_desk(actor, r)
        if refuse_if_already and r.status == status:
            raise RuleViolation(_ALREADY.get(status, _ALREADY_CHANGED))
        old = _closing(r)
        if actions is not None:
            r.actions = bounds.text(actions, "actions")
        if result is not None:
            r.result = bounds.text(result, "result")
        if status == IncidentStatus.RESOLVED and blank(r.result):
            raise ValidationError(
                N_("Enter the result before closing the incident"), field="result"
            )
        if status == IncidentStatus.RESOLVED and r.status != IncidentStatus.RESOLVED:
            r.closed_at = actor.now()
            r.closed_by_id = actor.staff_id
        elif status != IncidentStatus.RESOLVED:
            r.closed_at = None
            r.closed_by_id = None
        r.status = status
        new = _closing(r)
        if new == old:
            return get_incident(r.id)
        r.save()
        action = "incident.status" if new["status"] != old["status"] else "incident.update"
        audit.record(actor, action, "incident", r.id, old=old, new=new)
        search.index_record("incident", r.id)
    return get_incident(r.id)


def start_handling(actor: Actor, incident_id: int) -> IncidentInfo:
    """Mark an incident "being handled" (事故处理中): it now blocks the handover."""
    return set_status(actor, incident_id, IncidentStatus.HANDLING)


def resolve(actor: Actor, incident_id: int, result: str) -> IncidentInfo:
    """Close an incident with its result (who and when are recorded)."""
    return set_status(
        actor, incident_id, IncidentStatus.RESOLVED, result=result, refuse_if_already=True
    )


def mark_major(actor: Actor, incident_id: int) -> IncidentInfo:
    """Raise an incident to major: allowed once a leader-level person was reached (CS6);
    from then on its written report is due."""
    actor.require_login()
    with write():
        r = _row(incident_id)
        _check_desk(actor, r)
        if r.severity == Severity.MAJOR:
            return get_incident(r.id)
        if not escalated(Notification.select().where(Notification.incident == r.id)):
            raise RuleViolation(_NOT_ESCALATED, rule="CS6")
        r.severity = Severity.MAJOR
        r.report_due_at = report_due_at(r.occurred_at)
        r.save()
        audit.record(
            actor,
            "incident.severity",
            "incident",
            r.id,
            old={"severity": Severity.NORMAL},
            new={"severity": Severity.MAJOR, "report_due_at": r.report_due_at},
        )
    return get_incident(r.id)


@dataclass(frozen=True)
class StatusChange:
    """One line of an incident's status history (from the audit trail)."""

    at: arrow.Arrow
    staff_no: str
    staff_name: str
    status: str
    result: str

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS.get(self.status, self.status))


def status_history(incident_id: int) -> list[StatusChange]:
    """Who set which status when, oldest first: its creation, then every status change."""
    events = (
        AuditEvent.select()
        .where(
            (AuditEvent.record_type == "incident")
            & (AuditEvent.record_id == incident_id)
            & AuditEvent.action.in_(["incident.create", "incident.status"])
        )
        .order_by(AuditEvent.seq)
    )
    people = {s.id: s for s in Staff.select(Staff.id, Staff.staff_no, Staff.name)}
    out = []
    for e in events:
        new = e.new or {}
        who = people.get(e.staff_id)
        out.append(
            StatusChange(
                e.at,
                who.staff_no if who else e.staff_no,
                who.name if who else "",
                str(new.get("status", "")),
                str(new.get("result") or ""),
            )
        )
    return out
