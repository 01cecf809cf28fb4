"""Incidents: the SE-4 form, escalation (CS6, CS-R3), the written report, the lists."""

from __future__ import annotations

import peewee as pw
import pytest

from dutydesk.domain import audit, canonical, drafts, search
from dutydesk.domain import incidents as inc
from dutydesk.domain.incidents import IncidentFields, NotificationFields
from dutydesk.errors import AuthError, RuleViolation, ValidationError
from dutydesk.i18n import set_language
from dutydesk.models import (
    AuditEvent,
    Checkpoint,
    DutyLogEntry,
    IncidentReport,
    Notification,
    Signature,
)
from tests.helpers.incidents import fire_alarm, leader_told
from tests.helpers.site import PIN

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


# --- field validation ----------------------------------------------------------------


def test_required_fields_are_named_with_english_messages(site):
    g = site.actor("G01")
    problems = inc.check_incident(g, IncidentFields())
    assert {p.field for p in problems} == {"place", "category", "description"}
    by_field = {p.field: p.translated() for p in problems}
    assert by_field["place"] == "Enter the place"
    assert by_field["description"] == "Describe what happened"
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(place="   "))
    assert err.value.field == "place"


def test_field_messages_in_chinese(site):
    g = site.actor("G01")
    set_language("zh")
    problems = {p.field: p.translated() for p in inc.check_incident(g, IncidentFields())}
    assert problems["place"] == "请填写地点"
    assert problems["category"] == "请选择事件性质"
    assert problems["description"] == "请描述发生了什么"
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(occurred_at=site.clock.now().shift(hours=1)))
    assert err.value.translated() == "发生时间不能晚于现在"


def test_occurred_at_defaults_to_now_may_be_set_back_never_future(site):
    g = site.actor("G01")
    now = site.clock.now()
    assert inc.create_incident(g, fire_alarm()).occurred_at == now
    back = now.shift(hours=-3)
    assert inc.create_incident(g, fire_alarm(occurred_at=back)).occurred_at == back
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(occurred_at=now.shift(minutes=5)))
    assert err.value.field == "occurred_at"


def test_category_must_belong_to_the_desk_kind(site):
    g = site.actor("G01")
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(category="lift", subcategory=""))  # engineering only
    assert err.value.field == "category"
    with pytest.raises(ValidationError) as err:
        inc.create_incident(g, fire_alarm(subcategory="dispute.fight"))  # not a detail of fire
    assert err.value.field == "subcategory"
    e = site.actor("E01", site.engineering)
    got = inc.create_incident(e, fire_alarm(category="lift", subcategory="lift.trapped"))
    assert (got.category_name, got.subcategory_name) == ("Lift", "People trapped")


def test_people_count_is_a_whole_number(site):
    g = site.actor("G01")
    for bad in (-1, "two", "1.5", 1.5):
        with pytest.raises(ValidationError) as err:
            inc.create_incident(g, fire_alarm(people_count=bad))
        assert err.value.field == "people_count"
    assert inc.create_incident(g, fire_alarm(people_count="3")).people_count == 3


def test_hostile_text_is_stored_byte_for_byte(site):
    g = site.actor("G01")
    hostile = '[bold red]x[/] \'; DROP TABLE incident; -- "引号" *(NEAR)* \t\n😀 \u202eevil'
    got = inc.create_incident(
        g, fire_alarm(place=hostile, description=hostile, characteristics=hostile, actions=hostile)
    )
    again = inc.get_incident(got.id)
    assert again.place == again.description == again.characteristics == again.actions == hostile
    assert search.search("DROP TABLE").hits[0].ref_id == got.id


def test_a_draft_round_trips_through_the_drafts_store(site):
    g = site.actor("G01")
    form = fire_alarm(occurred_at=site.clock.now().shift(minutes=-20), people_count="4")
    drafts.save(g, "incident", form.to_draft())
    back = IncidentFields.from_mapping(drafts.load(g, "incident"))
    assert back == form


# --- escalation (CS6, CS-R3) -------------------------------------------------------------


def test_cs6_major_incident_without_any_notification_is_refused(site):
    g = site.actor("G01")
    with pytest.raises(RuleViolation) as err:
        inc.create_incident(g, fire_alarm(severity="major"))
    assert err.value.rule == "CS6"
    assert inc.list_incidents().items == []


def test_cs6_unreached_or_lower_level_notification_does_not_count(site):
    g = site.actor("G01")
    for notes in (
        [leader_told(site, reached=False)],
        [leader_told(site, role="hr"), leader_told(site, role="police")],
    ):
        with pytest.raises(RuleViolation):
            inc.create_incident(g, fire_alarm(severity="major"), notes)
    assert Notification.select().count() == 0


@pytest.mark.parametrize("role", ["leader", "supervisor", "admin", "department_head"])
def test_cs6_major_incident_with_reached_leader_level_notification_is_saved(site, role):
    g = site.actor("G01")
    got = inc.create_incident(
        g,
        fire_alarm(severity="major"),
        [leader_told(site, reached=False, role="captain"), leader_told(site, minutes=0, role=role)],
    )
    assert got.major and len(got.notifications) == 2
    assert [n.role for n in got.notifications if n.reached] == [role]


def test_cs_r3_time_from_occurrence_to_first_report(site):
    g = site.actor("G01")
    occurred = site.clock.now().shift(minutes=-30)
    got = inc.create_incident(
        g,
        fire_alarm(occurred_at=occurred),
        [
            leader_told(site, minutes=-5),
            leader_told(site, minutes=-25, reached=False),  # not reached: not a report
            leader_told(site, minutes=-12, role="supervisor"),
        ],
    )
    assert got.first_report_delay.total_seconds() == 18 * 60


def test_notification_time_checks(site):
    g = site.actor("G01")
    occurred = site.clock.now().shift(minutes=-30)
    problems = inc.check_incident(
        g,
        fire_alarm(occurred_at=occurred),
        [
            NotificationFields(role="leader", notified_at=occurred.shift(minutes=-1)),
            NotificationFields(role="nobody", method="pigeon"),
        ],
    )
    assert {p.field for p in problems} == {
        "notifications.0.notified_at",
        "notifications.1.role",
        "notifications.1.method",
    }


def test_later_notification_and_raising_to_major(site):
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm())
    with pytest.raises(RuleViolation) as err:
        inc.mark_major(g, got.id)
    assert err.value.rule == "CS6"
    inc.add_notification(g, got.id, {"role": "supervisor", "name": "Sun", "method": "radio"})
    major = inc.mark_major(g, got.id)
    assert major.major and major.report_due_at is not None
    assert AuditEvent.get(AuditEvent.action == "incident.severity").record_id == got.id


def test_sg7_a_dispute_asks_for_hr_to_be_told(site):
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm(category="dispute", subcategory="dispute.fight"))
    assert inc.notify_roles_missing(got.id) == ["hr"]
    inc.add_notification(g, got.id, NotificationFields(role="hr", name="HR Wu"))
    assert inc.notify_roles_missing(got.id) == []


def test_contact_list_defaults_and_supervisor_edits(site):
    g, s = site.actor("G01"), site.actor("S01")
    roles = [c.role for c in inc.contacts(g)]
    assert roles == ["supervisor", "captain", "duty_manager", "police", "fire", "ambulance"]
    assert inc.contacts(g)[0].name == "Supervisor Sun"
    with pytest.raises(RuleViolation):
        inc.save_contact(g, "captain", "Captain Hu", "139 0000 0000")
    captain = inc.contacts(s)[1]
    inc.save_contact(s, "captain", "Captain Hu", "139 0000 0000", contact_id=captain.id)
    assert inc.contacts(g)[1].name == "Captain Hu"
    note = inc.contacts(g)[1].notification(method="radio")
    assert (note.role, note.name, note.method) == ("captain", "Captain Hu", "radio")
    with pytest.raises(ValidationError):
        inc.save_contact(s, "police", "x", "call me maybe")


# --- categories ----------------------------------------------------------------------


def test_categories_are_seeded_per_desk_kind_in_both_languages(site):
    g = site.actor("G01")
    sec = {c.code: c for c in inc.categories(g, "security")}
    assert {
        "intrusion",
        "dispute",
        "fire",
        "theft",
        "vehicle",
        "suspicious",
        "medical",
        "damage",
        "other",
    } <= sec.keys()
    assert sec["fire.alarm"].parent_code == "fire"
    assert (sec["fire.alarm"].name_zh, sec["fire.alarm"].name_en) == ("火警", "Fire alarm")
    assert sec["dispute"].notify_role == "hr"
    eng = {c.code for c in inc.categories(g, "engineering") if not c.parent_code}
    assert eng == {"power", "water", "lift", "hvac", "fire_system", "other"}
    svc = {c.code for c in inc.categories(g, "service") if not c.parent_code}
    assert svc == {"complaint", "facility", "neighbours", "other"}


def test_only_a_supervisor_edits_categories(site):
    g, s = site.actor("G01"), site.actor("S01")
    with pytest.raises(RuleViolation):
        inc.add_category(g, "security", "高空抛物", "Thrown object")
    new = inc.add_category(s, "security", "高空抛物", "Thrown object", parent_code="other")
    assert new.code == "other.thrown_object"
    fire_cat = next(c for c in inc.categories(s, "security") if c.code == "fire")
    inc.update_category(s, fire_cat.id, name_zh="火灾烟雾", active=False)
    assert "fire" not in {c.code for c in inc.categories(g, "security")}
    with pytest.raises(ValidationError):
        inc.create_incident(g, fire_alarm())


# --- duty log, status, lists ---------------------------------------------------------


def test_se4_saved_incident_writes_a_linked_duty_log_entry(site):
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm())
    entry = DutyLogEntry.get(DutyLogEntry.ref_id == got.id)
    assert (entry.kind, entry.ref_type, entry.desk_id, entry.author_id) == (
        "incident",
        "incident",
        site.security.id,
        site.staff["G01"].id,
    )
    assert entry.occurred_at == got.occurred_at
    assert "3号楼地下车库" in entry.text and "烟感报警" in entry.text


def test_a_failed_save_leaves_neither_incident_nor_log_entry(site):
    g = site.actor("G01")
    with pytest.raises(RuleViolation):
        inc.create_incident(g, fire_alarm(severity="major"))
    assert DutyLogEntry.select().count() == 0


def test_en_8_6_2_status_changes_are_audited_and_handling_blocks(site):
    g, l1 = site.actor("G01"), site.actor("L01")
    got = inc.create_incident(g, fire_alarm())
    assert inc.incidents_being_handled(site.security.id) == []
    site.clock.advance(minutes=5)
    inc.start_handling(g, got.id)
    assert [i.id for i in inc.incidents_being_handled(site.security.id)] == [got.id]
    ev = AuditEvent.get(AuditEvent.action == "incident.status")
    assert (ev.staff_id, ev.at, ev.old["status"], ev.new["status"]) == (
        site.staff["G01"].id,
        site.clock.now(),
        "open",
        "handling",
    )
    with pytest.raises(ValidationError) as err:
        inc.set_status(l1, got.id, "resolved")
    assert err.value.field == "result"
    site.clock.advance(minutes=30)
    closed = inc.resolve(l1, got.id, "明火已扑灭，无人受伤")
    assert (closed.status, closed.closed_by_id, closed.closed_at, closed.result) == (
        "resolved",
        site.staff["L01"].id,
        site.clock.now(),
        "明火已扑灭，无人受伤",
    )
    assert inc.incidents_being_handled(site.security.id) == []
    statuses = [
        e.new["status"]
        for e in AuditEvent.select()
        .where(AuditEvent.action == "incident.status")
        .order_by(AuditEvent.seq)
    ]
    assert statuses == ["handling", "resolved"]
    assert audit.verify_chain() == []


def test_open_incidents_of_earlier_shifts_are_listed(site):
    g = site.actor("G01")
    old = inc.create_incident(g, fire_alarm())
    done = inc.create_incident(g, fire_alarm(status="resolved", result="处理完毕"))
    assert done.closed_by_id == site.staff["G01"].id
    site.clock.advance(days=3)
    new = inc.create_incident(g, fire_alarm(description="又一次"))
    assert [i.id for i in inc.open_incidents(site.security.id)] == [new.id, old.id]
    page = inc.list_incidents(site.security.id, page_size=2)
    assert [i.id for i in page.items] == [new.id, done.id] and page.has_more
    page2 = inc.list_incidents(site.security.id, page=1, page_size=2)
    assert [i.id for i in page2.items] == [old.id] and not page2.has_more
    assert [i.id for i in inc.list_incidents(status="resolved").items] == [done.id]
    day = site.clock.now().to("Asia/Shanghai").date()
    assert [i.id for i in inc.list_incidents(day_from=day, day_to=day).items] == [new.id]


def test_incident_from_a_patrol_problem_prefills_place(site):
    g = site.actor("G01")
    cp = Checkpoint.create(
        desk=site.security.id,
        code="B1-07",
        name="消防通道",
        name_en="Fire lane",
        area="B1",
        kind="condition",
    )
    form = inc.fields_from_checkpoint(g, cp.id, note="通道被杂物堵塞")
    assert (form.place, form.checkpoint_id, form.description) == (
        "B1 Fire lane",
        cp.id,
        "通道被杂物堵塞",
    )
    got = inc.create_incident(g, fire_alarm(place=form.place, checkpoint_id=cp.id))
    assert got.checkpoint_id == cp.id


# --- the written report (CS6) ------------------------------------------------------------


def test_cs6_report_due_by_end_of_next_day_then_overdue(site):
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm(severity="major"), [leader_told(site)])
    due = got.report_due_at.to("Asia/Shanghai")
    assert due.format("YYYY-MM-DD HH:mm:ss.SSS") == "2026-12-02 23:59:59.999"
    assert inc.create_incident(g, fire_alarm()).report_due_at is None  # normal: no report due
    site.clock.set("2026-12-02 23:59:59")
    assert inc.overdue_reports(site.clock.now()) == []
    assert [r.incident_id for r in inc.pending_reports(site.clock.now())] == [got.id]
    site.clock.advance(seconds=1)
    late = inc.overdue_reports(site.clock.now())
    assert [(r.incident_id, r.overdue) for r in late] == [(got.id, True)]
    assert inc.get_incident(got.id).report_overdue(site.clock.now())


def test_cs6_report_signed_with_the_authors_pin(site):
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm(severity="major"), [leader_told(site)])
    text = inc.draft_report(got.id)
    assert "3号楼地下车库" in text and "Fire alarm" in text and "Leader Li" in text
    with pytest.raises(AuthError):
        inc.file_report(g, got.id, text, "G01", "0000")
    assert IncidentReport.select().count() == 0
    with pytest.raises(ValidationError) as err:
        inc.file_report(g, got.id, "  ", "G01", PIN)
    assert err.value.field == "text"
    site.clock.advance(hours=30)
    filed = inc.file_report(g, got.id, text + "\n补充：已通知物业经理", "G01", PIN)
    sig = Signature.get(Signature.report == filed.id)
    report = IncidentReport.get_by_id(filed.id)
    assert sig.content_hash == canonical.sha256(inc.report_content(report)) == filed.content_hash
    assert (sig.staff_id, sig.meaning, sig.signed_at) == (
        site.staff["G01"].id,
        "报告 / report",
        site.clock.now(),
    )
    assert inc.verify_report(filed.id)
    assert inc.pending_reports(site.clock.now().shift(days=5)) == []
    assert inc.get_incident(got.id).report_filed_at == site.clock.now()
    # Once signed, never changed (the database refuses it too).
    with pytest.raises(pw.IntegrityError):
        IncidentReport.update(text="changed").where(IncidentReport.id == filed.id).execute()


def test_report_draft_in_chinese(site):
    g = site.actor("G01")
    got = inc.create_incident(
        g, fire_alarm(severity="major"), [leader_told(site, role="supervisor")]
    )
    set_language("zh")
    text = inc.draft_report(got.id)
    assert "地点：3号楼地下车库" in text and "火情烟雾 / 火警" in text and "主管" in text
