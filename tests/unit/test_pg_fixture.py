"""The throwaway PostgreSQL cluster of the tests: without server binaries its cases
skip with one reason, except in CI (``CI`` set), where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_without_postgresql(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["DUTYDESK_PG_BINDIR"] = str(tmp_path / "no-postgresql-here")
    if ci:
        env["CI"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/unit/test_logs.py",
            "-k",
            "test_text_is_stored_exactly_as_typed",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_postgresql_skips_with_one_reason_outside_ci(tmp_path: Path):
    out = _run_without_postgresql(tmp_path, ci=False)
    assert out.returncode == 0, out.stdout
    summary = out.stdout.splitlines()[-1]
    assert "1 passed" in summary and "1 skipped" in summary  # SQLite ran, PostgreSQL not
    reasons = [line for line in out.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) == 1 and "PostgreSQL server binaries" in reasons[0]


def test_missing_postgresql_fails_in_ci(tmp_path: Path):
    out = _run_without_postgresql(tmp_path, ci=True)
    assert out.returncode == 1, out.stdout
    summary = out.stdout.splitlines()[-1]
    assert "1 passed" in summary and "1 error" in summary
    assert "CI needs PostgreSQL" in out.stdout


@pytest.mark.parametrize("name", ["initdb", "pg_ctl"])
def test_the_binaries_are_looked_for_where_debian_puts_them(name: str, monkeypatch):
    from tests.helpers import pg

    monkeypatch.delenv("DUTYDESK_PG_BINDIR", raising=False)
    found = pg.bindir()
    if found is None:
        pytest.skip(pg.SKIP_REASON)
    assert (found / name).exists()
