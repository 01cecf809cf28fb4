"""F2, the home screen: carried-over items first (CS-R2), relief overdue (CS-R4),
opening a shift without handover, and literal user text on screen.
"""

from __future__ import annotations

import pytest

from dutydesk.domain import shifts
from dutydesk.domain.staff import add_staff
from dutydesk.models import AuditEvent, DutyLogEntry, Handover, HandoverItem, Shift, Staff
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

HOSTILE = [
    "[bold]loud[/bold]",
    "[link=https://x]a[/link]",
    "[/]",
    "esc \x1b[31mred\x1b[0m \x07bell",
    "emoji 🚒🔥 混合 Chinese",
]


async def test_carried_over_items_come_first(site):
    """CS-R2: unresolved items the handover carried over are shown before anything else."""
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    handover = Handover.create(
        desk=site.security.id,
        incoming_shift=shift.id,
        started_by=site.staff["G02"].id,
        started_at=site.clock.now(),
    )
    HandoverItem.create(
        handover=handover,
        kind="note",
        text="Gate 3 lock broken",
        carried_over=True,
        reason="locksmith comes tomorrow",
    )
    HandoverItem.create(
        handover=handover,
        kind="note",
        text="Already fixed",
        carried_over=True,
        resolved_at=site.clock.now(),
    )
    Handover.update(state="signed", signed_at=site.clock.now()).execute()
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        text = screen_text(app)
        assert "Gate 3 lock broken" in text
        assert "Already fixed" not in text
        assert text.index("Carried over") < text.index("People")


async def test_relief_overdue_warning_logged_once(site):
    """CS-R4: after the planned end without a signed handover a standing warning, logged once."""
    shifts.open_without_handover(site.actor("G01"), "first shift")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        assert "Relief overdue" not in screen_text(app)
        site.clock.set("2026-12-01 16:05")
        app._idle_tick()
        await pilot.pause()
        assert "Relief overdue" in screen_text(app)
        site.clock.advance(minutes=1)
        app._idle_tick()
        await pilot.pause()
        await pilot.press("f10")  # acknowledging alerts does not clear a standing warning
        await pilot.pause()
        assert "Relief overdue" in screen_text(app)
    assert AuditEvent.select().where(AuditEvent.action == "shift.relief_overdue").count() == 1
    assert Shift.get().state == "open"  # the shift never closes by itself


async def test_open_shift_without_handover_with_a_reason(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        assert "not opened yet" in screen_text(app)
        await pilot.press("o")
        await type_text(pilot, "first day")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "not opened yet" not in text
        assert "07:30–16:00" in text  # the open shift, in the site's time zone
    shift = Shift.get()
    assert shift.open_reason == "first day" and shift.opened_by_id == site.staff["G01"].id


@pytest.mark.parametrize("hostile", [*HOSTILE, "x" * 10_000])
async def test_user_text_is_shown_literally(site, hostile):
    """Duty-log text and a staff name with markup, ESC codes, emoji, 10,000 chars."""
    person = add_staff(
        site.actor("S01"),
        staff_no="G09",
        name="Guard Nine",
        role="guard",
        pin=PIN,
        must_change_pin=False,
    )
    # add_staff refuses such a name now (domain/bounds.py); a row written before that
    # (or by another tool) must still be shown literally.
    Staff.update(name=hostile[:200]).where(Staff.id == person.id).execute()
    DutyLogEntry.create(
        desk=site.security.id,
        author=person.id,
        created_at=site.clock.now(),
        occurred_at=site.clock.now(),
        text=hostile,
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G09", PIN)
        assert type(app.screen).__name__ == "ShiftScreen"
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        visible = hostile.replace("\x1b", "␛").replace("\x07", "␇")
        assert visible[:20] in text
    if "[" in hostile and "\x1b" not in hostile:
        assert hostile[:12] in text  # brackets are not eaten as markup


async def test_open_incidents_use_the_incident_list_words_in_chinese(site):
    """F2 names an incident's status as F4 does (待处理 / 处理中), not the shift's 进行中."""
    from dutydesk.domain import incidents

    shifts.open_without_handover(site.actor("G01"), "first shift")
    fields = {
        "place": "北门",
        "category": "dispute",
        "description": "两名业主争执",
        "status": "open",
        "severity": "normal",
    }
    incidents.create_incident(site.actor("G01"), fields)
    incidents.create_incident(site.actor("G01"), {**fields, "status": "handling"})
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        text = screen_text(app)
        assert "待处理 北门" in text and "处理中 北门" in text
