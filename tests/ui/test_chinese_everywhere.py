"""Every screen rendered in Chinese at 80×24 shows no English word outside a short
allowlist (key names, the product name, units). User data is made Chinese first, so
that only the interface's own strings are judged.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from dutydesk.i18n import set_language
from dutydesk.models import Desk, Staff
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, make_empty_app, screen_text, type_text

ALLOWED = {
    "DutyDesk",
    "Ctrl",
    "Tab",
    "Shift",
    "Esc",
    "Enter",
    "Space",
    "PgUp",
    "PgDn",
    "Home",
    "End",
    "Up",
    "Down",
    "Del",
    # The language switch names the other language in its own script.
    "English",
    # Staff numbers of the test site, and units.
    "min",
    "km",
    # "PIN" is how Chinese desk staff name the code too (工号或 PIN 错误).
    "PIN",
    # IANA time-zone names are identifiers, shown as typed (Asia/Shanghai, Etc/UTC).
    "Asia",
    "Shanghai",
    "Etc",
    "UTC",
}
WORD = re.compile(r"[A-Za-z]{2,}")

CHINESE_NAMES = {
    "S01": "孙主管",
    "L01": "李班长",
    "G01": "王保安",
    "G02": "赵保安",
    "E01": "钱工",
    "C01": "周客服",
}


def english_words(text: str) -> list[str]:
    words = WORD.findall(text)
    # Staff numbers like G01 are one letter + digits (not matched); CS-R2 style rule ids too.
    return [w for w in words if w not in ALLOWED and not re.fullmatch(r"(CS|SE|SG|EN|R)", w)]


def chinese_data(site) -> None:
    for no, name in CHINESE_NAMES.items():
        Staff.update(name=name).where(Staff.staff_no == no).execute()
    Desk.update(location="正门").where(Desk.id == site.security.id).execute()


def assert_chinese(app, where: str) -> None:
    text = screen_text(app)
    found = english_words(text)
    assert not found, f"{where}: English on a Chinese screen: {found}\n{text}"
    assert re.search(r"[\u4e00-\u9fff]", text), f"{where}: no Chinese at all\n{text}"


async def test_lock_screen_in_chinese(site):
    chinese_data(site)
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_chinese(app, "lock")
        await login(pilot, "G01", "9999")
        assert_chinese(app, "lock, wrong PIN")
        assert "早班  07:30–16:00" in screen_text(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert_chinese(app, "quit dialog")


async def test_wizard_in_chinese(db, clock):
    app = make_empty_app(clock, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_chinese(app, "wizard")


@pytest.mark.parametrize(
    "keys",
    [
        [],
        ["f1"],
        ["f9"],
        ["f9", "f1"],
        ["f9", "a"],
        ["f9", "p"],
        ["f3"],
        ["f5"],
        ["f8"],
        ["o"],
    ],
)
async def test_logged_in_screens_in_chinese(site, keys):
    chinese_data(site)
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        assert_chinese(app, "+".join(["F2", *keys]))


async def test_placeholder_and_presence_in_chinese(site):
    from dutydesk.screens.placeholder import PlaceholderScreen

    chinese_data(site)
    site.clock.set("2026-12-02 01:00")
    app = make_app(site, lang="zh", lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-02 02:00")
        app._idle_tick()
        await pilot.pause()
        assert type(app.screen).__name__ == "PresenceDialog"
        assert_chinese(app, "presence")
        await pilot.press("escape")
        site.clock.set("2026-12-02 02:06")
        app._idle_tick()
        await pilot.pause()
        assert_chinese(app, "shift with alert banner")
        app.push_screen(PlaceholderScreen("Reports"))
        await pilot.pause()
        assert_chinese(app, "placeholder")


@pytest.mark.skipif(
    importlib.util.find_spec("dutydesk.screens.logs") is None,
    reason="the logs screen is not written yet",
)
async def test_logs_screen_in_chinese(site):
    chinese_data(site)
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        assert_chinese(app, "F6 logs")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "巡查")
        assert_chinese(app, "F6 new duty-log entry")


def teardown_module() -> None:
    set_language("en")
