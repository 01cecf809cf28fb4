"""F7's multi-step flows, each one dialog after another, driven with keys only:
a rotation (preview, then write), removing one of two people, "needs cover" decided
by a supervisor who names the cover, declining, rejecting, withdrawing (CS8,
EN-8.3.5); and a fault inside a flow reaches the kiosk's error panel.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NoReturn

import pytest

from dutydesk.domain import roster
from dutydesk.models import RosterEntry, ShiftTemplate, SwapRequest
from dutydesk.screens.dialogs.pick import PickDialog
from dutydesk.screens.dialogs.roster import PinDialog, RotationPreviewDialog
from dutydesk.screens.roster import RosterScreen
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until

D = dt.date
TOMORROW = D(2026, 12, 2)


def tpl(site: Any, code: str) -> int:
    return ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == code)
    ).id


def put(site: Any, staff_no: str, day: dt.date, code: str) -> int:
    slot = roster.assign(
        site.actor("S01"), site.security.id, tpl(site, code), day, site.staff[staff_no].id
    )
    assert slot.entry_id is not None
    return slot.entry_id


def on_shift(site: Any, day: dt.date, code: str) -> list[str]:
    rows = RosterEntry.select().where(
        (RosterEntry.template == tpl(site, code)) & (RosterEntry.business_date == day)
    )
    return sorted(r.staff.staff_no for r in rows)


async def open_roster(pilot: Any, staff_no: str) -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RosterScreen)


async def type_pin_enter(pilot: Any) -> None:
    await type_text(pilot, PIN)
    await pilot.press("enter")
    await pilot.pause()


async def test_rotation_is_previewed_then_written(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "S01")
        await pilot.press("g")
        await pilot.pause()
        # The form starts in "First day" (next Monday) with 4 weeks: on to the teams.
        await pilot.press("tab", "tab")
        for number in ("G01", "G02", "L01", "E01"):
            await type_text(pilot, number)
            await pilot.press("tab")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, RotationPreviewDialog), "the preview"
        )
        assert RosterEntry.select().count() == 0  # a preview writes nothing
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, RosterScreen), "the grid")
        await wait_until(pilot, lambda: RosterEntry.select().count() > 0, "the rotation")
        assert "Rotation written" in " ".join(screen_text(app).split())
    assert {e.source for e in RosterEntry.select()} == {"rotation"}


async def test_remove_one_of_two_asks_whom_then_confirms(site):
    put(site, "G01", TOMORROW, "early")
    put(site, "G02", TOMORROW, "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "S01")
        await pilot.press("down", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog), "whom to remove")
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: on_shift(site, TOMORROW, "early") == ["G01"], "removed")


async def test_needs_cover_then_the_supervisor_names_the_cover_cs8(site):
    put(site, "G01", TOMORROW, "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        await pilot.press("down", "n")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # needs cover
        await pilot.pause()
        await type_text(pilot, "dentist")
        await pilot.press("enter")
        await wait_until(pilot, lambda: SwapRequest.select().count() == 1, "the request")
        assert SwapRequest.get().kind == "needs_cover"
        await pilot.press("f12")
        await pilot.pause()

        await open_roster(pilot, "S01")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog), "who covers")
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PinDialog), "the PIN")
        await type_pin_enter(pilot)
        await wait_until(pilot, lambda: SwapRequest.get().state == "approved", "approved")
    assert on_shift(site, TOMORROW, "early") == ["G02"]


async def test_decline_reject_and_withdraw_each_end_a_request_cs8_en_8_3_5(site):
    put(site, "G01", TOMORROW, "early")
    actor = site.actor("G01")
    entry = RosterEntry.get().id
    declined = roster.request_cover(actor, entry, site.staff["G02"].id).id
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G02")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, PinDialog), "the PIN")
        await type_pin_enter(pilot)
        await wait_until(
            pilot, lambda: SwapRequest.get_by_id(declined).state == "declined", "declined"
        )
        await pilot.press("f12")
        await pilot.pause()

        rejected = roster.request_needs_cover(actor, entry, "family").id
        await open_roster(pilot, "S01")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, PinDialog), "the PIN")
        await type_pin_enter(pilot)
        await wait_until(
            pilot, lambda: SwapRequest.get_by_id(rejected).state == "rejected", "rejected"
        )
        await pilot.press("f12")
        await pilot.pause()

        withdrawn = roster.request_needs_cover(actor, entry, "family").id
        await open_roster(pilot, "G01")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(
            pilot, lambda: SwapRequest.get_by_id(withdrawn).state == "withdrawn", "withdrawn"
        )
        assert "withdrawn" in screen_text(app)


async def test_a_fault_inside_a_flow_reaches_the_error_panel(
    site: Any, faults: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_assign(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("controller fault while assigning")

    monkeypatch.setattr(roster, "assign", broken_assign)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "S01")
        await pilot.press("down", "a")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog), "the people")
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: type(app.screen).__name__ == "ErrorPanel", "the error panel"
        )
        assert "Traceback" not in screen_text(app)
    assert "controller fault while assigning" in faults.read_text(encoding="utf-8")
    assert RosterEntry.select().count() == 0
