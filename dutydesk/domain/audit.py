"""The tamper-evident audit chain.

Every create and change of a record, every login (success and failure), lock,
approval and presence check appends an event in the same transaction as the
change. Events carry a gapless sequence and
``hash = SHA-256(prev_hash ‖ canonical(event))``; ``verify_chain`` recomputes it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
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
    event: AuditEvent = AuditEvent.create(
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
    return event


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


# The chain is read in batches of this many events (keyset pagination on the id, so
# memory stays flat however long the chain is, on any database).
BATCH = 5000
_COLUMNS = (
    "id, seq, at, desk_id, staff_id, staff_no, action, record_type, record_id, old, new, "
    "prev_hash, hash"
)
_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

ChainRow = tuple[Any, ...]
# observe(action, record_id, new): called for every event of the chain, in id order
# (``new`` as stored: JSON text, or already decoded by the driver).
Observer = Callable[[str, "int | None", Any], None]
Progress = Callable[[int, int], None]  # (events done, events in all)


def _rows() -> Iterator[ChainRow]:
    """Every event's raw columns in id order, ``BATCH`` at a time (no model objects)."""
    db = AuditEvent._meta.database
    sql = (
        f"SELECT {_COLUMNS} FROM {AuditEvent._meta.table_name} "
        f"WHERE id > {db.param} ORDER BY id LIMIT {BATCH}"
    )
    last = 0
    while True:
        rows = db.execute_sql(sql, (last,)).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def _instant_text(at: Any) -> str | None:
    """The canonical instant of a stored ``at`` (fixed-width UTC text on SQLite)."""
    if isinstance(at, str) and _UTC_TEXT.fullmatch(at):
        return f"{at[:10]}T{at[11:]}Z"
    return canonical.instant(AuditEvent.at.python_value(at))


def _json_value(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def _fast_body(row: ChainRow, at: str | None) -> bytes | None:
    """The canonical bytes of an event written from the stored JSON text as it is
    (stored JSON is canonical already); None when a column is not stored as text."""
    _id, seq, _at, desk, staff, staff_no, action, rtype, rid, old, new, _p, _h = row
    if not (old is None or isinstance(old, str)) or not (new is None or isinstance(new, str)):
        return None
    return (
        f'{{"action":{_dump(action)},"at":{_dump(at)},"desk":{_dump(desk)},'
        f'"new":{new or "null"},"old":{old or "null"},"record_id":{_dump(rid)},'
        f'"record_type":{_dump(rtype)},"seq":{_dump(seq)},"staff":{_dump(staff)},'
        f'"staff_no":{_dump(staff_no)}}}'
    ).encode()


def _row_hash(prev_hash: str, row: ChainRow, at: str | None) -> str:
    """The hash an event should have: from its stored text when that is canonical,
    else (or when that differs) from the decoded values, as :func:`record` made it."""
    fast = _fast_body(row, at)
    _id, seq, _at, desk, staff, staff_no, action, rtype, rid, old, new, _p, stored = row
    prefix = prev_hash.encode("ascii")
    if fast is not None:
        digest = hashlib.sha256(prefix + fast).hexdigest()
        if digest == stored:
            return digest
    body = {
        "seq": seq,
        "at": at,
        "desk": desk,
        "staff": staff,
        "staff_no": staff_no,
        "action": action,
        "record_type": rtype,
        "record_id": rid,
        "old": _json_value(old),
        "new": _json_value(new),
    }
    return hashlib.sha256(prefix + canonical.dumps(body)).hexdigest()


def verify_chain(
    *, observe: Observer | None = None, progress: Progress | None = None
) -> list[ChainProblem]:
    """Recompute the chain; the problems found, first one first (empty: intact).

    Checks that ids and sequence numbers are gapless and in the same order,
    that each event links to the previous hash and that each hash matches its
    content; an event earlier than its predecessor (a clock set back) is
    reported too.

    One pass in id order over the raw rows, a batch at a time. ``observe`` sees
    every event (also those after a break, which are no longer checked);
    ``progress`` is told the count done after each batch.
    """
    from dutydesk.i18n import N_

    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    prev_at: str | None = None
    expected = 1
    total = count() if progress is not None else 0
    broken = False
    done = 0
    for row in _rows():
        done += 1
        if progress is not None and done % BATCH == 0:
            progress(done, total)
        if observe is not None:
            observe(row[6], row[8], row[10])
        if broken:
            continue
        ev_id, seq = row[0], row[1]
        problem = None
        at = _instant_text(row[2])
        if seq != expected:
            problem = ChainProblem(seq, N_("sequence gap or reorder"), ev_id)
        elif row[11] != prev_hash:
            problem = ChainProblem(seq, N_("link to the previous event broken"), ev_id)
        elif _row_hash(prev_hash, row, at) != row[12]:
            problem = ChainProblem(seq, N_("event content changed"), ev_id)
        if problem is not None:
            problems.append(problem)
            if observe is None:
                break
            broken = True
            continue
        # Canonical instants are fixed-width UTC text: text order is time order.
        if prev_at is not None and at is not None and at < prev_at:
            problems.append(
                ChainProblem(
                    seq, N_("clock set back: earlier than the event before"), ev_id, warning=True
                )
            )
        prev_hash, prev_at = row[12], at
        expected += 1
    if progress is not None:
        progress(done, max(total, done))
    return problems


def count() -> int:
    return AuditEvent.select(pw.fn.COUNT(AuditEvent.id)).scalar() or 0
