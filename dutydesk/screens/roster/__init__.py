"""F7, the roster of the desk: the screen, its week grid and its swap flows.

``view`` loads and draws, ``editing`` and ``swaps`` hold the flows (workers),
``screen`` the keys; the dialogs are in :mod:`dutydesk.screens.dialogs.roster`.
"""

from dutydesk.screens.dialogs.pick import PickDialog
from dutydesk.screens.dialogs.roster import PinDialog, RotationPreviewDialog
from dutydesk.screens.roster.cursor import GridCursor
from dutydesk.screens.roster.labels import STATE_LABELS, state_key, swap_summary
from dutydesk.screens.roster.screen import RosterScreen

__all__ = [
    "STATE_LABELS",
    "GridCursor",
    "PickDialog",
    "PinDialog",
    "RosterScreen",
    "RotationPreviewDialog",
    "state_key",
    "swap_summary",
]
