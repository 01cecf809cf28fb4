"""The open shift as screens see it (ShiftInfo, with its template's names) and the
desk (DeskInfo) are one query each, however much history the desk has."""

from __future__ import annotations

from playhouse.test_utils import count_queries

from dutydesk.domain import shifts


def _count(fn) -> int:
    fn()  # the first call may import modules or fill caches
    with count_queries() as counted:
        fn()
    return counted.count


def test_current_shift_and_desk_are_one_query_each(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    desk_id = site.security.id
    assert _count(lambda: shifts.current_shift(desk_id)) == 1
    assert _count(lambda: shifts.desk_of(desk_id)) == 1
    info = shifts.current_shift(desk_id)
    assert info is not None and info.name_en  # the template's names came with it
