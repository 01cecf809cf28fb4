"""F5: the two-party handover (交接班), one step at a time, keys only.

``screen`` holds :class:`HandoverScreen` (reading the domain, the keys and the
steps, each multi-step key a worker that awaits its dialog), ``text`` the words
it draws from the domain's view, ``rows`` the selectable lines; the dialogs are
in :mod:`dutydesk.screens.dialogs.handover`.
"""

from __future__ import annotations

from dutydesk.screens.handover.rows import Heading, Row
from dutydesk.screens.handover.screen import HandoverScreen
from dutydesk.screens.handover.text import REMEDIES, ROUND_STATES, STEPS

__all__ = ["REMEDIES", "ROUND_STATES", "STEPS", "HandoverScreen", "Heading", "Row"]
