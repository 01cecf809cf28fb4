"""Incidents (F4): the SE-4 form, escalation of major events (CS6, CS-R3) and the
written report due the next day.

An incident records when it happened (set back if need be, never in the
future), where, its nature (a two-level category per desk kind, editable by a
supervisor), the people involved, what happened, what was done and the result.
Saving it also writes a linked line into the shift's duty log (SE-4 ④) and
indexes it for search, in the same transaction.

Its status moves open → handling ("being handled", 事故处理中) → resolved; each
change is audited, and an incident being handled blocks the handover
(EN-8.6.2, :func:`incidents_being_handled`). A major incident cannot be saved
unless someone at leader level or above, or the department head, was reached
(CS6); its written report is due by the end of the next day and is signed with
its author's PIN. Filed reports and their signatures never change.

One job per module:

- :mod:`.enums`: statuses, severities, who is told and how (``StrEnum``\\s)
- :mod:`.category_tree`: the two-level categories per desk kind
- :mod:`.contact_list`: the site's contact list
- :mod:`.notifications`: who was told; the CS6 and CS-R3 rules read from them
- :mod:`.form`: the form's fields, drafts and checks
- :mod:`.queries`: an incident as the screens show it; the desk's open ones; the list
- :mod:`.records`: saving, status changes, raising to major; the status history
- :mod:`.written_report`: the written report, its signature, reports due and overdue

Callers import from this package; the names below are its public face.
"""

from dutydesk.domain.bounds import FUTURE_TOLERANCE_MINUTES
from dutydesk.domain.incidents.category_tree import (
    DEFAULT_CATEGORIES,
    CategoryInfo,
    add_category,
    categories,
    seed_categories,
    update_category,
)
from dutydesk.domain.incidents.contact_list import (
    DEFAULT_CONTACTS,
    ContactInfo,
    contacts,
    remove_contact,
    save_contact,
)
from dutydesk.domain.incidents.enums import (
    ESCALATION_ROLES,
    METHOD_LABELS,
    METHODS,
    NOTIFY_ROLE_LABELS,
    NOTIFY_ROLES,
    SEVERITIES,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STATUSES,
    IncidentStatus,
    NotifyMethod,
    NotifyRole,
    Severity,
)
from dutydesk.domain.incidents.form import (
    IncidentFields,
    check_incident,
    desk_areas,
    fields_from_checkpoint,
)
from dutydesk.domain.incidents.notifications import (
    NotificationFields,
    NotificationInfo,
    add_notification,
    escalated,
    notify_roles_missing,
    report_delay,
)
from dutydesk.domain.incidents.queries import (
    MAX_PAGE_SIZE,
    IncidentInfo,
    IncidentPage,
    get_incident,
    incidents_being_handled,
    list_incidents,
    open_incidents,
)
from dutydesk.domain.incidents.records import (
    StatusChange,
    create_incident,
    mark_major,
    resolve,
    set_status,
    start_handling,
    status_history,
)
from dutydesk.domain.incidents.written_report import (
    REPORT_MEANING,
    ReportDue,
    ReportInfo,
    draft_report,
    file_report,
    overdue_reports,
    pending_reports,
    report_content,
    report_due_at,
    reports,
    verify_report,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_CONTACTS",
    "ESCALATION_ROLES",
    "FUTURE_TOLERANCE_MINUTES",
    "MAX_PAGE_SIZE",
    "METHODS",
    "METHOD_LABELS",
    "NOTIFY_ROLES",
    "NOTIFY_ROLE_LABELS",
    "REPORT_MEANING",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "CategoryInfo",
    "ContactInfo",
    "IncidentFields",
    "IncidentInfo",
    "IncidentPage",
    "IncidentStatus",
    "NotificationFields",
    "NotificationInfo",
    "NotifyMethod",
    "NotifyRole",
    "ReportDue",
    "ReportInfo",
    "Severity",
    "StatusChange",
    "add_category",
    "add_notification",
    "categories",
    "check_incident",
    "contacts",
    "create_incident",
    "desk_areas",
    "draft_report",
    "escalated",
    "fields_from_checkpoint",
    "file_report",
    "get_incident",
    "incidents_being_handled",
    "list_incidents",
    "mark_major",
    "notify_roles_missing",
    "open_incidents",
    "overdue_reports",
    "pending_reports",
    "remove_contact",
    "report_content",
    "report_delay",
    "report_due_at",
    "reports",
    "resolve",
    "save_contact",
    "seed_categories",
    "set_status",
    "start_handling",
    "status_history",
    "update_category",
    "verify_report",
]
