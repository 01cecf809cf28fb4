"""The error log (dutydesk/errorlog.py) and the command line's last-resort catch: a
traceback without local variables, PIN-like values masked, one plain line on stderr."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dutydesk import cli, errorlog
from tests.helpers.site import PIN


def _fault(pin: str) -> None:
    typed = pin  # a local variable: never written to the log
    raise ValueError(f"cannot store {typed!r} at 2026-12-01 10:00")


def test_the_log_holds_the_traceback_without_locals_or_pins(error_log: Path) -> None:
    try:
        _fault(PIN)
    except ValueError as exc:
        errorlog.log_exception(exc, f"login of {PIN}")
    text = error_log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in _fault" in text
    # Dates and times stay readable; the PIN-shaped value does not.
    assert "ValueError: cannot store '****' at 2026-12-01 10:00" in text
    assert "login of ****" in text
    assert PIN not in text and "typed = " not in text
    assert oct(error_log.stat().st_mode & 0o777) == oct(0o600)


def test_causes_are_kept_and_masked_too(error_log: Path) -> None:
    try:
        try:
            raise KeyError(PIN)
        except KeyError as inner:
            raise RuntimeError("save failed") from inner
    except RuntimeError as exc:
        errorlog.log_exception(exc, "save")
    text = error_log.read_text(encoding="utf-8")
    assert "KeyError: '****'" in text and "RuntimeError: save failed" in text
    assert PIN not in text


def test_the_log_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(errorlog.LOG_DIR_ENV, str(tmp_path / "logs"))
    assert errorlog.log_file() == tmp_path / "logs" / "errors.log"
    monkeypatch.delenv(errorlog.LOG_DIR_ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert errorlog.log_file().is_relative_to(tmp_path / "state" / "dutydesk")


def test_a_log_that_cannot_be_written_is_no_second_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(errorlog.LOG_DIR_ENV, str(blocker / "logs"))
    errorlog.log_exception(RuntimeError("disk full"), "save")  # must not raise


def test_the_log_is_rotated_when_large(error_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errorlog, "MAX_BYTES", 100)
    for n in range(3):
        errorlog.log_exception(RuntimeError(f"fault {n}"), "test")
    assert error_log.with_name("errors.log.1").exists()
    assert "fault 2" in error_log.read_text(encoding="utf-8")


def test_the_command_line_never_prints_a_traceback(
    error_log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_kiosk(options: cli.KioskOptions, first_look: object = None) -> int:
        pin = PIN
        raise RuntimeError(f"unexpected {pin}")

    monkeypatch.setattr(cli, "run_kiosk", broken_kiosk)
    assert cli.main(["--db", os.devnull, "--lang", "en"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"dutydesk: unexpected error (RuntimeError); details in {error_log}"
    ]
    text = error_log.read_text(encoding="utf-8")
    assert "in broken_kiosk" in text and "RuntimeError: unexpected ****" in text
    assert PIN not in text
