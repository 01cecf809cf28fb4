"""F2's "Logged in" names each person once, however many kiosks of the desk they
are logged in on, and says on how many."""

from __future__ import annotations

from dutydesk.domain import overview, sessions
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, wait_until


def test_two_kiosks_of_one_person_are_one_person_on_two_terminals(site):
    sessions.start_session(site.actor("G02"))
    sessions.start_session(site.actor("G02"))  # the desk's second kiosk
    sessions.start_session(site.actor("G01"))
    people = overview.shift_overview(site.actor("G01")).logged_in
    assert [(p.staff_no, p.terminals) for p in people] == [("G02", 2), ("G01", 1)]


async def test_shift_screen_names_a_person_on_two_kiosks_once(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sessions.start_session(site.actor("G02"))  # logged in on the desk's other kiosk
        await login(pilot, "G02", PIN)
        await pilot.press("f2")
        await wait_until(pilot, lambda: "Logged in:" in screen_text(app), "the shift screen")
        line = next(x for x in screen_text(app).splitlines() if "Logged in:" in x)
        assert line.count("G02") == 1
        assert "on 2 terminals" in line
