"""Provoking database faults: a lock held by another desk, a full disk, a damaged file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import peewee as pw

from dutydesk.domain import logs


def add_duty_entry(site, text: str = "Gate 2 checked") -> logs.LogEntry:
    values = {"occurred_at": site.clock.now(), "category": "routine", "text": text}
    return logs.add(site.actor("G01"), "duty", values)


class LockHolder:
    """A second connection (its own thread) holding ``BEGIN IMMEDIATE`` on the file
    until released, at most ``seconds`` (another kiosk in the middle of a long save)."""

    def __init__(self, path: Path, seconds: float = 15.0) -> None:
        self.path, self.seconds = path, seconds
        self.held, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS lock_probe(x)")
        self.held.set()
        self.release.wait(self.seconds)
        conn.execute("ROLLBACK")
        conn.close()

    def __enter__(self) -> LockHolder:
        self.thread.start()
        assert self.held.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(5)


def fill_disk(db: pw.Database) -> None:
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")


def grow_database(site, n: int = 400) -> None:
    for i in range(n):
        add_duty_entry(site, f"entry {i} " + "记录" * 200)


def damaged_copy(db_path: Path, db: pw.Database, tmp_path: Path) -> Path:
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    copy = tmp_path / "damaged.db"
    shutil.copyfile(db_path, copy)
    size = copy.stat().st_size
    assert size > 3 * 80 * 1024
    with copy.open("r+b") as f:
        f.seek(size // 2 - 40 * 1024)
        f.write(os.urandom(80 * 1024))
    return copy
