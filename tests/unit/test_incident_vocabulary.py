"""The words incidents, repairs and logs are stored with are StrEnums whose values are
the database's strings; the old tuples and the seeded category tree stay as they were."""

from __future__ import annotations

from dutydesk.domain import incidents, logs, repairs
from dutydesk.domain.incidents import IncidentStatus, NotifyMethod, NotifyRole, Severity


def test_enum_members_are_the_stored_strings():
    assert IncidentStatus.HANDLING == "handling"
    assert f"{IncidentStatus.RESOLVED}" == "resolved"
    assert incidents.STATUSES == ("open", "handling", "resolved")
    assert incidents.SEVERITIES == ("normal", "major") == tuple(Severity)
    assert incidents.METHODS == ("phone", "radio", "in_person") == tuple(NotifyMethod)
    assert incidents.NOTIFY_ROLES == (
        "leader",
        "captain",
        "supervisor",
        "duty_manager",
        "department_head",
        "hr",
        "police",
        "fire",
        "ambulance",
        "admin",
    )
    assert NotifyRole.DEPARTMENT_HEAD in incidents.ESCALATION_ROLES
    assert incidents.STATUS_LABELS["handling"] == "Being handled"
    assert repairs.STATUSES == ("open", "handled", "not_handled")
    assert repairs.UNFINISHED == ("open",)
    assert repairs.RepairStatus.NOT_HANDLED == "not_handled"
    assert logs.KINDS == ("duty", "phone", "visitor", "absence", "discipline", "key", "switching")
    assert logs.DUTY_LIST_KINDS == ("duty", "incident", "system")
    assert logs.KIND_LABELS["key"] == "Key lending"


def test_the_package_keeps_the_names_callers_import():
    for name in (
        "IncidentFields",
        "IncidentInfo",
        "NotificationFields",
        "ReportInfo",
        "StatusChange",
        "create_incident",
        "get_incident",
        "check_incident",
        "list_incidents",
        "open_incidents",
        "incidents_being_handled",
        "overdue_reports",
        "pending_reports",
        "file_report",
        "report_content",
        "reports",
        "categories",
        "contacts",
        "verify_report",
    ):
        assert hasattr(incidents, name), name
    assert callable(incidents.reports)
    assert callable(incidents.categories)
    assert callable(incidents.contacts)


def test_the_default_categories_are_seeded_as_a_two_level_tree(site):
    g = site.actor("G01")
    got = [(c.code, c.parent_code, c.position) for c in incidents.categories(g, "engineering")]
    assert got == [
        ("power", "", 0),
        ("power.outage", "power", 0),
        ("power.trip", "power", 1),
        ("water", "", 1),
        ("water.leak", "water", 0),
        ("water.burst", "water", 1),
        ("water.cut", "water", 2),
        ("lift", "", 2),
        ("lift.trapped", "lift", 0),
        ("lift.fault", "lift", 1),
        ("hvac", "", 3),
        ("fire_system", "", 4),
        ("fire_system.false_alarm", "fire_system", 0),
        ("fire_system.fault", "fire_system", 1),
        ("other", "", 5),
    ]
    security = {c.code: c for c in incidents.categories(g, "security")}
    assert len(security) == 18
    assert security["dispute"].notify_role == "hr"
    assert security["dispute.fight"].notify_role == ""
