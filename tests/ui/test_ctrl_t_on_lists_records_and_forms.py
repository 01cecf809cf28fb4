"""Ctrl+T switches the whole screen at once (docs/keys.md, "Language"): the F6
lists (bars, headers, cells), an incident's page with its banner, and the new
incident form's labels; and an error under a form field goes once the field changes."""

from __future__ import annotations

from typing import Any

from dutydesk.domain import incidents, logs
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until


def _name(app: Any) -> str:
    return type(app.screen).__name__


async def test_ctrl_t_translates_the_f6_list(site):
    logs.add(site.actor("G02"), "duty", {"occurred_at": site.clock.now(), "text": "Gate 3 ok"})
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "What happened" in screen_text(app), "F6")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "What happened" not in screen_text(app), "Ctrl+T")
        text = screen_text(app)
        assert "Duty log" not in text and "Phone" not in text
        assert "Gate 3 ok" in text


async def test_ctrl_t_translates_an_incident_page_and_the_new_incident_form(site):
    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2", category="fire", subcategory="fire.alarm", description="Smoke"
        ),
    )
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Smoke" in screen_text(app), "F4")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Occurred at:" in screen_text(app), "the incident")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Occurred at:" not in screen_text(app), "Ctrl+T")
        assert "Incident 1" not in screen_text(app) and "Smoke" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: _name(app) == "IncidentsScreen", "the list")
        await pilot.press("ctrl+t")  # English again
        await pilot.press("n")
        await wait_until(pilot, lambda: "New incident" in screen_text(app), "the form")
        assert "Place" in screen_text(app)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "New incident" not in screen_text(app), "Ctrl+T")
        assert "Place" not in screen_text(app)


async def test_an_error_under_a_field_goes_once_the_field_changes(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f4")
        await wait_until(pilot, lambda: _name(app) == "IncidentsScreen", "F4")
        await pilot.press("n")
        await wait_until(pilot, lambda: "New incident" in screen_text(app), "the form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Choose the nature" in screen_text(app), "the errors")
        assert app.screen.focused.id == "field-place"
        await type_text(pilot, "Gate 2")
        await wait_until(
            pilot, lambda: app.screen.query_one("#error-place").has_class("-empty"), "cleared"
        )
        assert "Choose the nature" in screen_text(app)  # the other field's error stays
