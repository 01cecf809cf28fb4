"""The desk's logs: append-only entries, corrections, closing, filters, paging."""

from __future__ import annotations

import arrow
import pytest

from dutydesk.domain import audit, logs
from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import open_without_handover
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent, DutyLogEntry, KeyLoan, Visitor

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


def duty(site, text="Gate 2 checked", **kw):
    values = {
        "occurred_at": site.clock.now(),
        "category": "routine",
        "text": text,
        "result": "ok",
        **kw,
    }
    return logs.add(site.actor("G01"), "duty", values)


def test_duty_entry_carries_author_desk_shift_and_time_cs3(site):
    shift = open_without_handover(site.actor("G01"), "first shift")
    entry = duty(site)
    row = DutyLogEntry.get_by_id(entry.id)
    assert row.author_id == site.staff["G01"].id
    assert row.desk_id == site.security.id
    assert row.shift_id == shift.id
    assert row.created_at == site.clock.now()
    assert row.occurred_at == site.clock.now()
    assert (row.text, row.result, row.category) == ("Gate 2 checked", "ok", "routine")
    ev = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert (ev.action, ev.record_id) == ("log.duty.create", row.id)
    assert (ev.staff_id, ev.desk_id) == (site.staff["G01"].id, site.security.id)
    assert audit.verify_chain() == []


def test_entry_without_shift_keeps_shift_empty(site):
    assert DutyLogEntry.get_by_id(duty(site).id).shift_id is None


def test_text_is_stored_exactly_as_typed(site):
    text = "  [bold]x[/] \x1b[31mred 🚒 值班  "
    assert DutyLogEntry.get_by_id(duty(site, text=text).id).text == text


def test_logging_needs_a_logged_in_person(site):
    with pytest.raises(RuleViolation):
        logs.add(
            Actor(site.clock, site.security.id),
            "duty",
            {"occurred_at": site.clock.now(), "text": "x"},
        )


def test_correction_needs_a_reason_and_keeps_the_original_cs3(site):
    original = duty(site, text="Gate 3 open")
    with pytest.raises(ValidationError) as err:
        logs.correct(
            site.actor("G02"),
            "duty",
            original.id,
            {"occurred_at": site.clock.now(), "text": "Gate 2 open"},
            reason="  ",
        )
    assert err.value.field == "reason"
    fixed = logs.correct(
        site.actor("G02"),
        "duty",
        original.id,
        {"occurred_at": site.clock.now(), "text": "Gate 2 open"},
        reason="wrong gate",
    )
    assert fixed.corrects_id == original.id and fixed.correction_reason == "wrong gate"
    again = logs.get("duty", original.id)
    assert again.corrected and again.corrected_by_id == fixed.id
    assert again.values["text"] == "Gate 3 open"  # the original is never changed
    page = logs.list_entries("duty", desk_id=site.security.id)
    assert [(e.id, e.corrected) for e in page.entries] == [(fixed.id, False), (original.id, True)]
    assert AuditEvent.select().where(AuditEvent.action == "log.duty.correct").count() == 1


def test_a_corrected_entry_is_corrected_through_its_latest_correction(site):
    original = duty(site)
    logs.correct(
        site.actor("G01"),
        "duty",
        original.id,
        {"occurred_at": site.clock.now(), "text": "b"},
        reason="r",
    )
    with pytest.raises(RuleViolation):
        logs.correct(
            site.actor("G01"),
            "duty",
            original.id,
            {"occurred_at": site.clock.now(), "text": "c"},
            reason="r",
        )


def test_validation_messages_name_the_field_in_both_languages(site):
    with pytest.raises(ValidationError) as err:
        logs.add(site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": "   "})
    assert err.value.field == "text"
    assert err.value.translated() == "Write what happened"
    set_language("zh")
    assert err.value.translated() == "请填写发生了什么"


def test_times_more_than_a_minute_ahead_are_refused(site):
    now = site.clock.now()
    duty(site, occurred_at=now.shift(seconds=59))
    with pytest.raises(ValidationError) as err:
        duty(site, occurred_at=now.shift(minutes=2))
    assert err.value.field == "occurred_at"
    set_language("zh")
    assert err.value.translated() == "该时间在将来"


def test_visitor_time_out_must_follow_time_in_sg2(site):
    now = site.clock.now()
    with pytest.raises(ValidationError) as err:
        logs.add(
            site.actor("G01"),
            "visitor",
            {"name": "Mr Li", "time_in": now, "time_out": now.shift(minutes=-5)},
        )
    assert err.value.field == "time_out"


def test_absence_end_after_start_cs7(site):
    now = site.clock.now()
    with pytest.raises(ValidationError) as err:
        logs.add(
            site.actor("G01"),
            "absence",
            {"reason": "toilet", "absent_from": now, "absent_to": now.shift(minutes=-1)},
        )
    assert err.value.field == "absent_to"
    e = logs.add(
        site.actor("G01"),
        "absence",
        {"reason": "toilet", "absent_from": now.shift(minutes=-10), "absent_to": now},
    )
    row = DutyLogEntry.get_by_id(e.id)
    assert (row.kind, row.text, row.absent_to) == ("absence", "toilet", now)


def test_discipline_note_needs_names_sg3(site):
    with pytest.raises(ValidationError) as err:
        logs.add(
            site.actor("L01"),
            "discipline",
            {"occurred_at": site.clock.now(), "names": "", "text": "no uniform"},
        )
    assert err.value.field == "names"
    e = logs.add(
        site.actor("L01"),
        "discipline",
        {"occurred_at": site.clock.now(), "names": "G02", "text": "no uniform"},
    )
    assert DutyLogEntry.get_by_id(e.id).kind == "discipline"
    # Kinds stay apart in the lists.
    assert [x.id for x in logs.list_entries("discipline").entries] == [e.id]
    assert logs.list_entries("absence").entries == []


def test_visitor_signs_out_once_audited_sg4(site):
    v = logs.add(
        site.actor("G01"),
        "visitor",
        {
            "name": "Mr Li",
            "organisation": "Gas Co",
            "entered_room": True,
            "time_in": site.clock.now(),
        },
    )
    assert [x.id for x in logs.visitors_inside(site.security.id)] == [v.id]
    site.clock.advance(minutes=30)
    out = logs.sign_out_visitor(site.actor("G02"), v.id)
    assert out.values["time_out"] == site.clock.now() and not out.is_open
    assert Visitor.get_by_id(v.id).entered_room is True
    assert logs.visitors_inside(site.security.id) == []
    with pytest.raises(RuleViolation):
        logs.sign_out_visitor(site.actor("G02"), v.id)
    ev = AuditEvent.get(AuditEvent.action == "log.visitor.close")
    assert ev.record_id == v.id and ev.staff_id == site.staff["G02"].id


def test_keys_out_lists_unreturned_and_uncorrected_loans(site):
    now = site.clock.now()
    a = logs.add(
        site.actor("G01"),
        "key",
        {"key_name": "Roof", "borrower": "Mr Wu", "out_at": now.shift(hours=-2)},
    )
    b = logs.add(
        site.actor("G01"),
        "key",
        {"key_name": "Pump room", "borrower": "E01", "out_at": now.shift(hours=-1)},
    )
    c = logs.add(site.actor("G01"), "key", {"key_name": "Gate", "borrower": "x", "out_at": now})
    logs.return_key(site.actor("G02"), b.id)
    fixed = logs.correct(
        site.actor("G01"),
        "key",
        c.id,
        {"key_name": "Gate 2", "borrower": "x", "out_at": now},
        reason="wrong key",
    )
    assert [k.id for k in logs.keys_out(site.security.id)] == [a.id, fixed.id]
    assert KeyLoan.get_by_id(b.id).returned_to_id == site.staff["G02"].id
    assert logs.keys_out(site.engineering.id) == []


def test_running_operation_listed_until_finished_en_8_6_2(site):
    eng = site.actor("E01", site.engineering)
    op = logs.add(
        eng,
        "switching",
        {"what": "Transformer 2 off", "operator": "E01", "started_at": site.clock.now()},
    )
    assert [o.id for o in logs.running_operations(site.engineering.id)] == [op.id]
    site.clock.advance(minutes=20)
    logs.finish_operation(eng, op.id)
    assert logs.running_operations(site.engineering.id) == []


def test_switching_only_at_engineering_desks(site):
    assert "switching" not in logs.kinds_for_desk("security")
    assert "switching" in logs.kinds_for_desk("engineering")
    with pytest.raises(RuleViolation):
        logs.add(
            site.actor("G01"),
            "switching",
            {"what": "x", "operator": "y", "started_at": site.clock.now()},
        )


def test_list_is_newest_first_paged_and_filtered_by_date(site):
    start = site.clock.now().shift(days=-3)
    ids = []
    for i in range(7):
        ids.append(duty(site, text=f"e{i}", occurred_at=start.shift(hours=12 * i)).id)
    page1 = logs.list_entries("duty", desk_id=site.security.id, limit=3)
    assert [e.id for e in page1.entries] == ids[::-1][:3]
    page2 = logs.list_entries("duty", desk_id=site.security.id, limit=3, after=page1.next_cursor)
    page3 = logs.list_entries("duty", desk_id=site.security.id, limit=3, after=page2.next_cursor)
    assert [e.id for e in page2.entries] == ids[::-1][3:6]
    assert [e.id for e in page3.entries] == ids[::-1][6:] and page3.next_cursor is None
    # 2026-11-28 10:00 + 12h steps: 11-29 holds entries 2 and 3 (Shanghai days).
    lo, hi = logs.day_bounds("2026-11-29", "2026-11-29", "Asia/Shanghai")
    day = logs.list_entries("duty", desk_id=site.security.id, start=lo, end=hi)
    assert [e.id for e in day.entries] == [ids[3], ids[2]]
    assert logs.list_entries("duty", desk_id=site.engineering.id).entries == []


def test_equal_times_page_by_id(site):
    ids = [duty(site, text=str(i)).id for i in range(5)]
    seen = []
    cursor = None
    while True:
        page = logs.list_entries("duty", limit=2, after=cursor)
        seen += [e.id for e in page.entries]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ids[::-1]


def test_phone_call_cs5_2_6(site):
    e = logs.add(
        site.actor("C01", site.service),
        "phone",
        {
            "call_at": site.clock.now(),
            "caller": "Ms Zhou",
            "number": "138",
            "content": "Lift stuck",
            "action": "called engineering",
        },
    )
    assert (e.values["caller"], e.values["content"]) == ("Ms Zhou", "Lift stuck")
    assert e.desk_id == site.service.id
    assert arrow.get(e.at) == site.clock.now()
