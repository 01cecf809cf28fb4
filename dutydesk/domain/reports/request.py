"""One entry point for every report: what is asked (:class:`ReportRequest`), the
report built from it, and a file name for it. The command line and F8 both use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.domain.context import Actor
from dutydesk.domain.reports import KINDS, Period, check_allowed, record_made
from dutydesk.domain.reports.day import day_record
from dutydesk.domain.reports.export import export_records
from dutydesk.domain.reports.handover import handover_record, latest_signed_id
from dutydesk.domain.reports.incident import incident_report
from dutydesk.domain.reports.month import month_report
from dutydesk.domain.reports.patrol import patrol_record
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Desk

# Reports about one day of one desk.
DESK_DAY = frozenset({"day", "patrol"})


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    desk_id: int | None  # None: every desk of the site (month, export)
    period: Period
    shift_code: str | None = None
    record_id: int | None = None  # the handover's or incident's number

    def describe(self) -> str:
        """What the report covers, for the audit trail and the file name."""
        if self.kind in ("handover", "incident") and self.record_id is not None:
            return f"{self.kind} {self.record_id}"
        text = self.period.label()
        return f"{text} {self.shift_code}" if self.shift_code else text


def resolve(req: ReportRequest) -> ReportRequest:
    """Check the request and fill in what it implies (the last signed handover)."""
    if req.kind not in KINDS:
        raise ValidationError(N_("No such report: {kind}"), field="kind", kind=req.kind)
    if req.kind in DESK_DAY and req.desk_id is None:
        raise ValidationError(N_("Name the desk of this report (--desk)"), field="desk")
    if req.kind == "incident" and req.record_id is None:
        raise ValidationError(N_("Give the incident's number"), field="id")
    if req.kind == "handover" and req.record_id is None:
        if req.desk_id is None:
            raise ValidationError(N_("Name the desk of this report (--desk)"), field="desk")
        found = latest_signed_id(req.desk_id, req.period.last)
        if found is None:
            raise NotFound(N_("No signed handover at this desk yet"))
        return ReportRequest(req.kind, req.desk_id, req.period, req.shift_code, found)
    return req


def build(req: ReportRequest, now: arrow.Arrow) -> Any:
    """The report's data."""
    req = resolve(req)
    if req.kind == "day":
        assert req.desk_id is not None
        return day_record(req.desk_id, req.period.first, now, req.shift_code)
    if req.kind == "patrol":
        assert req.desk_id is not None
        return patrol_record(req.desk_id, req.period.first, now, req.shift_code)
    if req.kind == "handover":
        assert req.record_id is not None
        return handover_record(req.record_id, now)
    if req.kind == "incident":
        assert req.record_id is not None
        return incident_report(req.record_id, now)
    if req.kind == "month":
        return month_report(req.desk_id, req.period, now)
    return export_records(req.desk_id, req.period, now)


def make(actor: Actor, req: ReportRequest, fmt: str, path: str = "") -> Any:
    """Build the report for ``actor`` (refused where the role may not) and audit it
    as "report.made" (CS3: who made which record of which days)."""
    req = resolve(req)
    check_allowed(actor, req.kind, req.desk_id)
    report = build(req, actor.now())
    record_made(actor, req.kind, req.desk_id, req.describe(), fmt, path)
    return report


def file_name(req: ReportRequest, fmt: str) -> str:
    """``day-security-2026-12-01.html``, ``month-site-2026-12-01_2026-12-31.xlsx``…"""
    desk = "site"
    if req.desk_id is not None:
        row = Desk.get_or_none(Desk.id == req.desk_id)
        desk = row.code if row else str(req.desk_id)
    if req.kind in ("handover", "incident") and req.record_id is not None:
        what = f"{req.kind}-{req.record_id}"
    else:
        p = req.period
        days = p.first.isoformat() if p.first == p.last else f"{p.first}_{p.last}"
        what = f"{req.kind}-{desk}-{days}" + (f"-{req.shift_code}" if req.shift_code else "")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in what)
    return f"{safe}.{fmt}"
