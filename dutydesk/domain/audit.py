"""The tamper-evident audit chain.

Every create and change of a record, every login (success and failure), lock,
approval and presence check appends an event in the same transaction as the
change. Events carry a gapless sequence and
``hash = SHA-256(prev_hash ‖ canonical(event))``; ``verify_chain`` recomputes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import arrow
import peewee as pw

from dutydesk import backends
from dutydesk.db import write
from dutydesk.domain import canonical
from dutydesk.domain.context import Actor
from dutydesk.models import AuditEvent

GENESIS = "0" * 64


def event_body(
    seq: int,
    at: arrow.Arrow,
    desk_id: int | None,
    staff_id: int | None,
    staff_no: str,
    action: str,
    record_type: str,
    record_id: int | None,
    old: Any,
    new: Any,
) -> dict[str, Any]:
    """The canonical content of one event (what its hash covers)."""
    return {
        "seq": seq,
        "at": canonical.instant(at),
        "desk": desk_id,
        "staff": staff_id,
        "staff_no": staff_no,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "old": old,
        "new": new,
    }


def chain_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical.dumps(body)).hexdigest()


def _jsonable(value: Any) -> Any:
    """Round-trip through canonical JSON so stored and hashed values are identical."""
    import json

    return None if value is None else json.loads(canonical.dumps(value))


# Set while the PC clock looks wrong ({"clock_suspect": since}); merged into the
# ``new`` of every event, so each entry made meanwhile is marked in the trail.
CLOCK_MARK: dict[str, Any] = {}


def record(
    actor: Actor,
    action: str,
    record_type: str = "",
    record_id: int | None = None,
    *,
    old: Any = None,
    new: Any = None,
    staff_no: str = "",
) -> AuditEvent:
    """Append one event. Call inside the write transaction of the change.

    Several kiosks may share one site database: the back end makes this
    transaction the chain's only writer before the head is read, so two
    events never get the same sequence number or link to the same predecessor.
    """
    db = AuditEvent._meta.database
    if not db.in_transaction():
        with write():
            return record(
                actor, action, record_type, record_id, old=old, new=new, staff_no=staff_no
            )
    backends.of(db).lock_chain(db)
    last = (
        AuditEvent.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).first()
    )
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = actor.now()
    if CLOCK_MARK and (new is None or isinstance(new, dict)):
        # Made while the PC clock looked wrong: the event says so (health.clock_check).
        new = {**(new or {}), **CLOCK_MARK}
    old, new = _jsonable(old), _jsonable(new)
    body = event_body(
        seq, at, actor.desk_id, actor.staff_id, staff_no, action, record_type, record_id, old, new
    )
    return AuditEvent.create(
        seq=seq,
        at=at,
        desk=actor.desk_id,
        staff=actor.staff_id,
        staff_no=staff_no,
        action=action,
        record_type=record_type,
        record_id=record_id,
        old=old,
        new=new,
        prev_hash=prev,
        hash=chain_hash(prev, body),
    )


def record_change(
    actor: Actor,
    action: str,
    record_type: str,
    record_id: int | None,
    old: dict[str, Any],
    new: dict[str, Any],
) -> AuditEvent:
    """Append an update event that keeps only the fields that changed (old → new)."""
    return record(
        actor,
        action,
        record_type,
        record_id,
        old={k: v for k, v in old.items() if new.get(k) != v},
        new={k: v for k, v in new.items() if old.get(k) != v},
    )


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash[:16]}"


def head() -> ChainHead | None:
    """The last event of the chain."""
    last = (
        AuditEvent.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).first()
    )
    return ChainHead(last.seq, last.hash) if last else None


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    msgid: str
    at_id: int | None = None
    # A warning (a clock set back) is shown but does not make the chain bad.
    warning: bool = False


def _events() -> Iterator[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    yield from query.iterator()


def verify_chain() -> list[ChainProblem]:
    """Recompute the chain; the problems found, first one first (empty: intact).

    Checks that ids and sequence numbers are gapless and in the same order,
    that each event links to the previous hash and that each hash matches its
    content; an event earlier than its predecessor (a clock set back) is
    reported too.
    """
    from dutydesk.i18n import N_

    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    prev_at: arrow.Arrow | None = None
    expected = 1
    for ev in _events():
        if ev.seq != expected:
            problems.append(ChainProblem(ev.seq, N_("sequence gap or reorder"), ev.id))
            return problems
        if ev.prev_hash != prev_hash:
            problems.append(ChainProblem(ev.seq, N_("link to the previous event broken"), ev.id))
            return problems
        body = event_body(
            ev.seq,
            ev.at,
            ev.desk_id,
            ev.staff_id,
            ev.staff_no,
            ev.action,
            ev.record_type,
            ev.record_id,
            ev.old,
            ev.new,
        )
        if chain_hash(prev_hash, body) != ev.hash:
            problems.append(ChainProblem(ev.seq, N_("event content changed"), ev.id))
            return problems
        if prev_at is not None and ev.at < prev_at:
            problems.append(
                ChainProblem(
                    ev.seq, N_("clock set back: earlier than the event before"), ev.id, warning=True
                )
            )
        prev_hash, prev_at = ev.hash, ev.at
        expected += 1
    return problems


def count() -> int:
    return AuditEvent.select(pw.fn.COUNT(AuditEvent.id)).scalar() or 0
