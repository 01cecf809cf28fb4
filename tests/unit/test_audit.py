"""The tamper-evident audit chain and its append-only triggers."""

from __future__ import annotations

import itertools
import json

import peewee as pw
import pytest

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.models import AuditEvent

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


def _drop_triggers(db: pw.Database) -> None:
    """What someone with the file and the sqlite3 shell could do."""
    names = db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    ).fetchall()
    assert names, "the append-only triggers should exist"
    for (name,) in names:
        db.execute_sql(f'DROP TRIGGER "{name}"')


def test_fresh_site_chain_verifies(site):
    assert audit.count() >= 8
    assert audit.verify_chain() == []
    first = AuditEvent.get(AuditEvent.seq == 1)
    assert first.prev_hash == audit.GENESIS
    head = audit.head()
    assert head is not None and head.seq == audit.count()


def test_each_event_links_to_the_one_before(site):
    events = list(AuditEvent.select().order_by(AuditEvent.seq))
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_record_inside_a_rolled_back_write_leaves_no_event(site):
    n = audit.count()
    with pytest.raises(RuntimeError), write():
        audit.record(site.actor("G01"), "test.thing", new={"x": 1})
        raise RuntimeError("the change failed")
    assert audit.count() == n
    audit.record(site.actor("G01"), "test.thing", new={"x": 2})
    assert audit.verify_chain() == []


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_edited_content_is_detected(site, db):
    _drop_triggers(db)
    ev = (
        AuditEvent.select()
        .where(AuditEvent.action == "staff.create")
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    forged = dict(ev.new, role="supervisor")
    db.execute_sql("UPDATE audit_event SET new = ? WHERE id = ?", (json.dumps(forged), ev.id))
    problems = audit.verify_chain()
    assert problems and problems[0].seq == ev.seq
    assert problems[0].msgid == "event content changed"


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_rehashed_edit_breaks_the_next_link(site, db):
    """Recomputing the edited event's own hash does not help: the next event links to
    the old one."""
    _drop_triggers(db)
    ev = AuditEvent.get(AuditEvent.seq == 3)
    new = dict(ev.new or {}, forged=True)
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
        new,
    )
    db.execute_sql(
        "UPDATE audit_event SET new = ?, hash = ? WHERE id = ?",
        (json.dumps(new), audit.chain_hash(ev.prev_hash, body), ev.id),
    )
    problems = audit.verify_chain()
    assert problems and problems[0].seq == 4
    assert problems[0].msgid == "link to the previous event broken"


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_deleted_event_is_detected(site, db):
    _drop_triggers(db)
    db.execute_sql("DELETE FROM audit_event WHERE seq = 2")
    problems = audit.verify_chain()
    assert problems and problems[0].msgid == "sequence gap or reorder"


@pytest.mark.both_backends("sqlite")  # SQLite's REPLACE; PostgreSQL: test_postgres.py
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET new = '{}' WHERE seq = 1",
        "UPDATE audit_event SET hash = prev_hash",
        "DELETE FROM audit_event WHERE seq = 1",
        "DELETE FROM audit_event",
        # REPLACE deletes the clashing row without firing DELETE triggers.
        "INSERT OR REPLACE INTO audit_event (id, seq, at, staff_no, action, record_type, "
        "prev_hash, hash) SELECT id, seq, at, staff_no, 'forged', record_type, prev_hash, hash "
        "FROM audit_event WHERE seq = 1",
        "REPLACE INTO audit_event (id, seq, at, staff_no, action, record_type, prev_hash, hash) "
        "SELECT 999, seq, at, staff_no, 'forged', record_type, prev_hash, hash "
        "FROM audit_event WHERE seq = 2",
    ],
)
def test_triggers_refuse_changes_to_the_trail(site, db, sql: str):
    before = db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall()
    with pytest.raises(pw.IntegrityError, match="append-only"):
        db.execute_sql(sql)
    assert db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall() == before
    assert audit.verify_chain() == []


def test_values_are_stored_as_hashed(site):
    """Dates and arrows in old/new are stored exactly as they were hashed."""
    import datetime as dt

    ev = audit.record(
        site.actor("G01"),
        "test.values",
        "thing",
        7,
        old={"day": dt.date(2026, 12, 1)},
        new={"at": site.clock.now(), "n": 1.5},
    )
    stored = AuditEvent.get_by_id(ev.id)
    assert stored.old == ev.old and stored.new == ev.new
    assert audit.verify_chain() == []


def test_record_change_keeps_only_the_changed_fields(site):
    from dutydesk.db import write as _write
    from dutydesk.domain import audit as _audit

    with _write():
        ev = _audit.record_change(
            site.actor("S01"),
            "thing.update",
            "thing",
            7,
            old={"name": "Gate", "unit": "°C", "max": 85},
            new={"name": "Gate", "unit": "°C", "max": 90},
        )
    assert (ev.old, ev.new) == ({"max": 85}, {"max": 90})
    assert _audit.verify_chain() == []
