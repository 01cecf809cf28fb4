"""``dutydesk verify``: the audit chain, every signature, a printed head."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dutydesk.domain import audit, verify
from dutydesk.errors import ValidationError
from dutydesk.models import AuditEvent, Handover
from dutydesk.sqlite_extras import SIGNED_RECORD_TRIGGERS, install
from tests.helpers.handover import signed_handover
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

DUTYDESK = str(Path(sys.executable).with_name("dutydesk"))


def _drop_triggers(db) -> None:
    """What someone with the sqlite3 shell could do."""
    for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall():
        db.execute_sql(f"DROP TRIGGER {name}")


def _cli(db_target, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DUTYDESK, *args, "--db", str(db_target), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def signed(site):
    return signed_handover(site)


def _problems(head: str | None = None) -> list[str]:
    return [p.text() for p in verify.verify(head).problems]


def test_clean_database_verifies(signed):
    report = verify.verify(str(audit.head()))
    assert report.ok and report.handovers == 1 and report.warnings == []


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_edited_signed_handover_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql("UPDATE handover SET notes = 'nothing to report' WHERE id = ?", (signed,))
    assert audit.verify_chain() == []  # the chain alone does not see it
    problems = _problems()
    assert problems and f"handover {signed}: changed after signing (notes)" in problems[0]


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_edited_handover_item_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql("UPDATE handover_item SET reason = 'all fine' WHERE handover_id = ?", (signed,))
    assert any("changed after signing (items)" in p for p in _problems())


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_edited_signature_row_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql(
        "UPDATE signature SET printed_name = 'Somebody Else' WHERE handover_id = ?", (signed,)
    )
    assert any("changed after signing (signatures)" in p for p in _problems())


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_content_rewritten_with_a_new_hash_is_caught_by_the_chain(db, signed):
    """Content, content hash and signature hashes all recomputed consistently: the
    audit event of the signing still names the old hash."""
    import json

    from dutydesk.domain import canonical

    _drop_triggers(db)
    h = Handover.get_by_id(signed)
    content = h.content
    content["context"]["sections"]["tools"] = [{"name": "Radio", "quantity": 9}]
    digest = canonical.sha256(content)
    db.execute_sql(
        "UPDATE handover SET content = ?, content_hash = ? WHERE id = ?",
        (json.dumps(content, ensure_ascii=False), digest, signed),
    )
    db.execute_sql("UPDATE signature SET content_hash = ? WHERE handover_id = ?", (digest, signed))
    assert any("differs from the one recorded when it was signed" in p for p in _problems())


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_deleted_signed_handover_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql("PRAGMA foreign_keys = OFF")
    db.execute_sql("DELETE FROM handover_item WHERE handover_id = ?", (signed,))
    db.execute_sql("DELETE FROM handover WHERE id = ?", (signed,))
    problems = _problems()
    assert any("deleted or no longer signed" in p for p in problems)


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_edited_audit_event_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql("UPDATE audit_event SET staff_no = 'X99' WHERE seq = 3")
    assert _problems()[0] == "audit event 3: event content changed"


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_deleted_audit_event_is_caught(db, signed):
    _drop_triggers(db)
    db.execute_sql("DELETE FROM audit_event WHERE seq = 5")
    assert _problems()[0].startswith("audit event 6:")


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_inserted_audit_event_is_caught(db, signed):
    _drop_triggers(db)
    # Make room after event 4: every later event moves one place on.
    db.execute_sql("UPDATE audit_event SET id = -(id + 1), seq = -(seq + 1) WHERE seq > 4")
    db.execute_sql("UPDATE audit_event SET id = -id, seq = -seq WHERE seq < 0")
    ev = AuditEvent.get(AuditEvent.seq == 4)
    db.execute_sql(
        "INSERT INTO audit_event (id, seq, at, staff_no, action, record_type, prev_hash, hash) "
        "VALUES (?, 5, ?, '', 'forged', '', ?, ?)",
        (ev.id + 1, "2026-12-01 02:00:00.000000", ev.hash, "0" * 64),
    )
    assert _problems()[0].startswith("audit event 5:")


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_swapped_audit_events_are_caught(db, signed):
    _drop_triggers(db)
    a = AuditEvent.get(AuditEvent.seq == 6)
    b = AuditEvent.get(AuditEvent.seq == 7)
    db.execute_sql("UPDATE audit_event SET seq = -1 WHERE id = ?", (a.id,))
    db.execute_sql("UPDATE audit_event SET seq = 6 WHERE id = ?", (b.id,))
    db.execute_sql("UPDATE audit_event SET seq = 7 WHERE id = ?", (a.id,))
    db.execute_sql("UPDATE audit_event SET id = -1 WHERE id = ?", (a.id,))
    db.execute_sql("UPDATE audit_event SET id = ? WHERE id = ?", (a.id, b.id))
    db.execute_sql("UPDATE audit_event SET id = ? WHERE id = -1", (b.id,))
    problems = _problems()
    assert problems and problems[0].startswith("audit event ")


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_truncated_tail_is_caught_only_with_a_printed_head(db, signed):
    printed = str(audit.head())
    _drop_triggers(db)
    last = audit.head().seq
    db.execute_sql("DELETE FROM audit_event WHERE seq > ?", (last - 3,))
    install(db)
    # Without the printed head the shortened chain still looks intact...
    assert not any(p.startswith("audit event") for p in _problems())
    # ...the head printed on the handover record gives it away.
    assert any("beyond the chain's end" in p for p in _problems(printed))


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_chain_recomputed_after_an_edit_is_caught_with_an_earlier_head(db, signed):
    """Someone edits event 5 and recomputes every hash after it: the chain is
    consistent again, but the head printed earlier no longer matches."""
    printed = str(audit.head())
    _drop_triggers(db)
    db.execute_sql("UPDATE audit_event SET staff_no = 'X99' WHERE seq = 5")
    prev = AuditEvent.get(AuditEvent.seq == 4).hash
    for ev in AuditEvent.select().where(AuditEvent.seq >= 5).order_by(AuditEvent.seq):
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
    assert audit.verify_chain() == []
    problems = _problems(printed)
    assert any("differs from the printed head" in p for p in problems)


def test_head_needs_16_hex_characters(signed):
    with pytest.raises(ValidationError):
        verify.verify("3:abc")
    seq, prefix = verify.parse_head(" 12:0123456789ABCDEF00 ")
    assert (seq, prefix) == (12, "0123456789abcdef00")


def test_clock_set_back_is_a_warning_shown_to_the_supervisor(db_target, site, signed):
    from dutydesk.domain.staff import authenticate

    site.clock.set("2026-12-01 09:00")  # earlier than the signing at 15:25
    authenticate(site.actor(), "G02", PIN)
    report = verify.verify()
    assert report.ok and len(report.warnings) == 1
    [back] = verify.clock_set_back()
    assert back.staff_no == "G02" and back.at < back.previous_at
    # A warning alone does not fail verify (exit 0), but it is printed.
    out = _cli(db_target, "verify")
    assert out.returncode == 0 and "warning: audit event" in out.stdout


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_triggers_are_installed_for_every_signed_table(db):
    names = {
        row[0]
        for row in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    }
    assert len(SIGNED_RECORD_TRIGGERS) == 12
    for table in ("handover", "handover_item", "signature", "incident_report"):
        assert sum(1 for n in names if n.startswith(table + "_")) >= 3


# --- the command line ---------------------------------------------------------------------


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_cli_verify_exits_0_on_a_clean_db_and_1_after_tampering(db, db_target, signed):
    head = str(audit.head())
    ok = _cli(db_target, "verify", "--head", head)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("OK:")
    _drop_triggers(db)
    db.execute_sql("UPDATE signature SET staff_no = 'G09' WHERE handover_id = ?", (signed,))
    bad = _cli(db_target, "verify")
    assert bad.returncode == 1
    assert f"BAD: handover {signed}: changed after signing (signatures)" in bad.stdout


@pytest.mark.both_backends("sqlite")  # SQLite tampering; PostgreSQL: test_postgres.py
def test_cli_verify_detects_a_truncated_tail(db, db_target, site, signed):
    from dutydesk.domain.staff import authenticate

    for _ in range(2):  # later events: a login after the handover, a wrong PIN…
        authenticate(site.actor(), "G02", PIN)
    head = str(audit.head())
    _drop_triggers(db)
    db.execute_sql("DELETE FROM audit_event WHERE seq > ?", (audit.head().seq - 2,))
    install(db)  # the guards back: verify reports dropped ones too
    assert _cli(db_target, "verify").returncode == 0  # cut cleanly at the end
    cut = _cli(db_target, "verify", "--head", head)
    assert cut.returncode == 1 and "beyond the chain's end" in cut.stdout


def test_cli_handover_show_prints_the_signed_record(db_target, signed):
    out = _cli(db_target, "handover", "show", str(signed))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    h = Handover.get_by_id(signed)
    assert "Duty handover record" in text
    assert "交班 / handed over" in text and "接班 / taken over" in text
    assert "Guard Wang (G01)" in text and "Guard Zhao (G02)" in text
    assert f"{h.chain_head_seq}:{h.chain_head_hash[:16]}" in text
    assert "2026-12-01 15:25" in text  # signed, in the site's zone (Shanghai)
    assert "Bin full" in text and "Gate 2 lamp flickers" in text
    assert "\x1b" not in text
    from dutydesk.commands.handover import text_width

    assert max(text_width(line) for line in text.splitlines()) <= 80


def test_cli_handover_show_in_chinese(db_target, signed):
    out = _cli(db_target, "handover", "show", str(signed), "--lang", "zh")
    assert out.returncode == 0, out.stderr
    from dutydesk.commands.handover import text_width

    assert max(text_width(line) for line in out.stdout.splitlines()) <= 80


def test_cli_handover_show_refuses_an_unsigned_handover(db_target, site):
    from dutydesk.domain import handover, shifts

    shifts.open_without_handover(site.actor("G01"), "first")
    site.clock.set("2026-12-01 15:30")
    hid = handover.start(site.actor("G01")).id
    out = _cli(db_target, "handover", "show", str(hid))
    assert out.returncode == 1 and "not signed" in out.stderr


def test_render_keeps_user_text_harmless_and_narrow():
    from dutydesk.commands.handover import text_width, wrap

    lines = wrap("危险\x1b[31m红色" + "很长的中文句子" * 20, indent="  ")
    assert all("\x1b" not in line and text_width(line) <= 80 for line in lines)


@pytest.mark.both_backends("sqlite")  # the file check runs on SQLite only
def test_a_file_check_that_cannot_run_is_a_finding_not_a_crash(signed, monkeypatch):
    def broken() -> list[verify.Finding]:
        raise OSError("disk gone")

    monkeypatch.setattr(verify, "_file", broken)
    report = verify.verify()
    assert not report.ok
    assert [p.text() for p in report.problems] == ["the file check could not run: disk gone"]
    assert report.handovers == 1  # the records were still checked
