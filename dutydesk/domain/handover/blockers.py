"""Blockers: what makes signing impossible now, each with its rule id."""

from __future__ import annotations

import arrow

from dutydesk.clock import FixedClock
from dutydesk.domain import drafts, incidents, logs, patrols
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.kinds import RefType
from dutydesk.domain.handover.records import _hhmm, _items, _round_explained, _round_state, _rounds
from dutydesk.domain.handover.views import Blocker
from dutydesk.i18n import N_
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
                N_("Incident being handled: {what}"),
                {"what": f"{inc.place} — {inc.description}"},
                RefType.INCIDENT,
                inc.id,
            )
        )
    for op in logs.running_operations(h.desk_id):  # EN-8.6.2: nor during switching
        found.append(
            Blocker(
                "EN-8.6.2",
                N_("Switching operation in progress: {what}"),
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
                        N_("Patrol round due {time} is in progress: finish it or skip the rest")
                        if state == patrols.IN_PROGRESS
                        else N_(
                            "Patrol round due {time} is neither done nor skipped with a reason"
                        ),
                        {"time": _hhmm(r.due_at)},
                        RefType.ROUND,
                        r.id,
                    )
                )
    outgoing = Actor(FixedClock(now), h.desk_id, h.started_by_id)
    for form in drafts.forms_with_drafts(outgoing):  # EN-8.6.1: records in order
        found.append(Blocker("EN-8.6.1", N_("Unsaved draft: {form}"), {"form": form}))
    for item in _items(h):
        if item.needs_reason:  # CS-R6: a problem passed on needs a stated reason
            found.append(
                Blocker(
                    "CS-R6",
                    N_("Say why this is not resolved: {what}"),
                    {"what": item.text},
                    RefType.ITEM,
                    item.id,
                )
            )
    return found
