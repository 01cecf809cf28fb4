"""F7: the roster of the desk — a week grid, its warnings, shift swaps and rotations.

* **Week grid** (CS1, SE-3). Days down, the desk's shifts across; names (or
  staff numbers when the terminal is narrow) in the cells, holidays marked ★
  (CS9), cells short of staff or with a warning marked ``!``. Arrow keys move
  (off the top or bottom into the previous or next week), PgUp / PgDn change
  the week, Home comes back to today. The line under the grid names everyone
  in the selected cell in full; the warnings are below the grid (beside it on
  wide terminals).
* **Supervisors** assign (``a``, a person from a list) and remove (``d``)
  staff in the selected cell, and generate a rotation (``g``: preview first).
  Everyone else sees the grid read-only: the keys are not offered.
* **Swaps** (CS8, EN-8.3.5). ``n`` asks for an exchange, a cover, "needs
  cover" or an absence for one's own shift. ``r`` shows the requests: the
  colleague accepts (``c``) or declines (``k``) with their own staff number and
  PIN, on the spot or later at their own login; a supervisor approves (``o``)
  or rejects (``x``) with PIN. The domain refuses what the rules forbid
  (self-approval, late requests) and its message is shown as it is.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from dutydesk.domain.roster import WaitingFor
from dutydesk.i18n import N_
from dutydesk.screens.roster.editing import RosterEditing
from dutydesk.screens.roster.swaps import RosterSwaps
from dutydesk.screens.roster.view import Pane


class RosterScreen(RosterSwaps, RosterEditing):
    """F7: the week grid of this desk, its warnings, and the swap requests."""

    RULES: ClassVar[list[tuple[str, str]]] = [
        ("CS1", N_("Staff are put on duty every day: the roster")),
        ("SE-3", N_("Work to the roster: overlaps, rest and nights are warned")),
        ("CS9", N_("Holidays need reinforced duty: short holiday shifts are warned")),
        ("CS8", N_("Swaps are asked for before the shift and reported to the supervisor")),
        ("EN-8.3.5", N_("No private swaps: a supervisor, never the requester, approves")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new_request", N_("New request"), id="roster.new"),
        Binding("r", "toggle_view", N_("Requests"), id="roster.requests"),
        Binding("a", "assign", N_("Assign"), id="roster.assign"),
        Binding("d", "remove", N_("Remove"), id="roster.remove"),
        Binding("g", "rotation", N_("Rotation"), id="roster.rotation"),
        Binding("c", "accept", N_("Accept"), id="roster.accept"),
        Binding("k", "decline", N_("Decline"), id="roster.decline"),
        Binding("o", "approve", N_("Approve"), id="roster.approve"),
        Binding("x", "reject", N_("Reject"), id="roster.reject"),
        Binding("w", "withdraw", N_("Withdraw"), id="roster.withdraw"),
    ]
    """Keys of the roster: requests, the supervisor's edits, and deciding requests."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        week = self.view == Pane.WEEK
        if action in ("assign", "rotation"):
            return week and self.is_supervisor
        if action == "remove":
            cell = self.selected_cell()
            return week and self.is_supervisor and bool(cell and cell.staff)
        if action in ("accept", "decline"):
            r = self.selected_request()
            return r is not None and r.waiting_for == WaitingFor.COLLEAGUE
        if action == "approve":
            r = self.selected_request()
            return self.is_supervisor and r is not None and r.waiting_for == WaitingFor.SUPERVISOR
        if action == "reject":
            r = self.selected_request()
            return self.is_supervisor and r is not None and r.waiting_for is not None
        if action == "withdraw":
            r = self.selected_request()
            return r is not None and r.waiting_for is not None and r.requester.id == self.me_id
        return True
