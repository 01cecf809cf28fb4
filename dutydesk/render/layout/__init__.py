"""Each report laid out as a printable :class:`Document`, in the current language.

Times are shown in the site's zone. Labels come from the domain's own label
tables (log kinds, round states, incident statuses) so the printout says what
the screens say.

The package: :mod:`.formats` (small formats, shared tables), :mod:`.day`,
:mod:`.handover`, :mod:`.records` (incident report, patrol record) and
:mod:`.month` (monthly report, export); :func:`document_for` picks the layout.
"""

from __future__ import annotations

from typing import Any

from dutydesk.domain.reports.day import DayRecord
from dutydesk.domain.reports.export import Export
from dutydesk.domain.reports.handover import HandoverRecord
from dutydesk.domain.reports.incident import IncidentReport
from dutydesk.domain.reports.month import MonthReport
from dutydesk.domain.reports.patrol import PatrolRecord
from dutydesk.render.document import Document
from dutydesk.render.layout.day import day_document
from dutydesk.render.layout.handover import handover_document, handover_list_document
from dutydesk.render.layout.month import export_document, month_document
from dutydesk.render.layout.records import incident_document, patrol_document

__all__ = [
    "day_document",
    "document_for",
    "export_document",
    "handover_document",
    "handover_list_document",
    "incident_document",
    "month_document",
    "patrol_document",
]


def document_for(report: Any) -> Document:
    """The layout of any report dataclass."""
    if isinstance(report, DayRecord):
        return day_document(report)
    if isinstance(report, HandoverRecord):
        return handover_document(report)
    if isinstance(report, IncidentReport):
        return incident_document(report)
    if isinstance(report, PatrolRecord):
        return patrol_document(report)
    if isinstance(report, MonthReport):
        return month_document(report)
    if isinstance(report, Export):
        return export_document(report)
    raise TypeError(f"not a report: {type(report).__name__}")
