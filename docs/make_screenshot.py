"""Make docs/screenshot-f2.svg: the demo's F2 at 80×24, drawn by the app itself.

    python docs/make_screenshot.py

Builds a small demo site (7 days of history) at a fixed instant in a temporary
folder, logs in as G01 with keys, presses F2 and saves Textual's own SVG
screenshot. Nothing is kept but the SVG.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.demo import build_demo
from dutydesk.domain import pins
from dutydesk.i18n import set_language

OUT = Path(__file__).resolve().parent / "screenshot-f2.svg"
INSTANT = "2026-12-01 10:00"
TZ = "Asia/Shanghai"


async def _shoot(db: str) -> None:
    from dutydesk.app import DutyDeskApp

    clock = FixedClock(INSTANT, tz=TZ)
    open_database(db)
    set_language("en")
    app = DutyDeskApp(clock=clock, desk_code="security", cli_lang="en", lock_after=100_000)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in [*"G01", "tab", *pins.DEMO_PIN, "enter"]:
            await pilot.press(key)
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(filename=OUT.name, path=str(OUT.parent))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.db")
        build_demo(db, days=7, clock=FixedClock(INSTANT, tz=TZ))
        asyncio.run(_shoot(db))
    print(OUT)


if __name__ == "__main__":
    main()
