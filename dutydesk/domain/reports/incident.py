"""The incident report: the SE-4 form (time, place, nature, people, description,
actions, result), who was told when with the time to the first report (CS-R3),
the status history, and the signed written report (CS6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from dutydesk.domain import incidents
from dutydesk.domain.incidents import IncidentInfo, ReportInfo, StatusChange
from dutydesk.domain.reports import Header, header


@dataclass(frozen=True)
class IncidentReport:
    header: Header
    incident: IncidentInfo
    history: tuple[StatusChange, ...]
    reports: tuple[ReportInfo, ...]
    reports_verified: tuple[bool, ...]  # each report's content still matches its signature

    @property
    def first_report_delay(self) -> dt.timedelta | None:
        return self.incident.first_report_delay

    def delay_of(self, notified_at: arrow.Arrow) -> dt.timedelta:
        """From the occurrence to one notification."""
        return notified_at.datetime - self.incident.occurred_at.datetime


def incident_report(incident_id: int, now: arrow.Arrow) -> IncidentReport:
    """The record of one incident (NotFound when there is none)."""
    info = incidents.get_incident(incident_id)
    filed = incidents.reports(incident_id)
    return IncidentReport(
        header(info.desk_id, now),
        info,
        tuple(incidents.status_history(incident_id)),
        tuple(filed),
        tuple(incidents.verify_report(r.id) for r in filed),
    )
