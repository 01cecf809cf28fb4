"""One language per run, argparse's own words included; options before or after a
subcommand, also a subcommand's own subcommand; kiosk options only where the kiosk
starts. In-process through ``cli.main`` on real SQLite files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dutydesk import cli
from dutydesk.i18n import current_language, set_language


def _main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def zh_site(db_path: Path, site: Any) -> Path:
    """The small site, its language set to Chinese."""
    from dutydesk.db import write
    from dutydesk.models import Site

    with write():
        Site.update(language="zh").execute()
    return db_path


def test_options_after_a_nested_subcommand_work(capsys: Any, zh_site: Path) -> None:
    """``--db X handover show 208 --desk security``: not a usage error; the handover is
    looked up (and is not there: one line, exit 1)."""
    code, _out, err = _main(
        capsys, "--db", str(zh_site), "handover", "show", "208", "--desk", "security"
    )
    assert code == 1, err
    assert err.startswith("dutydesk: ") and "208" in err
    code, _out, err = _main(
        capsys, "handover", "show", "208", "--desk", "security", "--db", str(zh_site)
    )
    assert code == 1 and "208" in err


@pytest.mark.parametrize("command", ["verify", "holidays", "roster", "handover"])
def test_kiosk_only_options_not_in_other_commands_help(capsys: Any, command: str) -> None:
    code, out, _err = _main(capsys, "--lang", "en", command, "--help")
    assert code == 0
    assert "--lock-after" not in out and "--db" in out


def test_help_is_all_chinese_with_lang_zh(capsys: Any) -> None:
    code, out, _err = _main(capsys, "--lang", "zh", "verify", "--help")
    assert code == 0
    assert out.startswith("用法：")
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out


def test_usage_error_in_chinese(capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    code, _out, err = _main(capsys, "--no-such-option")
    assert code == 2
    assert err.strip() == "dutydesk: 无法识别的参数：--no-such-option"


def test_every_command_speaks_the_sites_language_without_lang(
    capsys: Any, zh_site: Path, monkeypatch: Any
) -> None:
    """An English LANG on a Chinese site: the run is in Chinese (the site's), for
    ``roster`` as for ``handover``; ``--lang en`` wins over both."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    set_language("en")
    _main(capsys, "--db", str(zh_site), "roster", "--help")
    assert current_language() == "zh"
    code, _out, err = _main(capsys, "--db", str(zh_site), "handover", "show", "208")
    assert code == 1 and "208" in err and "No handover" not in err
    _main(capsys, "--db", str(zh_site), "--lang", "en", "roster", "--help")
    assert current_language() == "en"


def test_init_makes_a_site_in_the_runs_language(
    capsys: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Under an English LANG and no --site-lang, the new site is English."""
    import sqlite3

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("PIN_VAR", "5903")
    path = tmp_path / "new.db"
    code, _out, err = _main(
        capsys,
        "init",
        "--db",
        str(path),
        "--name",
        "Test Gardens",
        "--tz",
        "Asia/Shanghai",
        "--add-desk",
        "security:security-3",
        "--supervisor",
        "S01",
        "--supervisor-name",
        "Sun",
        "--pin-env",
        "PIN_VAR",
    )
    assert code == 0, err
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT language FROM site").fetchone() == ("en",)
    finally:
        con.close()


# --- a library where one serves: time fields by arrow, TOML by tomli-w ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 09:50", "2026-12-01T09:50:00+08:00"),
        ("2026-1-2 9:50", "2026-01-02T09:50:00+08:00"),
        ("2026-12-01T09:50", "2026-12-01T09:50:00+08:00"),
        ("09:50", "2026-12-01T09:50:00+08:00"),
        ("23:50", "2026-11-30T23:50:00+08:00"),  # ahead of now: yesterday's
        ("", None),
    ],
)
def test_time_fields_parse_with_arrow(text: str, expected: str | None) -> None:
    import arrow

    from dutydesk.widgets import form

    now = arrow.get("2026-12-01T10:00:00+08:00")
    got = form.parse_time(text, now, "at")
    assert (got.isoformat() if got else None) == expected
    assert not hasattr(form, "_FULL") and form.FULL_FORMAT == "YYYY-M-D H:mm"


@pytest.mark.parametrize(
    "text", ["24:00", "9:5", "x9:50", "2026-12-01 09:50 x", "2026-02-30 10:00"]
)
def test_bad_times_are_refused(text: str) -> None:
    import arrow

    from dutydesk.errors import ValidationError
    from dutydesk.widgets import form

    with pytest.raises(ValidationError):
        form.parse_time(text, arrow.get("2026-12-01T10:00:00+08:00"), "at")


def test_toml_export_is_written_by_tomli_w_and_reads_back() -> None:
    import tomllib

    from dutydesk.domain import checkpoints

    spec = checkpoints.CheckpointSpec(
        code="G\\1", name='门 "East"\x7f\n', kind="reading", unit="°C", range_min=0.5
    )
    text = checkpoints.export_toml([spec], title="security")
    assert "import tomli_w" in Path(checkpoints.__file__).read_text(encoding="utf-8")
    back = tomllib.loads(text)["checkpoint"][0]
    assert (back["code"], back["name"], back["range_min"]) == ("G\\1", '门 "East"\x7f\n', 0.5)
