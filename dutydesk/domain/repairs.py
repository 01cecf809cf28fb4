"""Repair requests (报修, EN-8.3.2) at the engineering and service desks.

A request records when it was received, from whom (name, unit, phone), where
and what is wrong. The shift handles it (what was done) or notes that it
cannot, with the reason (required). A request still open at the end of a shift
carries over: :func:`open_repairs` lists them whatever shift took them, for the
next shift and its handover. A request noted as not handled can still be
handled later by anyone at the desk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds, search
from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import open_shift_of
from dutydesk.domain.site import site_timezone
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import Desk, RepairRequest, Staff

STATUSES: tuple[str, ...] = ("open", "handled", "not_handled")
STATUS_LABELS: dict[str, str] = {
    "open": N_("Open"),
    "handled": N_("Handled"),
    "not_handled": N_("Not handled"),
}
# Neither handled nor noted as not handled: carried over from shift to shift.
UNFINISHED: tuple[str, ...] = ("open",)
REPAIR_DESK_KINDS = frozenset({"engineering", "service"})
FUTURE_TOLERANCE_MINUTES = 1
MAX_PAGE_SIZE = 200


@dataclass
class RepairFields:
    """What the repair-request form holds."""

    problem: str = ""
    place: str = ""
    from_name: str = ""
    from_unit: str = ""
    from_phone: str = ""
    received_at: arrow.Arrow | None = None  # None: now

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RepairFields:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class RepairInfo:
    id: int
    desk_id: int
    shift_id: int | None
    author_id: int
    created_at: arrow.Arrow
    received_at: arrow.Arrow
    from_name: str
    from_unit: str
    from_phone: str
    place: str
    problem: str
    status: str
    action: str
    reason: str
    handled_at: arrow.Arrow | None
    handled_by_id: int | None

    @property
    def is_open(self) -> bool:
        return self.status in UNFINISHED

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class RepairPage:
    items: list[RepairInfo]
    page: int
    page_size: int
    has_more: bool


def _info(r: RepairRequest) -> RepairInfo:
    return RepairInfo(
        r.id,
        r.desk_id,
        r.shift_id,
        r.author_id,
        r.created_at,
        r.received_at,
        r.from_name,
        r.from_unit,
        r.from_phone,
        r.place,
        r.problem,
        r.status,
        r.action,
        r.reason,
        r.handled_at,
        r.handled_by_id,
    )


def _text(value: Any) -> str:
    # Stored exactly as typed; only "is it empty" looks through spaces.
    return "" if value is None else str(value)


def _received_at(actor: Actor, value: Any) -> arrow.Arrow:
    when = value or actor.now()
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        when = arrow.get(when)
    if not isinstance(when, arrow.Arrow):
        raise ValidationError(N_("Enter the time as YYYY-MM-DD HH:MM"), field="received_at")
    return bounds.instant(
        actor,
        when,
        "received_at",
        future_msgid=N_("The time it was received cannot be in the future"),
    )


def _phone(value: Any) -> str:
    phone = _text(value)
    if phone.strip() and not re.fullmatch(r"[0-9+\-() #*]+", phone.strip()):
        raise ValidationError(
            N_("A phone number has only digits, spaces and + - ( )"), field="from_phone"
        )
    return phone


def check_repair(actor: Actor, request: RepairFields | Mapping[str, Any]) -> list[ValidationError]:
    """Every field problem of the form at once (messages go beside the fields)."""
    f = request if isinstance(request, RepairFields) else RepairFields.from_mapping(request)
    problems: list[ValidationError] = []
    for check in (
        lambda: _received_at(actor, f.received_at),
        lambda: _phone(f.from_phone),
        lambda: _required(f.problem, "problem", N_("Describe what needs repairing")),
        lambda: bounds.name(f.from_name, "from_name"),
        lambda: bounds.name(f.from_unit, "from_unit"),
        lambda: bounds.name(f.from_phone, "from_phone"),
        lambda: bounds.text(f.place, "place"),
        lambda: bounds.text(f.problem, "problem"),
    ):
        try:
            check()
        except ValidationError as exc:
            problems.append(exc)
    return problems


def _required(value: Any, field_name: str, msgid: str) -> str:
    if not _text(value).strip():
        raise ValidationError(msgid, field=field_name)
    return _text(value)


def create_repair(actor: Actor, request: RepairFields | Mapping[str, Any]) -> RepairInfo:
    """Take a repair request at the actor's (engineering or service) desk."""
    desk_id, staff_id = actor.require_login()
    kind = Desk.select(Desk.kind).where(Desk.id == desk_id).scalar()
    if kind not in REPAIR_DESK_KINDS:
        raise RuleViolation(
            N_("Repair requests are taken at the engineering and service desks"), rule="EN-8.3.2"
        )
    f = request if isinstance(request, RepairFields) else RepairFields.from_mapping(request)
    problems = check_repair(actor, f)
    if problems:
        raise problems[0]
    values = {
        "received_at": _received_at(actor, f.received_at),
        "from_name": _text(f.from_name),
        "from_unit": _text(f.from_unit),
        "from_phone": _text(f.from_phone),
        "place": _text(f.place),
        "problem": _text(f.problem),
    }
    with write():
        shift = open_shift_of(desk_id)
        row = RepairRequest.create(
            desk=desk_id,
            shift=shift.id if shift else None,
            author=staff_id,
            created_at=actor.now(),
            **values,
        )
        audit.record(actor, "repair.create", "repair_request", row.id, new=values)
        search.index_record("repair", row.id)
    return _info(row)


def _row(repair_id: int) -> RepairRequest:
    row = RepairRequest.get_or_none(RepairRequest.id == repair_id)
    if row is None:
        raise NotFound(N_("No such repair request"))
    return row


def get_repair(repair_id: int) -> RepairInfo:
    return _info(_row(repair_id))


def _finish(actor: Actor, repair_id: int, status: str, text: str) -> RepairInfo:
    actor.require_login()
    with write():
        r = _row(repair_id)
        if r.status == "handled":
            raise RuleViolation(N_("This repair request has already been handled"))
        if r.desk_id != actor.desk_id:
            raise RuleViolation(N_("This repair request belongs to another desk"))
        old = {"status": r.status, "action": r.action, "reason": r.reason}
        r.status = status
        if status == "handled":
            r.action = text
            r.handled_at = actor.now()
            r.handled_by_id = actor.staff_id
        else:
            r.reason = text
        r.save()
        audit.record(
            actor,
            f"repair.{status}",
            "repair_request",
            r.id,
            old=old,
            new={"status": r.status, "action": r.action, "reason": r.reason},
        )
        search.index_record("repair", r.id)
    return _info(r)


def mark_handled(actor: Actor, repair_id: int, action: str) -> RepairInfo:
    """The request was dealt with: what was done is required."""
    if not _text(action).strip():
        raise ValidationError(N_("Write what was done"), field="action")
    bounds.text(action, "action")
    return _finish(actor, repair_id, "handled", _text(action))


def mark_not_handled(actor: Actor, repair_id: int, reason: str) -> RepairInfo:
    """It cannot be handled: noted with the reason, which is required (EN-8.3.2)."""
    if not _text(reason).strip():
        raise ValidationError(N_("Give the reason it could not be handled"), field="reason")
    bounds.text(reason, "reason")
    return _finish(actor, repair_id, "not_handled", _text(reason))


def open_repairs(desk_id: int) -> list[RepairInfo]:
    """Open requests of the desk, from any shift, oldest first (they carry over)."""
    rows = (
        RepairRequest.select()
        .where((RepairRequest.desk == desk_id) & RepairRequest.status.in_(UNFINISHED))
        .order_by(RepairRequest.received_at, RepairRequest.id)
    )
    return [_info(r) for r in rows]


def list_repairs(
    desk_id: int | None = None,
    *,
    status: str | Sequence[str] | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    page: int = 0,
    page_size: int = 50,
) -> RepairPage:
    """Repair requests newest first, filtered by status and the site's calendar days."""
    page = max(0, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    q = RepairRequest.select()
    if desk_id is not None:
        q = q.where(RepairRequest.desk == desk_id)
    if status:
        q = q.where(RepairRequest.status.in_([status] if isinstance(status, str) else status))
    tz = site_timezone()
    if day_from is not None:
        q = q.where(RepairRequest.received_at >= arrow.get(day_from, tzinfo=tz).floor("day"))
    if day_to is not None:
        q = q.where(
            RepairRequest.received_at < arrow.get(day_to, tzinfo=tz).floor("day").shift(days=1)
        )
    rows = list(
        q.order_by(RepairRequest.received_at.desc(), RepairRequest.id.desc())
        .limit(page_size + 1)
        .offset(page * page_size)
    )
    return RepairPage([_info(r) for r in rows[:page_size]], page, page_size, len(rows) > page_size)


def handled_by_name(info: RepairInfo) -> str:
    """Who handled it, for the list."""
    if info.handled_by_id is None:
        return ""
    s = Staff.get_or_none(Staff.id == info.handled_by_id)
    return s.name if s else ""


# A repair request still unresolved: open, or not handled with its reason (EN-8.3.2);
# both go over at a handover.
UNRESOLVED_STATUSES: tuple[str, ...] = ("open", "not_handled")


def unresolved_repairs(desk_id: int) -> list[RepairInfo]:
    """Requests of the desk not resolved: open, or not handled (EN-8.3.2), from any
    shift, oldest first; the handover passes each on with its reason."""
    rows = (
        RepairRequest.select()
        .where((RepairRequest.desk == desk_id) & RepairRequest.status.in_(UNRESOLVED_STATUSES))
        .order_by(RepairRequest.received_at, RepairRequest.id)
    )
    return [_info(r) for r in rows]
