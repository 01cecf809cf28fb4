"""What F2 shows, from each area's own domain: patrol progress and alarms
(SE-3), rounds generated when a shift opens, overdue rounds logged by the kiosk tick,
carried-over items from the handover domain (CS-R2), swap requests (CS8),
overdue written reports of every desk (CS6) and relief overdue (CS-R4).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dutydesk.domain import checkpoints as cps
from dutydesk.domain import incidents, overview, patrols, roster, shifts
from dutydesk.models import AuditEvent, Incident, PatrolRound, Shift

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

DAY = dt.date(2026, 12, 1)


def _route(site, times=("10:00", "14:00")):
    """The security desk: one gate check at fixed times, tolerance 15 min."""
    gate = cps.add_checkpoint(
        site.actor("S01"),
        site.security.id,
        cps.CheckpointSpec(code="GATE", name="Gate", kind="condition", area="A / 1F"),
    )
    patrols.add_schedule(
        site.actor("S01"),
        site.security.id,
        patrols.ScheduleSpec(name="round", kind="fixed", times=times),
    )
    return gate


@pytest.fixture
def early(site):
    """The route, then G01 opens the early shift (07:30–16:00) at 07:30."""
    _route(site)
    site.clock.set("2026-12-01 07:30")
    return shifts.open_without_handover(site.actor("G01"), "first shift of the site")


def _first_round(shift):
    return PatrolRound.select().where(PatrolRound.shift == shift.id).order_by(PatrolRound.due_at)[0]


# --- 1: patrol progress and alarms from the patrol domain (SE-3) --------------------------


def test_se3_round_started_late_is_not_overdue_on_f2_nor_an_alarm(site, early):
    """A round due 10:00 ±15 started at 10:30 is in progress: 0 overdue, no banner."""
    first = _first_round(early)
    site.clock.set("2026-12-01 10:20")
    assert overview.shift_overview(site.actor("G01")).patrol.overdue == 1
    assert len(overview.alarms(site.actor("G01")).overdue_rounds) == 1
    site.clock.set("2026-12-01 10:30")
    patrols.start_round(site.actor("G01"), first.id)
    got = overview.shift_overview(site.actor("G01")).patrol
    assert got.overdue == 0
    assert overview.alarms(site.actor("G01")).overdue_rounds == []
    # next due is the 14:00 round, in the site's zone (not the started one)
    assert got.next_due.format("HH:mm") == "14:00"


def test_se3_skipped_round_is_not_done_and_next_due_is_never_overdue(site, early):
    first = _first_round(early)
    site.clock.set("2026-12-01 10:30")  # the 10:00 round is overdue now
    got = overview.shift_overview(site.actor("G01")).patrol
    assert (got.done, got.total, got.overdue) == (0, 2, 1)
    assert got.next_due.format("HH:mm") == "14:00"  # not the overdue 10:00 round
    patrols.skip_round(site.actor("G01"), first.id, "gate under repair")
    got = overview.shift_overview(site.actor("G01")).patrol
    assert (got.done, got.total, got.overdue) == (0, 1, 0)


# --- 2: rounds when a shift opens; overdue logged by the tick ----------------------------


def test_open_without_handover_generates_the_shifts_rounds(site):
    _route(site)
    site.clock.set("2026-12-01 07:30")
    shift = shifts.open_without_handover(site.actor("G01"), "first shift")
    due = [
        r.due_at.to("Asia/Shanghai").format("HH:mm")
        for r in PatrolRound.select()
        .where(PatrolRound.shift == shift.id)
        .order_by(PatrolRound.due_at)
    ]
    assert due == ["10:00", "14:00"]
    assert AuditEvent.select().where(AuditEvent.action == "patrol.rounds_generated").count() == 1


def test_rounds_of_a_shift_opened_late_skip_windows_already_past(site):
    _route(site)
    site.clock.set("2026-12-01 12:00")
    shift = shifts.open_without_handover(site.actor("G01"), "outgoing absent")
    rounds = PatrolRound.select().where(PatrolRound.shift == shift.id)
    assert [r.due_at.to("Asia/Shanghai").format("HH:mm") for r in rounds] == ["14:00"]


def test_se3_tick_logs_an_overdue_round_once(site, early):
    site.clock.set("2026-12-01 10:16")
    assert overview.note_overdue_rounds(site.actor()) == 1
    site.clock.advance(minutes=1)
    assert overview.note_overdue_rounds(site.actor()) == 0
    assert AuditEvent.select().where(AuditEvent.action == "patrol.round_overdue").count() == 1


# --- 5: carried-over items from the handover domain (CS-R2) -------------------------------


def test_cs_r2_carried_item_resolved_since_drops_off_f2(site):
    """F2 reads handover.carried_over_items: an item resolved by a linked duty-log
    entry after the handover was signed is no longer shown."""
    from dutydesk.domain import handover
    from dutydesk.models import Handover, HandoverItem

    shift = shifts.open_without_handover(site.actor("G01"), "first shift")
    h = Handover.create(
        desk=site.security.id,
        incoming_shift=shift.id,
        started_by=site.staff["G02"].id,
        started_at=site.clock.now(),
    )
    lock = HandoverItem.create(
        handover=h,
        kind="carried",
        text="Gate 3 lock broken",
        carried_over=True,
        reason="locksmith comes tomorrow",
    )
    HandoverItem.create(handover=h, kind="carried", text="Lift 2 noisy", carried_over=True)
    Handover.update(state="signed", signed_at=site.clock.now()).execute()
    got = overview.shift_overview(site.actor("G01")).carried_over
    assert got == ["Gate 3 lock broken — locksmith comes tomorrow", "Lift 2 noisy"]
    handover.resolve_carried_item(site.actor("G01"), lock.id, "locksmith came")
    assert overview.shift_overview(site.actor("G01")).carried_over == ["Lift 2 noisy"]


# --- 6: swap requests on F2 (CS8) -----------------------------------------


def _swap(site):
    """G01 asks G02 to cover G01's early shift of 3 Dec."""
    early = shifts.planned_on(site.security.id, dt.date(2026, 12, 3), "early")
    slot = roster.assign(
        site.actor("S01"),
        site.security.id,
        early.template_id,
        early.business_date,
        site.staff["G01"].id,
    )
    return roster.request_cover(site.actor("G01"), slot.entry_id, site.staff["G02"].id, "wedding")


def test_cs8_swap_waiting_for_me_and_pending_for_the_supervisor(site):
    req = _swap(site)
    g02 = overview.shift_overview(site.actor("G02"))
    assert g02.swaps_for_me == 1
    assert g02.swap_requests == []  # a guard does not decide swaps
    s01 = overview.shift_overview(site.actor("S01"))
    assert [r.id for r in s01.swap_requests] == [req.id]
    assert s01.swaps_for_me == 0


# --- 7: overdue reports of every desk (CS6), relief overdue (CS-R4) ----------------------


def test_cs6_overdue_report_of_another_desk_shows_on_every_desk(site):
    e01 = site.actor("E01", site.engineering)
    got = incidents.create_incident(
        e01,
        incidents.IncidentFields(
            place="B1 配电房",
            category="power",
            description="Transformer smoke",
            severity="major",
            occurred_at=site.clock.now(),
        ),
        [
            incidents.NotificationFields(
                role="supervisor", name="Supervisor", notified_at=site.clock.now()
            )
        ],
    )
    site.clock.set("2026-12-03 08:00")
    want = [r.incident_id for r in incidents.overdue_reports(site.clock.now())]
    assert want == [got.id]
    for desk in (site.security, site.engineering, site.service):
        seen = overview.shift_overview(site.actor("G01", desk)).overdue_reports
        assert [r.incident_id for r in seen] == want
    assert [r.incident_id for r in overview.alarms(site.actor("G01")).overdue_reports] == want
    assert Incident.get_by_id(got.id).desk_id == site.engineering.id


def test_cs_r4_relief_overdue_uses_the_shift_rule(site, early):
    site.clock.set("2026-12-01 15:59")
    assert not overview.shift_overview(site.actor("G01")).relief_overdue
    site.clock.set("2026-12-01 16:00")
    assert overview.shift_overview(site.actor("G01")).relief_overdue
    assert overview.check_relief_overdue(site.actor("G01"))
    assert Shift.get_by_id(early.id).relief_overdue_at is not None


def test_a_supervisor_visiting_the_desk_is_not_a_roster_deviation(site):
    """CS1 compares the person at the desk with the roster; a supervisor who comes to the
    booth to approve or read the records is expected there, not a deviation."""
    from dutydesk.domain import sessions as _sessions
    from dutydesk.models import AuditEvent as _Event

    boss = _sessions.start_session(site.actor("S01"))
    guard = _sessions.start_session(site.actor("G02"))  # not rostered either
    assert boss.on_roster and not guard.on_roster
    deviations = _Event.select().where(_Event.action == "session.not_on_roster")
    assert [e.staff_id for e in deviations] == [site.staff["G02"].id]
