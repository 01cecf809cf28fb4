"""The written report of a major incident (CS6): its draft, filing and signing it with
the author's PIN, checking its signature, and the reports still due or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import arrow
import peewee as pw

from dutydesk.db import write
from dutydesk.domain import audit, canonical
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import blank, typed
from dutydesk.domain.incidents._helpers import _row
from dutydesk.domain.incidents.queries import get_incident
from dutydesk.domain.site import site_timezone
from dutydesk.domain.staff import authenticate
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import Incident, IncidentReport, Signature, Staff

REPORT_MEANING = "报告 / report"


def report_due_at(occurred_at: arrow.Arrow, tz: str | None = None) -> arrow.Arrow:
    """CS6: the written report is due by the end of the day after the occurrence
    (23:59:59.999 in the site's zone)."""
    local = occurred_at.to(tz or site_timezone())
    return local.floor("day").shift(days=2).shift(microseconds=-1000)


def draft_report(incident_id: int) -> str:
    """A first draft of the written report from the structured fields, in the
    current language; the author edits it before signing."""
    inc = get_incident(incident_id)
    tz = site_timezone()
    nature = " / ".join(x for x in (inc.category_name, inc.subcategory_name) if x)
    lines = [
        _("Incident report"),
        "",
        _("Time: {time}", time=inc.occurred_at.to(tz).format("YYYY-MM-DD HH:mm")),
        _("Place: {place}", place=inc.place),
        _("Nature: {nature}", nature=nature),
        _("Severity: {severity}", severity=inc.severity_label),
        _("Number of people: {count}", count=inc.people_count),
    ]
    if inc.people_involved:
        lines.append(_("Who was involved: {text}", text=inc.people_involved))
    if inc.characteristics:
        lines.append(_("Characteristics: {text}", text=inc.characteristics))
    lines += [
        _("What happened: {text}", text=inc.description),
        _("Actions taken: {text}", text=inc.actions or "—"),
        _("Result: {text}", text=inc.result or "—"),
        _("Status: {status}", status=inc.status_label),
    ]
    if inc.notifications:
        lines.append(_("Who was told:"))
        for n in inc.notifications:
            reached = _("reached") if n.reached else _("not reached")
            who = f"{n.role_label} {n.name}".strip()
            lines.append(
                f"  {n.notified_at.to(tz).format('HH:mm')} {who} ({n.method_label}, {reached})"
            )
    delay = inc.first_report_delay
    if delay is not None:
        lines.append(
            _(
                "First reported {minutes} min after it happened",
                minutes=int(delay.total_seconds() // 60),
            )
        )
    lines += [
        "",
        _("Reported by: {name} ({staff_no})", name=inc.author_name, staff_no=inc.author_no),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ReportInfo:
    id: int
    incident_id: int
    author_id: int
    author_no: str
    author_name: str
    text: str
    signed_at: arrow.Arrow | None
    content_hash: str


def report_content(report: IncidentReport, author: Staff | None = None) -> dict[str, Any]:
    """Exactly what the author's signature covers (its canonical SHA-256 is stored).
    ``author``: the author's row when already read (``verify`` reads staff once)."""
    if author is None or author.id != report.author_id:
        author = Staff.get_by_id(report.author_id)
    return {
        "type": "incident_report",
        "report": report.id,
        "incident": report.incident_id,
        "author": author.staff_no,
        "author_name": author.name,
        "text": report.text,
        "signed_at": canonical.instant(report.signed_at),
    }


def file_report(actor: Actor, incident_id: int, text: str, staff_no: str, pin: str) -> ReportInfo:
    """The author files and signs the written report with their PIN (CS6).

    The signature binds the SHA-256 of the report's canonical content; a filed
    report is never changed (an addendum is a further report).
    """
    actor.require_login()
    if blank(text):
        raise ValidationError(N_("Write the report"), field="text")
    r = _row(incident_id)
    signer = authenticate(actor, staff_no, pin, purpose="sign")
    now = actor.now()
    with write():
        report = IncidentReport.create(
            incident=r.id, author=signer.id, text=typed(text), created_at=now, signed_at=now
        )
        digest = canonical.sha256(report_content(report))
        sig = Signature.create(
            report=report,
            staff=signer.id,
            printed_name=signer.name,
            staff_no=signer.staff_no,
            signed_at=now,
            meaning=REPORT_MEANING,
            content_hash=digest,
        )
        audit.record(
            actor.as_staff(signer.id),
            "incident_report.sign",
            "incident_report",
            report.id,
            new={"incident": r.id, "signature": sig.id, "content_hash": digest},
        )
    return ReportInfo(
        report.id, r.id, signer.id, signer.staff_no, signer.name, report.text, now, digest
    )


def reports(incident_id: int) -> list[ReportInfo]:
    """The filed reports of an incident, first filed first."""
    out = []
    for rep in (
        IncidentReport.select()
        .where(IncidentReport.incident == incident_id)
        .order_by(IncidentReport.id)
    ):
        sig = Signature.get_or_none(Signature.report == rep.id)
        author = Staff.get_by_id(rep.author_id)
        out.append(
            ReportInfo(
                rep.id,
                rep.incident_id,
                author.id,
                author.staff_no,
                author.name,
                rep.text,
                rep.signed_at,
                sig.content_hash if sig else "",
            )
        )
    return out


def verify_report(report_id: int) -> bool:
    """The report's content still hashes to what its signature says."""
    rep = IncidentReport.get_or_none(IncidentReport.id == report_id)
    sig = Signature.get_or_none(Signature.report == report_id)
    if rep is None or sig is None:
        return False
    expected: str = sig.content_hash
    return canonical.sha256(report_content(rep)) == expected


@dataclass(frozen=True)
class ReportDue:
    """A major incident whose written report is not filed yet."""

    incident_id: int
    desk_id: int
    place: str
    category: str
    occurred_at: arrow.Arrow
    due_at: arrow.Arrow
    overdue: bool


def _unfiled() -> pw.ModelSelect:
    filed = IncidentReport.select(IncidentReport.incident).where(
        IncidentReport.signed_at.is_null(False)
    )
    unfiled: pw.ModelSelect = Incident.select().where(
        Incident.report_due_at.is_null(False) & Incident.id.not_in(filed)
    )
    return unfiled


def pending_reports(now: arrow.Arrow, desk_id: int | None = None) -> list[ReportDue]:
    """Written reports still to be filed, the earliest due first."""
    q = _unfiled()
    if desk_id is not None:
        # "+ 0": the desk is checked on the rows of the (small) report_due index; the
        # desk index would read every incident of the desk's ten years.
        q = q.where((Incident.desk + 0) == desk_id)
    rows: list[Any] = list(q.order_by(Incident.report_due_at, Incident.id))
    return [
        ReportDue(
            r.id,
            r.desk_id,
            r.place,
            r.category,
            r.occurred_at,
            r.report_due_at,
            now > r.report_due_at,
        )
        for r in rows
    ]


def overdue_reports(now: arrow.Arrow, desk_id: int | None = None) -> list[ReportDue]:
    """Reports past their due time (shown on every desk's shift screen and in reports)."""
    return [r for r in pending_reports(now, desk_id) if r.overdue]
