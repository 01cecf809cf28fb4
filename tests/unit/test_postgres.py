"""PostgreSQL as the site server: the guarantees written for it.

Signed records and the audit trail are guarded by PL/pgSQL triggers (UPDATE,
DELETE, TRUNCATE), ``verify`` notices a dropped or disabled guard, writers from
several kiosks make one gapless audit chain, and a write the server gives up on
ends as one clear message. The domain suites run on both engines through the
``both_backends`` marker; this module holds what only PostgreSQL has.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from dutydesk import backends
from dutydesk.backends import postgres
from dutydesk.db import open_database, retrying, write
from dutydesk.domain import audit, verify
from dutydesk.errors import ConfigError, ConnectionLost, DutyDeskError
from dutydesk.models import AuditEvent, DutyLogEntry, Handover, HandoverItem, Signature
from tests.helpers.handover import signed_handover, signed_report

pytestmark = pytest.mark.both_backends("postgresql")

DUTYDESK = str(Path(sys.executable).with_name("dutydesk"))
SIGNED = "signed records cannot be changed"


@pytest.fixture
def signed(site):
    hid = signed_handover(site)
    site.clock.advance(minutes=5)
    rid = signed_report(site)
    return {
        "handover": hid,
        "handover_item": HandoverItem.select().where(HandoverItem.handover == hid).first().id,
        "signature": Signature.select().where(Signature.handover == hid).first().id,
        "incident_report": rid,
    }


def _cli(target: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DUTYDESK, *args, "--db", target, "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- signed records never change ------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("handover", "notes"),
        ("handover_item", "text"),
        ("signature", "printed_name"),
        ("incident_report", "text"),
    ],
)
def test_signed_rows_refuse_update_and_delete(db, signed, table: str, column: str):
    row_id = signed[table]
    before = db.execute_sql(f"SELECT * FROM {table} WHERE id = %s", (row_id,)).fetchone()
    for sql in (
        f"UPDATE {table} SET {column} = 'TAMPERED' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(pw.IntegrityError, match=SIGNED), write():
            db.execute_sql(sql, (row_id,))
    after = db.execute_sql(f"SELECT * FROM {table} WHERE id = %s", (row_id,)).fetchone()
    assert after == before


@pytest.mark.parametrize(
    "table", ["audit_event", "handover", "handover_item", "signature", "incident_report"]
)
def test_truncate_is_refused(db, signed, table: str):
    count = db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]
    with pytest.raises(pw.IntegrityError, match=r"signed records|append-only"), write():
        db.execute_sql(f"TRUNCATE {table} CASCADE")
    assert db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0] == count


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET new = '{}' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 1",
        # An upsert onto an existing event is an UPDATE: the trigger fires.
        "INSERT INTO audit_event (id, seq, at, staff_no, action, record_type, prev_hash, hash)"
        " SELECT id, seq, at, staff_no, 'forged', record_type, prev_hash, hash"
        " FROM audit_event WHERE seq = 1"
        " ON CONFLICT (id) DO UPDATE SET action = EXCLUDED.action",
    ],
)
def test_audit_trail_is_append_only(db, site, sql: str):
    before = db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall()
    with pytest.raises(pw.IntegrityError, match="append-only"), write():
        db.execute_sql(sql)
    assert db.execute_sql("SELECT * FROM audit_event ORDER BY id").fetchall() == before


def test_no_new_items_or_signatures_on_a_signed_handover(db, signed):
    hid = signed["handover"]
    with pytest.raises(pw.IntegrityError, match=SIGNED), write():
        db.execute_sql(
            "INSERT INTO handover_item (handover_id, kind, ref_type, text, reason,"
            " carried_over) VALUES (%s, 'note', '', 'added later', '', false)",
            (hid,),
        )
    with pytest.raises(pw.IntegrityError, match=SIGNED), write():
        db.execute_sql(
            "INSERT INTO signature (handover_id, staff_id, printed_name, staff_no, signed_at,"
            " meaning, content_hash) VALUES (%s, 1, 'X', 'X', '2026-12-01 00:00:00', 'x', 'x')",
            (hid,),
        )


def test_unsigned_handover_stays_editable(db, site):
    from dutydesk.domain import handover, shifts

    shifts.open_without_handover(site.actor("G01"), "first")
    site.clock.set("2026-12-01 15:30")
    hid = handover.start(site.actor("G01")).id
    db.execute_sql("UPDATE handover SET notes = 'draft notes' WHERE id = %s", (hid,))
    assert Handover.get_by_id(hid).notes == "draft notes"


def test_verify_names_a_dropped_or_disabled_guard(db, db_target, signed):
    assert backends.of(db).missing_guards(db) == []
    assert _cli(db_target, "verify").returncode == 0
    db.execute_sql("DROP TRIGGER signature_guard ON signature")
    db.execute_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    assert backends.of(db).missing_guards(db) == ["audit_event_append_only", "signature_guard"]
    out = _cli(db_target, "verify")
    assert out.returncode == 1
    assert "BAD: database guard signature_guard is missing" in out.stdout
    assert "BAD: database guard audit_event_append_only is missing" in out.stdout


def test_edit_behind_dropped_guards_is_caught(db, signed):
    """Someone with the server's superuser drops the guards and edits a signed row:
    the content hashes still give it away."""
    for name, table, *_ in postgres.TRIGGERS:
        db.execute_sql(f"DROP TRIGGER {name} ON {table}")
    hid = signed["handover"]
    db.execute_sql("UPDATE handover SET notes = 'nothing to report' WHERE id = %s", (hid,))
    db.execute_sql("UPDATE audit_event SET staff_no = 'X99' WHERE seq = 3")
    problems = [p.text() for p in verify.verify().problems]
    assert problems[0] == "audit event 3: event content changed"
    assert any(f"handover {hid}: changed after signing (notes)" in p for p in problems)
    assert any("database guard handover_signed_guard is missing" in p for p in problems)


# --- one writer at a time, a clear line when the server gives up ------------------------


def test_a_write_waits_for_another_kiosks_write_then_says_busy(db_target, site, monkeypatch):
    """Another kiosk holds the site's write lock for longer than the lock timeout:
    the write is tried a bounded number of times, then refused with one line."""
    import psycopg

    from dutydesk.domain import logs

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 100)
    db = open_database(db_target)  # a new connection gets the short timeout
    before = audit.count()
    other = psycopg.connect(db_target)
    try:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (postgres.WRITE_LOCK,))
        started = time.monotonic()
        with pytest.raises(DutyDeskError) as caught:
            logs.add(
                site.actor("G01"),
                "duty",
                {"occurred_at": site.clock.now(), "text": "Gate 2 checked"},
            )
        assert time.monotonic() - started < 10
        assert caught.value.msgid == postgres.BUSY_MSGID
        assert "\n" not in caught.value.translated()
    finally:
        other.rollback()
        other.close()
    assert audit.count() == before
    entry = logs.add(
        site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": "Gate 2 checked"}
    )
    assert DutyLogEntry.get_by_id(entry.id).text == "Gate 2 checked"
    db.close()


class _Deadlock(pw.OperationalError):
    sqlstate = "40P01"


def test_deadlock_is_retried_a_bounded_number_of_times(db, site):
    calls: list[int] = []

    def fails_twice() -> int:
        calls.append(1)
        with write():
            if len(calls) < 3:
                raise _Deadlock("deadlock detected")
            return len(calls)

    assert retrying(fails_twice) == 3

    def always() -> None:
        with write():
            raise _Deadlock("deadlock detected")

    with pytest.raises(DutyDeskError) as caught:
        retrying(always, attempts=4)
    assert caught.value.msgid == postgres.BUSY_MSGID


def test_a_deadlock_inside_a_write_is_one_clear_error(db, site):
    with pytest.raises(DutyDeskError) as caught, write():
        audit.record(site.actor(), "test.event")
        raise _Deadlock("deadlock detected")
    assert caught.value.msgid == postgres.BUSY_MSGID
    assert isinstance(caught.value.__cause__, _Deadlock)


# --- several kiosks at once -------------------------------------------------------------

WRITERS = [("security", "G01"), ("engineering", "E01"), ("service", "C01"), ("north", "G02")]
SECONDS = 20.0


def _writer(url: str, desk_code: str, staff_no: str, seconds: float, out: Any) -> None:
    """One kiosk: duty-log and phone-log entries as fast as it can for ``seconds``."""
    from dutydesk.clock import FixedClock
    from dutydesk.domain import logs, pins
    from dutydesk.domain.context import Actor
    from dutydesk.domain.site import find_desk
    from dutydesk.domain.staff import by_number

    pins.use_cheap_hashing()
    clock = FixedClock("2026-12-01 10:00", tz="Asia/Shanghai")
    written, errors = 0, []
    db = open_database(url)
    desk = find_desk(desk_code)
    staff = by_number(staff_no)
    assert staff is not None
    actor = Actor(clock, desk.id, staff.id)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if written % 2:
                logs.add(
                    actor, "phone", {"call_at": clock.now(), "caller": "Lobby", "content": "ok"}
                )
            else:
                logs.add(
                    actor, "duty", {"occurred_at": clock.now(), "text": f"{desk_code} {written}"}
                )
            written += 1
        except Exception as exc:  # counted and shown by the test, never hidden
            errors.append(f"{type(exc).__name__}: {exc}")
    db.close()
    out.put((desk_code, written, errors))


def test_four_kiosks_write_at_once_into_one_gapless_chain(db, db_target, site):
    from dutydesk.domain.site import DeskSpec, add_desk
    from dutydesk.models import PhoneCall, Site

    with write():
        add_desk(
            site.actor("S01"),
            Site.get(),
            DeskSpec("north", "北门岗", "security-3", "North gate", "North gate booth"),
        )
    events_before = audit.count()
    db.close()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(db_target, desk, no, SECONDS, out))
        for desk, no in WRITERS
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=SECONDS + 60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    errors = [e for _, _, errs in results for e in errs]
    assert errors == []
    written = sum(n for _, n, _ in results)
    assert all(n > 0 for _, n, _ in results)
    db.connect()
    # 0 rows lost: every acknowledged write is there, with its audit event.
    assert DutyLogEntry.select().count() + PhoneCall.select().count() == written
    assert audit.count() == events_before + written
    # One gapless chain: ids and sequence numbers 1..n, each linked to the one before.
    seqs = [e.seq for e in AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.id)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit.verify_chain() == []
    done = _cli(db_target, "verify")
    assert done.returncode == 0, done.stdout + done.stderr


# --- opening ----------------------------------------------------------------------------


def test_unreachable_server_is_one_line_without_the_password(tmp_path):
    url = f"postgresql://duty:secret@/dutydesk?host={tmp_path}/nowhere"
    with pytest.raises(ConfigError) as caught:
        open_database(url)
    text = caught.value.translated()
    assert "Cannot connect to the database" in text
    assert "secret" not in text and "\n" not in text


def test_missing_driver_is_one_clear_line(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a)
    )
    with pytest.raises(ConfigError) as caught:
        open_database("postgresql://duty@/dutydesk")
    assert "pip install 'dutydesk[postgresql]'" in caught.value.translated()


def test_search_vector_keeps_the_domain_tokens_and_positions():
    from dutydesk.domain.search import token_string

    assert postgres.tsvector_text(token_string("电梯故障 Lift")) == (
        "'电梯':1 '梯故':2 '故障':3 '电':4 '梯':5 '故':6 '障':7 'lift':8"
    )
    assert postgres.tsquery_text([["电梯", "梯故"], ["it's"]]) == "('电梯' <-> '梯故') & ('it''s')"


# --- the server goes away and comes back ------------------------------------------------


def test_lost_server_refuses_saves_and_reconnects_by_itself(db, site, pg_cluster):
    """The server stops mid-shift: saves are refused with one line (nothing half
    saved), reads say so too; once it is back the next save goes in, exactly once."""
    from dutydesk.domain import connection, logs

    def entry() -> Any:
        return logs.add(
            site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": "Gate 2 checked"}
        )

    entry()
    events = audit.count()
    assert connection.probe() and not connection.lost()
    pg_cluster.stop()
    try:
        with pytest.raises(ConnectionLost) as caught:
            entry()
        assert "\n" not in caught.value.translated()
        assert connection.lost()
        with pytest.raises(ConnectionLost):
            DutyLogEntry.select().count()
        assert not connection.probe()
    finally:
        pg_cluster.start()
    assert connection.probe() and not connection.lost()
    saved = entry()
    assert DutyLogEntry.select().count() == 2
    assert DutyLogEntry.get_by_id(saved.id).text == "Gate 2 checked"
    assert audit.count() == events + 1
    assert audit.verify_chain() == []


def test_drafts_typed_while_the_server_is_away_go_to_a_local_file(db, site, pg_cluster):
    from dutydesk.domain import drafts
    from dutydesk.models import Draft

    actor = site.actor("G01")
    offline = Path(os.environ["DUTYDESK_OFFLINE_DRAFTS"])
    pg_cluster.stop()
    try:
        drafts.save(actor, "logs.duty", {"text": "Gate 2 ch"})
        assert offline.exists()
        assert drafts.load(actor, "logs.duty") == {"text": "Gate 2 ch"}
    finally:
        pg_cluster.start()
    # Back: the newer local draft moves into the database; the file goes.
    assert drafts.load(actor, "logs.duty") == {"text": "Gate 2 ch"}
    assert Draft.get().data == {"text": "Gate 2 ch"}
    assert not offline.exists()


def test_another_programs_database_is_refused(pg_cluster):
    url = pg_cluster.empty_database()
    pg_cluster.admin_in(url, "CREATE TABLE invoices (id serial PRIMARY KEY)")
    with pytest.raises(ConfigError, match="not a DutyDesk database"):
        open_database(url)


# --- listening for other desks' writes --------------------------------------------------


def test_a_worker_closing_its_connection_leaves_the_kiosks_listening_alone(db, site):
    """The kiosk listens for other desks' writes on a connection of its own; a worker
    thread (the start-up check, a backup) that closes its own connection must not
    close that one too (each closing would make the kiosk look at everything again)."""
    import threading

    token = backends.of(db).change_token(db)
    listener = db._listener
    assert listener is not None and not listener.closed

    def worker() -> None:
        db.execute_sql("SELECT 1")
        db.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert not listener.closed
    assert backends.of(db).change_token(db) == token  # nothing new heard, nothing lost
    db.close()  # the kiosk's own thread closing: the listener goes with it
    assert listener.closed
    db.connect()
