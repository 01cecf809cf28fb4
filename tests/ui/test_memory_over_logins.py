"""A kiosk runs for weeks: every login builds the person's screens again and locking
drops them. Nothing of a dropped screen may stay in memory: Textual's own cache of
background styles kept the styles cache of up to 1,024 dead widgets, each with the
lines it had rendered, and the collector's full passes grew slower with them."""

from __future__ import annotations

import gc
import time

from textual._styles_cache import StylesCache
from textual.widget import Widget

from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, wait_until

SCREEN_KEYS = ("f3", "f4", "f5", "f6", "f7", "f8", "f2")


def orphaned_styles_caches() -> int:
    """Styles caches that belong to no live widget (after a full collection)."""
    gc.collect()
    live = {id(w._styles_cache) for w in gc.get_objects() if isinstance(w, Widget)}
    return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache) and id(o) not in live)


async def test_screens_dropped_at_lock_leave_no_rendered_lines_behind(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        for _login in range(3):
            await login(pilot, "G01", PIN)
            assert type(app.screen).__name__ == "ShiftScreen"
            for key in SCREEN_KEYS:
                await pilot.press(key)
                await pilot.pause()
            await pilot.press("f12")
            await wait_until(pilot, lambda: app.staff is None, "the lock screen")
            await pilot.pause()
        # Three logins built every screen three times (about 70 widgets each time).
        assert orphaned_styles_caches() == 0


async def test_the_kiosk_tunes_its_collector_once_ready_and_asks_for_a_pass_each_second(
    site, monkeypatch
):
    tuned: list[bool] = []
    idle: list[float] = []
    monkeypatch.setattr("dutydesk.app.tune_collector", lambda: tuned.append(True))
    monkeypatch.setattr("dutydesk.app_live.collect_when_idle", lambda s: idle.append(s) or False)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert tuned == [True]  # once the desk has started
        app._key_since = time.monotonic() - 5  # the last key went in 5 s ago
        app._idle_tick()
        assert idle and idle[-1] >= 5
        # A key a moment ago: the tick says so (and collect_when_idle then runs no
        # pass: tests/unit/test_app_memory.py).
        app._key_since = time.monotonic()
        app._idle_tick()
        assert idle[-1] < 1
