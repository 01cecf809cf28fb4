"""The F9 sections beyond staff, by their first import path: they live in the
package :mod:`dutydesk.screens.admin` (``base`` and one module per subject)."""

from dutydesk.screens.admin import (
    SECTION_TABS,
    SECTION_TITLES,
    SECTIONS,
    CategoriesSection,
    CheckpointsSection,
    ContactsSection,
    HolidaysSection,
    SchedulesSection,
    SectionForm,
    SectionScreen,
    SectionTable,
    ShiftTimesSection,
    SiteSection,
    StaffingSection,
    sections_line,
)

__all__ = [
    "SECTIONS",
    "SECTION_TABS",
    "SECTION_TITLES",
    "CategoriesSection",
    "CheckpointsSection",
    "ContactsSection",
    "HolidaysSection",
    "SchedulesSection",
    "SectionForm",
    "SectionScreen",
    "SectionTable",
    "ShiftTimesSection",
    "SiteSection",
    "StaffingSection",
    "sections_line",
]
