"""Two-party handover: start window, blockers, takeover, read-back, signatures."""

from __future__ import annotations

import pytest

from dutydesk.db import write
from dutydesk.domain import audit, canonical, drafts, handover, incidents, shifts
from dutydesk.domain.staff import set_active
from dutydesk.errors import AuthError, RuleViolation, ValidationError
from dutydesk.models import (
    Handover,
    HandoverDiscrepancy,
    Incident,
    PatrolRound,
    PatrolSchedule,
    RepairRequest,
    RosterEntry,
    Shift,
    Signature,
    SwitchingOperation,
    ToolItem,
)
from tests.helpers.handover import (
    key_out,
    open_shift_id,
    sign_handover,
    walk_to_sign,
)
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def on_duty(site):
    """G01 on the early shift (07:30–16:00) of 1 Dec, the clock inside the handover window."""
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    return site


def _incident(site, status="open", who="G01"):
    with write():
        return Incident.create(
            desk=site.security.id,
            shift=open_shift_id(site),
            author=site.staff[who].id,
            created_at=site.clock.now(),
            occurred_at=site.clock.now(),
            place="Gate 2",
            category="security",
            description="Fight at the gate",
            status=status,
        )


def _repair(site, status="open", reason=""):
    with write():
        return RepairRequest.create(
            desk=site.security.id,
            shift=open_shift_id(site),
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            received_at=site.clock.now(),
            place="Block 3",
            problem="Lift stuck",
            status=status,
            reason=reason,
        )


# --- start -------------------------------------------------------------------------------


def test_start_builds_the_record_from_the_shift(on_duty):
    site = on_duty
    with write():
        ToolItem.create(desk=site.security.id, name="Radio", quantity=3)
    key_out(site)
    _repair(site)
    _incident(site)
    v = handover.start(site.actor("G01"), notes="Gate 2 lamp flickers")
    assert v.state == "draft" and v.notes == "Gate 2 lamp flickers"
    kinds = sorted(i.kind for i in v.items)
    assert kinds == ["incident", "key", "repair"]
    assert v.sections.tools == (handover.ToolLine("Radio", 3),)
    assert v.sections.keys_out[0].key == "Boiler room"
    # A key lent out is an item to acknowledge, not a blocker.
    assert v.blockers == [b for b in v.blockers if b.rule != "EN-8.6.2"]


def test_start_before_the_window_needs_a_reason(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    site.clock.set("2026-12-01 14:59")  # window opens 15:00 (60 min before 16:00)
    with pytest.raises(ValidationError) as err:
        handover.start(site.actor("G01"))
    assert err.value.field == "early_reason"
    v = handover.start(site.actor("G01"), early_reason="Fell ill")
    assert v.early_reason == "Fell ill"


def test_start_in_the_window_and_after_the_end_needs_no_reason(site):
    shifts.open_without_handover(site.actor("G01"), "first shift")
    site.clock.set("2026-12-01 15:00")
    hid = handover.start(site.actor("G01")).id
    handover.abort(site.actor("G01"), hid, "wrong moment")
    site.clock.set("2026-12-01 16:40")  # relief late: still possible (CS-R4)
    assert handover.start(site.actor("G01")).early_reason == ""


def test_start_needs_an_open_shift(site):
    site.clock.set("2026-12-01 15:30")
    with pytest.raises(RuleViolation):
        handover.start(site.actor("G01"))


def test_only_one_handover_in_progress_per_desk(on_duty):
    handover.start(on_duty.actor("G01"))
    with pytest.raises(RuleViolation):
        handover.start(on_duty.actor("G01"))


# --- blockers ----------------------------------------------------------------------------


def test_incident_being_handled_blocks_signing_EN_8_6_2(on_duty):
    site = on_duty
    inc = _incident(site, status="handling")
    hid = handover.start(site.actor("G01")).id
    v = handover.view(hid, site.clock.now())
    assert [b.rule for b in v.blockers] == ["EN-8.6.2"] and v.step == "blockers"
    walk_to_sign(site, hid)
    with pytest.raises(RuleViolation) as err:
        sign_handover(site, hid)
    assert err.value.rule == "EN-8.6.2"
    with write():
        Incident.update(status="resolved").where(Incident.id == inc.id).execute()
    assert handover.view(hid, site.clock.now()).blockers == []
    assert handover.refresh(site.actor("G01"), hid).step == "sign"
    assert sign_handover(site, hid).state == "signed"


def test_switching_operation_in_progress_blocks_EN_8_6_2(on_duty):
    site = on_duty
    with write():
        SwitchingOperation.create(
            desk=site.security.id,
            shift=open_shift_id(site),
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            what="10kV feeder 2 off",
            operator="Qian",
            started_at=site.clock.now(),
        )
    v = handover.start(site.actor("G01"))
    assert [b.rule for b in v.blockers] == ["EN-8.6.2"]
    assert "10kV feeder 2 off" in v.blockers[0].text()


def _round_due(site, minutes_from_now, state="upcoming", reason="", started=False):
    with write():
        sched = PatrolSchedule.create(
            desk=site.security.id, name="Night walk", kind="interval", interval_hours=2
        )
        now = site.clock.now()
        return PatrolRound.create(
            shift=open_shift_id(site),
            schedule=sched.id,
            due_at=now.shift(minutes=minutes_from_now),
            state=state,
            skip_reason=reason,
            started_at=now if started else None,
        )


@pytest.mark.parametrize(
    "due,state,reason,started,blocked",
    [
        (-60, "upcoming", "", False, True),  # overdue, not done
        (-5, "upcoming", "", False, True),  # due now
        (+25, "upcoming", "", False, True),  # still due in this shift
        (-30, "upcoming", "", True, True),  # in progress
        (-60, "skipped", "", False, True),  # skipped without a reason
        (-60, "skipped", "Rain storm", False, False),
        (-60, "done", "", False, False),
        (-60, "done_late", "", False, False),
        (-60, "missed", "", False, False),  # past: an item to acknowledge instead
    ],
)
def test_patrol_rounds_of_the_shift_done_or_skipped_with_reason_EN_8_6_1(
    on_duty, due, state, reason, started, blocked
):
    _round_due(on_duty, due, state, reason, started)
    v = handover.start(on_duty.actor("G01"))
    assert [b.rule for b in v.blockers] == (["EN-8.6.1"] if blocked else [])


def test_round_left_undone_past_the_shift_end_is_a_missed_item(on_duty):
    site = on_duty
    _round_due(site, -60)
    site.clock.set("2026-12-01 16:20")  # relief late: the round can no longer be done
    v = handover.start(site.actor("G01"))
    assert v.blockers == []
    assert [i.kind for i in v.items] == ["patrol_missed"]
    assert not v.items[0].carries


def test_outgoing_unsaved_drafts_block(on_duty):
    site = on_duty
    drafts.save(site.actor("G01"), "duty_log", {"text": "half"})
    drafts.save(site.actor("G02"), "phone", {"text": "not mine"})  # someone else's: no block
    v = handover.start(site.actor("G01"))
    assert [(b.rule, b.values["form"]) for b in v.blockers] == [("EN-8.6.1", "duty_log")]
    drafts.discard(site.actor("G01"), "duty_log")
    assert handover.view(v.id, site.clock.now()).blockers == []


def test_carried_item_without_reason_blocks_CS_R6(on_duty):
    site = on_duty
    rr = _repair(site)
    v = handover.start(site.actor("G01"))
    assert [b.rule for b in v.blockers] == ["CS-R6"]
    item = v.items[0]
    handover.set_reason(site.actor("G01"), v.id, item.id, "Lift company comes tomorrow")
    assert handover.view(v.id, site.clock.now()).blockers == []
    assert rr.id == item.ref_id


def test_not_handled_repair_keeps_its_reason(on_duty):
    _repair(on_duty, status="not_handled", reason="No spare part")
    v = handover.start(on_duty.actor("G01"))
    assert v.items[0].reason == "No spare part" and v.blockers == []


# --- abort (EN-8.6.3) ---------------------------------------------------------------------


def test_incident_opened_during_handover_aborts_it_EN_8_6_3(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    site.clock.advance(minutes=2)
    _incident(site)
    with pytest.raises(RuleViolation) as err:
        handover.acknowledge(site.actor("G01"), hid, 1)
    assert err.value.rule == "EN-8.6.3"
    assert Handover.get_by_id(hid).state == "aborted"
    # It is started again afterwards.
    assert handover.start(site.actor("G01")).state == "draft"


def test_incident_opened_just_before_signing_aborts(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    site.clock.advance(minutes=1)
    _incident(site)
    with pytest.raises(RuleViolation) as err:
        sign_handover(site, hid)
    assert err.value.rule == "EN-8.6.3"
    assert Handover.get_by_id(hid).state == "aborted"
    assert shifts.open_shift_of(site.security.id).opened_by_id == site.staff["G01"].id


def test_en_8_6_3_creating_an_incident_aborts_the_handover_at_once(on_duty):
    """EN-8.6.3: incidents.create_incident stops the desk's handover in the same
    transaction, before anyone touches the handover again."""

    site = on_duty
    hid = handover.start(site.actor("G01")).id
    got = incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2",
            category="fire",
            description="Smoke in the bin room",
            occurred_at=site.clock.now(),
        ),
    )
    h = Handover.get_by_id(hid)
    assert h.state == "aborted"
    assert h.end_reason == f"incident {got.id} opened during the handover"
    assert audit.verify_chain() == []


def test_abort_if_in_progress_for_the_incident_code(on_duty):
    site = on_duty
    assert handover.abort_if_in_progress(site.actor("G01"), site.security.id, "fire") is None
    hid = handover.start(site.actor("G01")).id
    assert handover.abort_if_in_progress(site.actor("G01"), site.security.id, "fire") == hid
    h = Handover.get_by_id(hid)
    assert (h.state, h.end_reason) == ("aborted", "fire")


# --- incoming ----------------------------------------------------------------------------


def test_same_person_on_both_sides_refused_EN_8_5_1(on_duty):
    hid = handover.start(on_duty.actor("G01")).id
    with pytest.raises(RuleViolation) as err:
        handover.identify_incoming(on_duty.actor("G01"), hid, "G01", PIN)
    assert err.value.rule == "EN-8.5.1"
    assert handover.view(hid, on_duty.clock.now()).incoming is None


def test_inactive_incoming_refused(on_duty):
    site = on_duty
    set_active(site.actor("S01"), site.staff["G02"].id, False)
    hid = handover.start(site.actor("G01")).id
    with pytest.raises(AuthError):
        handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)


def test_wrong_pin_on_identify_refused(on_duty):
    hid = handover.start(on_duty.actor("G01")).id
    with pytest.raises(AuthError):
        handover.identify_incoming(on_duty.actor("G01"), hid, "G02", "9999")


def test_checklist_no_needs_a_note_and_becomes_a_carried_item_EN_8_4(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    with pytest.raises(ValidationError) as err:
        handover.answer_check(site.actor("G01"), hid, "rooms_clean", False)
    assert err.value.field == "note"
    handover.answer_check(site.actor("G01"), hid, "rooms_clean", False, "Bin not emptied")
    v = handover.view(hid, site.clock.now())
    [item] = v.items
    assert (item.kind, item.reason, item.carries, item.acknowledged) == (
        "checklist",
        "Bin not emptied",
        True,
        True,
    )
    # Changing the answer to "yes" removes the item.
    handover.answer_check(site.actor("G01"), hid, "rooms_clean", True)
    assert handover.view(hid, site.clock.now()).items == []


def test_items_acknowledged_one_by_one(on_duty):
    site = on_duty
    key_out(site, "Roof")
    key_out(site, "Pump room")
    hid = handover.start(site.actor("G01")).id
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    for key in handover.CHECK_KEYS:
        handover.answer_check(site.actor("G01"), hid, key, True)
    v = handover.view(hid, site.clock.now())
    assert v.step == "acknowledge" and len(v.open_to_acknowledge) == 2
    handover.acknowledge(site.actor("G01"), hid, v.items[0].id)
    v = handover.view(hid, site.clock.now())
    assert v.step == "acknowledge" and len(v.open_to_acknowledge) == 1
    with pytest.raises(RuleViolation):  # no read-back before every item is acknowledged
        handover.confirm_read_back(site.actor("G01"), hid, 2)


def test_wrong_read_back_count_refused(on_duty):
    site = on_duty
    key_out(site)
    hid = handover.start(site.actor("G01")).id
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    for key in handover.CHECK_KEYS:
        handover.answer_check(site.actor("G01"), hid, key, True)
    handover.acknowledge(site.actor("G01"), hid, handover.view(hid, site.clock.now()).items[0].id)
    with pytest.raises(ValidationError) as err:
        handover.confirm_read_back(site.actor("G01"), hid, 0)
    assert err.value.field == "count"
    assert handover.view(hid, site.clock.now()).step == "read_back"
    with pytest.raises(RuleViolation):
        sign_handover(site, hid)
    handover.confirm_read_back(site.actor("G01"), hid, 1)
    assert handover.view(hid, site.clock.now()).step == "sign"


def test_a_new_key_lent_after_read_back_asks_again(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    key_out(site, "Late key")
    v = handover.refresh(site.actor("G01"), hid)
    assert v.step == "acknowledge" and v.read_back is None


def test_refuse_with_reason_keeps_the_outgoing_on_duty_EN_8_6_1(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    with pytest.raises(RuleViolation):  # the refuser identifies first
        handover.refuse(site.actor("G01"), hid, "Logs not in order")
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    with pytest.raises(ValidationError):
        handover.refuse(site.actor("G01"), hid, "  ")
    handover.refuse(site.actor("G01"), hid, "Logs not in order")
    h = Handover.get_by_id(hid)
    assert (h.state, h.end_reason) == ("refused", "Logs not in order")
    shift = shifts.open_shift_of(site.security.id)
    assert shift.state == "open" and shift.opened_by_id == site.staff["G01"].id
    events = [e.action for e in audit.AuditEvent.select().order_by(audit.AuditEvent.seq)]
    assert "handover.refuse" in events


# --- signing -----------------------------------------------------------------------------


def test_signing_with_a_wrong_pin_refused(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    with pytest.raises(AuthError) as err:
        sign_handover(site, hid, inc_pin="1111")
    assert err.value.field == "incoming_pin"
    with pytest.raises(AuthError) as err:
        sign_handover(site, hid, out_pin="")
    assert err.value.field == "outgoing_pin"
    assert Handover.get_by_id(hid).state == "draft"
    assert Signature.select().count() == 0


def test_signers_must_be_the_outgoing_and_the_identified_incoming(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    with pytest.raises(RuleViolation):
        sign_handover(site, hid, out="G02", inc="G02")
    with pytest.raises(RuleViolation):
        sign_handover(site, hid, inc="L01")


def test_signing_closes_opens_and_carries_items_over_with_reasons(on_duty):
    site = on_duty
    key_out(site)
    _repair(site, status="not_handled", reason="No spare part")
    old_shift = open_shift_id(site)
    with write():
        Shift.update(relief_overdue_at=site.clock.now()).where(Shift.id == old_shift).execute()
    hid = handover.start(site.actor("G01"), notes="Watch gate 2").id
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    for key in handover.CHECK_KEYS:
        ok = key != "equipment_normal"
        handover.answer_check(site.actor("G01"), hid, key, ok, "" if ok else "Pump 2 noisy")
    for item in handover.view(hid, site.clock.now()).open_to_acknowledge:
        handover.acknowledge(site.actor("G01"), hid, item.id)
    handover.confirm_read_back(site.actor("G01"), hid, 3)
    v = sign_handover(site, hid)

    assert v.state == "signed"
    closed = Shift.get_by_id(old_shift)
    assert closed.state == "closed" and closed.actual_end == site.clock.now()
    new = shifts.open_shift_of(site.security.id)
    assert new.id == v.incoming_shift_id and new.opened_by_id == site.staff["G02"].id
    assert new.planned_start.to("Asia/Shanghai").format("HH:mm") == "16:00"
    h = Handover.get_by_id(hid)
    sigs = list(Signature.select().where(Signature.handover == hid).order_by(Signature.id))
    assert [(s.staff_no, s.meaning) for s in sigs] == [
        ("G01", handover.MEANING_OUT),
        ("G02", handover.MEANING_IN),
    ]
    assert all(s.content_hash == h.content_hash == canonical.sha256(h.content) for s in sigs)
    assert h.content["record"]["chain_head"]["seq"] == h.chain_head_seq
    assert h.chain_head_seq <= audit.head().seq
    # CS-R2 / CS-R6: the next shift sees what was carried, each with its reason.
    carried = handover.carried_over_items(site.security.id)
    assert sorted((c.kind, c.reason) for c in carried) == [
        ("checklist", "Pump 2 noisy"),
        ("key", ""),
        ("repair", "No spare part"),
    ]


def test_carried_items_come_back_at_the_next_handover_until_resolved(on_duty):
    site = on_duty
    _repair(site, status="not_handled", reason="No spare part")
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    handover.answer_check(site.actor("G01"), hid, "rooms_clean", False, "Bin full")
    handover.confirm_read_back(site.actor("G01"), hid, 2)
    sign_handover(site, hid)
    # G02's middle shift: the repair is still open and comes back with its reason
    # (once, through its record); the free-text checklist item comes back as carried.
    site.clock.set("2026-12-01 23:30")
    v = handover.start(site.actor("G02"))
    assert sorted((i.kind, i.reason) for i in v.items) == [
        ("carried", "Bin full"),
        ("repair", "No spare part"),
    ]
    handover.abort(site.actor("G02"), v.id, "later")
    # A carried item resolved in the duty log is not carried again.
    items = {c.kind: c for c in handover.carried_over_items(site.security.id)}
    with pytest.raises(RuleViolation):  # a repair ends in its own record
        handover.resolve_carried_item(site.actor("G02"), items["repair"].id, "done")
    handover.resolve_carried_item(site.actor("G02"), items["checklist"].id, "Emptied")
    assert [c.kind for c in handover.carried_over_items(site.security.id)] == ["repair"]
    v = handover.start(site.actor("G02"))
    assert [i.kind for i in v.items] == ["repair"]


def test_others_on_the_shift_are_listed_on_the_record(on_duty):
    site = on_duty

    early = Shift.get_by_id(open_shift_id(site))
    with write():
        for no in ("G01", "L01"):
            RosterEntry.create(
                template=early.template_id,
                business_date=early.business_date,
                staff=site.staff[no].id,
                created_at=site.clock.now(),
            )
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    sign_handover(site, hid)
    teams = Handover.get_by_id(hid).content["context"]["teams"]
    assert teams["outgoing"] == [{"staff_no": "L01", "name": "Leader Li"}]


def test_discrepancy_recorded_by_the_incoming_and_seen_by_the_supervisor_EN_8_6_4(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    sign_handover(site, hid)
    with pytest.raises(RuleViolation):
        handover.record_discrepancy(site.actor("G01"), hid, "I hid nothing")
    did = handover.record_discrepancy(site.actor("G02"), hid, "Broken window in B2 not reported")
    [d] = handover.discrepancies(unseen_only=True)
    assert d.id == did and d.author.staff_no == "G02"
    with pytest.raises(RuleViolation):
        handover.mark_discrepancy_seen(site.actor("G02"), did)
    handover.mark_discrepancy_seen(site.actor("S01"), did)
    assert handover.discrepancies(unseen_only=True) == []
    assert HandoverDiscrepancy.get_by_id(did).handover_id == hid


def test_signed_handover_cannot_be_changed_through_peewee(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    walk_to_sign(site, hid)
    sign_handover(site, hid)
    h = Handover.get_by_id(hid)
    h.notes = "edited"
    with pytest.raises(Exception, match="signed records cannot be changed"):
        h.save()
