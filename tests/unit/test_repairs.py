"""Repair requests (报修, EN-8.3.2) at the engineering and service desks."""

from __future__ import annotations

import pytest

from dutydesk.domain import audit, search
from dutydesk.domain import repairs as rep
from dutydesk.domain.repairs import RepairFields
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent, RepairRequest

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends


def leak(**over) -> RepairFields:
    values = {
        "problem": "厨房水管漏水",
        "place": "5栋1202",
        "from_name": "陈女士",
        "from_unit": "5-1202",
        "from_phone": "138 0013 8000",
    }
    values.update(over)
    return RepairFields(**values)


def test_en_8_3_2_repairs_are_taken_at_engineering_and_service_desks(site):
    with pytest.raises(RuleViolation) as err:
        rep.create_repair(site.actor("G01"), leak())
    assert err.value.rule == "EN-8.3.2"
    e = rep.create_repair(site.actor("E01", site.engineering), leak())
    c = rep.create_repair(site.actor("C01", site.service), leak(problem="门禁卡失灵"))
    assert (e.desk_id, c.desk_id) == (site.engineering.id, site.service.id)
    assert e.received_at == site.clock.now() and e.status == "open"
    stored = RepairRequest.get_by_id(e.id)
    assert (stored.from_name, stored.from_unit, stored.from_phone, stored.place) == (
        "陈女士",
        "5-1202",
        "138 0013 8000",
        "5栋1202",
    )


def test_repair_fields_are_checked(site):
    e = site.actor("E01", site.engineering)
    problems = rep.check_repair(
        e, {"problem": " ", "from_phone": "call me", "received_at": site.clock.now().shift(hours=2)}
    )
    assert {p.field for p in problems} == {"problem", "from_phone", "received_at"}
    with pytest.raises(ValidationError) as err:
        rep.create_repair(e, leak(problem=""))
    assert err.value.field == "problem"
    set_language("zh")
    assert err.value.translated() == "请描述需要维修的问题"
    back = site.clock.now().shift(hours=-2)
    assert rep.create_repair(e, leak(received_at=back)).received_at == back


def test_en_8_3_2_open_requests_carry_over_not_handled_needs_a_reason(site):
    e = site.actor("E01", site.engineering)
    r = rep.create_repair(e, leak())
    # The next shift still sees it while it is open.
    site.clock.advance(hours=12)
    assert [x.id for x in rep.open_repairs(site.engineering.id)] == [r.id]
    with pytest.raises(ValidationError) as err:
        rep.mark_not_handled(e, r.id, "   ")
    assert err.value.field == "reason"
    assert err.value.translated() == "Give the reason it could not be handled"
    set_language("zh")
    assert err.value.translated() == "请填写未能处理的原因"
    set_language("en")
    got = rep.mark_not_handled(e, r.id, "缺少配件，明天采购")
    assert (got.status, got.reason) == ("not_handled", "缺少配件，明天采购")
    assert rep.open_repairs(site.engineering.id) == []
    # Handled later after all (the parts came).
    site.clock.advance(hours=12)
    with pytest.raises(ValidationError) as err:
        rep.mark_handled(e, r.id, "")
    assert err.value.field == "action"
    done = rep.mark_handled(e, r.id, "更换阀门")
    assert (done.status, done.action, done.handled_by_id, done.handled_at) == (
        "handled",
        "更换阀门",
        site.staff["E01"].id,
        site.clock.now(),
    )
    assert rep.open_repairs(site.engineering.id) == []
    with pytest.raises(RuleViolation):
        rep.mark_handled(e, r.id, "again")
    actions = [
        ev.action
        for ev in AuditEvent.select()
        .where(AuditEvent.record_type == "repair_request")
        .order_by(AuditEvent.seq)
    ]
    assert actions == ["repair.create", "repair.not_handled", "repair.handled"]
    assert audit.verify_chain() == []


def test_open_repairs_oldest_first_and_per_desk(site):
    e = site.actor("E01", site.engineering)
    first = rep.create_repair(e, leak())
    site.clock.advance(minutes=10)
    second = rep.create_repair(e, leak(problem="楼道灯不亮"))
    rep.create_repair(site.actor("C01", site.service), leak(problem="投诉噪音"))
    assert [x.id for x in rep.open_repairs(site.engineering.id)] == [first.id, second.id]
    page = rep.list_repairs(site.engineering.id, page_size=1)
    assert [x.id for x in page.items] == [second.id] and page.has_more


def test_repairs_are_searchable_with_what_was_done(site):
    e = site.actor("E01", site.engineering)
    r = rep.create_repair(e, leak())
    assert [h.ref_id for h in search.search("漏水", kinds=["repair"]).hits] == [r.id]
    assert search.search("阀门").hits == []
    rep.mark_handled(e, r.id, "更换阀门")
    assert [h.ref_id for h in search.search("阀门").hits] == [r.id]
    assert search.search("漏水").total == 1  # re-indexed, not indexed twice
