"""``dutydesk migrate``: a whole site moves between SQLite and PostgreSQL unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dutydesk import models as m
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.demo import build_demo
from dutydesk.domain import audit, search
from tests.helpers.pg import Cluster

DUTYDESK = str(Path(sys.executable).with_name("dutydesk"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DUTYDESK, *args, "--lang", "en"], capture_output=True, text=True, timeout=300
    )


def _snapshot(target: str) -> tuple[dict[str, int], str, list[int]]:
    """Rows per table, the chain head, and what a search finds."""
    db = open_database(target, create=False)
    try:
        counts = {model._meta.table_name: model.select().count() for model in m.ALL_MODELS}
        head = str(audit.head())
        hits = [h.ref_id for h in search.search("巡查", page_size=50).hits]
        return counts, head, hits
    finally:
        db.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(str(path), days=3, clock=FixedClock("2026-12-01 10:00", tz="Asia/Shanghai"))
    return path


def test_site_moves_to_postgresql_and_back_unchanged(
    demo: Path, tmp_path: Path, pg_cluster: Cluster
):
    url = pg_cluster.empty_database()
    there = _cli("migrate", "--from", f"sqlite:///{demo}", "--to", url)
    assert there.returncode == 0, there.stdout + there.stderr
    assert there.stdout.startswith("OK: moved ")
    back_path = tmp_path / "offline.db"
    back = _cli("migrate", "--from", url, "--to", str(back_path))
    assert back.returncode == 0, back.stdout + back.stderr
    original, on_server, offline = (_snapshot(t) for t in (str(demo), url, str(back_path)))
    assert original[0]["audit_event"] > 100 and original[0]["handover"] > 0
    assert original == on_server == offline  # every table, the chain head, search hits
    for target in (str(demo), url, str(back_path)):
        done = _cli("verify", "--db", target)
        assert done.returncode == 0, done.stdout + done.stderr
    # New records on the server continue the ids and the chain.
    db = open_database(url)
    try:
        from dutydesk.domain.context import Actor

        desk = m.Desk.get(m.Desk.code == "security")
        ev = audit.record(Actor(FixedClock("2026-12-01 11:00"), desk.id), "test.after_move")
        assert ev.seq == original[0]["audit_event"] + 1
        assert ev.id == m.AuditEvent.select().count()
        assert audit.verify_chain() == []
    finally:
        db.close()


def test_target_that_holds_a_site_is_refused(demo: Path, tmp_path: Path, pg_cluster: Cluster):
    url = pg_cluster.empty_database()
    assert _cli("migrate", "--from", str(demo), "--to", url).returncode == 0
    before = _snapshot(url)
    again = _cli("migrate", "--from", str(demo), "--to", url)
    assert again.returncode == 1
    assert "already holds records" in again.stderr and len(again.stderr.splitlines()) == 1
    assert _snapshot(url) == before


def test_same_database_and_missing_source_are_refused(tmp_path: Path):
    target = str(tmp_path / "a.db")
    same = _cli("migrate", "--from", target, "--to", target)
    assert same.returncode == 1 and "the same database" in same.stderr
    missing = _cli("migrate", "--from", str(tmp_path / "none.db"), "--to", target)
    assert missing.returncode == 1 and "No database at" in missing.stderr


def test_demo_builds_on_a_site_server(tmp_path: Path, pg_cluster: Cluster):
    url = pg_cluster.empty_database()
    clock = FixedClock("2026-12-01 10:00", tz="Asia/Shanghai")
    assert build_demo(url, days=1, clock=clock) == url
    counts, head, _hits = _snapshot(url)
    assert counts["site"] == 1 and counts["audit_event"] > 10
    assert build_demo(url, days=1, clock=clock) == url  # the finished demo is reused
    assert _snapshot(url)[1] == head
    done = _cli("verify", "--db", url)
    assert done.returncode == 0, done.stdout + done.stderr
