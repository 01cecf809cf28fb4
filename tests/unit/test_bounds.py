"""Bounds on every input (dutydesk.domain.bounds), checked in the domain: each out-of-
bounds value is a ValidationError naming its field, never a crash or a stored row."""

from __future__ import annotations

import arrow
import pytest

from dutydesk.domain import bounds, logs, patrols, repairs
from dutydesk.domain import incidents as inc
from dutydesk.domain.staff import add_staff
from dutydesk.errors import ValidationError
from dutydesk.models import DutyLogEntry, Incident, Staff
from tests.helpers.incidents import fire_alarm
from tests.helpers.site import PIN


def _duty(site, **over):
    values = {"occurred_at": site.clock.now(), "category": "", "text": "ok", **over}
    return logs.add(site.actor("G01"), "duty", values)


def test_a_year_below_1000_is_refused_not_stored(site):
    tz = site.clock.tz
    with pytest.raises(ValidationError) as err:
        _duty(site, occurred_at=arrow.Arrow(999, 1, 1, 10, 0, tzinfo=tz))
    assert err.value.field == "occurred_at"
    assert "too long ago" in err.value.translated()
    assert "2025-12-01" in err.value.translated()  # a year before the site was made
    assert DutyLogEntry.select().count() == 0


def test_instants_between_a_year_before_the_site_and_now(site):
    now = site.clock.now()
    _duty(site, occurred_at=now.shift(years=-1, minutes=1))  # within: stored
    _duty(site, occurred_at=now.shift(minutes=1))  # a minute ahead: tolerated
    for bad in (now.shift(years=-1, days=-1), now.shift(minutes=2)):
        with pytest.raises(ValidationError) as err:
            _duty(site, occurred_at=bad)
        assert err.value.field == "occurred_at"
    with pytest.raises(ValidationError) as err:
        inc.create_incident(site.actor("G01"), fire_alarm(occurred_at=now.replace(year=1000)))
    assert err.value.field == "occurred_at"


def test_people_count_huge_or_negative_gives_a_message(site):
    g = site.actor("G01")
    for bad in ("99999999999999999999999", 99999999999999999999999, 10_000, -1, "1" * 5000):
        with pytest.raises(ValidationError) as err:
            inc.create_incident(g, fire_alarm(people_count=bad))
        assert err.value.field == "people_count"
        assert "from 0 to 9999" in err.value.translated()
    assert inc.create_incident(g, fire_alarm(people_count="9999")).people_count == 9999
    assert Incident.select().count() == 1


def test_text_length_per_field(site):
    g = site.actor("G01")
    _duty(site, text="记" * bounds.TEXT_MAX)
    with pytest.raises(ValidationError) as err:
        _duty(site, text="记" * (bounds.TEXT_MAX + 1))
    assert err.value.field == "text" and "at most 4000" in err.value.translated()
    with pytest.raises(ValidationError) as err:
        logs.add(
            g,
            "phone",
            {"call_at": site.clock.now(), "caller": "张" * 65, "content": "lift"},
        )
    assert err.value.field == "caller" and "at most 64" in err.value.translated()
    inc.create_incident(g, fire_alarm(characteristics="x" * bounds.NOTE_MAX))
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(characteristics="x" * (bounds.NOTE_MAX + 1)))
    assert err.value.field == "characteristics"


def test_control_characters_refused_in_names_not_in_texts(site):
    g = site.actor("G01")
    with pytest.raises(ValidationError) as err:
        logs.add(g, "phone", {"call_at": site.clock.now(), "caller": "Ms\x1bZ", "content": "x"})
    assert err.value.field == "caller" and "Control characters" in err.value.translated()
    with pytest.raises(ValidationError) as err:
        logs.add(g, "phone", {"call_at": site.clock.now(), "number": "138\t00", "content": "x"})
    assert err.value.field == "number"
    assert _duty(site, text="line one\nline two\x1b").summary.endswith("\x1b")


def test_staff_numbers_and_names(site):
    boss = site.actor("S01")
    for bad in ("G 01", "G01\x1b", "G" * 17, "张三", "G01;"):
        with pytest.raises(ValidationError) as err:
            add_staff(boss, staff_no=bad, name="New Guard", role="guard", pin=PIN)
        assert err.value.field == "staff_no"
    with pytest.raises(ValidationError) as err:
        add_staff(boss, staff_no="G07", name="N" * 65, role="guard", pin=PIN)
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        add_staff(boss, staff_no="G07", name="New\x07Guard", role="guard", pin=PIN)
    assert err.value.field == "name"
    assert add_staff(boss, staff_no="SEC-2026-0001", name="New Guard", role="guard", pin=PIN)
    assert Staff.select().where(Staff.staff_no == "G07").count() == 0


def test_readings_within_a_billion():
    assert bounds.reading(1e9) == 1e9
    for bad in (1e9 + 1, -1e10, float("inf")):
        with pytest.raises(ValidationError) as err:
            bounds.reading(bad)
        assert err.value.field == "value"


def test_patrol_reading_out_of_bounds_is_a_message():
    from dutydesk.domain.checkpoints import CheckpointInfo

    cp = CheckpointInfo(
        1, 1, "P1", "水压", "", "", 1, "reading", "", "", "", None, None, None, True
    )
    assert patrols.parse_reading(cp, "0.35").value == 0.35
    with pytest.raises(ValidationError) as err:
        patrols.parse_reading(cp, "9" * 30)
    assert err.value.field == "value"


def test_repair_fields_bounded(site):
    e = site.actor("E01", site.engineering)
    problems = repairs.check_repair(
        e, {"problem": "漏水", "from_name": "x" * 65, "received_at": site.clock.now()}
    )
    assert [p.field for p in problems] == ["from_name"]


def test_handover_notes_and_site_names_bounded(site):
    from dutydesk.domain import handover
    from dutydesk.domain.site import create_site

    with pytest.raises(ValidationError) as err:
        handover.start(site.actor("G01"), notes="n" * (bounds.NOTE_MAX + 1))
    assert err.value.field == "notes"
    with pytest.raises(ValidationError) as err:
        create_site(
            site.actor(),
            name="园" * 65,
            tz="Asia/Shanghai",
            language="zh",
            desks=[],
            supervisor_no="S02",
            supervisor_name="Sun",
            supervisor_pin=PIN,
        )
    assert err.value.field == "name"


def test_checkpoint_specs_and_contacts_bounded(site):
    from dutydesk.domain.checkpoints import CheckpointSpec, validate

    cases = [
        (CheckpointSpec("P1", "泵" * 65, "reading"), "name"),
        (CheckpointSpec("P1\x1b", "Pump", "reading"), "code"),
        (CheckpointSpec("P1", "Pump", "reading", range_max=1e12), "range_max"),
        (CheckpointSpec("P1", "Gate guards", "count", expected_count=10**12), "expected_count"),
    ]
    for spec, field in cases:
        with pytest.raises(ValidationError) as err:
            validate(spec)
        assert err.value.field == field
    assert validate(CheckpointSpec("P1", "Pump", "reading", range_max=1e9)).range_max == 1e9
    with pytest.raises(ValidationError) as err:
        inc.save_contact(site.actor("S01"), "leader", "李" * 65, "13800000000")
    assert err.value.field == "name"
