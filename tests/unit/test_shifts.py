"""Shifts at a desk, from the desk's (editable) pattern in the database."""

from __future__ import annotations

import datetime as dt

import arrow
import pytest

from dutydesk.clock import FixedClock
from dutydesk.domain import audit, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.site import DeskSpec, create_site, desk_specs, set_shift_times
from dutydesk.errors import ConfigError, NotFound, RuleViolation, ValidationError
from dutydesk.models import AuditEvent
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

SH = "Asia/Shanghai"


def at(text: str, tz: str = SH) -> arrow.Arrow:
    return arrow.get(text, tzinfo=tz)


def test_planned_at_the_fixture_time_is_the_early_shift(site):
    p = shifts.planned_at(site.security.id, site.clock.now())
    assert p is not None
    assert (p.code, p.business_date) == ("early", dt.date(2026, 12, 1))
    assert (p.start, p.end) == (at("2026-12-01 07:30"), at("2026-12-01 16:00"))
    assert p.name_zh == "早班" and not p.is_night


def test_security_night_00_to_0730_of_1_dec_belongs_to_1_dec(site):
    p = shifts.planned_at(site.security.id, at("2026-12-01 00:00"))
    assert p is not None and (p.code, p.business_date) == ("night", dt.date(2026, 12, 1))
    assert p.is_night
    p = shifts.planned_at(site.security.id, at("2026-11-30 23:59:59"))
    assert p is not None and (p.code, p.business_date) == ("middle", dt.date(2026, 11, 30))


def test_engineering_night_starting_30_nov_belongs_to_30_nov(site):
    p = shifts.planned_at(site.engineering.id, at("2026-12-01 07:59"))
    assert p is not None and (p.code, p.business_date) == ("night", dt.date(2026, 11, 30))
    assert p.start == at("2026-11-30 17:30")
    n = shifts.planned_next(site.engineering.id, at("2026-12-01 07:59"))
    assert (n.code, n.business_date, n.start) == (
        "day",
        dt.date(2026, 12, 1),
        at("2026-12-01 08:00"),
    )


def test_year_end_at_a_desk(site):
    p = shifts.planned_at(site.service.id, at("2027-01-01 08:29"))
    assert p is not None and (p.code, p.business_date) == ("night", dt.date(2026, 12, 31))
    assert p.end == at("2027-01-01 08:30")
    assert shifts.planned_on(site.service.id, dt.date(2026, 12, 31), "night") == p


def test_planned_on_unknown_code(site):
    with pytest.raises(NotFound):
        shifts.planned_on(site.security.id, dt.date(2026, 12, 1), "evening")


def test_set_shift_times_changes_planned_at(site):
    """Shift times are editable per desk: moving the change from 07:30 to 07:00."""
    desk = site.security.id
    before = shifts.planned_at(desk, at("2026-12-01 07:15"))
    assert before is not None and before.code == "night"
    boss = site.actor("S01")
    set_shift_times(boss, desk, "night", "00:00", "07:00")
    set_shift_times(boss, desk, "early", "07:00", "16:00")
    after = shifts.planned_at(desk, at("2026-12-01 07:15"))
    assert after is not None and after.code == "early"
    assert after.start == at("2026-12-01 07:00")
    # Only this desk changed.
    eng = shifts.planned_at(site.engineering.id, at("2026-12-01 07:15"))
    assert eng is not None and eng.code == "night"
    ev = (
        AuditEvent.select()
        .where(AuditEvent.action == "shift_template.update")
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    assert ev.old == {"start": "07:30", "end": "16:00"}
    assert ev.new == {"start": "07:00", "end": "16:00"}
    assert audit.verify_chain() == []


def test_set_shift_times_refuses_junk(site):
    boss = site.actor("S01")
    with pytest.raises(ConfigError):
        set_shift_times(boss, site.security.id, "night", "24:00", "07:00")
    with pytest.raises(NotFound):
        set_shift_times(boss, site.security.id, "evening", "00:00", "07:00")
    assert [s.start for s in desk_specs(site.security.id)] == ["07:30", "16:00", "00:00"]


def test_open_without_handover_needs_a_reason_and_opens_once(site):
    g01 = site.actor("G01")
    with pytest.raises(ValidationError):
        shifts.open_without_handover(g01, "  ")
    shift = shifts.open_without_handover(g01, "new site, first shift")
    assert shift.state == "open" and shift.open_reason == "new site, first shift"
    assert shift.planned_start == at("2026-12-01 07:30")
    assert shifts.open_shift_of(site.security.id).id == shift.id
    with pytest.raises(RuleViolation):
        shifts.open_without_handover(g01, "again")


def test_opening_the_next_shift_closes_the_previous_one(site):
    first = shifts.open_without_handover(site.actor("G01"), "first shift")
    site.clock.set("2026-12-01 16:05")
    second = shifts.open_without_handover(site.actor("G02"), "outgoing absent")
    first = type(first).get_by_id(first.id)
    assert first.state == "closed" and first.actual_end == at("2026-12-01 16:05")
    assert second.state == "open" and second.business_date == dt.date(2026, 12, 1)
    assert shifts.open_shift_of(site.security.id).id == second.id


def test_relief_overdue_is_marked_once(site):
    shift = shifts.open_without_handover(site.actor("G01"), "first shift")
    g01 = site.actor("G01")
    assert not shifts.mark_relief_overdue(g01, shift.id)  # not yet 16:00
    site.clock.set("2026-12-01 16:00")
    assert shifts.mark_relief_overdue(g01, shift.id)
    assert not shifts.mark_relief_overdue(g01, shift.id)


# --- a site in a DST zone --------------------------------------------------------------------


@pytest.fixture
def berlin(db):
    clock = FixedClock("2026-03-28 12:00", tz="Europe/Berlin")
    info = create_site(
        Actor(clock, None),
        name="Berlin Works",
        tz="Europe/Berlin",
        language="en",
        desks=[DeskSpec("gate", "Gate", "security-2"), DeskSpec("plant", "Plant", "engineering")],
        supervisor_no="S01",
        supervisor_name="Boss",
        supervisor_pin=PIN,
    )
    return {d.code: d.id for d in info.desks}


def test_dst_site_night_has_real_length_and_no_gap(berlin):
    gate = berlin["gate"]
    p = shifts.planned_at(gate, arrow.get("2026-03-29 05:00", tzinfo="UTC"))
    assert p is not None and (p.code, p.business_date) == ("night", dt.date(2026, 3, 28))
    assert p.end - p.start == dt.timedelta(hours=11)
    p = shifts.planned_at(gate, arrow.get("2026-10-25 01:30", tzinfo="UTC"))
    assert p is not None and p.end - p.start == dt.timedelta(hours=13)
    t = arrow.get("2026-10-24 18:00", tzinfo="UTC")
    while t < arrow.get("2026-10-25 08:00", tzinfo="UTC"):
        for desk in berlin.values():
            assert shifts.planned_at(desk, t) is not None, t
        t = t.shift(minutes=10)
    n = shifts.planned_next(berlin["plant"], arrow.get("2026-03-29 00:00", tzinfo="UTC"))
    assert n.start == arrow.get("2026-03-29 06:00", tzinfo="UTC")  # 08:00 CEST
