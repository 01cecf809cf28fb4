"""EN-8.6.3: the cause of a stopped handover is data (the rule and the incident),
written in one place (dutydesk.domain.interruptions) and read, never parsed back from
the reason's text; migration 6 fills it in for handovers stopped before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutydesk import migrations
from dutydesk import models as m
from dutydesk.db import open_database, write
from dutydesk.domain import handover, incidents, interruptions, shifts
from dutydesk.models import Handover

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

pytestmark = pytest.mark.both_backends


@pytest.fixture
def on_duty(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    return site


def _incident(site) -> int:
    return incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2",
            category="fire",
            description="Smoke in the bin room",
            occurred_at=site.clock.now(),
        ),
    ).id


def test_an_incident_stops_the_handover_with_its_cause_as_data(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    incident_id = _incident(site)
    v = handover.view(hid, site.clock.now())
    assert v.state == handover.HandoverState.ABORTED
    assert (v.abort_rule, v.abort_incident_id) == ("EN-8.6.3", incident_id)


def test_an_incident_seen_at_the_next_step_stops_it_with_its_cause(on_duty):
    """An incident recorded without the incident code (an import…) is caught by the
    handover's next step, with the same cause."""
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    site.clock.advance(minutes=1)
    with write():
        row = m.Incident.create(
            desk=site.security.id,
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            occurred_at=site.clock.now(),
            place="Gate 2",
            category="security",
            description="Fight at the gate",
        )
    with pytest.raises(Exception, match="stopped"):
        handover.set_notes(site.actor("G01"), hid, "late notes")
    v = handover.view(hid, site.clock.now())
    assert (v.state, v.abort_rule, v.abort_incident_id) == ("aborted", "EN-8.6.3", row.id)


def test_stopped_by_the_outgoing_has_no_rule(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    handover.abort(site.actor("G01"), hid, "wrong moment")
    v = handover.view(hid, site.clock.now())
    assert (v.end_reason, v.abort_rule, v.abort_incident_id) == ("wrong moment", "", None)


def test_no_handover_in_progress_nothing_to_stop(on_duty):
    assert interruptions.incident_opened(on_duty.actor("G01"), on_duty.security.id, 1) is None


def test_the_incident_code_does_not_import_the_handover():
    """The import circle is gone: incidents ask interruptions, which knows neither."""
    import ast
    import inspect

    for module in (incidents, interruptions):
        tree = ast.parse(inspect.getsource(module))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom | ast.Import)
            for alias in node.names
        } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name and "handover" in name for name in imported), module.__name__


# --- migration 6 ---------------------------------------------------------------------------


def test_version_6_reads_the_cause_of_older_stopped_handovers(tmp_path: Path):
    """The committed version-5 file: the handover stopped by incident 1 gets the rule and
    the incident; the one stopped by the outgoing gets neither."""
    copy = tmp_path / "schema_v5.db"
    shutil.copyfile(FIXTURES / "schema_v5.db", copy)
    database = open_database(str(copy))
    try:
        rows = database.execute_sql(
            "SELECT id, abort_rule, abort_incident_id FROM handover ORDER BY id"
        ).fetchall()
        versions = database.execute_sql("SELECT version, name FROM schema_version").fetchall()
    finally:
        database.close()
    assert rows == [(1, "EN-8.6.3", 1), (2, None, None)]
    assert versions[-1] == (6, "handover abort cause")


@pytest.mark.both_backends("postgresql")
def test_version_6_upgrades_a_site_server_of_version_5(on_duty, db):
    """The same upgrade on a PostgreSQL site server (SQLite: the committed file above):
    the version-5 columns, rows stopped the old way, then the migration."""
    site = on_duty
    first = handover.start(site.actor("G01")).id
    incident_id = _incident(site)
    second = handover.start(site.actor("G01")).id
    handover.abort(site.actor("G01"), second, "wrong moment")
    with write():
        db.execute_sql('DROP INDEX IF EXISTS "handover_abort_incident_id"')
        db.execute_sql("ALTER TABLE handover DROP COLUMN abort_incident_id")
        db.execute_sql("ALTER TABLE handover DROP COLUMN abort_rule")
        Handover.update(end_reason=interruptions.reason_text(incident_id)).where(
            Handover.id == first
        ).execute()
        m.SchemaVersion.update(version=5).where(m.SchemaVersion.version == 6).execute()
    assert migrations.migrate(db) == migrations.LATEST
    got = {
        h.id: (h.abort_rule, h.abort_incident_id)
        for h in Handover.select().where(Handover.id.in_([first, second]))
    }
    assert got == {first: ("EN-8.6.3", incident_id), second: (None, None)}
