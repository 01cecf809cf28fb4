"""A problem found on patrol becomes an incident (SE-4), keys only: x with a note, y to
the offer, and the incident form opens with the checkpoint and its place."""

from __future__ import annotations

from dutydesk.domain import shifts
from dutydesk.models import Checkpoint, Incident
from dutydesk.screens.incidents import IncidentForm
from dutydesk.screens.patrol import PatrolScreen
from tests.helpers.patrol import guard_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


async def test_problem_on_patrol_opens_the_incident_form_with_checkpoint_and_place(site):
    """A patrol problem becomes an incident (SE-4): x with a note, y to the offer, the form
    has the checkpoint's place and the note; Nature chosen, Ctrl+S saves it linked."""
    guard_route(site)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        await pilot.press("enter")  # start the 10:00 round
        await pilot.pause()
        await pilot.press("o")  # Main gate OK
        await pilot.pause()
        await pilot.press("x")  # Lobby doors: a problem
        await pilot.pause()
        await type_text(pilot, "glass cracked")
        await pilot.press("enter")
        await pilot.pause()
        assert "Open an incident at A / 1F / lobby" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IncidentForm)
        text = screen_text(app)
        assert "A / 1F / lobby" in text and "glass cracked" in text
        await pilot.press("ctrl+s")  # Nature is still to choose: refused beside the field
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        assert Incident.select().count() == 0
        await pilot.press("enter")  # the cursor is on Nature: open its list
        await pilot.pause()
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
    lobby = Checkpoint.get(Checkpoint.code == "LOBBY")
    got = Incident.get()
    assert got.checkpoint_id == lobby.id
    assert "lobby" in got.place and "glass cracked" in got.description
    assert got.author_id == site.staff["G01"].id
