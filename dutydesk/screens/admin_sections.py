"""The F9 sections beyond staff, by their first import path: they live in the
package :mod:`dutydesk.screens.admin` (``base`` and one module per subject)."""

from dutydesk.screens.admin.base import SECTIONS, SectionScreen, sections_line

__all__ = ["SECTIONS", "SectionScreen", "sections_line"]
