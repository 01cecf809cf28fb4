"""F5, the two-party handover, driven with keys only (pilot.press) on a real database.

G01 is on the early shift (07:30–16:00, opened without handover), G02 rostered on
the next one; the FixedClock stands at 15:30, inside the handover window.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.db import write
from dutydesk.domain import handover, incidents, roster, shifts, verify
from dutydesk.domain.incidents import IncidentFields
from dutydesk.models import Handover, KeyLoan, RepairRequest, Shift, Signature
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

# The same screens on both engines (a smoke test of the kiosk on a PostgreSQL site server).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def end_of_shift(site: Any) -> Any:
    """G01's early shift open, G02 on the roster of the next one, 15:30."""
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    nxt = shifts.planned_next(site.security.id, site.clock.now())
    roster.assign(
        site.actor("S01"),
        site.security.id,
        nxt.template_id,
        nxt.business_date,
        site.staff["G02"].id,
    )
    site.clock.set("2026-12-01 15:30")
    return site


def _open_records(site: Any) -> None:
    """A key lent out and a repair request still open: items the incoming acknowledges."""
    shift = shifts.open_shift_of(site.security.id)
    with write():
        KeyLoan.create(
            desk=site.security.id,
            shift=shift.id,
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            key_name="Boiler room",
            borrower="Plumber Liu",
            out_at=site.clock.now(),
        )
        RepairRequest.create(
            desk=site.security.id,
            shift=shift.id,
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            received_at=site.clock.now(),
            place="Block 3",
            problem="Lift stuck",
            status="open",
        )


def _incident(site: Any, status: str = "handling") -> int:
    info = incidents.create_incident(
        site.actor("G01"),
        IncidentFields(
            place="Gate 2",
            category="fire",
            subcategory="fire.alarm",
            description="Smoke alarm",
            status=status,
        ),
    )
    return info.id


async def _press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


async def _walk_to_sign(pilot: Any, app: Any, incoming: str = "G02") -> None:
    """Incoming identifies, checklist all yes, each item acknowledged, read-back typed."""
    await _press(pilot, "i")
    await type_text(pilot, incoming)
    await _press(pilot, "enter")
    await type_text(pilot, PIN)
    await _press(pilot, "enter")
    for _ in handover.CHECK_KEYS:
        await _press(pilot, "y")
    v = app.screen.v
    for _ in v.open_to_acknowledge:
        await _press(pilot, "space")
    count = app.screen.v.carry_count
    await _press(pilot, "c")
    await type_text(pilot, str(count))
    await _press(pilot, "enter")


async def _type_sign(pilot: Any, out: str, out_pin: str, inc: str, inc_pin: str) -> None:
    await _press(pilot, "s")
    for value in (out, out_pin, inc, inc_pin):
        await type_text(pilot, value)
        await _press(pilot, "enter")


async def test_whole_handover_with_keys_only(end_of_shift: Any) -> None:
    """The whole handover, keys only: blocked by an incident being handled (EN-8.6.2), resolved,
    G02 identifies, checklist, item by item (EN-8.5.2), read-back, both sign."""
    site = end_of_shift
    _open_records(site)
    incident_id = _incident(site, "handling")
    site.clock.advance(minutes=1)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5")
        assert "Press s to start the handover" in screen_text(app)
        await _press(pilot, "s")
        text = screen_text(app)
        assert "Signing is blocked" in text
        assert "EN-8.6.2" in text and "Incident being handled: Gate 2" in text
        # The repair has no reason yet (CS-R6) and is a blocker too.
        assert "CS-R6" in text
        await _press(pilot, "i")  # identifying is refused while blocked
        assert type(app.screen).__name__ == "HandoverScreen"
        # The outgoing types the reason on the blocker row (e).
        while "CS-R6" in screen_text(app).split("Items the incoming")[0]:
            focused = app.screen.focused
            if focused.blocker is not None and focused.blocker.rule == "CS-R6":
                await _press(pilot, "e")
                await type_text(pilot, "Lift company comes at 9")
                await _press(pilot, "enter")
            else:
                await _press(pilot, "down")
        # The incident ends (F4 is another screen): resolved through the domain.
        incidents.resolve(site.actor("G01"), incident_id, "Parties separated")
        await _press(pilot, "u")
        text = screen_text(app)
        assert "Signing is blocked" not in text
        assert "The incoming person identifies" in text
        await _press(pilot, "s")  # no signing before the steps are done
        assert type(app.screen).__name__ == "HandoverScreen"

        await _press(pilot, "i")
        await type_text(pilot, "G02")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter")
        assert "question 1 of 5 (EN-8.4.1)" in screen_text(app)
        for _ in range(4):
            await _press(pilot, "y")
        # A "no" asks what is wrong and becomes a carried-over item.
        await _press(pilot, "n")
        await type_text(pilot, "Pump 2 noisy")
        await _press(pilot, "enter")
        text = screen_text(app)
        assert "Acknowledge each item (2 left)" in text
        # One key per item: each press acknowledges only the selected one.
        await _press(pilot, "a")
        assert "Acknowledge each item (1 left)" in screen_text(app)
        await _press(pilot, "enter")
        assert "Step 6 · Read back" in screen_text(app)
        carry = app.screen.v.carry_count
        assert carry == 3  # key, repair, the checklist "no"
        await _press(pilot, "c")
        await type_text(pilot, str(carry))
        await _press(pilot, "enter")
        assert "Step 7 · Both sign" in screen_text(app)
        await _type_sign(pilot, "G01", PIN, "G02", PIN)
        text = screen_text(app)
        assert "Handover signed" in text
        hid = Handover.get().id
        v = handover.view(hid, site.clock.now())
        assert v.chain_head and v.chain_head in text
        assert app.staff.staff_no == "G02"  # the incoming is now at the keyboard
        await _press(pilot, "enter")
        text = screen_text(app)
        assert type(app.screen).__name__ == "ShiftScreen"
        assert "Pump 2 noisy" in text and "Boiler room" in text
        assert text.index("Carried over") < text.index("People")
    h = Handover.get()
    assert h.state == "signed"
    signers = [(s.staff_no, s.meaning) for s in Signature.select().order_by(Signature.id)]
    assert signers == [("G01", handover.MEANING_OUT), ("G02", handover.MEANING_IN)]
    old, new = Shift.get_by_id(h.outgoing_shift_id), Shift.get_by_id(h.incoming_shift_id)
    assert old.state == "closed" and new.state == "open"
    assert new.opened_by_id == site.staff["G02"].id
    assert verify.verify().ok


async def test_same_person_on_both_sides_is_refused(end_of_shift: Any) -> None:
    """EN-8.5.1: the incoming must be a different person (message on screen)."""
    site = end_of_shift
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s", "i")
        await type_text(pilot, "G01")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter")
        text = screen_text(app)
        assert "must be a different person from the outgoing" in text
        assert "(EN-8.5.1)" in text
    assert Handover.get().incoming_staff_id is None


async def test_wrong_pin_at_signing_is_refused(end_of_shift: Any) -> None:
    """Each signer re-enters the PIN at signing; a wrong one signs nothing."""
    site = end_of_shift
    _open_records(site)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s")
        await _press(pilot, "e")  # the repair's reason (CS-R6), on the focused blocker
        await type_text(pilot, "Parts on order")
        await _press(pilot, "enter")
        await _walk_to_sign(pilot, app)
        assert "Step 7 · Both sign" in screen_text(app)
        await _type_sign(pilot, "G01", PIN, "G02", "9999")
        text = screen_text(app)
        assert "Incoming: Wrong staff number or PIN" in text
        assert app.staff.staff_no == "G01"
    assert Handover.get().state == "draft" and not Signature.select().exists()
    assert Shift.get().state == "open"


async def test_wrong_read_back_is_refused(end_of_shift: Any) -> None:
    """EN-8.5.2: the incoming types how many items are carried over; a wrong count
    keeps the read-back step."""
    site = end_of_shift
    _open_records(site)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s", "e")
        await type_text(pilot, "Parts on order")
        await _press(pilot, "enter", "i")
        await type_text(pilot, "G02")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter", "y", "y", "y", "y", "y", "a", "a")
        assert "Step 6 · Read back" in screen_text(app)
        await _press(pilot, "c", "7", "enter")
        assert "not the number of items carried over" in screen_text(app)
        await _press(pilot, "escape")
        assert "Step 6 · Read back" in screen_text(app)
    assert Handover.get().read_back is None


async def test_refusal_with_reason_keeps_the_outgoing_on_duty(end_of_shift: Any) -> None:
    """EN-8.6.1: the incoming may refuse, with a reason; the outgoing's shift stays open."""
    site = end_of_shift
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s", "i")
        await type_text(pilot, "G02")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter", "r")
        await type_text(pilot, "Radio 3 missing")
        await _press(pilot, "enter")
        text = screen_text(app)
        assert "G02 Guard Zhao refused to take over (EN-8.6.1)" in text
        assert "Radio 3 missing" in text and "G01 Guard Wang stays on duty" in text
        assert app.staff.staff_no == "G01"
    h = Handover.get()
    assert h.state == "refused" and h.end_reason == "Radio 3 missing"
    assert Shift.get().state == "open" and Shift.select().count() == 1


async def test_incident_during_handover_aborts_it(end_of_shift: Any) -> None:
    """EN-8.6.3: an incident opened while the handover runs stops it; shown with how to
    start again."""
    site = end_of_shift
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s")
        site.clock.advance(minutes=2)
        incident_id = _incident(site, "open")
        await _press(pilot, "i")
        await type_text(pilot, "G02")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter")
        text = screen_text(app)
        assert "The handover was stopped" in text
        assert f"incident {incident_id} was opened during the handover (EN-8.6.3)" in text
        assert "Press s to start it again" in text
        await _press(pilot, "s")  # started again: the open incident now needs a reason
        text = screen_text(app)
        assert "Signing is blocked" in text and "CS-R6" in text
    states = [h.state for h in Handover.select().order_by(Handover.id)]
    assert states == ["aborted", "draft"]


async def test_early_start_asks_for_a_reason_and_notes_are_saved(end_of_shift: Any) -> None:
    """Before the window (60 min before the end) starting needs a reason; the outgoing's
    notes (EN-8.5.3) are typed in a text area and saved with Ctrl+S."""
    site = end_of_shift
    site.clock.set("2026-12-01 13:00")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5")
        assert "The handover opens at 15:00" in screen_text(app)
        await _press(pilot, "s")
        assert "say why you hand over early" in screen_text(app)
        await type_text(pilot, "Fell ill")
        await _press(pilot, "enter")
        assert "early: Fell ill" in screen_text(app)
        await _press(pilot, "t")
        await type_text(pilot, "Gate 2 lamp flickers [b]")
        await _press(pilot, "ctrl+s")
        assert "Gate 2 lamp flickers [b]" in screen_text(app)
    h = Handover.get()
    assert h.early_reason == "Fell ill" and h.notes == "Gate 2 lamp flickers [b]"
