"""Who is at the keyboard: login sessions, roster deviations, night presence checks.

A session runs from login to lock (or idle lock, or quit). Logging in never opens
or closes a shift; it is compared with the roster of the shift that is on, and a
person who is not rostered is let in (the desk must never be locked out) but the
deviation is recorded for the supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, shifts
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.site import site_timezone
from dutydesk.domain.staff import StaffInfo, authenticate
from dutydesk.errors import AuthError
from dutydesk.i18n import N_
from dutydesk.models import Desk, LoginSession, PresenceCheck, Staff

# SG-5: a presence check must be confirmed within this many minutes of falling due.
PRESENCE_GRACE_MINUTES = 5


class SessionAction(StrEnum):
    """What the audit trail records about logins and presence checks (SG-5)."""

    START = "session.start"
    NOT_ON_ROSTER = "session.not_on_roster"
    END = "session.end"
    PRESENCE_DUE = "presence.due"
    PRESENCE_MISSED = "presence.missed"
    PRESENCE_CONFIRM = "presence.confirm"


@dataclass(frozen=True)
class SessionInfo:
    id: int
    staff_id: int
    on_roster: bool
    shift_id: int | None


@dataclass(frozen=True)
class OnDuty:
    """Someone logged in at a desk now."""

    staff_no: str
    name: str
    on_roster: bool
    since: arrow.Arrow


def _roster_target(desk_id: int, now: arrow.Arrow) -> tuple[int | None, object | None, int | None]:
    """(template id, business date, open shift id) of the shift the login is compared with.

    The open shift if there is one, else the shift of the desk's pattern on now.
    """
    open_shift = shifts.open_shift_of(desk_id)
    if open_shift is not None:
        return open_shift.template_id, open_shift.business_date, open_shift.id
    planned = shifts.planned_at(desk_id, now)
    if planned is None:
        return None, None, None
    return planned.template_id, planned.business_date, None


def is_rostered(desk_id: int, staff_id: int, now: arrow.Arrow) -> bool:
    """Is the person rostered on the shift that is on at the desk (CS1, SE-3)?"""
    template_id, day, _ = _roster_target(desk_id, now)
    if template_id is None:
        return False
    return any(s.id == staff_id for s in shifts.rostered(template_id, day))  # type: ignore[arg-type]


def start_session(actor: Actor) -> SessionInfo:
    """Record the login of ``actor.staff_id`` at ``actor.desk_id``.

    A person not on the roster is let in; the deviation is an audit event
    (``session.not_on_roster``) and the session is marked ``on_roster=False``.
    """
    assert actor.staff_id is not None and actor.desk_id is not None
    now = actor.now()
    template_id, day, shift_id = _roster_target(actor.desk_id, now)
    # Supervisors are not rostered at desks: their visit (to approve, to check the
    # records) is expected, not a deviation.
    visiting_supervisor = Staff.get_by_id(actor.staff_id).role in SUPERVISOR_ROLES
    on_roster = visiting_supervisor or (
        template_id is not None
        and any(
            s.id == actor.staff_id
            for s in shifts.rostered(template_id, day)  # type: ignore[arg-type]
        )
    )
    with write():
        row = LoginSession.create(
            staff=actor.staff_id,
            desk=actor.desk_id,
            shift=shift_id,
            started_at=now,
            on_roster=on_roster,
        )
        audit.record(
            actor,
            SessionAction.START,
            "login_session",
            row.id,
            new={"shift": shift_id, "on_roster": on_roster},
        )
        if not on_roster:
            audit.record(
                actor,
                SessionAction.NOT_ON_ROSTER,
                "login_session",
                row.id,
                new={"shift": shift_id, "template": template_id, "business_date": day},
            )
    return SessionInfo(row.id, actor.staff_id, on_roster, shift_id)


def end_session(actor: Actor, session_id: int, reason: str) -> None:
    """Close the session (lock / idle / quit). Ending an ended session does nothing."""
    with write():
        row = LoginSession.get_or_none(LoginSession.id == session_id)
        if row is None or row.ended_at is not None:
            return
        row.ended_at = actor.now()
        row.end_reason = reason
        row.save()
        audit.record(actor, SessionAction.END, "login_session", row.id, new={"reason": reason})


def end_stale_sessions(actor: Actor) -> int:
    """At start-up: sessions of this desk left open by a crash end now ("restart")."""
    if actor.desk_id is None:
        return 0
    stale = list(
        LoginSession.select().where(
            (LoginSession.desk == actor.desk_id) & LoginSession.ended_at.is_null()
        )
    )
    for row in stale:
        end_session(Actor(actor.clock, actor.desk_id, row.staff_id), row.id, "restart")
    return len(stale)


def logged_in(desk_id: int) -> list[OnDuty]:
    """Who is logged in at the desk now (open sessions), earliest first."""
    rows = (
        LoginSession.select(LoginSession, Staff)
        .join(Staff)
        .where((LoginSession.desk == desk_id) & LoginSession.ended_at.is_null())
        .order_by(LoginSession.started_at)
    )
    tz = site_timezone()
    return [OnDuty(r.staff.staff_no, r.staff.name, r.on_roster, r.started_at.to(tz)) for r in rows]


# --- night presence checks (SG-1, SG-5) -------------------------------------------------


@dataclass(frozen=True)
class PresenceDue:
    """A presence check waiting for a PIN."""

    id: int
    due_at: arrow.Arrow
    deadline: arrow.Arrow


@dataclass(frozen=True)
class PresenceState:
    pending: PresenceDue | None
    newly_missed: int


def _presence_slot(desk: Desk, now: arrow.Arrow) -> tuple[arrow.Arrow, int | None] | None:
    """The latest due time at or before ``now`` on a night shift, with the open shift id."""
    if desk.presence_minutes <= 0:
        return None
    planned = shifts.planned_at(desk.id, now)
    if planned is None or not planned.is_night:
        return None
    every = desk.presence_minutes * 60
    elapsed = int((now - planned.start).total_seconds())
    slots = elapsed // every
    if slots < 1:
        return None  # the first check falls due N minutes into the shift
    open_shift = shifts.open_shift_of(desk.id)
    return planned.start.shift(seconds=slots * every), open_shift.id if open_shift else None


def presence_tick(actor: Actor) -> PresenceState:
    """Bring the desk's presence checks up to ``actor.now()``.

    Creates the check that has fallen due, marks checks not confirmed within
    five minutes as missed (an audit event each, visible to the supervisor), and
    returns the check still waiting, if any.
    """
    if actor.desk_id is None:
        return PresenceState(None, 0)
    now = actor.now()
    desk = Desk.get_by_id(actor.desk_id)
    missed = 0
    if not _presence_work(desk, now):
        # The minute tick runs on an idle lock screen too: with nothing to write it
        # must not take the write lock (another desk may hold it; the disk may be full).
        return PresenceState(pending_presence(desk.id), 0)
    with write():
        overdue = PresenceCheck.select().where(
            (PresenceCheck.desk == desk.id)
            & PresenceCheck.confirmed_at.is_null()
            & (PresenceCheck.missed == False)  # noqa: E712
        )
        for check in overdue:
            if now >= check.due_at.shift(minutes=PRESENCE_GRACE_MINUTES):
                check.missed = True
                check.save()
                audit.record(
                    actor,
                    SessionAction.PRESENCE_MISSED,
                    "presence_check",
                    check.id,
                    new={"due_at": check.due_at},
                )
                missed += 1
        slot = _presence_slot(desk, now)
        if slot is not None and now < slot[0].shift(minutes=PRESENCE_GRACE_MINUTES):
            due_at, shift_id = slot
            exists = (
                PresenceCheck.select()
                .where((PresenceCheck.desk == desk.id) & (PresenceCheck.due_at == due_at))
                .exists()
            )
            if not exists:
                row = PresenceCheck.create(
                    desk=desk.id, shift=shift_id, staff=actor.staff_id, due_at=due_at
                )
                audit.record(
                    actor,
                    SessionAction.PRESENCE_DUE,
                    "presence_check",
                    row.id,
                    new={"due_at": due_at},
                )
    return PresenceState(pending_presence(desk.id), missed)


def _presence_work(desk: Desk, now: arrow.Arrow) -> bool:
    """Has :func:`presence_tick` anything to write at ``now``? (Reads only.)"""
    waiting = PresenceCheck.select(PresenceCheck.due_at).where(
        (PresenceCheck.desk == desk.id)
        & PresenceCheck.confirmed_at.is_null()
        & (PresenceCheck.missed == False)  # noqa: E712
    )
    if any(now >= c.due_at.shift(minutes=PRESENCE_GRACE_MINUTES) for c in waiting):
        return True
    slot = _presence_slot(desk, now)
    if slot is None or now >= slot[0].shift(minutes=PRESENCE_GRACE_MINUTES):
        return False
    return not (
        PresenceCheck.select()
        .where((PresenceCheck.desk == desk.id) & (PresenceCheck.due_at == slot[0]))
        .exists()
    )


def pending_presence(desk_id: int) -> PresenceDue | None:
    row = (
        PresenceCheck.select()
        .where(
            (PresenceCheck.desk == desk_id)
            & PresenceCheck.confirmed_at.is_null()
            & (PresenceCheck.missed == False)  # noqa: E712
        )
        .order_by(PresenceCheck.due_at.desc())
        .first()
    )
    if row is None:
        return None
    due = row.due_at.to(site_timezone())
    return PresenceDue(row.id, due, due.shift(minutes=PRESENCE_GRACE_MINUTES))


def confirm_presence(actor: Actor, check_id: int, staff_no: str, pin: str) -> None:
    """Confirm a presence check with the person's PIN (counts toward lockout)."""
    who = authenticate(actor, staff_no, pin, purpose="presence")
    with write():
        row = PresenceCheck.get_by_id(check_id)
        if row.missed:
            raise AuthError(N_("Too late: this presence check was already logged as missed"))
        row.confirmed_at = actor.now()
        row.staff = who.id
        row.save()
        audit.record(
            actor.as_staff(who.id), SessionAction.PRESENCE_CONFIRM, "presence_check", row.id
        )


def confirm_by_login(actor: Actor, person: StaffInfo) -> bool:
    """A login while a check is waiting confirms it (the PIN was just typed)."""
    if actor.desk_id is None:
        return False
    due = pending_presence(actor.desk_id)
    if due is None or actor.now() >= due.deadline:
        return False
    with write():
        row = PresenceCheck.get_by_id(due.id)
        row.confirmed_at = actor.now()
        row.staff = person.id
        row.save()
        audit.record(
            actor.as_staff(person.id),
            SessionAction.PRESENCE_CONFIRM,
            "presence_check",
            row.id,
            new={"by": "login"},
        )
    return True


@dataclass(frozen=True)
class MissedCheck:
    due_at: arrow.Arrow
    desk_name: str
    staff_no: str


def missed_checks(limit: int = 20) -> list[MissedCheck]:
    """The latest missed presence checks of every desk (the supervisor's view)."""
    rows = (
        PresenceCheck.select(PresenceCheck, Desk)
        .join(Desk)
        .where(PresenceCheck.missed == True)  # noqa: E712
        .order_by(PresenceCheck.due_at.desc())
        .limit(limit)
    )
    result = []
    for r in rows:
        staff = Staff.get_or_none(Staff.id == r.staff_id) if r.staff_id else None
        result.append(
            MissedCheck(r.due_at.to(site_timezone()), r.desk.name, staff.staff_no if staff else "")
        )
    return result
