"""F4: incidents — the list, the SE-4 form with who was told (CS6, CS-R3), the
detail with its status keys, and the written report signed with a PIN.

The list is newest first and paged from the database (PgUp / PgDn); open
incidents of earlier shifts are in it like any other. ``n`` / Ctrl+N opens the
form with the time set to now and the cursor in the place; Ctrl+O records
someone told; Ctrl+S saves (a major incident without a reached leader-level
notification is refused with the domain's message, CS6). Enter opens an
incident: ``h`` starts handling, ``r`` resolves it with its result, Ctrl+O adds
a notification, ``w`` writes and signs the written report of a major incident.

``screen`` holds the list, ``form`` the new-incident and who-was-told forms,
``detail`` one incident and its written report; the dialogs are in
:mod:`dutydesk.screens.dialogs.incidents`.
"""

from dutydesk.screens.dialogs.incidents import ActionPrompt, SignReportDialog
from dutydesk.screens.incidents.detail import IncidentScreen, ReportForm, incident_details
from dutydesk.screens.incidents.form import (
    NEW_FORM_ID,
    IncidentForm,
    NotificationForm,
    delay_text,
    incident_fields,
    natures,
    new_incident_form,
    notification_line,
    open_incident_from_checkpoint,
)
from dutydesk.screens.incidents.screen import IncidentsScreen, IncidentTable, report_cell

__all__ = [
    "NEW_FORM_ID",
    "ActionPrompt",
    "IncidentForm",
    "IncidentScreen",
    "IncidentTable",
    "IncidentsScreen",
    "NotificationForm",
    "ReportForm",
    "SignReportDialog",
    "delay_text",
    "incident_details",
    "incident_fields",
    "natures",
    "new_incident_form",
    "notification_line",
    "open_incident_from_checkpoint",
    "report_cell",
]
