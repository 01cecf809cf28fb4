"""The kiosk's forms, by their first import path.

The pieces (field descriptions, time fields, yes/no boxes) are widgets in
:mod:`dutydesk.widgets.form_fields`; the full-screen form and its yes/no and
one-line prompt are screens of :mod:`dutydesk.screens.dialogs`. Both are named
here too, so that ``from dutydesk.widgets.form import FormScreen`` keeps working.
"""

from __future__ import annotations

from dutydesk.screens.dialogs.common import ConfirmDialog, PromptDialog
from dutydesk.screens.dialogs.form import FormScreen
from dutydesk.widgets.form_fields import (
    FULL_FORMAT,
    SHORT_FORMAT,
    TIME_FORMAT,
    FormField,
    FormKeyBar,
    format_time,
    parse_time,
)

__all__ = [
    "FULL_FORMAT",
    "SHORT_FORMAT",
    "TIME_FORMAT",
    "ConfirmDialog",
    "FormField",
    "FormKeyBar",
    "FormScreen",
    "PromptDialog",
    "format_time",
    "parse_time",
]
