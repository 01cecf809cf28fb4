"""A shift with a skipped round of "定时巡查" (Scheduled patrol) due 14:00 and a count
of "仓库备用灭火器" (Warehouse spare extinguishers) short: 11 of 12 具."""

from __future__ import annotations

from typing import Any

from dutydesk.db import write
from dutydesk.models import Checkpoint, PatrolCheck, PatrolRound, PatrolSchedule
from tests.helpers.handover import open_shift_id


def skipped_round_and_short_count(site: Any) -> None:
    """On the open security shift, the clock at 15:20."""
    with write():
        sched = PatrolSchedule.create(
            desk=site.security.id, name="定时巡查", name_en="Scheduled patrol", kind="fixed"
        )
        cp = Checkpoint.create(
            desk=site.security.id, code="EXT", name="仓库备用灭火器",
            name_en="Warehouse spare extinguishers", kind="count", unit="具", expected_count=12,
        )  # fmt: skip
        now = site.clock.now()
        PatrolRound.create(
            shift=open_shift_id(site), schedule=sched.id, due_at=now.shift(minutes=-80),
            state="skipped", skip_reason="Rain storm",
        )  # fmt: skip
        done = PatrolRound.create(
            shift=open_shift_id(site), schedule=sched.id, due_at=now.shift(minutes=-200),
            state="done", started_at=now.shift(minutes=-200), done_at=now.shift(minutes=-190),
        )  # fmt: skip
        PatrolCheck.create(
            round=done.id, checkpoint=cp.id, position=1, result="count", value=11,
            out_of_range=True, marked_at=now.shift(minutes=-195), note="one used",
        )  # fmt: skip
