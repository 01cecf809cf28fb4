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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds, formkit, search
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import (
    found,
    from_row,
    known_fields,
    moment,
    one_page,
    required,
    stamp,
)
from dutydesk.domain.formkit import typed as _text
from dutydesk.domain.patterns import DeskKind
from dutydesk.domain.site import site_timezone
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import Desk, RepairRequest, Staff


class RepairStatus(StrEnum):
    """The stored status of a repair request (the values are the database's)."""

    OPEN = "open"
    HANDLED = "handled"
    NOT_HANDLED = "not_handled"


STATUSES: tuple[str, ...] = tuple(RepairStatus)
STATUS_LABELS: dict[str, str] = {
    RepairStatus.OPEN: N_("Open"),
    RepairStatus.HANDLED: N_("Handled"),
    RepairStatus.NOT_HANDLED: N_("Not handled"),
}
# Neither handled nor noted as not handled: carried over from shift to shift.
UNFINISHED: tuple[str, ...] = (RepairStatus.OPEN,)
REPAIR_DESK_KINDS = frozenset({DeskKind.ENGINEERING, DeskKind.SERVICE})
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
        return cls(**known_fields(cls, data))


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
    return from_row(RepairInfo, r)


def _received_at(actor: Actor, value: Any) -> arrow.Arrow:
    msgid = N_("The time it was received cannot be in the future")
    return moment(actor, value, "received_at", msgid)


def check_repair(actor: Actor, request: RepairFields | Mapping[str, Any]) -> list[ValidationError]:
    """Every field problem of the form at once (messages go beside the fields)."""
    f = request if isinstance(request, RepairFields) else RepairFields.from_mapping(request)
    problems: list[ValidationError] = []
    for check in (
        lambda: _received_at(actor, f.received_at),
        lambda: formkit.phone(f.from_phone, "from_phone"),
        lambda: required(f.problem, "problem", N_("Describe what needs repairing")),
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
        row = RepairRequest.create(**stamp(desk_id, staff_id, actor.now()), **values)
        audit.record(actor, "repair.create", "repair_request", row.id, new=values)
        search.index_record("repair", row.id)
    return _info(row)


def _row(repair_id: int) -> RepairRequest:
    row: RepairRequest | None = RepairRequest.get_or_none(RepairRequest.id == repair_id)
    return found(row, N_("No such repair request"))


def get_repair(repair_id: int) -> RepairInfo:
    return _info(_row(repair_id))


def _finish(actor: Actor, repair_id: int, status: RepairStatus, text: str) -> RepairInfo:
    actor.require_login()
    with write():
        r = _row(repair_id)
        if r.status == RepairStatus.HANDLED:
            raise RuleViolation(N_("This repair request has already been handled"))
        if r.desk_id != actor.desk_id:
            raise RuleViolation(N_("This repair request belongs to another desk"))
        old = {"status": r.status, "action": r.action, "reason": r.reason}
        r.status = status
        if status == RepairStatus.HANDLED:
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
    required(action, "action", N_("Write what was done"))
    bounds.text(action, "action")
    return _finish(actor, repair_id, RepairStatus.HANDLED, _text(action))


def mark_not_handled(actor: Actor, repair_id: int, reason: str) -> RepairInfo:
    """It cannot be handled: noted with the reason, which is required (EN-8.3.2)."""
    required(reason, "reason", N_("Give the reason it could not be handled"))
    bounds.text(reason, "reason")
    return _finish(actor, repair_id, RepairStatus.NOT_HANDLED, _text(reason))


def _desk_repairs(desk_id: int, statuses: Sequence[str]) -> list[RepairInfo]:
    """Requests of the desk in one of ``statuses``, from any shift, oldest first."""
    rows = (
        RepairRequest.select()
        .where((RepairRequest.desk == desk_id) & RepairRequest.status.in_(list(statuses)))
        .order_by(RepairRequest.received_at, RepairRequest.id)
    )
    return [_info(r) for r in rows]


def open_repairs(desk_id: int) -> list[RepairInfo]:
    """Open requests of the desk, from any shift, oldest first (they carry over)."""
    return _desk_repairs(desk_id, UNFINISHED)


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
    newest_first = q.order_by(RepairRequest.received_at.desc(), RepairRequest.id.desc())
    rows, page, page_size, more = one_page(newest_first, page, page_size, MAX_PAGE_SIZE)
    return RepairPage([_info(r) for r in rows], page, page_size, more)


def handled_by_name(info: RepairInfo) -> str:
    """Who handled it, for the list."""
    if info.handled_by_id is None:
        return ""
    s = Staff.get_or_none(Staff.id == info.handled_by_id)
    return s.name if s else ""


# A repair request still unresolved: open, or not handled with its reason (EN-8.3.2);
# both go over at a handover.
UNRESOLVED_STATUSES: tuple[str, ...] = (RepairStatus.OPEN, RepairStatus.NOT_HANDLED)


def unresolved_repairs(desk_id: int) -> list[RepairInfo]:
    """Requests of the desk not resolved: open, or not handled (EN-8.3.2), from any
    shift, oldest first; the handover passes each on with its reason."""
    return _desk_repairs(desk_id, UNRESOLVED_STATUSES)
