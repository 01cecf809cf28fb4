"""Reports built from a small site with known records (tests/helpers/report_site.py); every
figure is computed by hand from the records listed there. Rules: CS3 (the duty
record), CS6 and CS-R3 (incidents, time to first report, written reports), SE-3
(patrol completion), CS-R4 (late relief), EN-8.5/EN-8.7.1 (the handover record)."""

from __future__ import annotations

import datetime as dt

import pytest

from dutydesk.domain import reports
from dutydesk.domain.reports import day, handover, incident, month, patrol
from dutydesk.domain.reports.export import export_records
from dutydesk.domain.reports.request import ReportRequest, file_name, make
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.models import AuditEvent
from tests.helpers.report_site import DAY, at, build
from tests.helpers.site import PIN


@pytest.fixture
def rs(site):
    return build(site, PIN)


def test_day_record_lists_everything_in_time_order(rs):
    rec = day.day_record(rs.site.security.id, DAY, rs.now())
    times = [e.at for e in rec.log]
    assert times == sorted(times)
    texts = [e.summary for e in rec.log if e.kind == "duty" and e.entry_kind == "duty"]
    # The out-of-range reading goes to the duty log when the round is finished.
    assert texts == [
        "Gate opened",
        "Gate opened at 07:58",
        "Parcel room checked",
        "Tank temperature: 95 °C — Heater stuck on",
    ]
    first = next(e for e in rec.log if e.id == rs.first_entry_id and e.kind == "duty")
    assert first.corrected_by_id == rs.correction_id
    fix = next(e for e in rec.log if e.id == rs.correction_id and e.kind == "duty")
    assert fix.corrects_id == rs.first_entry_id and fix.correction_reason == "wrong time"
    # Incidents A, B, C occurred on 1 Dec; D, E, F later.
    assert [i.id for i in rec.incidents] == [rs.incidents[k] for k in "ABC"]
    assert [r.round.state for r in rec.rounds] == ["done", "skipped", "done_late", "missed"]
    assert [(c.checkpoint.code, c.value) for _r, c in rec.readings_out_of_range] == [("T1", 95.0)]
    assert [v.values["name"] for v in rec.visitors] == ["Plumber Liu"]
    assert [k.values["key_name"] for k in rec.keys] == ["Boiler room"]
    assert len(rec.handovers) == 1
    h = rec.handovers[0]
    assert (h.state, h.outgoing.staff_no, h.incoming.staff_no) == ("signed", "G01", "G02")
    assert [s.staff_no for s in h.signatures] == ["G01", "G02"]
    # The business day of the security desk runs from the night shift's 00:00 to 24:00.
    assert rec.start == at("2026-12-01 00:00") and rec.end == at("2026-12-02 00:00")


def test_day_record_of_one_shift_and_a_bad_shift(rs):
    rec = day.day_record(rs.site.security.id, DAY, rs.now(), "night")
    assert rec.log == () and rec.rounds == () and rec.incidents == ()
    with pytest.raises(Exception, match="No shift"):
        day.day_record(rs.site.security.id, DAY, rs.now(), "siesta")


def test_patrol_record_counts_every_outcome(rs):
    rec = patrol.patrol_record(rs.site.security.id, DAY, rs.now())
    assert [rec.count(s) for s in ("done", "done_late", "skipped", "missed")] == [1, 1, 1, 1]
    assert [r.round.due_at.to("Asia/Shanghai").format("HH:mm") for r in rec.missed] == ["15:30"]
    skipped = next(r for r in rec.rounds if r.round.state == "skipped")
    assert skipped.round.skip_reason == "Fire alarm at Block 3"
    done = rec.rounds[0]
    assert done.started_by == "Guard Wang (G01)"
    assert [c.result for c in done.checks] == ["ok", "reading"]
    assert done.checks[1].checkpoint.range_text and done.checks[1].out_of_range


def test_handover_record_is_the_signed_content_in_time_order(rs):
    rec = handover.handover_record(rs.handover_id, rs.now())
    assert [line.at for line in rec.duty_log] == sorted(line.at for line in rec.duty_log)
    assert [s.staff_no for s in rec.signatures] == ["G01", "G02"]
    assert {s.meaning for s in rec.signatures} == {"交班 / handed over", "接班 / taken over"}
    assert len(rec.content_hash) == 64 and rec.chain_head_seq is not None
    # The skipped and the missed round and the reading out of range are the items,
    # each acknowledged by the incoming; none is carried over.
    assert [i.kind for i in rec.items] == ["patrol_skipped", "patrol_missed", "reading"]
    assert all(i.acknowledged_by.staff_no == "G02" for i in rec.items)
    assert rec.read_back == rec.carried == 0
    assert all(c.ok for c in rec.checklist)


def test_handover_list_and_last_signed(rs):
    found = handover.list_handovers(rs.site.security.id, reports.Period(DAY, DAY))
    assert [h.id for h in found] == [rs.handover_id]
    assert handover.list_handovers(rs.site.engineering.id) == []
    assert handover.last_signed(rs.site.security.id).id == rs.handover_id
    assert handover.latest_signed_id(rs.site.security.id, DAY - dt.timedelta(days=1)) is None


def test_unsigned_handover_is_refused(rs):
    with pytest.raises(Exception, match="No handover"):
        handover.handover_record(9999, rs.now())


def test_incident_report_has_notifications_history_and_the_signed_report(rs):
    rep = incident.incident_report(rs.incidents["B"], rs.now())
    assert rep.first_report_delay == dt.timedelta(minutes=20)
    assert [h.status for h in rep.history] == ["open", "resolved"]
    assert len(rep.reports) == 1 and rep.reports_verified == (True,)
    assert rep.reports[0].text == "Bin room fire, put out."


def test_month_report_figures(rs):
    rep = month.month_report(rs.site.security.id, reports.month_period(2026, 12), rs.now())
    assert rep.incidents_total == 6
    assert [(c.key, c.count) for c in rep.by_nature] == [
        ("dispute", 3),
        ("fire", 2),
        ("intrusion", 1),
    ]
    assert [(c.key, c.count) for c in rep.by_subnature] == [
        ("dispute/dispute.quarrel", 3),
        ("fire/fire.alarm", 2),
        ("intrusion/intrusion.wall", 1),
    ]
    assert {c.key: c.count for c in rep.by_severity} == {"normal": 2, "major": 4}
    # Delays 5, 20, 10, 15, 30 minutes (C: nobody told): median 15, longest 30.
    assert rep.first_report_median == dt.timedelta(minutes=15)
    assert rep.first_report_max == dt.timedelta(minutes=30)
    assert rep.not_reported == 1
    assert (rep.reports_on_time, rep.reports_late, rep.reports_missing, rep.reports_pending) == (
        1,
        1,
        1,
        1,
    )
    assert sum(rep.per_day) == 6 and rep.per_day[0] == 3 and rep.per_day[2] == 1
    (route,) = rep.routes
    assert (route.done, route.done_late, route.skipped, route.missed) == (1, 1, 1, 1)
    assert route.completion == pytest.approx(2 / 4)
    assert [(c.code, c.out_of_range) for c in rep.readings] == [("T1", 1)]
    assert (rep.handovers_signed, rep.late_reliefs, rep.refusals, rep.discrepancies) == (1, 1, 0, 0)
    # Nobody is on the roster of the small site: every shift of the month is short.
    assert rep.short_shifts == 31 * 3
    assert [(x.shift, len(x.days)) for x in rep.short_shift_list] == [
        ("Early", 31),
        ("Middle", 31),
        ("Night", 31),
    ]


def test_month_report_of_the_site_adds_up_the_desks(rs):
    site_rep = month.month_report(None, reports.month_period(2026, 12), rs.now())
    assert site_rep.header.desk is None
    assert site_rep.incidents_total == 6
    empty = month.month_report(rs.site.engineering.id, reports.month_period(2026, 12), rs.now())
    assert empty.incidents_total == 0 and empty.routes == () and empty.completion is None


def test_export_has_a_table_per_kind(rs):
    exp = export_records(rs.site.security.id, reports.Period(DAY, DAY), rs.now())
    names = [t.name for t in exp.tables]
    assert names[:3] == ["log_duty", "log_phone", "log_visitor"]
    assert {"incidents", "patrol_checks", "repairs"} <= set(names)
    by = {t.name: t for t in exp.tables}
    assert len(by["incidents"].rows) == 3
    # Two checks on each of the 4 rounds.
    assert len(by["patrol_checks"].rows) == 8
    duty = by["log_duty"]
    texts = [row[duty.columns.index("text")] for row in duty.rows]
    assert "Gate opened at 07:58" in texts


def test_bad_ranges_are_refused():
    with pytest.raises(ValidationError):
        reports.period(DAY, DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        reports.period(DAY, DAY + dt.timedelta(days=400))
    with pytest.raises(ValidationError):
        reports.parse_day("2026-02-30")
    with pytest.raises(ValidationError):
        reports.parse_month("2026-13")
    assert reports.parse_month("2026-02").last == dt.date(2026, 2, 28)


def test_guard_makes_own_desk_day_record_but_not_the_month(rs):
    site = rs.site
    guard = site.actor("G01")
    req = ReportRequest("day", site.security.id, reports.Period(DAY, DAY))
    make(guard, req, "html")
    event = AuditEvent.select().where(AuditEvent.action == "report.made").get()
    assert event.staff_id == site.staff["G01"].id
    assert event.new["report"] == "day" and event.new["range"] == "2026-12-01"
    with pytest.raises(RuleViolation):
        make(
            guard, ReportRequest("month", site.security.id, reports.month_period(2026, 12)), "html"
        )
    with pytest.raises(RuleViolation):
        make(guard, ReportRequest("day", site.engineering.id, reports.Period(DAY, DAY)), "html")
    with pytest.raises(RuleViolation):
        make(guard, ReportRequest("export", site.security.id, reports.Period(DAY, DAY)), "csv")
    make(guard, ReportRequest("patrol", site.security.id, reports.Period(DAY, DAY)), "txt")
    make(site.actor("L01"), ReportRequest("month", None, reports.month_period(2026, 12)), "xlsx")
    assert AuditEvent.select().where(AuditEvent.action == "report.made").count() == 3


def test_handover_request_finds_the_last_signed_and_names_the_file(rs):
    site = rs.site
    req = ReportRequest("handover", site.security.id, reports.Period(DAY, DAY))
    rec = make(site.actor("G01"), req, "html")
    assert rec.id == rs.handover_id
    assert file_name(req, "html").startswith("handover-")
    month_req = ReportRequest("month", None, reports.month_period(2026, 12))
    assert file_name(month_req, "xlsx") == "month-site-2026-12-01_2026-12-31.xlsx"
