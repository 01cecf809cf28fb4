"""EN-8.6.3: an incident opened at a desk stops its handover in progress.

The one place the rule lives. The incident code calls :func:`incident_opened`
in the transaction that records the incident; the handover calls
:func:`stop_if_incident_since` before each of its steps (an incident recorded
another way, e.g. by an import, is caught there). The cause is stored as data
on the handover: the rule id and the incident's id (``abort_rule``,
``abort_incident``), so no one parses it back from text.

It knows the handover and incident tables only, below both features, so
neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Callable

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.vocabulary import HandoverState
from dutydesk.models import Handover, Incident

RULE = "EN-8.6.3"

_DRAFT = HandoverState.DRAFT
_ABORTED = HandoverState.ABORTED


# Called (inside the write) with the actor and the handover just stopped; the
# handover package adds what must be undone then (rounds it skipped come back).
AFTER_STOP: list[Callable[[Actor, Handover], None]] = []


def reason_text(incident_id: int) -> str:
    """The handover's ``end_reason`` when an incident stopped it (the data is in
    ``abort_rule`` and ``abort_incident``; this text is for a reader of the row)."""
    return f"incident {incident_id} opened during the handover"


def stop(
    actor: Actor,
    handover: Handover,
    reason: str,
    *,
    rule: str = "",
    incident_id: int | None = None,
) -> None:
    """Stop ``handover`` (inside the caller's write): its state, the reason, and the
    rule and incident that stopped it when a rule did."""
    handover.state = _ABORTED
    handover.end_reason = reason
    handover.abort_rule = rule or None
    handover.abort_incident_id = incident_id
    handover.save()
    new: dict[str, object] = {"reason": reason, "rule": rule}
    if incident_id is not None:
        new["incident"] = incident_id
    audit.record(actor, "handover.abort", "handover", handover.id, new=new)
    for listener in list(AFTER_STOP):
        listener(actor, handover)


def stop_in_progress(
    actor: Actor, desk_id: int, reason: str, *, incident_id: int | None = None
) -> int | None:
    """Stop the desk's handover in progress, if any, under EN-8.6.3; runs inside the
    caller's transaction when there is one. Returns the id stopped."""
    with write():
        h = Handover.get_or_none((Handover.desk == desk_id) & (Handover.state == _DRAFT))
        if h is None:
            return None
        stop(actor, h, reason, rule=RULE, incident_id=incident_id)
        return int(h.id)


def incident_opened(actor: Actor, desk_id: int, incident_id: int) -> int | None:
    """An incident was opened at the desk: its handover in progress stops (EN-8.6.3).
    Returns the id of the handover stopped, if any."""
    return stop_in_progress(actor, desk_id, reason_text(incident_id), incident_id=incident_id)


def incident_since(desk_id: int, since: arrow.Arrow) -> int | None:
    """The first incident of the desk recorded after ``since``, if any."""
    row = (
        Incident.select(Incident.id)
        .where((Incident.desk == desk_id) & (Incident.created_at > since))
        .order_by(Incident.created_at, Incident.id)
        .first()
    )
    return None if row is None else int(row.id)


def stop_if_incident_since(actor: Actor, handover: Handover) -> bool:
    """Inside a write: stop ``handover`` (in progress) if an incident was opened at its
    desk since it started (EN-8.6.3). True if it was stopped."""
    incident_id = incident_since(handover.desk_id, handover.started_at)
    if incident_id is None:
        return False
    stop(actor, handover, reason_text(incident_id), rule=RULE, incident_id=incident_id)
    return True
