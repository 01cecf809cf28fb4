"""A command's trouble with a file the user named: one translated line naming the
path, never the system's English; usage mistakes exit 2, faults exit 1."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from dutydesk.cli import main
from dutydesk.i18n import set_language
from dutydesk.oserrors import describe


def _run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _export(db_path: Path, *extra: str) -> list[str]:
    return ["roster", "export", "--db", str(db_path), "--month", "2026-12", *extra]


def test_roster_export_refuses_an_existing_file_without_force(site, db_path, tmp_path, capsys):
    target = tmp_path / "roster.csv"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = _run(
        capsys, *_export(db_path, "--desk", "security", "--lang", "en", str(target))
    )
    assert code == 2 and out == ""
    assert err.strip() == f"dutydesk: {target} exists; add --force to overwrite it"
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _out, err = _run(capsys, *_export(db_path, "--desk", "security", "--force", str(target)))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") != "keep me"


def test_roster_export_into_a_missing_folder_names_it_in_chinese(site, db_path, capsys):
    code, out, err = _run(
        capsys,
        *_export(db_path, "--desk", "security", "--lang", "zh", "/nonexistent-dd/x.csv"),
    )
    assert code == 2 and out == ""
    assert err.strip() == "dutydesk: 没有这个文件夹：/nonexistent-dd"


def test_roster_mistakes_exit_2_like_report(site, db_path, capsys):
    code, _out, err = _run(capsys, *_export(db_path, "--lang", "en"))
    assert code == 2 and "--desk" in err and len(err.strip().splitlines()) == 1
    code, _out, err = _run(
        capsys, "roster", "warnings", "--db", str(db_path), "--desk", "security",
        "--from", "2026-12-10", "--to", "2026-12-01", "--lang", "en",
    )  # fmt: skip
    assert code == 2 and err.strip() == "dutydesk: The last day is before the first"


def test_verify_against_a_missing_backup_names_it_in_the_readers_words(
    site, db_path, tmp_path, capsys
):
    missing = tmp_path / "nonexist.db"
    code, _out, err = _run(capsys, "verify", "--db", str(db_path), "--against", str(missing))
    text = err + _out
    assert code == 1 and str(missing) in text
    assert "No such file or directory" not in text
    code, _out, err = _run(
        capsys, "verify", "--db", str(db_path), "--against", str(missing), "--lang", "zh"
    )
    assert code == 1 and "没有这个文件或文件夹" in err + _out


def test_backup_refuses_a_missing_target_folder(site, db_path, tmp_path, capsys):
    missing = tmp_path / "typo" / "backups"
    code, out, err = _run(
        capsys, "--db", str(db_path), "--lang", "en", "backup", "--to", str(missing),
        "--same-disk",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err.strip() == f"dutydesk: no such folder: {missing}"
    assert not missing.exists() and not missing.parent.exists()


def test_write_failure_on_the_command_line_says_nothing_was_saved(
    site, db_path, tmp_path, capsys, monkeypatch
):
    target = tmp_path / "roster.csv"

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    code, _out, err = _run(
        capsys, *_export(db_path, "--desk", "security", "--lang", "zh", str(target))
    )
    assert code == 1
    assert err.strip() == f"dutydesk: {target}：磁盘已满。没有保存任何内容。"


@pytest.mark.parametrize(
    "exc, english, chinese",
    [
        (
            FileExistsError(errno.EEXIST, "File exists", "/r/reports"),
            "{file} is a file where a folder should be. Nothing was saved.",
            "{file} 是一个文件，这里应该是文件夹。没有保存任何内容。",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/r/reports"),
            "/r/reports: no permission. Nothing was saved.",
            "/r/reports：没有权限。没有保存任何内容。",
        ),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "/r/reports: the disk is full. Nothing was saved.",
            "/r/reports：磁盘已满。没有保存任何内容。",
        ),
        (
            FileNotFoundError(errno.ENOENT, "No such file or directory", "/r/reports/a.html"),
            "no such folder: /r. Nothing was saved.",
            "没有这个文件夹：/r。没有保存任何内容。",
        ),
    ],
)
def test_an_os_error_is_one_translated_sentence_with_the_path(
    exc: OSError, english: str, chinese: str, tmp_path: Path
) -> None:
    try:
        set_language("en")
        assert describe(exc, "/r/reports") == english.format(file="/r/reports")
        set_language("zh")
        assert describe(exc, "/r/reports") == chinese.format(file="/r/reports")
    finally:
        set_language("zh")


def test_checkpoints_export_is_like_report_and_roster(site, db_path, tmp_path, capsys):
    target = tmp_path / "cps.toml"
    target.write_text("keep me", encoding="utf-8")
    base = ["checkpoints", "export", str(target), "--db", str(db_path), "--lang", "en"]
    code, _out, err = _run(capsys, *base)
    assert code == 2 and "--desk" in err and len(err.strip().splitlines()) == 1
    code, _out, err = _run(capsys, *base, "--desk", "security")
    assert code == 2 and err.strip() == f"dutydesk: {target} exists; add --force to overwrite it"
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _out, err = _run(capsys, *base, "--desk", "security", "--force")
    assert code == 0, err
    code, _out, err = _run(
        capsys, "checkpoints", "import", "--db", str(db_path), "--desk", "security"
    )
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_an_os_error_without_a_path_gives_the_reason_alone() -> None:
    try:
        set_language("en")
        assert describe(OSError(errno.ENOSPC, "No space left on device")) == (
            "the disk is full. Nothing was saved."
        )
        assert describe(PermissionError(errno.EACCES, "x"), write=False) == "no permission"
    finally:
        set_language("zh")
