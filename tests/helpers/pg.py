"""A throwaway PostgreSQL cluster for the tests (system ``initdb``/``pg_ctl``).

One cluster per test session, in a temporary folder, listening only on a Unix
socket in that folder; as the ``postgres`` user when the tests run as root
(``initdb`` refuses root). A template database holds the empty schema, so each
test gets its own database as a quick file copy. Stopped and removed at the end.

Without PostgreSQL binaries the PostgreSQL cases skip with one reason; with the
environment variable ``CI`` set they fail instead (CI installs the server).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TEMPLATE = "dutydesk_template"
SKIP_REASON = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package"
)


def bindir() -> Path | None:
    """Where initdb and pg_ctl are: ``DUTYDESK_PG_BINDIR`` if set (only there), else
    Debian's versioned folders, else PATH."""
    chosen = os.environ.get("DUTYDESK_PG_BINDIR")
    if chosen is not None:
        ok = Path(chosen, "initdb").exists() and Path(chosen, "pg_ctl").exists()
        return Path(chosen) if ok else None
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(found, "initdb").exists() and Path(found, "pg_ctl").exists():
            return Path(found)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    return None


def psycopg_missing() -> bool:
    import importlib.util

    return importlib.util.find_spec("psycopg") is None


@dataclass
class Cluster:
    root: Path
    bindir: Path
    socket_dir: Path
    user: str = "postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        """Run one statement in the maintenance database (autocommit)."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def admin_in(self, url: str, sql: str) -> None:
        """Run one statement in the database at ``url`` (autocommit)."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A fresh database with the empty DutyDesk schema; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
        return self.url(name)

    def empty_database(self) -> str:
        """A fresh database without any table; its URL."""
        name = "e_" + uuid.uuid4().hex[:12]
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def pg_ctl(self, *args: str) -> None:
        _run_as_owner([str(self.bindir / "pg_ctl"), *args])

    def stop(self) -> None:
        """The server goes away (a power cut at the server: no clean goodbye)."""
        self.pg_ctl("-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")

    def start(self) -> None:
        self.pg_ctl(
            "-D",
            str(self.root / "data"),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            self.options,
            "start",
        )

    @property
    def options(self) -> str:
        return f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run_as_owner(cmd: list[str]) -> None:
    subprocess.run(_as_owner(cmd), check=True, capture_output=True, timeout=120)


def start_cluster() -> Iterator[Cluster]:
    found = bindir()
    reason = None
    if found is None:
        reason = SKIP_REASON
    elif psycopg_missing():
        reason = "psycopg is not installed: pip install -e '.[test]'"
    elif os.geteuid() == 0 and not _has_user("postgres"):
        reason = "running as root and there is no postgres user to run initdb as"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    assert found is not None
    root = Path(tempfile.mkdtemp(prefix="ddpg-"))
    data, sock = root / "data", root / "s"
    sock.mkdir()
    user = "postgres"
    if os.geteuid() == 0:
        import pwd

        owner = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    else:
        import getpass

        user = getpass.getuser()
    os.chmod(root, 0o755)
    cluster = Cluster(root, found, sock, user)
    try:
        _run_as_owner(
            [
                str(found / "initdb"),
                "-D",
                str(data),
                "-U",
                user,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        cluster.start()
        cluster.admin(f"CREATE DATABASE {TEMPLATE}")
        from dutydesk.db import open_database

        template = open_database(cluster.url(TEMPLATE))
        template.close()
        yield cluster
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([str(found / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    yield from start_cluster()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh PostgreSQL database with the DutyDesk schema (and no site)."""
    url = pg_cluster.new_database()
    yield url
    from dutydesk.models import database_proxy

    if database_proxy.obj is not None and not database_proxy.obj.is_closed():
        database_proxy.obj.close()
    pg_cluster.drop(url)
