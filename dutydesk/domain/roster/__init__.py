"""The roster: who is on which shift (CS1, SE-3), its warnings, and shift swaps.

* **Grid.** :func:`roster_grid` / :func:`week_grid` give days × shifts of one
  desk with the names in each cell and the staff each cell needs (more on a
  holiday, CS9).
* **Assignments.** :func:`assign`, :func:`unassign`, :func:`reassign`: only a
  supervisor edits the roster; every change is audited.
* **Warnings.** :func:`roster_warnings` computes, over a date range and from
  real instants (DST-safe), shifts with fewer staff than required, one person
  on two overlapping shifts (across desks too), less rest than the site's
  minimum between two shifts, and more consecutive nights than the site allows.
  The same pure engine checks a rotation's preview and a swap before approval.
* **Swaps and absences** (CS8, EN-8.3.5). A person asks, before the shift, for
  an exchange or a cover by a named colleague (who accepts with their own PIN)
  or says they need cover; sickness on the day is an absence. Only a
  supervisor who is neither the requester nor the colleague approves or
  rejects, with PIN; the roster changes in the same transaction (source
  ``swap``). :func:`expected_staff` is therefore simply the roster.

Where each part lives: ``kinds`` (the StrEnums of kinds and states),
``settings`` (the site's limits, each shift's staffing), ``calendar`` (shift
occurrences, people, loading entries), ``warnings``, ``grid``, ``entries``
(lookups and refusals shared by the edits and the swaps), ``editing``,
``swaps`` (asking, reading), ``decisions`` (answering, approving) and
``rotations``. Every name callers use is re-exported here.
"""

from __future__ import annotations

from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import (
    RosterSlot,
    ShiftCalendar,
    ShiftRef,
    load_slots,
)
from dutydesk.domain.roster.decisions import (
    accept,
    approval_warnings,
    approve,
    decline,
    reject,
    withdraw,
)
from dutydesk.domain.roster.editing import (
    assign,
    assignable_staff,
    expected_staff,
    on_roster,
    reassign,
    slots_of,
    unassign,
    upcoming_slots,
)
from dutydesk.domain.roster.grid import (
    GridCell,
    GridColumn,
    RosterGrid,
    month_grid,
    roster_grid,
    week_grid,
    week_start,
    weekday_name,
)
from dutydesk.domain.roster.kinds import (
    KINDS,
    PENDING,
    EntrySource,
    KeptBecause,
    SwapKind,
    SwapState,
    WaitingFor,
    WarningKind,
)
from dutydesk.domain.roster.settings import (
    DEFAULT_MAX_CONSECUTIVE_NIGHTS,
    DEFAULT_MIN_REST_HOURS,
    RosterRules,
    ShiftStaffing,
    roster_rules,
    set_required_staff,
    set_roster_rules,
    shift_staffing,
    warning_margin,
)
from dutydesk.domain.roster.swaps import (
    SwapInfo,
    displaced_by_swaps,
    entries_with_requests,
    get_request,
    my_requests,
    pending_requests,
    report_absence,
    request_cover,
    request_exchange,
    request_needs_cover,
    requests_needing_my_acceptance,
)
from dutydesk.domain.roster.warnings import (
    RosterWarning,
    compute_warnings,
    roster_warnings,
    warnings_with,
)

__all__ = [
    "DEFAULT_MAX_CONSECUTIVE_NIGHTS",
    "DEFAULT_MIN_REST_HOURS",
    "KINDS",
    "PENDING",
    "EntrySource",
    "GridCell",
    "GridColumn",
    "KeptBecause",
    "Person",
    "RosterGrid",
    "RosterRules",
    "RosterSlot",
    "RosterWarning",
    "ShiftCalendar",
    "ShiftRef",
    "ShiftStaffing",
    "SwapInfo",
    "SwapKind",
    "SwapState",
    "WaitingFor",
    "WarningKind",
    "accept",
    "approval_warnings",
    "approve",
    "assign",
    "assignable_staff",
    "compute_warnings",
    "decline",
    "displaced_by_swaps",
    "entries_with_requests",
    "expected_staff",
    "get_request",
    "load_slots",
    "month_grid",
    "my_requests",
    "on_roster",
    "pending_requests",
    "reassign",
    "reject",
    "report_absence",
    "request_cover",
    "request_exchange",
    "request_needs_cover",
    "requests_needing_my_acceptance",
    "roster_grid",
    "roster_rules",
    "roster_warnings",
    "set_required_staff",
    "set_roster_rules",
    "shift_staffing",
    "slots_of",
    "unassign",
    "upcoming_slots",
    "warning_margin",
    "warnings_with",
    "week_grid",
    "week_start",
    "weekday_name",
    "withdraw",
]
