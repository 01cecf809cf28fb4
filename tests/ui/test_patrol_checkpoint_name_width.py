"""F3: the checkpoint name column uses the width the terminal gives it (SE-3).

At 120 columns a long checkpoint name is shown whole; at 80 columns the mark keeps
its room and the name is shortened as before.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.domain import checkpoints as cps
from dutydesk.domain import patrols, shifts
from dutydesk.screens.patrol import PatrolScreen
from tests.helpers.site import PIN
from tests.helpers.ui import login, make_app, screen_text

LONG_NAME = "Fire pump room north door and hydrant"  # 37 cells


def _route(site: Any) -> None:
    actor = site.actor("S01", site.security)
    desk = site.security.id
    cps.add_checkpoint(
        actor, desk, cps.CheckpointSpec(code="PUMP", name=LONG_NAME, kind="condition")
    )
    cps.add_checkpoint(
        actor, desk, cps.CheckpointSpec(code="GATE", name="Main gate", kind="condition")
    )
    spec = patrols.ScheduleSpec(name="Gate round", kind="fixed", times=("10:00",))
    patrols.add_schedule(actor, desk, spec)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")


@pytest.mark.parametrize(("size", "whole"), [((120, 40), True), ((80, 24), False)])
async def test_long_checkpoint_name_fits_a_wide_screen(site: Any, size: Any, whole: bool) -> None:
    _route(site)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=size) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        text = screen_text(app)
        assert (LONG_NAME in text) is whole
        assert "Main gate" in text
        if not whole:
            assert LONG_NAME[:14] in text  # shortened, not dropped
