"""F6 logs driven with keys only (docs/keys.md and the key bar), checked in the database."""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.app import DutyDeskApp
from dutydesk.domain import logs
from dutydesk.models import DutyLogEntry, KeyLoan, PhoneCall, SwitchingOperation, Visitor
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until

# Each key whose outcome the next step needs is followed by a wait for that outcome
# (wait_until), not a bare pause: Pilot's pause can return while a slow disk still
# holds back the messages the key caused (a sign-out once found its key unprocessed).


def _on(app: Any, screen: str) -> bool:
    """Is ``screen`` shown, mounted, with the focus inside it?"""
    current = app.screen
    return (
        type(current).__name__ == screen
        and current.is_mounted
        and app.focused is not None
        and app.focused.screen is current
    )


# The same screens on both engines (a smoke test of the kiosk on a PostgreSQL site server).
pytestmark = pytest.mark.both_backends


async def open_logs(pilot: Any, staff_no: str = "G01") -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f6")
    await wait_until(pilot, lambda: _on(pilot.app, "LogsScreen"), "the logs screen")
    await wait_until(pilot, lambda: "page 1" in screen_text(pilot.app), "the list loaded")


async def new_entry(pilot: Any, *keys: str) -> None:
    """Press ``keys`` (a kind and n) and wait for the new-entry form to take the keys."""
    await pilot.press(*keys)
    await wait_until(pilot, lambda: _on(pilot.app, "FormScreen"), "the new-entry form")


async def save(pilot: Any, saved: Any) -> None:
    """Ctrl+S, then wait until the entry is stored and the list is shown again."""
    await pilot.press("ctrl+s")
    await wait_until(pilot, saved, "the entry saved")
    await wait_until(pilot, lambda: _on(pilot.app, "LogsScreen"), "the list again")


async def test_duty_entry_n_type_ctrl_s_cs3(site):
    """n, type, Tab, type, Ctrl+S: stored with the logged-in person, the desk and the time."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await new_entry(pilot, "n")
        await type_text(pilot, "Gate 2 checked")
        await pilot.press("tab")
        await type_text(pilot, "all locked")
        await save(pilot, lambda: "Gate 2 checked" in screen_text(app))
    row = DutyLogEntry.get()
    assert (row.kind, row.text, row.result) == ("duty", "Gate 2 checked", "all locked")
    assert row.author_id == site.staff["G01"].id and row.desk_id == site.security.id
    assert row.occurred_at == site.clock.now() and row.created_at == site.clock.now()


async def test_phone_call_with_keys_alone_cs5_2_6(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await new_entry(pilot, "2", "n")
        await type_text(pilot, "Lift stuck")  # the cursor starts in the content
        await pilot.press("shift+tab")
        await type_text(pilot, "13800")
        await pilot.press("shift+tab")
        await type_text(pilot, "Ms Zhou")
        await save(pilot, lambda: "Lift stuck" in screen_text(app))
    row = PhoneCall.get()
    assert (row.caller, row.number, row.content) == ("Ms Zhou", "13800", "Lift stuck")
    assert row.author_id == site.staff["G01"].id and row.call_at == site.clock.now()


async def test_visitor_signed_in_and_out_with_keys_sg2_sg4(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await new_entry(pilot, "3", "n")
        await type_text(pilot, "Mr Li")
        await pilot.press("tab")
        await type_text(pilot, "Gas Co")
        await pilot.press("tab")
        await type_text(pilot, "meter")
        await pilot.press("tab", "space")  # entered the guard room (SG-4)
        # The footer offers Sign out for the open visitor once the list shows it.
        await save(pilot, lambda: "Sign out" in screen_text(app))
        site.clock.advance(minutes=25)
        await pilot.press("o")
        await wait_until(pilot, lambda: Visitor.get().time_out is not None, "the sign-out")
        await wait_until(pilot, lambda: "Sign out" not in screen_text(app), "the footer")
    v = Visitor.get()
    assert (v.name, v.organisation, v.purpose, v.entered_room) == ("Mr Li", "Gas Co", "meter", True)
    assert v.time_in == site.clock.now().shift(minutes=-25)
    assert v.time_out == site.clock.now()


async def test_key_lent_and_returned_with_keys(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_logs(pilot)
        await new_entry(pilot, "6", "n")
        await type_text(pilot, "Roof")
        await pilot.press("tab")
        await type_text(pilot, "Mr Wu")
        await save(pilot, lambda: "Roof" in screen_text(app))
        assert [k.values["key_name"] for k in logs.keys_out(site.security.id)] == ["Roof"]
        await pilot.press("o")
        await wait_until(pilot, lambda: KeyLoan.get().back_at is not None, "the key back")
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
        await new_entry(pilot, "7", "n")
        await type_text(pilot, "Transformer 2 off")
        # The operator is prefilled: this person.
        await save(pilot, lambda: "Transformer 2 off" in screen_text(app))
        assert len(logs.running_operations(site.engineering.id)) == 1
        site.clock.advance(minutes=10)
        await pilot.press("o")
        await wait_until(
            pilot, lambda: SwitchingOperation.get().finished_at is not None, "the finish"
        )
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
        await wait_until(pilot, lambda: _on(app, "EntryScreen"), "the entry")
        assert "Gate 3 open" in screen_text(app) and "Correct" in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: _on(app, "PromptDialog"), "the reason prompt")
        await type_text(pilot, "wrong gate")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _on(app, "FormScreen"), "the correction form")
        # The correction form is prefilled with the original; the cursor is in its text.
        await pilot.press("end")
        await type_text(pilot, " (gate 2)")
        await save(pilot, lambda: "corrected" in screen_text(app))
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
