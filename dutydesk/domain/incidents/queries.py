"""Reading incidents: one as the screens show it, the desk's open ones and the paged
F4 list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import arrow

from dutydesk.domain.formkit import one_page
from dutydesk.domain.incidents._helpers import _row
from dutydesk.domain.incidents.category_tree import _names
from dutydesk.domain.incidents.enums import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    IncidentStatus,
    Severity,
)
from dutydesk.domain.incidents.notifications import (
    NotificationInfo,
    _notification_info,
    report_delay,
)
from dutydesk.domain.site import site_timezone
from dutydesk.i18n import _
from dutydesk.models import Desk, Incident, IncidentReport, Notification, Staff

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class IncidentInfo:
    """An incident as the screens show it."""

    id: int
    desk_id: int
    shift_id: int | None
    author_id: int
    author_no: str
    author_name: str
    occurred_at: arrow.Arrow
    created_at: arrow.Arrow
    place: str
    category: str
    subcategory: str
    category_name: str
    subcategory_name: str
    people_count: int
    people_involved: str
    characteristics: str
    description: str
    actions: str
    result: str
    status: str  # an IncidentStatus
    severity: str  # a Severity
    checkpoint_id: int | None
    closed_at: arrow.Arrow | None
    closed_by_id: int | None
    report_due_at: arrow.Arrow | None
    report_filed_at: arrow.Arrow | None
    notifications: tuple[NotificationInfo, ...] = field(default=())

    @property
    def being_handled(self) -> bool:
        """Blocks the handover (EN-8.6.2)."""
        return self.status == IncidentStatus.HANDLING

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.RESOLVED

    @property
    def major(self) -> bool:
        return self.severity == Severity.MAJOR

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    @property
    def severity_label(self) -> str:
        return _(SEVERITY_LABELS[self.severity])

    @property
    def first_report_delay(self) -> dt.timedelta | None:
        """CS-R3: from occurrence to the first reached notification."""
        return report_delay(self.occurred_at, self.notifications)

    def report_overdue(self, now: arrow.Arrow) -> bool:
        return (
            self.report_due_at is not None
            and self.report_filed_at is None
            and now > self.report_due_at
        )


# The fields of IncidentInfo read as they are from the incident's row.
# fmt: off
_STORED = (
    "id", "desk_id", "shift_id", "author_id", "occurred_at", "created_at", "place",
    "category", "subcategory", "people_count", "people_involved", "characteristics",
    "description", "actions", "result", "checkpoint_id", "closed_at", "closed_by_id",
    "report_due_at",
)
# fmt: on


@dataclass(frozen=True)
class IncidentPage:
    """A page of incidents, newest first."""

    items: list[IncidentInfo]
    page: int
    page_size: int
    has_more: bool


def _infos(rows: Sequence[Incident], *, with_notifications: bool = True) -> list[IncidentInfo]:
    """Rows as IncidentInfo, loading names, notifications and reports in a few queries."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    kinds = {d.id: d.kind for d in Desk.select(Desk.id, Desk.kind)}
    names: dict[tuple[str, str], str] = {}
    for kind in {kinds.get(r.desk_id, "") for r in rows}:
        codes = {
            c for r in rows if kinds.get(r.desk_id) == kind for c in (r.category, r.subcategory)
        }
        names.update({(kind, c): n for c, n in _names(kind, codes).items()})
    authors = {
        s.id: s
        for s in Staff.select(Staff.id, Staff.staff_no, Staff.name).where(
            Staff.id.in_({r.author_id for r in rows})
        )
    }
    notes: dict[int, list[NotificationInfo]] = {}
    if with_notifications:
        for n in (
            Notification.select()
            .where(Notification.incident.in_(ids))
            .order_by(Notification.notified_at, Notification.id)
        ):
            notes.setdefault(n.incident_id, []).append(_notification_info(n))
    filed: dict[int, arrow.Arrow] = {}
    for rep in (
        IncidentReport.select(IncidentReport.incident, IncidentReport.signed_at)
        .where(IncidentReport.incident.in_(ids) & IncidentReport.signed_at.is_null(False))
        .order_by(IncidentReport.signed_at.desc())
    ):
        filed[rep.incident_id] = rep.signed_at
    out = []
    for r in rows:
        kind = kinds.get(r.desk_id, "")
        author = authors.get(r.author_id)
        out.append(
            IncidentInfo(
                **{name: getattr(r, name) for name in _STORED},
                author_no=author.staff_no if author else "",
                author_name=author.name if author else "",
                category_name=names.get((kind, r.category), r.category),
                subcategory_name=names.get((kind, r.subcategory), r.subcategory),
                status=IncidentStatus(r.status),
                severity=Severity(r.severity),
                report_filed_at=filed.get(r.id),
                notifications=tuple(notes.get(r.id, ())),
            )
        )
    return out


def get_incident(incident_id: int) -> IncidentInfo:
    return _infos([_row(incident_id)])[0]


def _desk_incidents(desk_id: int, condition: Any, *order: Any) -> list[IncidentInfo]:
    rows: list[Incident] = list(
        Incident.select().where((Incident.desk == desk_id) & condition).order_by(*order)
    )
    return _infos(rows)


def incidents_being_handled(desk_id: int) -> list[IncidentInfo]:
    """Incidents of the desk being handled: each one blocks the handover (EN-8.6.2)."""
    return _desk_incidents(
        desk_id, Incident.status == IncidentStatus.HANDLING, Incident.occurred_at
    )


def open_incidents(desk_id: int) -> list[IncidentInfo]:
    """Incidents of the desk not resolved yet, from any shift, newest first."""
    return _desk_incidents(
        desk_id,
        Incident.status != IncidentStatus.RESOLVED,
        Incident.occurred_at.desc(),
        Incident.id.desc(),
    )


def _day_start(day: dt.date, tz: str) -> arrow.Arrow:
    return arrow.get(dt.datetime(day.year, day.month, day.day), tzinfo=tz)


def list_incidents(
    desk_id: int | None = None,
    *,
    status: str | Sequence[str] | None = None,
    severity: str | None = None,
    category: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    page: int = 0,
    page_size: int = 50,
) -> IncidentPage:
    """The incident list (F4): newest first, filtered, one page at a time.

    Days are the site's calendar days, both ends included. Open incidents of
    earlier shifts are simply there: nothing filters by shift.
    """
    q = Incident.select()
    if desk_id is not None:
        q = q.where(Incident.desk == desk_id)
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        q = q.where(Incident.status.in_(wanted))
    if severity:
        q = q.where(Incident.severity == severity)
    if category:
        q = q.where((Incident.category == category) | (Incident.subcategory == category))
    tz = site_timezone()
    if day_from is not None:
        q = q.where(Incident.occurred_at >= _day_start(day_from, tz))
    if day_to is not None:
        q = q.where(Incident.occurred_at < _day_start(day_to, tz).shift(days=1))
    newest_first = q.order_by(Incident.occurred_at.desc(), Incident.id.desc())
    rows, page, page_size, more = one_page(newest_first, page, page_size, MAX_PAGE_SIZE)
    return IncidentPage(_infos(rows), page, page_size, more)
