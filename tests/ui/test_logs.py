"""F6 logs driven with keys only (KEYMAP and the footer), checked in the database."""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.app import DutyDeskApp
from dutydesk.domain import logs
from dutydesk.models import DutyLogEntry, KeyLoan, PhoneCall, SwitchingOperation, Visitor
from tests.conftest import PIN
from tests.ui.conftest import SIZE, login, make_app, screen_text, type_text

# The same screens on both engines (a smoke test of the kiosk on a PostgreSQL site server).
pytestmark = pytest.mark.both_backends


async def open_logs(pilot: Any, staff_no: str = "G01") -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f6")
    await pilot.pause()


async def test_duty_entry_n_type_ctrl_s_cs3(site):
    """n, type, Tab, type, Ctrl+S: stored with the logged-in person, the desk and the time."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await pilot.press("n")
        await type_text(pilot, "Gate 2 checked")
        await pilot.press("tab")
        await type_text(pilot, "all locked")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Gate 2 checked" in screen_text(app)
    row = DutyLogEntry.get()
    assert (row.kind, row.text, row.result) == ("duty", "Gate 2 checked", "all locked")
    assert row.author_id == site.staff["G01"].id and row.desk_id == site.security.id
    assert row.occurred_at == site.clock.now() and row.created_at == site.clock.now()


async def test_phone_call_with_keys_alone_cs5_2_6(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await pilot.press("2", "n")
        await type_text(pilot, "Lift stuck")  # the cursor starts in the content
        await pilot.press("shift+tab")
        await type_text(pilot, "13800")
        await pilot.press("shift+tab")
        await type_text(pilot, "Ms Zhou")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Lift stuck" in screen_text(app)
    row = PhoneCall.get()
    assert (row.caller, row.number, row.content) == ("Ms Zhou", "13800", "Lift stuck")
    assert row.author_id == site.staff["G01"].id and row.call_at == site.clock.now()


async def test_visitor_signed_in_and_out_with_keys_sg2_sg4(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await pilot.press("3", "n")
        await type_text(pilot, "Mr Li")
        await pilot.press("tab")
        await type_text(pilot, "Gas Co")
        await pilot.press("tab")
        await type_text(pilot, "meter")
        await pilot.press("tab", "space")  # entered the guard room (SG-4)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Sign out" in screen_text(app)  # the footer offers it for the open visitor
        site.clock.advance(minutes=25)
        await pilot.press("o")
        await pilot.pause()
        assert "Sign out" not in screen_text(app)
    v = Visitor.get()
    assert (v.name, v.organisation, v.purpose, v.entered_room) == ("Mr Li", "Gas Co", "meter", True)
    assert v.time_in == site.clock.now().shift(minutes=-25)
    assert v.time_out == site.clock.now()


async def test_key_lent_and_returned_with_keys(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await pilot.press("6", "n")
        await type_text(pilot, "Roof")
        await pilot.press("tab")
        await type_text(pilot, "Mr Wu")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [k.values["key_name"] for k in logs.keys_out(site.security.id)] == ["Roof"]
        await pilot.press("o")
        await pilot.pause()
    loan = KeyLoan.get()
    assert loan.back_at == site.clock.now() and loan.returned_to_id == site.staff["G01"].id
    assert logs.keys_out(site.security.id) == []


async def test_switching_operation_only_at_engineering_desk_en_8_6_2(site):
    app = DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=180
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot, "E01")
        assert "7 Switching" in screen_text(app)
        await pilot.press("7", "n")
        await type_text(pilot, "Transformer 2 off")
        await pilot.press("ctrl+s")  # the operator is prefilled: this person
        await pilot.pause()
        assert len(logs.running_operations(site.engineering.id)) == 1
        site.clock.advance(minutes=10)
        await pilot.press("o")
        await pilot.pause()
    op = SwitchingOperation.get()
    assert op.operator == "Engineer Qian" and op.finished_at == site.clock.now()
    assert logs.running_operations(site.engineering.id) == []
    security = make_app(site)
    async with security.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        assert "Switching" not in screen_text(security)


async def test_correction_entry_keeps_the_original_cs3(site):
    original = logs.add(
        site.actor("G02"), "duty", {"occurred_at": site.clock.now(), "text": "Gate 3 open"}
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await pilot.press("enter")  # open the row read-only
        await pilot.pause()
        assert "Gate 3 open" in screen_text(app) and "Correct" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "wrong gate")
        await pilot.press("enter")
        await pilot.pause()
        # The correction form is prefilled with the original; the cursor is in its text.
        await pilot.press("end")
        await type_text(pilot, " (gate 2)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "corrected" in text and f"correction of #{original.id}" in text
    fixed = DutyLogEntry.get(DutyLogEntry.corrects == original.id)
    assert fixed.text == "Gate 3 open (gate 2)" and fixed.correction_reason == "wrong gate"
    assert fixed.author_id == site.staff["G01"].id
    assert DutyLogEntry.get_by_id(original.id).text == "Gate 3 open"


async def test_pages_load_from_the_database_with_pgdn_pgup(site):
    start = site.clock.now().shift(days=-2)
    for i in range(60):
        logs.add(
            site.actor("G02"),
            "duty",
            {"occurred_at": start.shift(minutes=i), "text": f"entry-{i:02d}"},
        )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        first = screen_text(app)
        assert "entry-59" in first and "entry-30" not in first
        await pilot.press("pagedown")
        await pilot.pause()
        second = screen_text(app)
        assert "entry-59" not in second and "page 2" in second
        await pilot.press("pageup")
        await pilot.pause()
        assert "entry-59" in screen_text(app)


async def test_filter_by_day_with_slash(site):
    logs.add(
        site.actor("G02"),
        "duty",
        {"occurred_at": site.clock.now().shift(days=-3), "text": "old one"},
    )
    logs.add(site.actor("G02"), "duty", {"occurred_at": site.clock.now(), "text": "new one"})
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        assert "old one" in screen_text(app)
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "2026-11-28")
        await pilot.press("tab")
        await type_text(pilot, "2026-11-28")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "old one" in text and "new one" not in text
