"""The roster hands plain values out: staffing as dataclasses, kinds and states as
StrEnums equal to the strings the database holds (CS8, CS9)."""

from __future__ import annotations

import datetime as dt

from dutydesk.domain import roster
from dutydesk.domain.roster import EntrySource, ShiftStaffing, SwapKind, SwapState, WarningKind
from dutydesk.models import RosterEntry, SwapRequest

D = dt.date


def test_shift_staffing_is_dataclasses_in_pattern_order(site):
    boss = site.actor("S01")
    roster.set_required_staff(boss, site.security.id, "night", required=2, holiday_required=3)
    found = roster.shift_staffing(site.security.id)
    assert all(isinstance(s, ShiftStaffing) for s in found)
    assert [s.code for s in found] == ["early", "middle", "night"]
    night = found[-1]
    assert (night.required_staff, night.holiday_required_staff) == (2, 3)
    assert night.name and night.start_time and night.end_time


def test_kinds_and_states_are_the_stored_strings(site):
    assert [str(k) for k in roster.KINDS] == ["exchange", "cover", "needs_cover", "absence"]
    assert SwapState.ASKED == "asked" and EntrySource.SWAP == "swap"
    assert WarningKind.UNSTAFFED == "unstaffed"


def test_a_request_reads_back_as_enums(site):
    guard = site.actor("G01")
    boss = site.actor("S01")
    template = next(t for t in roster.ShiftCalendar().active_templates(site.security.id))
    day = site.clock.now().date() + dt.timedelta(days=3)
    slot = roster.assign(boss, site.security.id, template.id, day, site.staff["G01"].id)
    info = roster.request_needs_cover(guard, slot.entry_id or 0, "dentist")
    assert info.kind is SwapKind.NEEDS_COVER and info.state is SwapState.ASKED
    assert SwapRequest.get_by_id(info.id).kind == "needs_cover"
    assert RosterEntry.get_by_id(slot.entry_id).source == "manual"
    warnings = roster.roster_warnings(day, day, site.security.id)
    assert WarningKind.NEEDS_COVER in {w.kind for w in warnings}
