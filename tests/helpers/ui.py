"""Driving the kiosk in a UI test: the app factory, keys-only login and typing,
waiting for an outcome, and the screen as a person at the desk reads it.

Tests build apps through :func:`make_app` (the ``site`` fixture's database and
FixedClock) instead of monkeypatching, and drive them only with ``pilot.press``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.i18n import set_language

SIZE = (80, 24)


async def wait_until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Let the app work until ``condition()`` holds (bounded: 30 s of real time).

    Pilot's ``pause`` returns when the process looks idle, which a slow disk (fsync)
    can fake while messages a key caused are still queued; a test that asserts on
    the outcome of a key waits for that outcome, bounded, instead of hoping.
    """
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()


def make_app(site: Any, lang: str = "en", lock_after: int = 180) -> DutyDeskApp:
    """The kiosk at the site's security desk, with the site's FixedClock.

    ``site`` is the SmallSite fixture (its database is already open).
    """
    set_language(lang)
    return DutyDeskApp(
        clock=site.clock,
        desk_code=site.security.code,
        cli_lang=lang,
        lock_after=lock_after,
    )


def make_empty_app(clock: Any, lang: str = "en") -> DutyDeskApp:
    """The kiosk on an empty database (no site yet): it starts with the set-up wizard."""
    set_language(lang)
    return DutyDeskApp(clock=clock, desk_code=None, cli_lang=lang, lock_after=180)


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` one key at a time (Pilot maps each character to its key)."""
    for ch in text:
        await pilot.press(ch)


async def login(pilot: Any, staff_no: str, pin: str) -> None:
    """On the lock screen: staff number, Tab, PIN, Enter (docs/keys.md, "Lock screen")."""
    await type_text(pilot, staff_no)
    await pilot.press("tab")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


def screen_text(app: Any) -> str:
    """The visible screen as plain text (what a person at the desk reads)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens, simplify=True
        )
    )
    return console.export_text(styles=False)
