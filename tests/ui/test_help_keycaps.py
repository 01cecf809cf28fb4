"""F1 names keys as the keycaps print them (Home, End, ↑, ↓, /), lists each key once,
and leaves out keys that never work at this desk (80×24, both languages)."""

from __future__ import annotations

import pytest

from dutydesk.screens.help import HelpScreen, keycap
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app


def _rows(screen: HelpScreen) -> list[tuple[str, str]]:
    table = screen._keys_table()
    keys = [str(k) for k in table.columns[0]._cells]
    actions = [str(a) for a in table.columns[1]._cells]
    return list(zip(keys, actions, strict=True))


@pytest.mark.parametrize("lang, filter_word", [("en", "Filter"), ("zh", "筛选")])
async def test_f4_help_on_the_security_desk(site, lang, filter_word):
    app = make_app(site, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = _rows(app.screen)
    keys = [k for k, _a in rows]
    for raw in ("HOME", "END", "UP", "DOWN", "SLASH", "PAGEUP", "PAGEDOWN"):
        assert not any(raw in k for k in keys), (raw, keys)
    assert [k for k, a in rows if a == filter_word] == ["/"]
    assert len(keys) == len(set(keys))
    assert "p" not in keys  # repair requests are taken at engineering and service desks


def test_keycaps_read_as_printed():
    assert keycap("HOME") == "Home" and keycap("Ctrl+END") == "Ctrl+End"
    assert keycap("UP") == "↑" and keycap("DOWN") == "↓" and keycap("SLASH") == "/"
    assert keycap("Ctrl+S") == "Ctrl+S" and keycap("F1") == "F1" and keycap("/") == "/"
    assert keycap("PgUp") == "PgUp" and keycap("+") == "+"
