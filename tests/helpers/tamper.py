"""Tampering with a database the way an attacker with the file would: triggers
dropped, the audit chain rehashed from an event on."""

from __future__ import annotations

from dutydesk.domain import audit
from dutydesk.models import AuditEvent


def drop_triggers(db) -> None:
    for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall():
        db.execute_sql(f"DROP TRIGGER {name}")


def rehash_from(db, seq: int) -> None:
    prev = AuditEvent.get(AuditEvent.seq == seq - 1).hash
    for ev in AuditEvent.select().where(AuditEvent.seq >= seq).order_by(AuditEvent.seq):
        body = audit.event_body(
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
        new_hash = audit.chain_hash(prev, body)
        db.execute_sql(
            "UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, new_hash, ev.id)
        )
        prev = new_hash
