"""F9: administration (supervisor role); everyone can change their own PIN here.

``staff`` is section 1, the staff list (:class:`AdminScreen`); ``base`` is the
frame of the other sections, each in the module of its subject: ``patrol``
(checkpoints, schedules), ``incidents`` (natures, contacts), ``shifts``
(holidays, staffing, shift times), ``site`` (site settings and desks). The
dialogs are in :mod:`dutydesk.screens.dialogs.admin`.
"""

from dutydesk.screens.admin.base import (
    SECTION_TABS,
    SECTION_TITLES,
    SECTIONS,
    SectionForm,
    SectionScreen,
    SectionTable,
    sections_line,
)
from dutydesk.screens.admin.incidents import CategoriesSection, ContactsSection
from dutydesk.screens.admin.patrol import CheckpointsSection, SchedulesSection
from dutydesk.screens.admin.shifts import HolidaysSection, ShiftTimesSection, StaffingSection
from dutydesk.screens.admin.site import SiteSection
from dutydesk.screens.admin.staff import AdminScreen
from dutydesk.screens.dialogs.admin import ROLE_NAMES, AddStaffDialog, ResetPinDialog

__all__ = [
    "ROLE_NAMES",
    "SECTIONS",
    "SECTION_TABS",
    "SECTION_TITLES",
    "AddStaffDialog",
    "AdminScreen",
    "CategoriesSection",
    "CheckpointsSection",
    "ContactsSection",
    "HolidaysSection",
    "ResetPinDialog",
    "SchedulesSection",
    "SectionForm",
    "SectionScreen",
    "SectionTable",
    "ShiftTimesSection",
    "SiteSection",
    "StaffingSection",
    "sections_line",
]
