"""Staff: adding, deactivating, PINs, and checking a staff number with its PIN.

Every PIN prompt (login, signing, presence check, quitting the kiosk) goes
through :func:`authenticate`, so they all count toward the same lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds
from dutydesk.domain.context import Actor
from dutydesk.domain.pins import hash_pin, verify_pin
from dutydesk.domain.site import ROLES, SUPERVISOR_ROLES
from dutydesk.errors import AuthError, NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Site, Staff


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


def authenticate(actor: Actor, staff_no: str, pin: str, purpose: str = "login") -> StaffInfo:
    """Check a staff number and PIN; :class:`AuthError` with a clear message if wrong.

    Five failures in a row for one staff number lock it for five minutes (site
    settings); each success and failure is an audit event. The PIN is never
    logged. ``purpose`` (login, sign, presence, quit…) is recorded.
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
    failures_allowed, minutes = _lockout_policy()
    # Failures are committed before the error is raised: a rollback must not
    # forget a wrong PIN or its audit event.
    error: AuthError | None = None
    with write():
        s = Staff.get_or_none(Staff.staff_no == number)
        who = actor.as_staff(None)
        if s is None:
            audit.record(
                who, f"{purpose}{_FAIL}", "staff", None, staff_no=number, new={"why": "unknown"}
            )
            error = AuthError(N_("Wrong staff number or PIN"), field="pin")
        elif s.locked_until is not None and now < s.locked_until:
            audit.record(
                who, f"{purpose}{_FAIL}", "staff", s.id, staff_no=number, new={"why": "locked"}
            )
            # Whole minutes, rounded up: "5 min" right after the lock, not 6.
            wait = max(1, math.ceil((s.locked_until - now).total_seconds() / 60))
            error = AuthError(
                N_(
                    "Staff number {staff_no} is locked after too many wrong PINs; "
                    "try again in {minutes} min"
                ),
                field="staff_no",
                staff_no=number,
                minutes=wait,
            )
        elif not verify_pin(s.pin_hash, pin):
            s.failed_attempts += 1
            locked = s.failed_attempts >= failures_allowed
            if locked:
                s.locked_until = now.shift(minutes=minutes)
                s.failed_attempts = 0
            s.save()
            audit.record(
                who,
                f"{purpose}{_FAIL}",
                "staff",
                s.id,
                staff_no=number,
                new={"why": "pin", "locked": locked},
            )
            if locked:
                error = AuthError(
                    N_("Too many wrong PINs: staff number {staff_no} is locked for {minutes} min"),
                    field="staff_no",
                    staff_no=number,
                    minutes=minutes,
                )
            else:
                error = AuthError(N_("Wrong staff number or PIN"), field="pin")
        elif not s.active:
            audit.record(
                who, f"{purpose}{_FAIL}", "staff", s.id, staff_no=number, new={"why": "inactive"}
            )
            error = AuthError(
                N_("Staff number {staff_no} is not active"), field="staff_no", staff_no=number
            )
        else:
            if s.failed_attempts or s.locked_until:
                s.failed_attempts = 0
                s.locked_until = None
                s.save()
            audit.record(actor.as_staff(s.id), f"{purpose}{_OK}", "staff", s.id, staff_no=number)
    if error is not None:
        raise error
    assert s is not None
    return info(s)


def _require_supervisor(actor: Actor) -> Staff:
    me = Staff.get_or_none(Staff.id == actor.staff_id)
    if me is None or me.role not in SUPERVISOR_ROLES or not me.active:
        raise RuleViolation(N_("Only a supervisor can do this"))
    return me


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
    if role not in ROLES:
        raise ValidationError(N_("Unknown role {role}"), field="role", role=role)
    pin_hash = hash_pin(pin, allow_trivial=allow_trivial_pin)
    with write():
        if require_supervisor:
            _require_supervisor(actor)
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
            "staff.create",
            "staff",
            s.id,
            new={"staff_no": number, "name": name, "role": role},
        )
    return info(s)


def set_active(actor: Actor, staff_id: int, active: bool) -> None:
    """Deactivate (at once: no more logins) or reactivate someone."""
    with write():
        me = _require_supervisor(actor)
        s = Staff.get_by_id(staff_id)
        if s.id == me.id and not active:
            raise RuleViolation(N_("You cannot deactivate yourself"))
        old = s.active
        s.active = active
        s.save()
        audit.record(
            actor, "staff.active", "staff", s.id, old={"active": old}, new={"active": active}
        )


def set_role(actor: Actor, staff_id: int, role: str) -> None:
    if role not in ROLES:
        raise ValidationError(N_("Unknown role {role}"), field="role", role=role)
    with write():
        _require_supervisor(actor)
        s = Staff.get_by_id(staff_id)
        old = s.role
        s.role = role
        s.save()
        audit.record(actor, "staff.role", "staff", s.id, old={"role": old}, new={"role": role})


def reset_pin(actor: Actor, staff_id: int, new_pin: str) -> None:
    """A supervisor sets a temporary PIN; it must be changed at the next login."""
    pin_hash = hash_pin(new_pin)
    with write():
        _require_supervisor(actor)
        s = Staff.get_by_id(staff_id)
        s.pin_hash = pin_hash
        s.must_change_pin = True
        s.failed_attempts = 0
        s.locked_until = None
        s.save()
        audit.record(actor, "staff.pin_reset", "staff", s.id)


def change_own_pin(actor: Actor, old_pin: str, new_pin: str, repeat: str) -> None:
    """Everyone can change their own PIN (typed twice)."""
    if new_pin != repeat:
        raise ValidationError(N_("The two new PINs differ"), field="repeat")
    pin_hash = hash_pin(new_pin)
    with write():
        s = Staff.get_by_id(actor.staff_id)
        if not verify_pin(s.pin_hash, old_pin):
            raise AuthError(N_("The current PIN is wrong"), field="old_pin")
        if verify_pin(s.pin_hash, new_pin):
            raise ValidationError(N_("Choose a PIN different from the current one"), field="pin")
        s.pin_hash = pin_hash
        s.must_change_pin = False
        s.save()
        audit.record(actor, "staff.pin_change", "staff", s.id)


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
