"""``verify`` streams (audit chain and signatures, EN-8.6.3): one pass over the chain in
id order and the signed records in batches give the same findings as before, at any
batch size, and an edited signature on a copy of a site is still named."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dutydesk import models as m
from dutydesk import sqlite_extras
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.demo import build_demo
from dutydesk.domain import audit, verify

DUTYDESK = str(Path(sys.executable).with_name("dutydesk"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo site with a few days of signed handovers (built once, copied per test)."""
    path = tmp_path_factory.mktemp("verify") / "demo.db"
    build_demo(str(path), days=3, clock=FixedClock("2026-12-01 10:00", tz="Asia/Shanghai"))
    return path


@pytest.fixture
def copy(demo_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copy(demo_file, target)
    return target


def _edit(path: Path, *sql: tuple[str, tuple[object, ...]]) -> None:
    """What someone with the sqlite3 shell could do: triggers dropped, rows edited,
    triggers put back (so only the edit is left to find)."""
    con = sqlite3.connect(path)
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _sql in triggers:
        con.execute(f"DROP TRIGGER {name}")
    for statement, params in sql:
        con.execute(statement, params)
    for _name, create in triggers:
        con.execute(create)
    con.commit()
    con.close()


def _cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DUTYDESK, "--db", str(path), "--lang", "en", "verify", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "BATCH", 7)
    monkeypatch.setattr(verify, "BATCH", 2)


def test_copy_with_one_signature_edited_names_it(copy: Path) -> None:
    open_database(str(copy), create=False)
    handovers = list(
        m.Handover.select().where(m.Handover.state == "signed").order_by(m.Handover.id)
    )
    assert len(handovers) > 4  # several batches below
    target = handovers[len(handovers) // 2]
    sig = m.Signature.select().where(m.Signature.handover == target.id).order_by(m.Signature.id)[1]
    m.Handover._meta.database.close()
    _edit(copy, ("UPDATE signature SET content_hash = ? WHERE id = ?", ("f" * 64, sig.id)))
    out = _cli(copy)
    assert out.returncode == 1, out.stdout + out.stderr
    bad = [line for line in out.stdout.splitlines() if line.startswith("BAD:")]
    assert bad == [
        f"BAD: signature {sig.id} of handover {target.id}: the hash signed does not match"
    ]
    # Piped: no progress bar on stderr.
    assert out.stderr == ""


def test_intact_site_verifies_in_small_batches(copy: Path, monkeypatch) -> None:
    _small_batches(monkeypatch)
    open_database(str(copy), create=False)
    steps: list[tuple[str, int, int]] = []
    report = verify.verify(progress=lambda step, done, total: steps.append((step, done, total)))
    assert report.ok, [p.text() for p in report.problems]
    signed = m.Handover.select().where(m.Handover.state == "signed").count()
    assert report.handovers == signed and report.events == audit.count()
    # Progress for the chain and the handovers, ending at their totals.
    last = {step: (done, total) for step, done, total in steps}
    assert last[verify.STEP_CHAIN] == (report.events, report.events)
    assert last[verify.STEP_HANDOVERS] == (signed, signed)


def test_edits_in_a_later_batch_are_each_named(copy: Path, monkeypatch) -> None:
    _small_batches(monkeypatch)
    open_database(str(copy), create=False)
    ids = [
        h.id
        for h in m.Handover.select().where(m.Handover.state == "signed").order_by(m.Handover.id)
    ]
    db = m.Handover._meta.database
    for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql("UPDATE handover SET notes = 'nothing' WHERE id = ?", (ids[-1],))
    db.execute_sql(
        "UPDATE signature SET printed_name = 'Somebody' WHERE id = "
        "(SELECT MIN(id) FROM signature WHERE handover_id = ?)",
        (ids[3],),
    )
    sqlite_extras.install_triggers(db.obj)  # put back: only the edits are left to find
    texts = [p.text() for p in verify.verify().problems]
    assert texts == [
        f"handover {ids[3]}: changed after signing (signatures)",
        f"handover {ids[-1]}: changed after signing (notes)",
    ]


def test_event_edited_after_the_first_batch_is_caught(copy: Path, monkeypatch) -> None:
    _small_batches(monkeypatch)
    open_database(str(copy), create=False)
    db = m.AuditEvent._meta.database
    for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql("UPDATE audit_event SET action = 'forged' WHERE seq = 20")
    sqlite_extras.install_triggers(db.obj)
    problems = verify.verify().problems
    assert problems[0].text() == "audit event 20: event content changed"


def test_equivalent_but_reformatted_json_is_not_a_problem(copy: Path, monkeypatch) -> None:
    """The quick checks hash the stored text; JSON written differently (spaces) but
    with the same content is checked the slow way and still passes."""
    _small_batches(monkeypatch)
    open_database(str(copy), create=False)
    db = m.AuditEvent._meta.database
    for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql(
        "UPDATE audit_event SET new = REPLACE(new, '\":', '\": ') "
        "WHERE seq = (SELECT MIN(seq) FROM audit_event WHERE action = 'handover.sign')"
    )
    db.execute_sql(
        "UPDATE handover SET content = REPLACE(content, '\"format\":', '\"format\" : ') "
        "WHERE id = (SELECT MIN(id) FROM handover WHERE state = 'signed')"
    )
    sqlite_extras.install_triggers(db.obj)
    report = verify.verify()
    assert report.ok, [p.text() for p in report.problems]


def test_handover_signed_after_a_broken_link_is_still_known_to_the_chain(
    copy: Path, monkeypatch
) -> None:
    """The chain pass stops checking at the first break but still reads every signing
    event, so the handovers are not all reported as unsigned."""
    _small_batches(monkeypatch)
    open_database(str(copy), create=False)
    db = m.AuditEvent._meta.database
    for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql("UPDATE audit_event SET prev_hash = ? WHERE seq = 3", ("0" * 64,))
    sqlite_extras.install_triggers(db.obj)
    texts = [p.text() for p in verify.verify().problems]
    assert texts == ["audit event 3: link to the previous event broken"]
