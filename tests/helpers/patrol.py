"""Patrol set-ups shared by the F3 tests: checkpoints, schedules, a route, opening F3."""

from __future__ import annotations

from typing import Any

from dutydesk.domain import checkpoints as cps
from dutydesk.domain import patrols
from dutydesk.screens.patrol import PatrolScreen
from tests.helpers.site import PIN
from tests.helpers.ui import login


def add_checkpoint(
    site: Any, code: str, kind: str, desk: Any = None, **kw: Any
) -> cps.CheckpointInfo:
    desk = desk or site.security
    spec = cps.CheckpointSpec(code=code, name=kw.pop("name", code), kind=kind, **kw)
    return cps.add_checkpoint(site.actor("S01", desk), desk.id, spec)


def add_schedule(site: Any, desk: Any = None, **kw: Any) -> patrols.ScheduleInfo:
    desk = desk or site.security
    kw.setdefault("name", "Gate round")
    return patrols.add_schedule(site.actor("S01", desk), desk.id, patrols.ScheduleSpec(**kw))


def guard_route(site: Any) -> None:
    """The security desk at 10:00: a round due now (fixed 10:00) and one at 14:00."""
    add_checkpoint(site, "GATE", "condition", name="Main gate", area="A / 1F / gate", position=1)
    add_checkpoint(
        site, "LOBBY", "condition", name="Lobby doors", area="A / 1F / lobby", position=2
    )
    add_checkpoint(
        site,
        "EXT3",
        "count",
        name="Extinguishers 3F",
        area="A / 3F",
        expected_count=4,
        unit="pcs",
        position=3,
    )
    add_checkpoint(
        site,
        "LIGHT",
        "switch",
        name="Landscape lights",
        expected_state="on",
        due_time="18:30",
        position=4,
    )
    add_schedule(site, kind="fixed", times=("10:00", "14:00"))


async def open_patrol(pilot: Any, staff_no: str) -> PatrolScreen:
    await login(pilot, staff_no, PIN)
    await pilot.press("f3")
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PatrolScreen)
    return screen


def desk_day_route(site: Any, times: tuple[str, ...] = ("10:00",)) -> None:
    """Three checks at the security desk, one round a day at each of ``times``."""
    boss = site.actor("S01")
    for i, (code, name) in enumerate([("GATE", "Main gate"), ("LOBBY", "Lobby doors")], 1):
        spec = cps.CheckpointSpec(code=code, name=name, kind="condition", position=i)
        cps.add_checkpoint(boss, site.security.id, spec)
    spec = cps.CheckpointSpec(
        code="EXT3",
        name="Extinguishers 3F",
        kind="count",
        expected_count=12,
        unit="pcs",
        position=3,
    )
    cps.add_checkpoint(boss, site.security.id, spec)
    patrols.add_schedule(
        boss, site.security.id, patrols.ScheduleSpec(name="Gate round", kind="fixed", times=times)
    )
