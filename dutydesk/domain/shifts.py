"""Shifts at a desk: which is on now, who is rostered, opening and closing.

A shift is opened by the signed handover that starts it; where none is possible
(a new site's first shift, the outgoing absent) the incoming person opens it
with a reason, recorded for the supervisor. Logging in never opens or closes a
shift, and nothing closes a shift by itself (CS-R4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, patterns
from dutydesk.domain.context import Actor
from dutydesk.domain.site import DeskInfo, dated_specs, desk_info, site_timezone
from dutydesk.domain.vocabulary import ShiftState
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Desk, RosterEntry, Shift, ShiftTemplate, Staff


class ShiftAction(StrEnum):
    """What the audit trail records about shifts (the stored ``action`` strings)."""

    OPEN = "shift.open"
    CLOSE = "shift.close"
    RELIEF_OVERDUE = "shift.relief_overdue"


@dataclass(frozen=True)
class PlannedShift:
    """A shift occurrence of the desk's pattern (whether or not opened)."""

    desk_id: int
    template_id: int
    code: str
    name_zh: str
    name_en: str
    business_date: dt.date
    start: arrow.Arrow
    end: arrow.Arrow
    is_night: bool


def _template(desk_id: int, code: str) -> ShiftTemplate:
    t: ShiftTemplate = ShiftTemplate.get(
        (ShiftTemplate.desk == desk_id) & (ShiftTemplate.code == code)
    )
    return t


def _planned(desk_id: int, w: patterns.ShiftWindow) -> PlannedShift:
    t = _template(desk_id, w.code)
    return PlannedShift(
        desk_id, t.id, t.code, t.name_zh, t.name_en, w.business_date, w.start, w.end, t.is_night
    )


def planned_at(desk_id: int, instant: arrow.Arrow) -> PlannedShift | None:
    """The shift of the desk's pattern that is on at ``instant``."""
    w = patterns.shift_at(dated_specs(desk_id), instant, site_timezone())
    return _planned(desk_id, w) if w else None


def planned_next(desk_id: int, instant: arrow.Arrow) -> PlannedShift:
    """The shift of the desk's pattern that starts next after ``instant``."""
    return _planned(desk_id, patterns.next_shift(dated_specs(desk_id), instant, site_timezone()))


def planned_on(desk_id: int, business_date: dt.date, code: str) -> PlannedShift:
    """The occurrence of shift ``code`` that starts on ``business_date``."""
    specs = {s.code: s for s in dated_specs(desk_id)(business_date)}
    if code not in specs:
        raise NotFound(N_("No shift {code} at this desk"), code=code)
    return _planned(desk_id, patterns.window(specs[code], business_date, site_timezone()))


def rostered(template_id: int, business_date: dt.date) -> list[Staff]:
    """Staff rostered on a shift occurrence, in staff-number order."""
    return list(
        Staff.select()
        .join(RosterEntry)
        .where((RosterEntry.template == template_id) & (RosterEntry.business_date == business_date))
        .order_by(Staff.staff_no)
    )


@dataclass(frozen=True)
class ShiftInfo:
    """A shift that is (or was) open at a desk, as screens and commands see it."""

    id: int
    desk_id: int
    business_date: dt.date
    template_id: int
    code: str
    name_zh: str
    name_en: str
    planned_start: arrow.Arrow
    planned_end: arrow.Arrow
    actual_start: arrow.Arrow | None
    actual_end: arrow.Arrow | None
    state: ShiftState
    opened_by_id: int | None
    open_reason: str
    relief_overdue_at: arrow.Arrow | None


def shift_info(row: Shift) -> ShiftInfo:
    """The dataclass of a Shift row read with its template."""
    t: ShiftTemplate = row.template
    return ShiftInfo(
        row.id,
        row.desk_id,
        row.business_date,
        row.template_id,
        t.code,
        t.name_zh,
        t.name_en,
        row.planned_start,
        row.planned_end,
        row.actual_start,
        row.actual_end,
        ShiftState(row.state),
        row.opened_by_id,
        row.open_reason,
        row.relief_overdue_at,
    )


def open_shift_query(desk_id: int) -> Any:
    """The query of :func:`open_shift_of` (the template read with it), to extend."""
    return (
        Shift.select(Shift, ShiftTemplate)
        .join(ShiftTemplate)
        .where((Shift.desk == desk_id) & (Shift.state == ShiftState.OPEN))
        .order_by(Shift.planned_start.desc())
    )


def open_shift_of(desk_id: int) -> Shift | None:
    """The row of the shift open at the desk (the newest, should there ever be two),
    with its template (``.template`` needs no further query). For the domain's own
    writes; screens and commands use :func:`current_shift`."""
    row: Shift | None = open_shift_query(desk_id).first()
    return row


def current_shift(desk_id: int) -> ShiftInfo | None:
    """The shift open at the desk, as a :class:`ShiftInfo` (one query)."""
    row = open_shift_of(desk_id)
    return shift_info(row) if row is not None else None


def is_relief_overdue(shift: Shift, now: arrow.Arrow) -> bool:
    """The open shift's planned end has passed without a signed handover (CS-R4)."""
    return bool(shift.state == ShiftState.OPEN and now >= shift.planned_end)


def mark_relief_overdue(actor: Actor, shift_id: int) -> bool:
    """Log "relief overdue" once for the shift; True the first time."""
    with write():
        shift = Shift.get_by_id(shift_id)
        if shift.relief_overdue_at is not None or not is_relief_overdue(shift, actor.now()):
            return False
        shift.relief_overdue_at = actor.now()
        shift.save()
        audit.record(
            actor,
            ShiftAction.RELIEF_OVERDUE,
            "shift",
            shift.id,
            new={"planned_end": shift.planned_end},
        )
    return True


def create_open_shift(
    actor: Actor, planned: PlannedShift, opened_by: int | None, reason: str = ""
) -> Shift:
    """Insert the open Shift row for ``planned`` (inside the caller's transaction)."""
    if Desk.get_by_id(planned.desk_id).retired_at is not None:
        raise RuleViolation(N_("This desk is retired: no new shifts"))
    existing = Shift.get_or_none(
        (Shift.desk == planned.desk_id)
        & (Shift.template == planned.template_id)
        & (Shift.business_date == planned.business_date)
    )
    if existing is not None:
        raise RuleViolation(N_("This shift has already been opened"))
    shift: Shift = Shift.create(
        desk=planned.desk_id,
        template=planned.template_id,
        business_date=planned.business_date,
        planned_start=planned.start,
        planned_end=planned.end,
        actual_start=actor.now(),
        state=ShiftState.OPEN,
        opened_by=opened_by,
        open_reason=reason,
    )
    audit.record(
        actor,
        ShiftAction.OPEN,
        "shift",
        shift.id,
        new={
            "code": planned.code,
            "business_date": planned.business_date,
            "opened_by": opened_by,
            "reason": reason,
        },
    )
    # The shift's rounds are generated when it starts (SE-3), in the
    # caller's transaction (write() nests as a savepoint). Imported here, not at the
    # top: shifts is a base module of the domain and must not pull patrols in.
    from dutydesk.domain import patrols

    patrols.ensure_rounds(shift.id, actor)
    return shift


def close_shift(actor: Actor, shift: Shift, how: str) -> None:
    """Close ``shift`` now (inside the caller's transaction). ``how`` goes to the audit."""
    shift.actual_end = actor.now()
    shift.state = ShiftState.CLOSED
    shift.save()
    audit.record(actor, ShiftAction.CLOSE, "shift", shift.id, new={"how": how})


def open_without_handover(actor: Actor, reason: str) -> Shift:
    """The incoming person opens the shift on now, with a reason, where no handover
    is possible (a new site's first shift, the outgoing absent). A shift still
    open at the desk is closed at the same moment and the reason recorded on both.
    """
    desk_id = actor.require_login().desk_id
    if not reason.strip():
        raise ValidationError(N_("Say why the shift is opened without a handover"), field="reason")
    now = actor.now()
    planned = planned_at(desk_id, now)
    if planned is None:
        raise RuleViolation(N_("No shift of this desk is on now"))
    with write():
        previous = open_shift_of(desk_id)
        if previous is not None:
            if previous.template_id == planned.template_id and (
                previous.business_date == planned.business_date
            ):
                raise RuleViolation(N_("This shift has already been opened"))
            close_shift(actor, previous, f"opened next without handover: {reason.strip()}")
        return create_open_shift(actor, planned, actor.staff_id, reason.strip())


def desk_of(desk_id: int) -> DeskInfo:
    """The desk (its settings, such as the handover window) as a :class:`DeskInfo`."""
    return desk_info(desk_id)
