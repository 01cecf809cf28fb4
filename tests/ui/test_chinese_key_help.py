"""In Chinese at 80×24, the key bar and F1 help read Chinese throughout, keys only.

- Textual's own key descriptions (Select's "Dismiss menu", DataTable's "Top"/"Bottom")
  are Chinese in the key bar and F1 help.
- F1 lists Ctrl+C (Ctrl+Q's hidden twin) no more as a second "Quit".
"""

from __future__ import annotations

from dutydesk.domain import shifts
from dutydesk.screens.help import HelpScreen
from tests.helpers.patrol import guard_route, open_patrol
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


async def test_select_menu_key_bar_is_chinese(site):
    """An open drop-down's own Esc key reads 关闭菜单, not "Dismiss menu"."""
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("n")  # the duty entry: the cursor starts in the text
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # the category drop-down, opened
        await pilot.pause()
        text = screen_text(app)
        assert "Dismiss menu" not in text
        assert "关闭菜单" in text


async def test_f3_help_and_key_bar_have_no_english_textual_keys(site):
    """F1 on F3 lists the table's Ctrl+Home/Ctrl+End in Chinese, and one Quit (Ctrl+Q)."""
    guard_route(site)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lang="zh", lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "G01")
        bar = "\n".join(screen_text(app).splitlines()[-3:])
        for english in ("Top", "Bottom", "Dismiss menu", "Cursor"):
            assert english not in bar
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app) + "\n" + _help_rows(app.screen)
        for english in ("Top", "Bottom", "Dismiss menu", "Cursor"):
            assert english not in text
        assert "到顶部" in text and "到底部" in text


async def test_f1_lists_quit_once_ctrl_c_hidden_but_working(site):
    """F1 lists Ctrl+Q 退出 once; Ctrl+C (its twin) is not listed but still asks to quit."""
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = _help_rows(app.screen)
        assert "Ctrl+C" not in rows and "Ctrl+C" not in screen_text(app)
        assert "Ctrl+Q 退出" in rows
        await pilot.press("escape", "ctrl+c")
        await pilot.pause()
        assert type(app.screen).__name__ == "QuitDialog"


def _help_rows(screen: HelpScreen) -> str:
    """Every row of the help's keys table (also those scrolled out of the 24 lines)."""
    table = screen._keys_table()
    keys = table.columns[0]._cells
    actions = table.columns[1]._cells
    return "\n".join(f"{k} {a}" for k, a in zip(keys, actions, strict=True))
