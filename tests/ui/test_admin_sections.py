"""F9 sections 2–7: a supervisor edits checkpoints, holidays, shift
staffing and contacts with keys only; a guard cannot reach them (CS8, CS9).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.domain import holidays as holiday_rules
from dutydesk.domain import roster as roster_rules
from dutydesk.domain.checkpoints import list_checkpoints
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent, Contact
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


def desk_app(site: Any, desk: Any) -> DutyDeskApp:
    set_language("en")
    return DutyDeskApp(clock=site.clock, desk_code=desk.code, cli_lang="en", lock_after=180)


async def choose(pilot: Any, text: str) -> None:
    """On a focused Select: open it, type to find the option, Enter."""
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def open_section(pilot: Any, number: str) -> None:
    await pilot.press("f9")
    await pilot.pause()
    await pilot.press(number)
    await pilot.pause()


def staffing(site: Any, code: str) -> tuple[int, int]:
    for t in roster_rules.ShiftCalendar().active_templates(site.security.id):
        if t.code == code:
            return t.required_staff, t.holiday_required_staff
    raise AssertionError(code)


async def test_supervisor_adds_a_reading_checkpoint_at_the_engineering_desk(site):
    """EN-8.3.3: a reading with its unit and normal range."""
    app = desk_app(site, site.engineering)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await open_section(pilot, "2")
        assert type(app.screen).__name__ == "CheckpointsSection"
        assert "Checkpoints" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "P1")  # the cursor starts in the code
        await pilot.press("tab")
        await type_text(pilot, "Water pressure")
        await pilot.press("tab", "tab")
        await type_text(pilot, "B1 pump room")
        await pilot.press("tab", "tab")  # order in the round → kind
        await choose(pilot, "read")
        await pilot.press("tab", "tab", "tab")  # expected state, at → unit
        await type_text(pilot, "MPa")
        await pilot.press("tab")
        await type_text(pilot, "0.2")
        await pilot.press("tab")
        await type_text(pilot, "0.6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckpointsSection"
        assert "P1" in screen_text(app) and "Water pressure" in screen_text(app)
    [cp] = [c for c in list_checkpoints(site.engineering.id) if c.code == "P1"]
    assert (cp.kind, cp.unit, cp.range_min, cp.range_max) == ("reading", "MPa", 0.2, 0.6)
    assert cp.area == "B1 pump room" and cp.active
    assert list_checkpoints(site.security.id) == [] or all(
        c.code != "P1" for c in list_checkpoints(site.security.id)
    )
    assert AuditEvent.select().where(AuditEvent.action == "checkpoint.create").count() == 1


async def test_bad_range_is_shown_beside_the_field_and_nothing_is_saved(site):
    app = desk_app(site, site.engineering)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await open_section(pilot, "2")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "P2")
        await pilot.press("tab")
        await type_text(pilot, "Tank level")
        await pilot.press("tab", "tab", "tab", "tab")
        await choose(pilot, "read")
        await pilot.press("tab", "tab", "tab", "tab")
        await type_text(pilot, "abc")  # range minimum: not a number
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SectionForm"
        assert "Type a number" in screen_text(app)
    assert all(c.code != "P2" for c in list_checkpoints(site.engineering.id, True))


async def test_supervisor_adds_a_holiday_and_sets_holiday_staffing(site):
    """CS9: the holiday calendar and the early shift's holiday number."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await open_section(pilot, "6")
        assert type(app.screen).__name__ == "HolidaysSection"
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "2027-01-01")
        await pilot.press("tab")
        await type_text(pilot, "New Year")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "New Year" in screen_text(app) and "2027-01-01" in screen_text(app)
        # Digits switch section: 7 is the desk's shift staffing; early is the first row.
        await pilot.press("7")
        await pilot.pause()
        assert type(app.screen).__name__ == "StaffingSection"
        assert "Early" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SectionForm"
        await pilot.press("tab", "end", "backspace", "backspace", "backspace")
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "StaffingSection"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "AdminScreen"
    assert holiday_rules.holiday_name(dt.date(2027, 1, 1)) == "New Year"
    required, holiday = staffing(site, "early")
    assert holiday == 2 and required == 1
    actions = {e.action for e in AuditEvent.select()}
    assert {"holiday.add", "shift_template.staffing"} <= actions


async def test_supervisor_adds_a_contact(site):
    """The site's contact list, offered when who was told of an incident is recorded (CS6)."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await open_section(pilot, "5")
        assert type(app.screen).__name__ == "ContactsSection"
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "Duty")
        await pilot.press("tab")
        await type_text(pilot, "Manager Ma")
        await pilot.press("tab")
        await type_text(pilot, "138 0000 1234")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactsSection"
        assert "Manager Ma" in screen_text(app)
    row = Contact.get(Contact.name == "Manager Ma")
    assert (row.role, row.phone) == ("duty_manager", "138 0000 1234")


async def test_guard_cannot_reach_the_sections(site):
    """CS8: only a supervisor edits checkpoints, holidays, staffing, contacts."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f9")
        await pilot.pause()
        for key in "234567":
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == "AdminScreen"
            await pilot.press("n")
        assert "for supervisors" in screen_text(app)
    assert Contact.select().where(Contact.name == "").count() == 0
    assert (
        not AuditEvent.select()
        .where(AuditEvent.action.in_(["checkpoint.create", "holiday.add", "contact.create"]))
        .exists()
    )


async def test_d_removes_a_holiday_and_deactivates_a_checkpoint(site):
    """d asks first; holidays are removed, checkpoints only deactivated (past checks)."""
    from dutydesk.domain import checkpoints as cp_rules

    boss = site.actor("S01")
    holiday_rules.add_holiday(boss, dt.date(2027, 2, 17), "Spring Festival")
    cp_rules.add_checkpoint(
        boss, site.security.id, cp_rules.CheckpointSpec("GATE", "Main gate", "condition")
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        await open_section(pilot, "6")
        assert "d remove" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Spring Festival" not in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckpointsSection"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "inactive" in screen_text(app)
    assert holiday_rules.holiday_name(dt.date(2027, 2, 17)) is None
    [cp] = cp_rules.list_checkpoints(site.security.id, include_inactive=True)
    assert cp.code == "GATE" and not cp.active
