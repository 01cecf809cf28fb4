"""Overdue and missed rounds, and the progress the F2 screen shows (SE-3).

A round not started by the end of its tolerance is overdue (logged once); one not
started by the shift's planned end is missed (stored).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import arrow

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.patrols.rounds import RoundInfo, _shift, compute_state, get_round
from dutydesk.domain.patrols.states import FINAL_STATES, RoundState
from dutydesk.errors import NotFound
from dutydesk.i18n import N_
from dutydesk.models import PatrolRound, Shift


def _not_started(shift_id: int) -> Any:
    """The shift's rounds not started and not in a final state (a query)."""
    return PatrolRound.select().where(
        (PatrolRound.shift == shift_id)
        & PatrolRound.started_at.is_null()
        & PatrolRound.state.not_in(list(FINAL_STATES))
    )


def _overdue_work(shift_id: int, now: arrow.Arrow) -> bool:
    """Has :func:`note_overdue` anything to write at ``now``? (Reads only.)"""
    shift = _shift(shift_id)
    for r in _not_started(shift.id):
        state = compute_state(r, shift.planned_end, now)
        if (
            state == RoundState.OVERDUE and r.overdue_logged_at is None
        ) or state == RoundState.MISSED:
            return True
    return False


def note_overdue(actor: Actor, shift_id: int) -> list[RoundInfo]:
    """Log each overdue round once, and store rounds missed by the planned end.

    For the shift screen's tick; returns the rounds newly logged as overdue or missed
    (SE-3: patrol on time; overdue patrols shown).
    """
    now = actor.now()
    changed: list[int] = []
    if not _overdue_work(shift_id, now):
        return []  # the minute tick: no write transaction when nothing is due
    with write():
        shift = _shift(shift_id)
        for r in _not_started(shift.id).order_by(PatrolRound.due_at):
            state = compute_state(r, shift.planned_end, now)
            if state == RoundState.OVERDUE and r.overdue_logged_at is None:
                r.overdue_logged_at = now
                r.save()
                audit.record(
                    actor,
                    "patrol.round_overdue",
                    "patrol_round",
                    r.id,
                    new={"due_at": r.due_at},
                )
                changed.append(r.id)
            elif state == RoundState.MISSED:
                r.state = RoundState.MISSED
                r.save()
                audit.record(
                    actor,
                    "patrol.round_missed",
                    "patrol_round",
                    r.id,
                    new={"due_at": r.due_at, "planned_end": shift.planned_end},
                )
                changed.append(r.id)
    return [get_round(rid, now) for rid in changed]


class Progress(NamedTuple):
    """Patrol progress of a shift for the F2 screen."""

    done: int
    total: int
    next_due: arrow.Arrow | None
    overdue_count: int
    missed_count: int = 0  # past the shift's planned end, never started (SE-3)


def progress(shift_id: int, now: arrow.Arrow, shift_end: arrow.Arrow | None = None) -> Progress:
    """(done, total, next due time, overdue count): one indexed query of a few rows.

    ``done`` counts rounds done or done late; ``total`` every round except skipped
    ones; ``next_due`` is the earliest round still to start that is not yet overdue.
    ``shift_end``: the shift's
    planned end when the caller has read the shift already.
    """
    if shift_end is None:
        shift = Shift.select(Shift.planned_end).where(Shift.id == shift_id).first()
        if shift is None:
            raise NotFound(N_("No such shift"))
        shift_end = shift.planned_end
    rounds = PatrolRound.select(
        PatrolRound.id,
        PatrolRound.due_at,
        PatrolRound.tolerance_minutes,
        PatrolRound.state,
        PatrolRound.started_at,
    ).where(PatrolRound.shift == shift_id)
    done = total = overdue = missed = 0
    next_due: arrow.Arrow | None = None
    for r in rounds:
        state = compute_state(r, shift_end, now)
        if state == RoundState.SKIPPED:
            continue
        total += 1
        if state in (RoundState.DONE, RoundState.DONE_LATE):
            done += 1
        elif state == RoundState.OVERDUE:
            overdue += 1
        elif state == RoundState.MISSED:
            missed += 1
        elif state in (RoundState.UPCOMING, RoundState.DUE) and (
            next_due is None or r.due_at < next_due
        ):
            next_due = r.due_at
    return Progress(done, total, next_due, overdue, missed)
