"""F8 ``4``: the report keys (r, d, ←/→, f, 1–4) work after leaving F8 and coming
back, and after Ctrl+T (docs/keys.md, "F8"): no key is typed into the hidden
search box."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.report_site import build
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until


@pytest.fixture
def folder(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.setenv("DUTYDESK_REPORTS_DIR", str(out))
    return out


async def _keys_work(pilot: Any) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: "Which report: Duty record" in screen_text(app), "Reports")
    await pilot.press("r")
    await wait_until(pilot, lambda: "Which report: Duty handover" in screen_text(app), "r")
    await pilot.press("f")
    await wait_until(pilot, lambda: "Format: txt" in screen_text(app), "f")
    await pilot.press("left")
    await wait_until(pilot, lambda: "2026-12-09" in screen_text(app), "Left")
    await pilot.press("3")
    await wait_until(pilot, lambda: "Open incidents  page 1" in screen_text(app), "3")
    await pilot.press("1")
    await wait_until(pilot, lambda: "Search  page 1" in screen_text(app), "1")
    search = app.screen.query_one("#search-input")
    assert search.value == ""


@pytest.mark.parametrize("away", [("f7", "f8"), ("ctrl+t", "ctrl+t")])
async def test_report_keys_work_after_coming_back(site, folder, away):
    build(site, PIN)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f8")
        await wait_until(pilot, lambda: "Search  page 1" in screen_text(app), "F8")
        await pilot.press("tab", "escape", "4")  # the search box, back to the list, 4
        await wait_until(pilot, lambda: "Which report: Duty record" in screen_text(app), "4")
        for key in away:
            await pilot.press(key)
            await pilot.pause()
        await _keys_work(pilot)
