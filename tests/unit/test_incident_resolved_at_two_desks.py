"""Two kiosks on one incident (SE-4): the second "resolve" from a stale screen is
refused, and the first result stays as it was written."""

from __future__ import annotations

import pytest

from dutydesk.domain import incidents as inc
from dutydesk.errors import RuleViolation
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent
from tests.helpers.incidents import fire_alarm

pytestmark = pytest.mark.both_backends


def test_a_second_resolve_is_refused_and_keeps_the_first_result(site):
    g, l1 = site.actor("G01"), site.actor("L01")
    got = inc.create_incident(g, fire_alarm())
    inc.resolve(g, got.id, "done")
    with pytest.raises(RuleViolation) as err:
        inc.resolve(l1, got.id, "done2")
    assert (
        err.value.translated() == "This incident is already resolved; open it again to see by whom"
    )
    set_language("zh")
    assert err.value.translated() == "此事件已被解决，请重新打开查看由谁解决"
    again = inc.get_incident(got.id)
    assert (again.result, again.closed_by_id) == ("done", site.staff["G01"].id)
    assert AuditEvent.select().where(AuditEvent.action == "incident.update").count() == 0


def test_the_result_of_a_resolved_incident_can_still_be_corrected_on_purpose(site):
    """Correcting the result (set_status with the same status) stays possible and audited."""
    g = site.actor("G01")
    got = inc.create_incident(g, fire_alarm())
    inc.resolve(g, got.id, "done")
    fixed = inc.set_status(g, got.id, "resolved", result="done, the panel was reset")
    assert fixed.result == "done, the panel was reset"
    assert AuditEvent.select().where(AuditEvent.action == "incident.update").count() == 1
