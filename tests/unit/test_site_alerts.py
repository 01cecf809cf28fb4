"""Alerts between desks (CS6, CS-R4): what one desk records, the others are shown."""

from __future__ import annotations

import pytest

from dutydesk.domain import audit, site_alerts
from dutydesk.models import AuditEvent

pytestmark = pytest.mark.both_backends


def _major(site, desk, **new):
    audit.record(
        site.actor("E01", desk),
        "incident.create",
        "incident",
        1,
        new={"severity": "major", "place": "B1 pump room", "description": "Flooding", **new},
    )


def test_a_major_incident_at_one_desk_reaches_the_others_cs6(site):
    security = site_alerts.watch(site.security.id)
    engineering = site_alerts.watch(site.engineering.id)
    assert site_alerts.look(security) == []
    _major(site, site.engineering)
    found = site_alerts.look(security)
    assert [(a.msgid, a.values) for a in found] == [
        (
            "Major incident at {desk}: {what}",
            {"desk": site.engineering.name, "what": "B1 pump room · Flooding"},
        )
    ]
    assert site_alerts.look(security) == []  # told once
    assert site_alerts.look(engineering) == []  # its own desk already knows


def test_only_the_events_that_matter_to_other_desks(site):
    security = site_alerts.watch(site.security.id)
    _major(site, site.engineering, severity="normal")
    audit.record(
        site.actor("E01", site.engineering), "patrol.check_mark", new={"out_of_range": False}
    )
    assert site_alerts.look(security) == []
    audit.record(
        site.actor("E01", site.engineering),
        "patrol.check_mark",
        new={"out_of_range": True, "checkpoint": "P-07", "value": 9.8},
    )
    audit.record(site.actor("C01", site.service), "shift.relief_overdue")
    audit.record(site.actor("C01", site.service), "handover.refuse", new={"reason": "Keys missing"})
    texts = [a.msgid.format(**a.values) for a in site_alerts.look(security)]
    assert texts == [
        f"Reading out of range at {site.engineering.name}: P-07 9.8",
        f"Relief overdue at {site.service.name} (CS-R4)",
        f"Handover refused at {site.service.name}: Keys missing",
    ]


def test_events_before_the_kiosk_started_are_not_repeated(site):
    _major(site, site.engineering)
    assert site_alerts.look(site_alerts.watch(site.security.id)) == []


def test_each_desk_acknowledges_on_its_own_audited(site):
    security = site_alerts.watch(site.security.id)
    service = site_alerts.watch(site.service.id)
    _major(site, site.engineering)
    seen = site_alerts.look(security)
    assert len(seen) == 1 and len(site_alerts.look(service)) == 1
    site_alerts.acknowledge(site.actor("G01"), seen)
    ev = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert (ev.action, ev.desk_id, ev.staff_id) == (
        "site_alert.acknowledge",
        site.security.id,
        site.staff["G01"].id,
    )
    assert ev.new == {"seqs": [seen[0].seq]}
    assert audit.verify_chain() == []


WRITER = """
import sys
from dutydesk.clock import FixedClock
from dutydesk.db import open_database
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
open_database(sys.argv[1])
audit.record(
    Actor(FixedClock("2026-12-01 10:05", tz="Asia/Shanghai"), int(sys.argv[2])),
    "incident.create", "incident", 1, new={"severity": "major", "place": "Gate"},
)
"""


def test_another_kiosk_process_is_heard_within_5_seconds(site, db_target):
    """The other desk is another PC: its commit reaches this kiosk by NOTIFY
    (PostgreSQL) or PRAGMA data_version (SQLite), not through this connection."""
    import subprocess
    import sys
    import time

    security = site_alerts.watch(site.security.id)
    assert site_alerts.look(security) == []
    done = subprocess.run(
        [sys.executable, "-c", WRITER, db_target, str(site.engineering.id)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 5  # the kiosk looks every second; 5 s is the promise
    found: list[site_alerts.SiteAlert] = []
    while not found and time.monotonic() < deadline:
        found = site_alerts.look(security)
    assert [a.values["what"] for a in found] == ["Gate"]
