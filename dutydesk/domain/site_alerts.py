"""Alerts between desks: what happens at one desk that the others must see.

A major incident (CS6), a relief overdue (CS-R4), a reading outside its range
and a refused handover are already events of the audit chain; the other desks'
kiosks watch the chain for them. Checking is cheap: the back end says whether
anything was written since the last look (SQLite: ``PRAGMA data_version``;
PostgreSQL: ``LISTEN``/``NOTIFY`` from a trigger on the audit trail) and only
then are the new events read. Each desk acknowledges on its own (F10), and the
acknowledgement is an audit event of that desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import arrow

from dutydesk import backends
from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import ShiftAction
from dutydesk.i18n import N_
from dutydesk.models import AuditEvent, Desk, database_proxy

# The audit actions other desks are told about (each a msgid with {desk}).
ACTIONS: dict[str, str] = {
    "incident.create": N_("Major incident at {desk}: {what}"),
    ShiftAction.RELIEF_OVERDUE: N_("Relief overdue at {desk} (CS-R4)"),
    "patrol.check_mark": N_("Reading out of range at {desk}: {what}"),
    "handover.refuse": N_("Handover refused at {desk}: {what}"),
}
MAX_PER_LOOK = 50


@dataclass(frozen=True)
class SiteAlert:
    seq: int
    at: arrow.Arrow
    desk_id: int | None
    msgid: str
    values: dict[str, Any]


@dataclass
class Watch:
    """What one kiosk has seen: the chain position and the back end's change token."""

    desk_id: int | None
    seq: int
    token: Any = None
    pending: list[SiteAlert] = field(default_factory=list)


def _is_alert(action: str, new: Any) -> bool:
    new = new if isinstance(new, dict) else {}
    if action == "incident.create":
        return bool(new.get("severity") == "major")
    if action == "patrol.check_mark":
        return bool(new.get("out_of_range"))
    return action in ACTIONS


def _what(action: str, new: Any) -> str:
    new = new if isinstance(new, dict) else {}
    if action == "incident.create":
        return " · ".join(str(v) for v in (new.get("place"), new.get("description")) if v)[:80]
    if action == "patrol.check_mark":
        return f"{new.get('checkpoint', '')} {new.get('value', '')}".strip()
    if action == "handover.refuse":
        return str(new.get("reason") or "")[:80]
    return ""


def watch(desk_id: int | None) -> Watch:
    """Start watching from now: earlier events were seen where they happened."""
    head = audit.head()
    db = database_proxy.obj
    return Watch(desk_id, head.seq if head else 0, backends.of(db).change_token(db))


def look(w: Watch) -> list[SiteAlert]:
    """New alerts from the other desks since the last look (usually none, cheaply)."""
    db = database_proxy.obj
    token = backends.of(db).change_token(db)
    if w.token is not None and token == w.token:
        return []
    w.token = token
    head = audit.head()  # first: an event written meanwhile is found next time
    until = head.seq if head else 0
    events = (
        AuditEvent.select()
        .where(
            (AuditEvent.seq > w.seq)
            & (AuditEvent.seq <= until)
            & AuditEvent.action.in_(list(ACTIONS))
        )
        .order_by(AuditEvent.seq)
        .limit(MAX_PER_LOOK)
    )
    found: list[SiteAlert] = []
    last = w.seq
    read = 0
    names: dict[int, str] = {}
    for ev in events:
        last, read = ev.seq, read + 1
        if ev.desk_id == w.desk_id or not _is_alert(ev.action, ev.new):
            continue
        if ev.desk_id is not None and ev.desk_id not in names:
            desk = Desk.get_or_none(Desk.id == ev.desk_id)
            names[ev.desk_id] = desk.name if desk else str(ev.desk_id)
        found.append(
            SiteAlert(
                ev.seq,
                ev.at,
                ev.desk_id,
                ACTIONS[ev.action],
                {"desk": names.get(ev.desk_id or 0, "?"), "what": _what(ev.action, ev.new)},
            )
        )
    # Up to the head read before, unless the look stopped at MAX_PER_LOOK events.
    w.seq = last if read == MAX_PER_LOOK else max(last, until)
    if read == MAX_PER_LOOK:
        w.token = None  # more to read: look again at the next tick
    return found


def acknowledge(actor: Actor, alerts: list[SiteAlert]) -> None:
    """This desk saw them (F10): one audit event naming the alerts' events."""
    if not alerts:
        return
    with write():
        audit.record(
            actor,
            "site_alert.acknowledge",
            "audit_event",
            alerts[-1].seq,
            new={"seqs": [a.seq for a in alerts]},
        )
