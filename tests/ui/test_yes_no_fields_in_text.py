"""A yes/no field shows its state in text (``X`` and 是/否), not only in colour."""

from __future__ import annotations

from dutydesk.models import Visitor
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def test_visitor_room_checkbox_reads_no_then_yes_sg4(site):
    """SG-4: the "entered the room" box shows 否 with no X until Space ticks it; the saved
    row matches what the screen said."""
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("3", "n")
        await pilot.pause()
        line = next(ln for ln in screen_text(app).splitlines() if "进入值班室" in ln)
        assert "X" not in line and "否" in line and "是" not in line
        await type_text(pilot, "Li")
        await pilot.press("tab", "tab", "tab", "space")
        await pilot.pause()
        line = next(ln for ln in screen_text(app).splitlines() if "进入值班室" in ln)
        assert "X" in line and "是" in line and "否" not in line
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Visitor.get().entered_room is True
