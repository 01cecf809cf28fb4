"""Two kiosks of one site (security booth, engineering room) on one database: a
major incident saved at the booth (CS6) shows on the engineering room's F2 alert
bar within 5 s; the engineering desk acknowledges it with F10 on its own (audited)."""

from __future__ import annotations

import pytest

from dutydesk.app import DutyDeskApp
from dutydesk.domain import incidents
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent
from tests.helpers.incidents import fire_alarm, leader_told
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, screen_text

pytestmark = pytest.mark.both_backends


def _kiosk(site, desk) -> DutyDeskApp:
    set_language("en")
    return DutyDeskApp(clock=site.clock, desk_code=desk.code, cli_lang="en", lock_after=180)


async def test_major_incident_at_the_booth_shows_in_the_engineering_room(site):
    booth, room = _kiosk(site, site.security), _kiosk(site, site.engineering)
    async with booth.run_test(size=SIZE) as at_booth, room.run_test(size=SIZE) as in_room:
        await in_room.pause()
        await login(in_room, "E01", PIN)
        await in_room.pause(1.1)  # the room's kiosk starts watching the site
        # The booth records a major incident (G01 at the security desk, CS6).
        await at_booth.pause()
        got = incidents.create_incident(
            site.actor("G01"), fire_alarm(severity="major"), [leader_told(site)]
        )
        await in_room.pause(1.1)  # one tick of the room's kiosk; well within 5 s
        text = screen_text(room)
        assert f"Major incident at {site.security.name}" in text
        assert "3号楼地下车库" in text
        assert room.alerts and not booth.alerts  # the booth knows already
        await in_room.press("f10")
        await in_room.pause()
        assert room.alerts == []
    ack = AuditEvent.get(AuditEvent.action == "site_alert.acknowledge")
    assert (ack.desk_id, ack.staff_id) == (site.engineering.id, site.staff["E01"].id)
    created = AuditEvent.get(
        (AuditEvent.action == "incident.create") & (AuditEvent.record_id == got.id)
    )
    assert ack.new == {"seqs": [created.seq]}
