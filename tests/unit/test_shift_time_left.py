"""F2's time left: never more than the shift's length, also when the PC clock is put
back; screens get the open shift and the desk as dataclasses, not rows."""

from __future__ import annotations

import datetime as dt

from dutydesk.domain import overview, shifts
from dutydesk.domain.site import DeskInfo


def test_clock_put_back_does_not_stretch_the_time_left(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    site.clock.set("2026-11-01 09:00")  # a month back: the shift starts 1 Dec 07:30
    line = overview.shift_overview(site.actor("G01")).shift
    assert line is not None and line.is_open
    assert line.time_left == line.end - line.start == dt.timedelta(hours=8, minutes=30)
    assert line.clock_before_start


def test_time_left_in_the_shift_as_usual(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    line = overview.shift_overview(site.actor("G01")).shift
    assert line is not None and not line.clock_before_start
    assert line.time_left == line.end - site.clock.now()


def test_current_shift_and_desk_are_dataclasses(site):
    assert shifts.current_shift(site.security.id) is None
    opened = shifts.open_without_handover(site.actor("G01"), "first shift")
    info = shifts.current_shift(site.security.id)
    assert info is not None and info.id == opened.id
    assert (info.code, info.state, info.open_reason) == ("early", "open", "first shift")
    assert info.state is shifts.ShiftState.OPEN
    desk = shifts.desk_of(site.security.id)
    assert isinstance(desk, DeskInfo) and desk.handover_window_minutes > 0
    assert not desk.retired
