"""Blockers: what makes signing impossible now, each with its rule id."""

from __future__ import annotations

import arrow

from dutydesk.clock import FixedClock
from dutydesk.domain import drafts, incidents, logs, patrols
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.kinds import BlockerText, RefType
from dutydesk.domain.handover.records import _hhmm, _items, _round_explained, _round_state, _rounds
from dutydesk.domain.handover.views import Blocker
from dutydesk.models import Handover, Shift

# --- blockers --------------------------------------------------------------------------


def blockers_of(h: Handover, now: arrow.Arrow) -> list[Blocker]:
    """Everything that makes signing impossible now, with rule ids; empty: none."""
    found: list[Blocker] = []
    for inc in incidents.incidents_being_handled(h.desk_id):
        # EN-8.6.2: no handover while an incident is being handled
        found.append(
            Blocker(
                "EN-8.6.2",
                BlockerText.INCIDENT_HANDLED,
                {"what": f"{inc.place} — {inc.description}"},
                RefType.INCIDENT,
                inc.id,
            )
        )
    for op in logs.running_operations(h.desk_id):  # EN-8.6.2: nor during switching
        found.append(
            Blocker(
                "EN-8.6.2",
                BlockerText.SWITCHING,
                {"what": str(op.values.get("what", ""))},
            )
        )
    if h.outgoing_shift_id is not None:
        end = Shift.get_by_id(h.outgoing_shift_id).planned_end
        for r in _rounds(h.outgoing_shift_id):
            state = _round_state(r, end, now)
            if not _round_explained(state, r):  # EN-8.6.1
                found.append(
                    Blocker(
                        "EN-8.6.1",
                        BlockerText.ROUND_IN_PROGRESS
                        if state == patrols.IN_PROGRESS
                        else BlockerText.ROUND_NOT_DONE,
                        {"time": _hhmm(r.due_at)},
                        RefType.ROUND,
                        r.id,
                    )
                )
    outgoing = Actor(FixedClock(now), h.desk_id, h.started_by_id)
    for form in drafts.forms_with_drafts(outgoing):  # EN-8.6.1: records in order
        found.append(Blocker("EN-8.6.1", BlockerText.UNSAVED_DRAFT, {"form": form}))
    for item in _items(h):
        if item.needs_reason:  # CS-R6: a problem passed on needs a stated reason
            found.append(
                Blocker(
                    "CS-R6",
                    BlockerText.NEEDS_REASON,
                    {"what": item.text},
                    RefType.ITEM,
                    item.id,
                )
            )
    return found
