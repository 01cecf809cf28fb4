"""Incidents for tests: a fire alarm's fields, a leader told, choosing in the form."""

from __future__ import annotations

from typing import Any

from dutydesk.domain.incidents import IncidentFields, NotificationFields
from tests.helpers.ui import type_text


def fire_alarm(**over) -> IncidentFields:
    values = {
        "place": "3号楼地下车库",
        "category": "fire",
        "subcategory": "fire.alarm",
        "description": "烟感报警，现场有烟",
        "people_count": 2,
        "characteristics": "两名住户",
        "actions": "到场查看，关闭电源",
    }
    values.update(over)
    return IncidentFields(**values)


def leader_told(site, minutes: int = 0, reached: bool = True, role: str = "leader"):
    return NotificationFields(
        role=role,
        name="Leader Li",
        method="phone",
        notified_at=site.clock.now().shift(minutes=minutes),
        reached=reached,
    )


async def choose(pilot: Any, text: str) -> None:
    """On a focused Select: open it, type to find the option, Enter."""
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()
