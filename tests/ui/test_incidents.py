"""F4 incidents driven with keys only (docs/keys.md), checked in the database.

SE-4 (fields, linked duty-log entry), CS6 (a major incident needs a reached
leader-level notification; its written report is due by the end of the next
day and overdue after), CS-R3 (the delay to the first report is shown).
"""

from __future__ import annotations

from typing import Any

import arrow

from dutydesk.domain import incidents
from dutydesk.models import DutyLogEntry, Incident, IncidentReport, Notification
from tests.helpers.incidents import choose
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

NEVER = 10**9  # no idle lock while the FixedClock jumps days ahead


async def open_incidents(pilot: Any, staff_no: str = "G01") -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f4")
    await pilot.pause()


async def fill_fire_alarm(pilot: Any, *, major: bool) -> None:
    """n, what happened, nature, place, time set back to 09:50, (severity major)."""
    await pilot.press("n")
    await pilot.pause()
    await type_text(pilot, "Smoke detector went off")  # the cursor starts in "what happened"
    await pilot.press("shift+tab")
    await choose(pilot, "Fire alarm")
    await pilot.press("shift+tab")
    await type_text(pilot, "B2 car park")
    await pilot.press("shift+tab", "home", "ctrl+k")
    await type_text(pilot, "09:50")
    if major:
        # place, nature, what happened, number of people, who was involved,
        # characteristics, actions, result, status
        await pilot.press(*["tab"] * 10)
        await choose(pilot, "Maj")


async def test_done_when_g01_files_major_fire_alarm_with_keys_alone_cs6(site):
    """The issue's Done-when: filed with keys, listed, due next day, overdue after,
    shown on F2, found on F8 by 火警 and by "alarm"."""
    app = make_app(site, lock_after=NEVER)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await fill_fire_alarm(pilot, major=True)
        await pilot.press("ctrl+o")  # who was told: the contact list is offered
        await pilot.pause()
        await choose(pilot, "Supervisor")  # the site's supervisor S01, from the contacts
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "Supervisor Sun" in text or "Supervisor" in text
        assert "First report 10 min after it happened" in text  # CS-R3
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "B2 c" in text and "Major" in text  # the place, cut: what happened takes the room
        assert "due 12-02" in text  # the report is due by the end of that day (CS6)

        inc = Incident.get()
        s01 = site.staff["S01"]
        assert inc.author_id == site.staff["G01"].id and inc.desk_id == site.security.id
        assert inc.occurred_at == site.clock.now().replace(hour=9, minute=50)
        assert inc.created_at == site.clock.now()
        assert (inc.category, inc.subcategory, inc.severity) == ("fire", "fire.alarm", "major")
        info = incidents.get_incident(inc.id)
        assert info.report_due_at == arrow.get("2026-12-02T23:59:59.999+08:00")
        note = Notification.get()
        assert (note.role, note.name, note.reached) == ("supervisor", s01.name, True)
        entry = DutyLogEntry.get(DutyLogEntry.ref_type == "incident")
        assert entry.ref_id == inc.id and entry.author_id == site.staff["G01"].id

        site.clock.advance(minutes=38 * 60 + 2)  # 2026-12-03 00:02: past the due time
        await pilot.press("f2")
        await pilot.pause()
        assert "due 12-02 23:59" in screen_text(app)  # the shift screen's overdue panel
        await pilot.press("f4")
        await pilot.pause()
        assert "OVERDUE" in screen_text(app)
        assert incidents.get_incident(inc.id).report_overdue(site.clock.now())

        await pilot.press("f8")
        await pilot.pause()
        for query in ("火警", "alarm"):
            await pilot.press("slash")
            await pilot.press("home", "ctrl+k")
            await type_text(pilot, query)
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert "1 found" in text and query in text.lower(), query  # the match shows
        await pilot.press("enter")  # opens the incident
        await pilot.pause()
        assert "Smoke detector went off" in screen_text(app)


async def test_major_without_reached_leader_refused_on_screen_cs6(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await fill_fire_alarm(pilot, major=True)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "A major incident must be reported at once" in screen_text(app)
    assert Incident.select().count() == 0


async def test_required_field_message_beside_field_in_chinese(site):
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        place_error = str(app.screen.query_one("#error-place").render())
        nature_error = str(app.screen.query_one("#error-category").render())
        assert place_error == "请填写地点", place_error
        assert nature_error == "请选择事件性质", nature_error
        assert app.screen.focused.id == "field-place"  # the cursor goes to the first problem
    assert Incident.select().count() == 0


async def test_draft_with_notification_survives_lock(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Gate 3")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await choose(pilot, "Shift leader")
        await pilot.press("tab")
        await type_text(pilot, "Leader Li")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f12")  # lock: the draft is kept
        await pilot.pause()
        await open_incidents(pilot)
        assert "draft kept: press n" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert "Gate 3" in text and "Leader Li" in text and "draft was restored" in text


async def test_detail_handle_resolve_and_signed_report_cs6_en_8_6_2(site):
    actor = site.actor("G01")
    inc = incidents.create_incident(
        actor,
        incidents.IncidentFields(
            place="Lobby", category="fire", description="Smoke [red]x[/red]", severity="major"
        ),
        [incidents.NotificationFields(role="leader", name="L01")],
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Smoke [red]x[/red]" in screen_text(app)  # user text is never markup
        await pilot.press("h")
        await pilot.pause()
        assert incidents.get_incident(inc.id).being_handled
        assert incidents.incidents_being_handled(site.security.id)  # blocks the handover
        await pilot.press("r", "enter")  # no result: refused with the domain's message
        await pilot.pause()
        assert "Enter the result before closing the incident" in screen_text(app)
        await type_text(pilot, "Detector cleaned")
        await pilot.press("enter")
        await pilot.pause()
        done = incidents.get_incident(inc.id)
        assert done.status == "resolved" and done.closed_by_id == site.staff["G01"].id
        text = screen_text(app)
        assert "Status history" in text
        await pilot.press("w")
        await pilot.pause()
        assert "Incident report" in screen_text(app)  # drafted from the fields
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert "filed" in screen_text(app)
    report = IncidentReport.get()
    assert report.author_id == site.staff["G01"].id and "Lobby" in report.text
    assert incidents.verify_report(report.id)
    assert incidents.overdue_reports(site.clock.now().shift(days=5)) == []
