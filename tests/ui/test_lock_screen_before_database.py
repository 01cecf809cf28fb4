"""The command line's start: the lock screen is painted before the database is open
(Peewee, the models and the duty rules load after the first paint). A login typed
at once waits for the database instead of being lost; a database that cannot be
opened still ends the kiosk with one line.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from dutydesk import kiosk
from dutydesk.config import KioskOptions
from dutydesk.errors import ConfigError
from dutydesk.i18n import set_language
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, screen_text, type_text, wait_until


def _gated(monkeypatch: pytest.MonkeyPatch, fail: BaseException | None = None) -> threading.Event:
    """Hold the database's opening until the returned event is set."""
    gate = threading.Event()
    real = kiosk.open_site_in_thread

    def held(options: KioskOptions) -> Any:
        gate.wait(30)
        if fail is not None:
            raise fail
        return real(options)

    monkeypatch.setattr(kiosk, "open_site_in_thread", held)
    return gate


def _start(site: Any, db_path: Any) -> Any:
    set_language("en")
    options = KioskOptions(db=str(db_path), desk=site.security.code, lang="en", lock_after=None)
    return kiosk.start_app(options)


async def test_a_login_typed_before_the_database_is_open_waits_for_it(site, db_path, monkeypatch):
    gate = _gated(monkeypatch)
    app = _start(site, db_path)
    assert not app.ready
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "LockScreen"
        assert "Security booth" in screen_text(app)  # the desk, from the first look
        await type_text(pilot, "G01")
        await pilot.press("tab")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "LockScreen" and not app.ready
        gate.set()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ShiftScreen", "the login")
        assert app.ready and app.staff is not None and app.staff.staff_no == "G01"


async def test_a_database_that_fails_after_the_first_paint_stops_the_kiosk(
    site, db_path, monkeypatch
):
    gate = _gated(monkeypatch, ConfigError("Cannot open the database {path}: {reason}"))
    app = _start(site, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        gate.set()
        await wait_until(pilot, lambda: app.start_error is not None, "the failed start")
        await wait_until(pilot, lambda: not app.is_running, "the kiosk to stop")
    assert isinstance(app.start_error, ConfigError)
    assert app.return_code == 1


def test_a_desk_the_first_look_cannot_find_is_reported_before_the_kiosk_starts(site, db_path):
    set_language("en")
    options = KioskOptions(db=str(db_path), desk="nowhere", lang="en", lock_after=None)
    with pytest.raises(ConfigError) as raised:
        kiosk.start_app(options)
    assert "nowhere" in raised.value.translated()
