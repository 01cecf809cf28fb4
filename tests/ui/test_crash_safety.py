"""Never a traceback on screen: a fault shows a plain panel, the kiosk goes on running,
and the error log holds the traceback without local variables and without the PIN.

Faults are injected by replacing one domain function for the duration of a key
(the real ones are restored before the retry), so the test does not depend on
how the database layer reports its own errors.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, NoReturn

import pytest

from dutydesk.domain import logs
from dutydesk.domain import staff as staff_rules
from dutydesk.models import AuditEvent, DutyLogEntry
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


def _panel_shown(app: Any) -> bool:
    return type(app.screen).__name__ == "ErrorPanel"


def _assert_no_secret(text: str) -> None:
    assert PIN not in text
    assert "Traceback" not in text


async def test_a_fault_in_a_save_shows_the_panel_and_the_kiosk_goes_on(
    site: Any, faults: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add = logs.add

    def broken_add(actor: Any, kind: str, values: Any) -> NoReturn:
        secret_pin = PIN  # a local that Textual's crash output would have printed
        raise RuntimeError(f"controller fault while saving {secret_pin}")

    monkeypatch.setattr(logs, "add", broken_add)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Gate 2 checked")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _panel_shown(app), "the error panel")
        text = screen_text(app)
        assert "Something went wrong" in text
        assert "The last step on the Logs screen failed" in text
        assert "What you typed is kept" in text and "Tell the supervisor" in text
        _assert_no_secret(text)
        # Enter closes the panel: the form is still there with what was typed.
        await pilot.press("enter")
        await wait_until(pilot, lambda: not _panel_shown(app), "the panel closed")
        assert "Gate 2 checked" in screen_text(app)
        assert DutyLogEntry.select().count() == 0
        # The kiosk goes on: with the fault gone, the same Ctrl+S saves.
        monkeypatch.setattr(logs, "add", real_add)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: DutyLogEntry.select().count() == 1, "the saved entry")
        assert app.is_running and app.return_code is None
    assert DutyLogEntry.get().text == "Gate 2 checked"
    log = faults.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: controller fault while saving ****" in log
    assert "broken_add" in log
    assert "secret_pin = " not in log and PIN not in log  # no locals, no PIN


async def test_a_database_fault_at_login_keeps_the_lock_screen_working(
    site: Any, faults: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst case seen: a crash while the PIN is in a local variable."""
    real = staff_rules.authenticate

    def locked_database(actor: Any, staff_no: str, pin: str, purpose: str = "login") -> NoReturn:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(staff_rules, "authenticate", locked_database)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await wait_until(pilot, lambda: _panel_shown(app), "the error panel")
        text = screen_text(app)
        assert "The last step on the Login screen failed" in text
        assert "Nothing was saved by that step" in text
        _assert_no_secret(text)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not _panel_shown(app), "the panel closed")
        assert app.staff is None
        assert app.screen.query_one("#pin").value == ""  # not left for the next Enter
        monkeypatch.setattr(staff_rules, "authenticate", real)
        # The lock screen still takes keys: the next try logs in.
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.staff is not None, "the login")
        assert app.staff is not None and app.staff.staff_no == "G01"
    log = faults.read_text(encoding="utf-8")
    assert "sqlite3.OperationalError: database is locked" in log
    assert PIN not in log
    assert AuditEvent.select().where(AuditEvent.action == "login.ok").count() == 1


async def test_a_failed_worker_shows_the_panel_not_textuals_crash(site: Any, faults: Path) -> None:
    """Workers and timers reach Textual's own last resort, which the kiosk replaces."""
    app = make_app(site)

    async def background_job() -> None:
        pin = PIN
        raise ValueError(f"bad reading {pin}")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.run_worker(background_job(), exit_on_error=True)
        await wait_until(pilot, lambda: _panel_shown(app), "the error panel")
        _assert_no_secret(screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not _panel_shown(app), "the panel closed")
        await login(pilot, "G02", PIN)
        assert app.staff is not None and app.staff.staff_no == "G02"
    log = faults.read_text(encoding="utf-8")
    assert "ValueError: bad reading ****" in log and PIN not in log


async def test_several_faults_make_one_panel_that_counts_them(site: Any, faults: Path) -> None:
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.run_worker(_raise_soon(), exit_on_error=True)
        app.run_worker(_raise_soon(), exit_on_error=True)
        await wait_until(pilot, lambda: "2 times" in screen_text(app), "the count")
        assert len([s for s in app.screen_stack if type(s).__name__ == "ErrorPanel"]) == 1
    # The same fault twice within seconds is written once (a failing tick would flood it).
    assert faults.read_text(encoding="utf-8").count("\nRuntimeError: background fault") == 1


async def _raise_soon() -> None:
    raise RuntimeError("background fault")


async def test_the_panel_speaks_chinese(site: Any, faults: Path) -> None:
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.run_worker(_raise_soon(), exit_on_error=True)
        await wait_until(pilot, lambda: _panel_shown(app), "the error panel")
        text = screen_text(app)
        assert "Something went wrong" not in text
        assert "主管" in text  # "tell the supervisor"


async def test_a_fault_before_the_first_screen_stops_with_one_plain_line(
    site: Any, faults: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No screen to show a panel on yet: the kiosk stops with a plain line (and the
    log), never Textual's traceback with its local variables."""
    from dutydesk.domain import sessions

    def broken(actor: Any) -> NoReturn:
        raise RuntimeError("cannot read the sessions")

    monkeypatch.setattr(sessions, "end_stale_sessions", broken)
    app = make_app(site)
    with pytest.raises(RuntimeError, match="cannot read the sessions"):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
    assert app.return_code == 1
    shown = " ".join(capsys.readouterr().err.split())
    assert shown == f"DutyDesk stopped because of an error; details in {faults}"
    assert "in broken" in faults.read_text(encoding="utf-8")
