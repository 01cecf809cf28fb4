"""SE-3: F2 and F3 give the same patrol progress for the same shift, from the one
count of the patrol domain (done or done late, of every round not skipped): with an
extra round walked, rounds skipped, and a round in progress."""

from __future__ import annotations

import re
from typing import Any

from dutydesk.domain import patrols, shifts
from tests.helpers.patrol import add_schedule, guard_route, open_patrol
from tests.helpers.ui import SIZE, make_app, screen_text, wait_until

DONE = re.compile(r"(\d+) of (\d+) rounds done")


def _walk(site: Any, round_id: int) -> None:
    actor = site.actor("G01")
    for c in patrols.round_checks(round_id):
        if c.checkpoint.kind == "count":
            patrols.mark_reading(actor, c.id, "4")
        else:
            patrols.mark_ok(actor, c.id)


def _progress(app: Any) -> tuple[int, int]:
    found = DONE.search(screen_text(app))
    assert found is not None, screen_text(app)
    return int(found.group(1)), int(found.group(2))


async def test_f2_and_f3_count_the_same_rounds(site):
    guard_route(site)  # Gate round: fixed 10:00 and 14:00
    add_schedule(site, name="Night walk", kind="fixed", times=("11:00", "12:00", "13:00"))
    site.clock.set("2026-12-01 07:30")
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 10:05")
    gate = patrols.rounds_of_shift(shift.id, site.clock.now())[0]
    extra = patrols.add_extra_round(site.actor("G01"), shift.id, gate.schedule_id or 0)
    patrols.start_round(site.actor("G01"), extra.id)
    _walk(site, extra.id)
    patrols.finish_round(site.actor("G01"), extra.id)
    for r in patrols.rounds_of_shift(shift.id, site.clock.now()):
        if r.schedule_name == "Night walk":
            patrols.skip_round(site.actor("G01"), r.id, "guard short")
    patrols.start_round(site.actor("G01"), gate.id)  # due 10:00, in progress
    site.clock.set("2026-12-01 10:38")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "G01")
        await wait_until(pilot, lambda: DONE.search(screen_text(app)) is not None, "F3")
        on_f3 = _progress(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: "Logged in:" in screen_text(app), "F2")
        on_f2 = _progress(app)
    # done: the extra round; counted: the extra, the 10:00 and the 14:00 round.
    assert on_f3 == on_f2 == (1, 3)
