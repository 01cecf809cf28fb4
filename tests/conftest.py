"""Shared fixtures: a real SQLite file per test, a fixed clock, a small site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee as pw
import pytest

from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.domain import pins
from dutydesk.domain.context import Actor
from dutydesk.domain.site import DeskInfo, DeskSpec, create_site
from dutydesk.domain.staff import StaffInfo, add_staff
from dutydesk.i18n import set_language
from tests.helpers.pg import pg_cluster, pg_url  # noqa: F401  (fixtures)
from tests.helpers.site import PIN, TZ

# Fast Argon2id parameters: still salted and verified, just cheap.
pins.use_cheap_hashing()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English; tests of Chinese switch explicitly."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def error_log(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own error log (dutydesk.errorlog), never the user's real one."""
    folder = tmp_path_factory.mktemp("errorlog")
    monkeypatch.setenv("DUTYDESK_LOG_DIR", str(folder))
    return folder / "errors.log"


@pytest.fixture(autouse=True)
def _no_standing_fault() -> Iterator[None]:
    """Read-only mode and the clock mark are per process: no test inherits them."""
    from dutydesk import dbfaults
    from dutydesk.domain import audit

    yield
    dbfaults.STATE.clear()
    audit.CLOCK_MARK.clear()


@pytest.fixture(autouse=True)
def _offline_drafts_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts typed while a site server is away go to a file: the test's own."""
    monkeypatch.setenv("DUTYDESK_OFFLINE_DRAFTS", str(tmp_path / "offline-drafts.json"))


@pytest.fixture
def clock() -> FixedClock:
    """1 Dec 2026, 10:00 in Shanghai: the security early shift (07:30–16:00)."""
    return FixedClock("2026-12-01 10:00", tz=TZ)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dutydesk.db"


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database engine of this test: "sqlite", or "postgresql" in a module
    marked ``both_backends`` (every test there runs on both)."""
    return getattr(request, "param", "sqlite")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``both_backends`` on a module runs its tests on both; on a test, its arguments
    narrow it (``@pytest.mark.both_backends("sqlite")``: a SQLite-only check)."""
    mark = metafunc.definition.get_closest_marker("both_backends")
    if "backend" in metafunc.fixturenames and mark is not None:
        engines = list(mark.args) or ["sqlite", "postgresql"]
        metafunc.parametrize("backend", engines, indirect=True)


@pytest.fixture
def db_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """The database of this test: a SQLite file, or a fresh PostgreSQL database."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(db_path)


@pytest.fixture
def db(db_target: str) -> Iterator[pw.Database]:
    database = open_database(db_target)
    yield database
    database.close()


@dataclass
class SmallSite:
    """A three-desk site with one supervisor, a leader, guards, an engineer, service staff."""

    clock: FixedClock
    security: DeskInfo
    engineering: DeskInfo
    service: DeskInfo
    staff: dict[str, StaffInfo]

    def actor(self, staff_no: str | None = None, desk: DeskInfo | None = None) -> Actor:
        desk = desk or self.security
        staff_id = self.staff[staff_no].id if staff_no else None
        return Actor(self.clock, desk.id, staff_id)


@pytest.fixture
def site(db: pw.Database, clock: FixedClock) -> SmallSite:
    info = create_site(
        Actor(clock, None),
        name="Test Gardens",
        tz=TZ,
        language="en",
        desks=[
            DeskSpec("security", "保安亭", "security-3", "Main gate", "Security booth"),
            DeskSpec("engineering", "工程值班室", "engineering", "B1", "Engineering room"),
            DeskSpec("service", "客服中心", "service", "Lobby", "Service centre"),
        ],
        supervisor_no="S01",
        supervisor_name="Supervisor Sun",
        supervisor_pin=PIN,
    )
    desks = {d.code: d for d in info.desks}
    boss_actor = Actor(clock, desks["security"].id)
    from dutydesk.domain.staff import by_number

    staff = {"S01": by_number("S01")}
    boss_actor = boss_actor.as_staff(staff["S01"].id)  # type: ignore[union-attr]
    for no, name, role in [
        ("L01", "Leader Li", "leader"),
        ("G01", "Guard Wang", "guard"),
        ("G02", "Guard Zhao", "guard"),
        ("E01", "Engineer Qian", "engineer"),
        ("C01", "Service Zhou", "service"),
    ]:
        staff[no] = add_staff(
            boss_actor, staff_no=no, name=name, role=role, pin=PIN, must_change_pin=False
        )
    return SmallSite(clock, desks["security"], desks["engineering"], desks["service"], staff)  # type: ignore[arg-type]
