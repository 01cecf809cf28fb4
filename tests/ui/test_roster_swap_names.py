"""F7: the swap pop-ups name a shift by its desk's and its own display names in the
person's language, never by their codes (80×24)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dutydesk.domain import roster
from dutydesk.models import ShiftTemplate
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

TOMORROW = dt.date(2026, 12, 2)
THURSDAY = dt.date(2026, 12, 3)


def put(site: Any, staff_no: str, day: dt.date, code: str) -> None:
    template = ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == code)
    )
    roster.assign(site.actor("S01"), site.security.id, template.id, day, site.staff[staff_no].id)


@pytest.mark.parametrize(
    "lang, shown",
    [("en", "2026-12-03 Security booth · Middle"), ("zh", "2026-12-03 保安亭 · 中班")],
)
async def test_colleagues_shift_is_named_in_the_persons_language(site, lang, shown):
    put(site, "G01", TOMORROW, "early")
    put(site, "G02", THURSDAY, "middle")
    app = make_app(site, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("down", "n")
        await pilot.pause()
        await pilot.press("enter")  # an exchange
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)  # which of G02's shifts: the pop-up
    assert shown in text
    assert "security/" not in text and "/Middle" not in text
