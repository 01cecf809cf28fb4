"""Shift swaps and absences: asked in advance, approved only by a supervisor (CS8, EN-8.3.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from dutydesk.domain import audit, roster
from dutydesk.domain.staff import add_staff
from dutydesk.errors import AuthError, RuleViolation, ValidationError
from dutydesk.models import AuditEvent, RosterEntry, ShiftTemplate
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

D = dt.date
TOMORROW = D(2026, 12, 2)  # the fixture clock stands at 1 Dec 10:00 Shanghai


def tpl(desk_id: int, code: str) -> int:
    return ShiftTemplate.get((ShiftTemplate.desk == desk_id) & (ShiftTemplate.code == code)).id


def put(site, staff_no, day, code) -> int:
    slot = roster.assign(
        site.actor("S01"),
        site.security.id,
        tpl(site.security.id, code),
        day,
        site.staff[staff_no].id,
    )
    return slot.entry_id


def who_on(site, day, code) -> list[str]:
    return [
        s.staff_no
        for s in roster.expected_staff(site.security.id, tpl(site.security.id, code), day)
    ]


@pytest.fixture
def second_boss(site):
    """Another supervisor, so that one of them can be part of a swap."""
    site.staff["S02"] = add_staff(
        site.actor("S01"),
        staff_no="S02",
        name="Supervisor Qin",
        role="supervisor",
        pin=PIN,
        must_change_pin=False,
    )
    return site.staff["S02"]


def test_exchange_from_request_to_approval_changes_the_roster(site):
    mine = put(site, "G01", TOMORROW, "early")
    theirs = put(site, "G02", D(2026, 12, 3), "middle")
    g01, g02 = site.actor("G01"), site.staff["G02"]
    req = roster.request_exchange(g01, mine, g02.id, theirs, "family visit")
    assert req.state == "asked" and req.waiting_for == "colleague"
    assert [r.id for r in roster.requests_needing_my_acceptance(g02.id)] == [req.id]
    assert [r.id for r in roster.pending_requests(site.security.id)] == [req.id]
    # Nothing changes before approval.
    assert who_on(site, TOMORROW, "early") == ["G01"]
    # The colleague accepts on the spot, with their own PIN, at G01's kiosk.
    req = roster.accept(g01, req.id, "G02", PIN)
    assert req.state == "accepted" and req.waiting_for == "supervisor"
    assert roster.requests_needing_my_acceptance(g02.id) == []
    req = roster.approve(g01, req.id, "S01", PIN, note="ok")
    assert req.state == "approved" and req.decided_by.staff_no == "S01"
    assert who_on(site, TOMORROW, "early") == ["G02"]
    assert who_on(site, D(2026, 12, 3), "middle") == ["G01"]
    assert {e.source for e in RosterEntry.select()} == {"swap"}
    assert roster.pending_requests() == []
    grid = roster.week_grid(site.security.id, TOMORROW)
    assert grid.cell(2, 0).names() == "Guard Zhao"
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert actions[-7:] == [
        "swap.exchange",
        "swap_accept.pin_ok",
        "swap.accept",
        "approve.pin_ok",
        "swap.approve",
        "roster.swap",
        "roster.swap",
    ]
    assert audit.verify_chain() == []


def test_requester_cannot_approve_even_as_supervisor(site, second_boss):
    mine = roster.assign(
        site.actor("S01"),
        site.security.id,
        tpl(site.security.id, "early"),
        TOMORROW,
        second_boss.id,
    ).entry_id
    req = roster.request_cover(site.actor("S02"), mine, site.staff["G01"].id)
    roster.accept(site.actor("S02"), req.id, "G01", PIN)
    with pytest.raises(RuleViolation) as err:
        roster.approve(site.actor("S02"), req.id, "S02", PIN)
    assert err.value.rule == "EN-8.3.5"
    assert who_on(site, TOMORROW, "early") == ["S02"]
    roster.approve(site.actor("S02"), req.id, "S01", PIN)  # another supervisor may
    assert who_on(site, TOMORROW, "early") == ["G01"]


def test_colleague_cannot_approve_even_as_supervisor(site, second_boss):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, second_boss.id)
    roster.accept(site.actor("G01"), req.id, "S02", PIN)
    with pytest.raises(RuleViolation) as err:
        roster.reject(site.actor("G01"), req.id, "S02", PIN)
    assert err.value.rule == "EN-8.3.5"
    with pytest.raises(RuleViolation):
        roster.approve(site.actor("G01"), req.id, "S02", PIN)
    assert roster.get_request(req.id).state == "accepted"


def test_non_supervisor_and_wrong_pin_cannot_approve(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    roster.accept(site.actor("G01"), req.id, "G02", PIN)
    with pytest.raises(RuleViolation) as err:
        roster.approve(site.actor("G01"), req.id, "L01", PIN)  # a leader is not enough
    assert err.value.rule == "EN-8.3.5"
    with pytest.raises(AuthError):
        roster.approve(site.actor("G01"), req.id, "S01", "9999")
    assert AuditEvent.select().where(AuditEvent.action == "approve.pin_fail").count() == 1
    assert who_on(site, TOMORROW, "early") == ["G01"]
    assert roster.get_request(req.id).state == "accepted"


def test_colleague_must_accept_before_approval(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    with pytest.raises(RuleViolation) as err:
        roster.approve(site.actor("S01"), req.id, "S01", PIN)
    assert err.value.rule == "CS8"
    # Only the named colleague can accept, with their own PIN.
    with pytest.raises(RuleViolation):
        roster.accept(site.actor("G01"), req.id, "L01", PIN)
    with pytest.raises(RuleViolation):
        roster.accept(site.actor("G01"), req.id, "G01", PIN)
    with pytest.raises(AuthError):
        roster.accept(site.actor("G01"), req.id, "G02", "1111")
    assert roster.get_request(req.id).state == "asked"


def test_colleague_accepts_later_at_login_or_declines(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    site.clock.advance(hours=3)
    waiting = roster.requests_needing_my_acceptance(site.staff["G02"].id, site.clock.now())
    assert [r.id for r in waiting] == [req.id]
    req = roster.decline(site.actor("G02"), req.id, "G02", PIN, "busy")
    assert req.state == "declined" and req.waiting_for is None
    assert roster.pending_requests() == []
    # Declined: the shift can be asked of someone else.
    again = roster.request_needs_cover(site.actor("G01"), mine, "wedding")
    assert again.state == "asked"


def test_request_for_a_started_shift_is_refused(site):
    on_now = put(site, "G01", D(2026, 12, 1), "early")  # 07:30–16:00, now 10:00
    with pytest.raises(RuleViolation) as err:
        roster.request_cover(site.actor("G01"), on_now, site.staff["G02"].id)
    assert err.value.rule == "CS8"
    assert "already started" in err.value.translated()
    with pytest.raises(RuleViolation):
        roster.request_needs_cover(site.actor("G01"), on_now, "ill")
    # At the exact start it is too late as well.
    later = put(site, "G01", D(2026, 12, 1), "middle")  # 16:00
    site.clock.set("2026-12-01 16:00")
    with pytest.raises(RuleViolation):
        roster.request_cover(site.actor("G01"), later, site.staff["G02"].id)


def test_exchange_for_a_started_colleague_shift_is_refused(site):
    mine = put(site, "G01", TOMORROW, "early")
    theirs = put(site, "G02", D(2026, 12, 1), "early")
    with pytest.raises(RuleViolation):
        roster.request_exchange(site.actor("G01"), mine, site.staff["G02"].id, theirs)


def test_acceptance_after_the_start_is_refused(site):
    mine = put(site, "G01", D(2026, 12, 1), "middle")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    site.clock.set("2026-12-01 16:30")
    with pytest.raises(RuleViolation):
        roster.accept(site.actor("G02"), req.id, "G02", PIN)


def test_only_ones_own_shift_and_a_real_colleague(site):
    mine = put(site, "G01", TOMORROW, "early")
    theirs = put(site, "G02", TOMORROW, "middle")
    with pytest.raises(RuleViolation):
        roster.request_cover(site.actor("G02"), mine, site.staff["L01"].id)
    with pytest.raises(ValidationError):
        roster.request_cover(site.actor("G01"), mine, site.staff["G01"].id)
    with pytest.raises(ValidationError):  # that entry is not L01's
        roster.request_exchange(site.actor("G01"), mine, site.staff["L01"].id, theirs)
    roster.request_cover(site.actor("G01"), mine, site.staff["L01"].id)
    with pytest.raises(RuleViolation):  # one waiting request per shift
        roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)


def test_needs_cover_is_approved_with_the_cover_named(site):
    mine = put(site, "G01", TOMORROW, "night")
    with pytest.raises(ValidationError):
        roster.request_needs_cover(site.actor("G01"), mine, "  ")
    req = roster.request_needs_cover(site.actor("G01"), mine, "exam")
    assert req.waiting_for == "supervisor"
    found = roster.roster_warnings(TOMORROW, TOMORROW, site.security.id)
    assert any(w.kind == "needs_cover" and w.reason == "exam" for w in found)
    with pytest.raises(ValidationError):
        roster.approve(site.actor("S01"), req.id, "S01", PIN)
    req = roster.approve(site.actor("S01"), req.id, "S01", PIN, cover_id=site.staff["L01"].id)
    assert req.colleague.staff_no == "L01"
    assert who_on(site, TOMORROW, "night") == ["L01"]
    assert not any(
        w.kind == "needs_cover"
        for w in roster.roster_warnings(TOMORROW, TOMORROW, site.security.id)
    )


def test_sickness_on_the_day_is_an_absence_for_the_supervisor(site):
    on_now = put(site, "G01", D(2026, 12, 1), "early")
    # A leader records it for the sick guard; a guard cannot for someone else.
    with pytest.raises(RuleViolation):
        roster.report_absence(site.actor("G02"), on_now, "fever")
    req = roster.report_absence(site.actor("L01"), on_now, "fever")
    assert req.kind == "absence" and req.requester.staff_no == "G01"
    assert [r.id for r in roster.pending_requests(site.security.id)] == [req.id]
    found = roster.roster_warnings(D(2026, 12, 1), D(2026, 12, 1), site.security.id)
    absence = [w for w in found if w.kind == "absence"]
    assert absence and absence[0].text() == (
        "2026-12-01 Early: Guard Wang is absent (fever); assign cover"
    )
    roster.approve(site.actor("G01"), req.id, "S01", PIN, cover_id=site.staff["G02"].id)
    assert who_on(site, D(2026, 12, 1), "early") == ["G02"]


def test_rejection_leaves_the_roster(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    roster.accept(site.actor("G01"), req.id, "G02", PIN)
    req = roster.reject(site.actor("G01"), req.id, "S01", PIN, "short of staff")
    assert req.state == "rejected" and req.decision_note == "short of staff"
    assert who_on(site, TOMORROW, "early") == ["G01"]
    with pytest.raises(RuleViolation):
        roster.approve(site.actor("G01"), req.id, "S01", PIN)


def test_withdraw_by_the_requester_only(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    with pytest.raises(RuleViolation):
        roster.withdraw(site.actor("G02"), req.id)
    assert roster.withdraw(site.actor("G01"), req.id).state == "withdrawn"


def test_entry_with_a_waiting_request_cannot_be_removed(site):
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    with pytest.raises(RuleViolation):
        roster.unassign(site.actor("S01"), mine)
    roster.withdraw(site.actor("G01"), req.id)
    # Requests on record keep their entry; the supervisor puts another person on it.
    with pytest.raises(RuleViolation):
        roster.unassign(site.actor("S01"), mine)
    roster.reassign(site.actor("S01"), mine, site.staff["L01"].id)
    assert who_on(site, TOMORROW, "early") == ["L01"]
    assert roster.get_request(req.id).requester.staff_no == "G01"


def test_approval_warnings_show_what_the_swap_would_break(site):
    mine = put(site, "G01", D(2026, 12, 3), "early")
    put(site, "G02", TOMORROW, "middle")  # G02 ends 3 Dec 00:00: early 07:30 is 7.5 h later
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    roster.accept(site.actor("G01"), req.id, "G02", PIN)
    found = roster.approval_warnings(req.id)
    assert [(w.kind, w.staff.staff_no) for w in found] == [("rest", "G02")]


def test_a_refused_decision_is_audited_as_refused_not_as_approval(site):
    """EN-8.3.5: when a guard whose PIN is right tries to approve, the trail shows a PIN
    check and a refusal, never an approval (a supervisor reads it later)."""
    mine = put(site, "G01", TOMORROW, "early")
    req = roster.request_cover(site.actor("G01"), mine, site.staff["G02"].id)
    roster.accept(site.actor("G01"), req.id, "G02", PIN)
    with pytest.raises(RuleViolation):
        roster.approve(site.actor("G01"), req.id, "G01", PIN)
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert actions[-2:] == ["approve.pin_ok", "swap.decision_refused"]
    assert "swap.approve" not in actions and "approve.ok" not in actions
    refused = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert refused.staff_id == site.staff["G01"].id and refused.new["rule"] == "EN-8.3.5"
