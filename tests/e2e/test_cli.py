"""The installed ``dutydesk`` command: every user error is one line and a non-zero exit,
never a traceback. Runs the real console script in a subprocess."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import DUTYDESK, INIT
from tests.helpers.site import PIN

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_is_the_installed_entry_point():
    path = Path(DUTYDESK).resolve()
    assert not path.is_relative_to(ROOT / "dutydesk"), path
    assert os.access(path, os.X_OK)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: no DUTYDESK_* variables, a throwaway home and data folder."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    e.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        LANG="C.UTF-8",
        LC_ALL="",
        TERM="dumb",
        PIN_VAR=PIN,
    )
    e.pop("LC_ALL")
    return e


def run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    # stdin closed and a timeout: should a bug start the kiosk, the test fails, not hangs.
    return subprocess.run(
        [DUTYDESK, *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def one_line_error(out: subprocess.CompletedProcess, code: int | None = None) -> str:
    assert out.returncode != 0, out
    if code is not None:
        assert out.returncode == code, out
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("dutydesk: ")
    return lines[0]


@pytest.fixture
def site_db(tmp_path: Path, env, backend: str, request: pytest.FixtureRequest) -> Path | str:
    """A site made by ``dutydesk init``: a SQLite file, or a PostgreSQL database."""
    path: Path | str = tmp_path / "site.db"
    if backend == "postgresql":
        path = str(request.getfixturevalue("pg_url"))
    out = run(env, "init", "--db", str(path), "--lang", "en", *INIT)
    assert out.returncode == 0, out.stderr
    return path


def test_version(env):
    from dutydesk import __version__

    out = run(env, "--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"dutydesk {__version__}"


def test_init_creates_a_site(tmp_path: Path, env):
    path = tmp_path / "new.db"
    out = run(env, "init", "--db", str(path), "--lang", "en", *INIT)
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout.strip() == "Site Test Gardens created with desks: security, engineering, service"
    )
    assert out.stderr == ""
    assert PIN not in out.stdout
    import sqlite3

    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name, tz FROM site").fetchall() == [
            ("Test Gardens", "Asia/Shanghai")
        ]
        assert con.execute("SELECT staff_no, role FROM staff").fetchall() == [("S01", "supervisor")]
        (pin_hash,) = con.execute("SELECT pin_hash FROM staff").fetchone()
        assert pin_hash.startswith("$argon2id$")
    finally:
        con.close()


def test_options_before_the_subcommand_work_too(tmp_path: Path, env):
    path = tmp_path / "before.db"
    out = run(env, "--db", str(path), "--lang", "en", "init", *INIT)
    assert out.returncode == 0, out.stderr
    assert path.exists()
    again = run(env, "--lang", "en", "--db", str(path), "init", *INIT)
    assert "already holds a site" in one_line_error(again, 1)


def test_init_refuses_a_trivial_pin_with_one_line(tmp_path: Path, env):
    path = tmp_path / "trivial.db"
    out = run({**env, "PIN_VAR": "1234"}, "init", "--db", str(path), "--lang", "en", *INIT)
    line = one_line_error(out, 1)
    assert "too easy to guess" in line
    assert not path.exists()  # nothing half-made left behind


def test_init_refuses_an_unknown_time_zone_and_preset(tmp_path: Path, env):
    bad_tz = [a if a != "Asia/Shanghai" else "Mars/Base" for a in INIT]
    assert "Unknown time zone" in one_line_error(
        run(env, "init", "--db", str(tmp_path / "a.db"), "--lang", "en", *bad_tz), 1
    )
    bad_preset = [a if a != "service:service" else "service:service-9" for a in INIT]
    assert "Unknown shift preset service-9" in one_line_error(
        run(env, "init", "--db", str(tmp_path / "b.db"), "--lang", "en", *bad_preset), 1
    )


@pytest.mark.both_backends
def test_unknown_desk_names_the_desks(site_db: Path, env):
    out = run(env, "--db", str(site_db), "--desk", "nowhere", "--lang", "en")
    line = one_line_error(out, 1)
    assert line == "dutydesk: No desk nowhere; this site has: security, engineering, service"


@pytest.mark.both_backends
def test_unknown_desk_in_chinese(site_db: Path, env):
    out = run(env, "--db", str(site_db), "--desk", "nowhere", "--lang", "zh")
    line = one_line_error(out, 1)
    assert line == "dutydesk: 没有值班台 nowhere；本站点有：security, engineering, service"


@pytest.mark.both_backends
def test_several_desks_and_none_chosen(site_db: Path, env):
    line = one_line_error(run(env, "--db", str(site_db), "--lang", "en"), 1)
    assert "--desk" in line and "security, engineering, service" in line


@pytest.mark.both_backends
def test_database_from_the_environment(site_db: Path, env):
    out = run({**env, "DUTYDESK_DB": str(site_db)}, "--desk", "nowhere", "--lang", "en")
    assert "security, engineering, service" in one_line_error(out, 1)


def test_bad_option_is_one_line_exit_2(env):
    line = one_line_error(run(env, "--bogus", "--lang", "en"), 2)
    assert "--bogus" in line
    line = one_line_error(run(env, "--lock-after", "soon", "--lang", "en"), 2)
    assert "soon" in line
    line = one_line_error(run(env, "--lang", "fr"), 2)
    assert "fr" in line
    line = one_line_error(run(env, "init", "--lang", "en"), 2)
    assert "required" in line


def test_postgres_url_is_one_line(env):
    out = run(env, "--db", "postgresql://duty:secret@127.0.0.1:1/dutydesk", "--lang", "en")
    line = one_line_error(out, 1)
    assert "Cannot connect to the database" in line and "secret" not in line


def test_unknown_url_scheme(env):
    assert "Unknown database URL" in one_line_error(
        run(env, "--db", "mysql://host/db", "--lang", "en"), 1
    )


def test_database_path_is_a_directory(tmp_path: Path, env):
    line = one_line_error(run(env, "--db", str(tmp_path), "--lang", "en"), 1)
    assert "is a directory" in line


def test_junk_database_file(tmp_path: Path, env):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    line = one_line_error(run(env, "--db", str(junk), "--lang", "en"), 1)
    assert "Cannot open the database" in line
    line = one_line_error(run(env, "init", "--db", str(junk), "--lang", "en", *INIT), 1)
    assert "Cannot open the database" in line


def test_sqlite_url_reaches_the_site(site_db: Path, env):
    out = run(env, "--db", f"sqlite:///{site_db}", "--desk", "nowhere", "--lang", "en")
    assert "security, engineering, service" in one_line_error(out, 1)


def test_help_lists_the_subcommands(env):
    out = run(env, "--help", "--lang", "en")
    assert out.returncode == 0
    assert "init" in out.stdout and "demo" in out.stdout
