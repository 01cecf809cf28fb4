"""Staff: adding, deactivating, PINs, and checking a staff number with its PIN.

Every PIN prompt (login, signing, presence check, quitting the kiosk) goes
through :func:`authenticate`, so they all count toward the same lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor, StaffRole
from dutydesk.domain.pins import hash_pin, verify_nobody, verify_pin
from dutydesk.errors import AuthError, NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Site, Staff


class StaffAction(StrEnum):
    """What the audit trail records about staff (the stored ``action`` strings)."""

    CREATE = "staff.create"
    ACTIVE = "staff.active"
    ROLE = "staff.role"
    UNLOCK = "staff.unlock"
    PIN_RESET = "staff.pin_reset"
    PIN_CHANGE = "staff.pin_change"


@dataclass(frozen=True)
class StaffInfo:
    id: int
    staff_no: str
    name: str
    role: str
    active: bool
    language: str | None
    must_change_pin: bool

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES


def info(s: Staff) -> StaffInfo:
    return StaffInfo(s.id, s.staff_no, s.name, s.role, s.active, s.language, s.must_change_pin)


def get(staff_id: int) -> StaffInfo:
    s = Staff.get_or_none(Staff.id == staff_id)
    if s is None:
        raise NotFound(N_("No such staff member"))
    return info(s)


def by_number(staff_no: str) -> StaffInfo | None:
    s = Staff.get_or_none(Staff.staff_no == staff_no.strip())
    return info(s) if s else None


def list_staff(include_inactive: bool = True) -> list[StaffInfo]:
    q = Staff.select().order_by(Staff.staff_no)
    if not include_inactive:
        q = q.where(Staff.active == True)  # noqa: E712
    return [info(s) for s in q]


def _lockout_policy() -> tuple[int, int]:
    site = Site.select(Site.lockout_failures, Site.lockout_minutes).first()
    return (site.lockout_failures, site.lockout_minutes) if site else (5, 5)


# The second step of the lockout: 10 wrong PINs in a row lock for half an hour.
SECOND_LOCK_MINUTES = 30

# The one answer to every refused PIN prompt: a wrong PIN, an unknown number and a
# locked number read alike, so the message never tells whether a number exists.
REFUSED = N_("Wrong staff number or PIN, or the number is locked: try later or ask the supervisor")


def lock_after(failures: int, step: int, first_minutes: int) -> int | None:
    """Minutes to lock after ``failures`` wrong PINs in a row; 0 for no lock, None for
    "until a supervisor unlocks". With the defaults: 5 → 5 min, 10 → 30 min, 15 → None."""
    if failures >= 3 * step:
        return None
    if failures == 2 * step:
        return max(SECOND_LOCK_MINUTES, first_minutes)
    if failures == step:
        return first_minutes
    return 0


@dataclass(frozen=True)
class LockState:
    """Is a staff number locked now, and for how much longer?"""

    locked: bool
    until_unlocked: bool
    minutes_left: int
    failures: int


def _seconds_left(s: Staff, now: arrow.Arrow) -> float:
    """Seconds left of ``s``'s timed lock, never more than its length: a lock made while
    the clock was fast, or a clock put back, cannot stretch it (nor below 0)."""
    if s.locked_until is None:
        return 0.0
    length = 60.0 * (s.lock_minutes or 0)
    left: float = (s.locked_until - now).total_seconds()
    return min(max(left, 0.0), length)


def lock_state(staff_id: int, now: arrow.Arrow) -> LockState:
    s = Staff.get_by_id(staff_id)
    left = _seconds_left(s, now)
    return LockState(
        locked=s.needs_unlock or left > 0,
        until_unlocked=s.needs_unlock,
        minutes_left=math.ceil(left / 60),
        failures=s.failed_attempts,
    )


def authenticate(actor: Actor, staff_no: str, pin: str, purpose: str = "login") -> StaffInfo:
    """Check a staff number and PIN; :class:`AuthError` with a clear message if wrong.

    Wrong PINs in a row lock the number for longer and longer (site settings, by
    default 5 → 5 min, 10 → 30 min, 15 → until a supervisor unlocks on F9). Every
    refusal has the same message and costs the same time (an unknown number is
    checked against a dummy hash), so neither tells whether a number exists. Each
    success and failure is an audit event naming the staff record, or "unknown
    number" without the text typed (it may be a PIN typed in the wrong field).
    The PIN is never stored. ``purpose`` (login, sign, presence, quit…) is recorded.
    """
    # A login's event says the person logged in; for any other prompt (signing,
    # approving, quitting…) the event only says the PIN was right or wrong: the
    # act itself is audited by the rule that performs it, or refused there.
    _OK, _FAIL = (".ok", ".fail") if purpose == "login" else (".pin_ok", ".pin_fail")
    number = staff_no.strip()
    if not number:
        raise AuthError(N_("Type your staff number"), field="staff_no")
    if not pin:
        raise AuthError(N_("Type your PIN"), field="pin")
    now = actor.now()
    step, first_minutes = _lockout_policy()
    # Failures are committed before the error is raised: a rollback must not
    # forget a wrong PIN or its audit event.
    refused = False
    with write():
        s = Staff.get_or_none(Staff.staff_no == number)
        who = actor.as_staff(None)
        fail = f"{purpose}{_FAIL}"
        if s is None:
            verify_nobody(pin)
            audit.record(who, fail, "staff", None, new={"why": "unknown number"})
            refused = True
        else:
            pin_ok = verify_pin(s.pin_hash, pin)  # also when locked: the same time
            if s.locked_until is not None:
                raw_left = (s.locked_until - now).total_seconds()
                if raw_left <= 0:  # the lock is over (a clock put back later cannot revive it)
                    s.locked_until, s.lock_minutes = None, None
                    s.save()
                elif raw_left > 60 * (s.lock_minutes or 0):
                    # The clock was put back (or the lock made while it was fast): the
                    # lock runs its length from now, not until the clock catches up.
                    s.locked_until = now.shift(minutes=s.lock_minutes or 0)
                    s.save()
            if s.needs_unlock or _seconds_left(s, now) > 0:
                audit.record(who, fail, "staff", s.id, staff_no=s.staff_no, new={"why": "locked"})
                refused = True
            elif not pin_ok:
                s.failed_attempts += 1
                minutes = lock_after(s.failed_attempts, step, first_minutes)
                change: dict[str, object] = {"why": "pin", "failures": s.failed_attempts}
                if minutes is None:
                    s.needs_unlock = True
                    change["locked"] = "until unlocked"
                elif minutes:
                    s.locked_until = now.shift(minutes=minutes)
                    s.lock_minutes = minutes
                    change["locked"] = minutes
                s.save()
                audit.record(who, fail, "staff", s.id, staff_no=s.staff_no, new=change)
                refused = True
            elif not s.active:
                audit.record(who, fail, "staff", s.id, staff_no=s.staff_no, new={"why": "inactive"})
            else:
                if s.failed_attempts or s.locked_until or s.lock_minutes:
                    s.failed_attempts = 0
                    s.locked_until = None
                    s.lock_minutes = None
                    s.save()
                audit.record(
                    actor.as_staff(s.id), f"{purpose}{_OK}", "staff", s.id, staff_no=s.staff_no
                )
    if refused:
        raise AuthError(REFUSED, field="pin")
    assert s is not None
    if not s.active:  # only said to someone who typed the right PIN
        raise AuthError(
            N_("Staff number {staff_no} is not active"), field="staff_no", staff_no=s.staff_no
        )
    return info(s)


def unlock(actor: Actor, staff_id: int) -> None:
    """A supervisor lifts a lockout (F9): the count of wrong PINs starts again."""
    with write():
        actor.require_role()
        s = Staff.get_by_id(staff_id)
        if not (s.needs_unlock or s.locked_until or s.failed_attempts):
            raise RuleViolation(
                N_("{staff_no} is not locked"), staff_no=s.staff_no, field="staff_no"
            )
        old = {
            "failures": s.failed_attempts,
            "locked": "until unlocked" if s.needs_unlock else s.lock_minutes,
        }
        s.failed_attempts = 0
        s.locked_until = None
        s.lock_minutes = None
        s.needs_unlock = False
        s.save()
        audit.record(actor, StaffAction.UNLOCK, "staff", s.id, staff_no=s.staff_no, old=old)


def add_staff(
    actor: Actor,
    *,
    staff_no: str,
    name: str,
    role: str,
    pin: str,
    language: str | None = None,
    allow_trivial_pin: bool = False,
    must_change_pin: bool = True,
    require_supervisor: bool = True,
) -> StaffInfo:
    """Add a person. A PIN set by someone else must be changed at first login."""
    number, name = staff_no.strip(), name.strip()
    if not number:
        raise ValidationError(N_("Type a staff number"), field="staff_no")
    number = bounds.staff_number(number)
    if not name:
        raise ValidationError(N_("Type a name"), field="name")
    name = bounds.name(name, "name")
    if role not in tuple(StaffRole):
        raise ValidationError(N_("Unknown role {role}"), field="role", role=role)
    pin_hash = hash_pin(pin, allow_trivial=allow_trivial_pin)
    with write():
        if require_supervisor:
            actor.require_role()
        if Staff.select().where(Staff.staff_no == number).exists():
            raise ValidationError(
                N_("Staff number {staff_no} is taken"), field="staff_no", staff_no=number
            )
        s = Staff.create(
            staff_no=number,
            name=name,
            role=role,
            pin_hash=pin_hash,
            language=language,
            must_change_pin=must_change_pin,
            created_at=actor.now(),
        )
        audit.record(
            actor,
            StaffAction.CREATE,
            "staff",
            s.id,
            new={"staff_no": number, "name": name, "role": role},
        )
    return info(s)


def set_active(actor: Actor, staff_id: int, active: bool) -> None:
    """Deactivate (at once: no more logins) or reactivate someone."""
    with write():
        me = actor.require_role()
        s = Staff.get_by_id(staff_id)
        if s.id == me.id and not active:
            raise RuleViolation(N_("You cannot deactivate yourself"))
        old = s.active
        s.active = active
        s.save()
        audit.record(
            actor, StaffAction.ACTIVE, "staff", s.id, old={"active": old}, new={"active": active}
        )


def set_role(actor: Actor, staff_id: int, role: str) -> None:
    if role not in tuple(StaffRole):
        raise ValidationError(N_("Unknown role {role}"), field="role", role=role)
    with write():
        actor.require_role()
        s = Staff.get_by_id(staff_id)
        old = s.role
        s.role = role
        s.save()
        audit.record(actor, StaffAction.ROLE, "staff", s.id, old={"role": old}, new={"role": role})


def reset_pin(actor: Actor, staff_id: int, new_pin: str) -> None:
    """A supervisor sets a temporary PIN; it must be changed at the next login."""
    pin_hash = hash_pin(new_pin)
    with write():
        actor.require_role()
        s = Staff.get_by_id(staff_id)
        s.pin_hash = pin_hash
        s.must_change_pin = True
        s.failed_attempts = 0
        s.locked_until = None
        s.lock_minutes = None
        s.needs_unlock = False
        s.save()
        audit.record(actor, StaffAction.PIN_RESET, "staff", s.id)


def change_own_pin(actor: Actor, old_pin: str, new_pin: str, repeat: str) -> None:
    """Everyone can change their own PIN (typed twice)."""
    if new_pin != repeat:
        raise ValidationError(N_("The two new PINs differ"), field="repeat")
    me = Staff.get_by_id(actor.staff_id)
    # The current PIN is checked like a login's: wrong ones count towards the lockout
    # and are audited, so an unlocked session is no way round it.
    try:
        authenticate(actor, me.staff_no, old_pin, purpose="pin_change")
    except AuthError as exc:
        raise AuthError(
            N_("The current PIN is wrong, or your number is locked after wrong PINs"),
            field="old_pin",
        ) from exc
    pin_hash = hash_pin(new_pin)
    with write():
        s = Staff.get_by_id(actor.staff_id)
        if verify_pin(s.pin_hash, new_pin):
            raise ValidationError(N_("Choose a PIN different from the current one"), field="pin")
        s.pin_hash = pin_hash
        s.must_change_pin = False
        s.save()
        audit.record(actor, StaffAction.PIN_CHANGE, "staff", s.id)


def set_language(actor: Actor, language: str) -> None:
    if language not in ("zh", "en"):
        raise ValidationError(N_("Language must be zh or en"), field="language")
    with write():
        s = Staff.get_by_id(actor.staff_id)
        s.language = language
        s.save()


def locked_until(staff_no: str) -> arrow.Arrow | None:
    s = Staff.get_or_none(Staff.staff_no == staff_no.strip())
    return s.locked_until if s else None
