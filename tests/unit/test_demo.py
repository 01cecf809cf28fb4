"""The demo site: the roster promise at several times of day, open current shifts,
demo PINs, an intact audit chain, signatures bound to content, reuse and rebuild.

Small histories (2–3 days) keep these fast; the ten-year benchmark build is
measured by hand (``dutydesk demo --no-run --days 3650``), not here.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import arrow
import peewee as pw
import pytest

from dutydesk import models as m
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.demo import SITE_NAME, build_demo, demo_path
from dutydesk.domain import audit, canonical, handover, incidents, shifts, verify
from dutydesk.domain.context import Actor
from dutydesk.domain.staff import authenticate
from dutydesk.errors import ConfigError

SHANGHAI = "Asia/Shanghai"

# (wall time in Shanghai, the security shift on then): every edge of the three
# security shifts and of the engineering and service day/night change-overs.
TIMES = [
    ("2026-12-01 03:00", "night"),
    ("2026-12-01 07:29", "night"),
    ("2026-12-01 07:30", "early"),
    ("2026-12-01 12:00", "early"),
    ("2026-12-01 16:00", "middle"),
    ("2026-12-01 17:45", "middle"),
    ("2026-12-01 23:59", "middle"),
    ("2027-01-01 00:00", "night"),
]


def _build(tmp_path: Path, clock: FixedClock, days: int = 2, name: str = "demo.db") -> str:
    path = build_demo(str(tmp_path / name), days=days, clock=clock)
    open_database(path)
    return path


def _desk(code: str) -> m.Desk:
    return m.Desk.get(m.Desk.code == code)


def _rostered_numbers(planned: shifts.PlannedShift) -> list[str]:
    return [s.staff_no for s in shifts.rostered(planned.template_id, planned.business_date)]


def _check_promise(now: arrow.Arrow) -> None:
    """G01 on now and G02 next at security, E01/E02 at engineering, C01 at service."""
    for desk, on_now, on_next in (
        ("security", "G01", "G02"),
        ("engineering", "E01", "E02"),
        ("service", "C01", None),
    ):
        d = _desk(desk)
        current = shifts.planned_at(d.id, now)
        assert current is not None
        assert on_now in _rostered_numbers(current), (desk, current)
        if on_next:
            nxt = shifts.planned_next(d.id, now)
            assert on_next in _rostered_numbers(nxt), (desk, nxt)
            assert on_now not in _rostered_numbers(nxt)
        # The shift on now is open, opened by the previous shift's signed handover.
        shift = shifts.open_shift_of(d.id)
        assert shift is not None
        assert (shift.template_id, shift.business_date) == (
            current.template_id,
            current.business_date,
        )
        assert shift.actual_start <= now
        handover = m.Handover.get(m.Handover.incoming_shift == shift.id)
        assert handover.state == "signed"
        assert shift.opened_by_id == handover.incoming_staff_id
        assert m.Staff.get_by_id(shift.opened_by_id).staff_no == on_now
        assert (
            m.Shift.select().where((m.Shift.desk == d.id) & (m.Shift.state == "open")).count() == 1
        )


@pytest.mark.parametrize(("wall", "security_code"), TIMES)
def test_roster_promise_at_every_time_of_day(tmp_path, wall, security_code):
    """CS1, SE-3: the demo's people are on the shift that is on when it is created."""
    clock = FixedClock(wall, tz=SHANGHAI)
    _build(tmp_path, clock)
    now = clock.now()
    assert shifts.planned_at(_desk("security").id, now).code == security_code
    _check_promise(now)
    assert audit.verify_chain() == []


@pytest.mark.parametrize(
    "wall", ["2026-03-29 03:30", "2026-03-29 07:30", "2026-10-25 02:30", "2026-10-25 20:00"]
)
def test_roster_promise_on_dst_days_in_berlin(tmp_path, wall):
    """The clock's zone becomes the site's; DST days (short and long nights) still work."""
    clock = FixedClock(wall, tz="Europe/Berlin")
    _build(tmp_path, clock, days=3)
    assert m.Site.get().tz == "Europe/Berlin"
    _check_promise(clock.now())
    assert audit.verify_chain() == []


def test_shift_timeline_is_continuous_and_closed_in_the_past(tmp_path):
    """Past shifts are closed with real start and end; each change is one handover."""
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock, days=3)
    now = clock.now()
    for desk in ("security", "engineering", "service"):
        rows = list(
            m.Shift.select().where(m.Shift.desk == _desk(desk).id).order_by(m.Shift.planned_start)
        )
        assert len(rows) >= 6
        for before, after in itertools.pairwise(rows):
            assert before.state == "closed" and before.actual_end is not None
            assert before.planned_end == after.planned_start
            assert before.actual_end == after.actual_start <= now
            h = m.Handover.get(
                (m.Handover.outgoing_shift == before.id) & (m.Handover.incoming_shift == after.id)
            )
            assert h.signed_at == after.actual_start
        assert rows[-1].state == "open" and rows[-1].actual_end is None


def test_every_demo_account_logs_in_with_1234(tmp_path):
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock)
    numbers = [s.staff_no for s in m.Staff.select().order_by(m.Staff.staff_no)]
    assert numbers == sorted(
        [
            "S01",
            "L01",
            *(f"G0{i}" for i in range(1, 7)),
            *(f"E0{i}" for i in range(1, 5)),
            "C01",
            "C02",
            "C03",
        ]
    )
    actor = Actor(clock, _desk("security").id)
    for no in numbers:
        who = authenticate(actor, no, "1234")
        assert who.staff_no == no and not who.must_change_pin
    roles = {s.staff_no: s.role for s in m.Staff.select()}
    assert roles["S01"] == "supervisor" and roles["L01"] == "leader"
    assert roles["G03"] == "guard" and roles["E04"] == "engineer" and roles["C02"] == "service"
    assert audit.verify_chain() == []


def test_site_desks_checkpoints_and_schedules(tmp_path):
    """CS4, CS5, SG-6, SG-10, EN-8.3.3: checkpoints and schedules for all three desks."""
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock)
    site = m.Site.get()
    assert site.name == SITE_NAME and site.language == "zh" and site.tz == SHANGHAI
    assert {(d.code, d.preset) for d in m.Desk.select()} == {
        ("security", "security-3"),
        ("engineering", "engineering"),
        ("service", "service"),
    }
    cp = {c.code: c for c in m.Checkpoint.select()}
    assert (cp["LIGHT-ON"].kind, cp["LIGHT-ON"].due_time, cp["LIGHT-ON"].expected_state) == (
        "switch",
        "18:30",
        "on",
    )
    assert (cp["LIGHT-OFF"].due_time, cp["LIGHT-OFF"].expected_state) == ("23:00", "off")
    assert (cp["TX-TEMP"].unit, cp["TX-TEMP"].range_min, cp["TX-TEMP"].range_max) == ("°C", 0, 85)
    assert (cp["SUPPLY-V"].range_min, cp["SUPPLY-V"].range_max) == (353.4, 406.6)
    assert (cp["PUMP-P"].unit, cp["PUMP-P"].range_min, cp["PUMP-P"].range_max) == ("MPa", 0.3, 0.6)
    assert (cp["GEN-FUEL"].unit, cp["GEN-FUEL"].range_min) == ("%", 30)
    assert (cp["CHILLER-OUT"].range_min, cp["CHILLER-OUT"].range_max) == (5, 12)
    assert cp["FIRE-B1-1F"].kind == "count" and cp["FIRE-B1-1F"].expected_count == 4
    assert all(c.name and c.name_en for c in cp.values())
    kinds = {s.kind for s in m.PatrolSchedule.select()}
    assert kinds == {"interval", "irregular", "fixed"}
    irregular = m.PatrolSchedule.get(m.PatrolSchedule.kind == "irregular")
    assert irregular.rounds_per_shift == 2
    assert m.RouteStop.select().where(m.RouteStop.schedule == irregular.id).count() >= 8


def test_history_content(tmp_path):
    """Past shifts carry logs, calls, rounds in every state, incidents and repairs."""
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock, days=30)
    assert m.DutyLogEntry.select().count() > 100
    assert m.PhoneCall.select().count() > 20
    assert m.Visitor.select().count() > 10
    states = {r.state for r in m.PatrolRound.select(m.PatrolRound.state).distinct()}
    assert {"done", "done_late", "skipped", "missed", "upcoming"} <= states
    assert (
        m.PatrolRound.select()
        .where((m.PatrolRound.state == "skipped") & (m.PatrolRound.skip_reason == ""))
        .count()
        == 0
    )
    assert m.PatrolCheck.select().where(m.PatrolCheck.out_of_range == True).count() > 0  # noqa: E712
    # Incidents of past shifts are resolved; only one normal incident is left open.
    assert m.Incident.select().where(m.Incident.status == "handling").count() == 0
    still_open = list(m.Incident.select().where(m.Incident.status != "resolved"))
    assert [(i.status, i.severity) for i in still_open] == [("open", "normal")]
    majors = list(m.Incident.select().where(m.Incident.severity == "major"))
    assert majors
    for inc in majors:
        told = [(n.role, n.reached) for n in inc.notifications]
        assert ("leader", True) in told or ("supervisor", True) in told  # CS6
        assert inc.report_due_at is not None
    # Every incident lands in the duty log, linked (SE-4).
    linked = m.DutyLogEntry.select().where(m.DutyLogEntry.ref_type == "incident").count()
    assert linked == m.Incident.select().count()
    assert (
        m.RepairRequest.select()
        .where((m.RepairRequest.status == "not_handled") & (m.RepairRequest.reason == ""))
        .count()
        == 0
    )
    # The current shift's rounds: none missed or skipped yet, none finished after now.
    for desk in ("security", "engineering", "service"):
        shift = shifts.open_shift_of(_desk(desk).id)
        for r in shift.rounds:
            assert r.state in ("done", "done_late", "upcoming")
            assert r.finished_at is None or r.finished_at <= clock.now()
    assert audit.verify_chain() == []


def test_signatures_are_bound_to_the_content(tmp_path):
    """EN-8.5.1: each signature's hash is SHA-256 of the canonical content it
    signs; the record part rebuilds from the rows; ``dutydesk verify`` finds nothing."""
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock, days=3)
    handovers_ = list(m.Handover.select())
    assert len(handovers_) > 15
    signed_events = {
        e.record_id: e.new["content_hash"]
        for e in m.AuditEvent.select().where(m.AuditEvent.action == "handover.sign")
    }
    for h in handovers_:
        digest = canonical.sha256(h.content)
        assert h.content_hash == digest == signed_events[h.id]
        assert handover.record_part(h) == h.content["record"]
        sigs = sorted(h.signatures, key=lambda s: s.id)
        assert [s.meaning for s in sigs] == [handover.MEANING_OUT, handover.MEANING_IN]
        assert all(s.content_hash == digest for s in sigs)
        assert sigs[0].staff_id == h.started_by_id != sigs[1].staff_id == h.incoming_staff_id
        assert h.read_back == sum(1 for i in h.items if i.carried_over)
    reports = list(m.IncidentReport.select())
    for r in reports:
        [sig] = list(r.signatures)
        assert sig.content_hash == canonical.sha256(incidents.report_content(r))
    result = verify.verify()
    assert result.ok, [f.text() for f in result.problems]
    assert result.handovers == len(handovers_) and result.reports == len(reports)
    # The handover into the current security shift carries the open incident (CS-R6).
    sec = shifts.open_shift_of(_desk("security").id)
    h = m.Handover.get(m.Handover.incoming_shift == sec.id)
    [item] = [i for i in h.items if i.carried_over]
    assert item.ref_type == "incident" and item.reason
    # Signed records cannot be changed (the triggers hold on demo data too).
    with pytest.raises(pw.IntegrityError):
        m.Signature.update(meaning="x").where(m.Signature.id == sigs[0].id).execute()


def test_the_current_handover_starts_clean(tmp_path):
    """EN-8.6.2: nothing blocks G01's handover at the start but the clock; the open
    incident and the open repair request are items, not blockers."""
    clock = FixedClock("2026-12-01 15:30", tz=SHANGHAI)
    _build(tmp_path, clock, days=3)
    for desk in ("security", "engineering"):
        assert (
            not m.Incident.select()
            .where((m.Incident.desk == _desk(desk).id) & (m.Incident.status == "handling"))
            .exists()
        )
        assert (
            not m.SwitchingOperation.select()
            .where(m.SwitchingOperation.finished_at.is_null())
            .exists()
        )
        assert not m.KeyLoan.select().where(m.KeyLoan.back_at.is_null()).exists()
    open_repairs = m.RepairRequest.select().where(
        m.RepairRequest.status.in_(["open", "not_handled"])
    )
    assert all(r.reason or r.status == "open" for r in open_repairs)
    assert open_repairs.count() <= 3


def test_reuse_and_rebuild(tmp_path):
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    path = _build(tmp_path, clock)
    events = audit.count()
    created = m.Site.get().created_at
    later = FixedClock("2026-12-05 15:00", tz=SHANGHAI)
    # Reused as it is: nothing rebuilt, nothing added.
    assert build_demo(path, days=2, clock=later) == path
    open_database(path)
    assert audit.count() == events and m.Site.get().created_at == created
    # Rebuilt from scratch for the new "now".
    assert build_demo(path, days=2, rebuild=True, clock=later) == path
    open_database(path)
    assert m.Site.select().count() == 1
    assert m.Site.get().created_at > created
    _check_promise(later.now())
    assert audit.verify_chain() == []


def test_a_build_cut_short_is_built_again(tmp_path):
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    path = _build(tmp_path, clock)
    site = m.Site.get()
    site.settings = {"demo": "building"}
    site.save()
    m.database_proxy.close()
    build_demo(path, days=2, clock=clock)
    open_database(path)
    assert m.Site.get().settings["demo"] is True
    assert audit.verify_chain() == []


def test_refuses_a_real_site_database(site, db_path):
    """A real site's database is never turned into (or thrown away for) the demo."""
    site_count = m.Staff.select().count()
    for rebuild in (False, True):
        with pytest.raises(ConfigError) as err:
            build_demo(str(db_path), rebuild=rebuild, clock=site.clock)
        assert "not the demo" in str(err.value) and "\n" not in str(err.value)
    open_database(str(db_path))
    assert m.Site.get().name == "Test Gardens"
    assert m.Staff.select().count() == site_count


def test_default_target_is_demo_db_beside_the_default_database(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from dutydesk.db import default_path

    assert demo_path() == default_path().with_name("demo.db")
    assert demo_path() != default_path()
    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    path = build_demo(None, days=0, clock=clock)
    assert Path(path) == demo_path() and Path(path).exists()
    assert not default_path().exists()
    open_database(path)
    _check_days_zero(clock)


def _check_days_zero(clock: FixedClock) -> None:
    """With no history the current shift at security is opened with a reason."""
    sec = shifts.open_shift_of(_desk("security").id)
    assert sec is not None and sec.actual_start <= clock.now()
    assert m.Staff.get_by_id(sec.opened_by_id).staff_no == "G01"
    assert audit.verify_chain() == []


def test_demo_history_is_searchable(tmp_path):
    """F8 search: the bulk-loaded history is in the search index (Chinese and English)."""
    from dutydesk.domain import search

    clock = FixedClock("2026-12-01 10:00", tz=SHANGHAI)
    _build(tmp_path, clock, days=3)
    assert m.SearchDoc.select().count() > 0
    assert search.search("路灯").total >= 1  # the open incident's "street light"
    assert search.search("Street light").total >= 1


def test_demo_holiday_shows_the_cs9_understaffing_warning(tmp_path):
    """CS9: three days after creation the demo has a holiday on which the booth needs two
    guards per shift; with one rostered the roster warns."""
    import datetime as _dt

    from dutydesk.clock import FixedClock as _Clock
    from dutydesk.demo import build_demo as _build
    from dutydesk.domain import roster as _roster
    from dutydesk.domain.site import find_desk as _find_desk

    clock = _Clock("2026-12-01 10:00", tz="Asia/Shanghai")
    _build(str(tmp_path / "h.db"), days=1, clock=clock)
    day = _dt.date(2026, 12, 4)
    desk = _find_desk("security")
    warnings = _roster.roster_warnings(day, day, desk.id)
    assert any(w.rule == "CS9" for w in warnings), warnings
