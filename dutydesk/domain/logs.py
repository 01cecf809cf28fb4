"""The desk's logs (F6): duty log, phone calls, visitors, absences, discipline
notes, key lending and switching operations.

Every entry is append-only (CS3): a mistake is fixed by a *correction* entry
that links to the original and gives a reason; the original stays and is
listed as corrected. The only later change allowed on a record is closing what
is still open, once: a visitor signs out, a lent key comes back, a switching
operation finishes. Each of those is audited; anything else is a correction.

Every entry stores the logged-in person, the kiosk's desk and the shift open at
the desk (if any). Lists are newest first and paged by keyset (a ten-year site
holds some half a million entries), never loaded whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import arrow
import peewee as pw

from dutydesk.db import write
from dutydesk.domain import audit, bounds, search
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import phone, stamp
from dutydesk.domain.patterns import DeskKind
from dutydesk.domain.vocabulary import DutyKind
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import (
    Desk,
    DutyLogEntry,
    KeyLoan,
    PhoneCall,
    Staff,
    SwitchingOperation,
    Visitor,
)


class LogKind(StrEnum):
    """The kinds of log on F6, in the order the screen offers them."""

    DUTY = "duty"
    PHONE = "phone"
    VISITOR = "visitor"
    ABSENCE = "absence"
    DISCIPLINE = "discipline"
    KEY = "key"
    SWITCHING = "switching"


KINDS: tuple[str, ...] = tuple(LogKind)

KIND_LABELS: dict[str, str] = {
    LogKind.DUTY: N_("Duty log"),
    LogKind.PHONE: N_("Phone log"),
    LogKind.VISITOR: N_("Visitors"),
    LogKind.ABSENCE: N_("Absence from post"),
    LogKind.DISCIPLINE: N_("Discipline notes"),
    LogKind.KEY: N_("Key lending"),
    LogKind.SWITCHING: N_("Switching operations"),
}

# Duty-log rows written by other records (an incident, the system) show in the
# duty log too, but are corrected in their own record, not here.
DUTY_LIST_KINDS: tuple[str, ...] = (DutyKind.DUTY, DutyKind.INCIDENT, DutyKind.SYSTEM)

# Categories offered for a duty-log entry (stored as the code).
DUTY_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("routine", N_("Routine")),
    ("security", N_("Security")),
    ("equipment", N_("Equipment")),
    ("service", N_("Service")),
    ("other", N_("Other")),
)

# Every category's words, including those only the app writes (a patrol's problems
# and readings out of range go to the duty log as "patrol"; SE-4, CS3).
CATEGORY_LABELS: dict[str, str] = {**dict(DUTY_CATEGORIES), "patrol": N_("Patrol")}

# How far in the future an entered time may lie (a clock a little fast, a minute
# typed ahead), before it is refused as a typing mistake.
FUTURE_TOLERANCE_MINUTES = bounds.FUTURE_TOLERANCE_MINUTES
MAX_PAGE = 200


@dataclass(frozen=True)
class _Kind:
    model: Any  # a peewee model class (typed loosely: fields are added by metaclass)
    at: str  # the field the list sorts and filters by
    main: str  # the main text field (the form's cursor starts there)
    record_type: str
    duty_kind: str = ""  # the DutyLogEntry.kind, for the kinds stored there
    open_field: str = ""  # the field closed later (time out, key back, finished)


_KINDS: dict[str, _Kind] = {
    LogKind.DUTY: _Kind(DutyLogEntry, "occurred_at", "text", "duty_log_entry", DutyKind.DUTY),
    LogKind.PHONE: _Kind(PhoneCall, "call_at", "content", "phone_call"),
    LogKind.VISITOR: _Kind(Visitor, "time_in", "name", "visitor", open_field="time_out"),
    LogKind.ABSENCE: _Kind(
        DutyLogEntry, "absent_from", "reason", "duty_log_entry", DutyKind.ABSENCE
    ),
    LogKind.DISCIPLINE: _Kind(
        DutyLogEntry, "occurred_at", "text", "duty_log_entry", DutyKind.DISCIPLINE
    ),
    LogKind.KEY: _Kind(KeyLoan, "out_at", "key_name", "key_loan", open_field="back_at"),
    LogKind.SWITCHING: _Kind(
        SwitchingOperation, "started_at", "what", "switching_operation", open_field="finished_at"
    ),
}

# The fields of each kind as the forms name them (the order is the form's).
FIELDS: dict[str, tuple[str, ...]] = {
    LogKind.DUTY: ("occurred_at", "category", "text", "result"),
    LogKind.PHONE: ("call_at", "caller", "number", "content", "action"),
    LogKind.VISITOR: ("name", "organisation", "purpose", "entered_room", "time_in", "time_out"),
    LogKind.ABSENCE: ("reason", "absent_from", "absent_to"),
    LogKind.DISCIPLINE: ("occurred_at", "names", "text"),
    LogKind.KEY: ("key_name", "borrower", "out_at", "back_at"),
    LogKind.SWITCHING: ("what", "operator", "started_at", "finished_at"),
}

# fmt: off
TIME_FIELDS = frozenset({
    "occurred_at", "call_at", "time_in", "time_out", "absent_from", "absent_to",
    "out_at", "back_at", "started_at", "finished_at",
})
# fmt: on


def main_field(kind: str) -> str:
    """The field a new-entry form of ``kind`` puts the cursor in."""
    return _kind(kind).main


def kinds_for_desk(desk_kind: str) -> list[str]:
    """The log kinds offered at a desk: switching operations only at engineering desks."""
    return [k for k in KINDS if k != LogKind.SWITCHING or desk_kind == DeskKind.ENGINEERING]


@dataclass(frozen=True)
class LogEntry:
    """One entry of any log, as the screens show it."""

    kind: str
    id: int
    at: arrow.Arrow
    desk_id: int
    shift_id: int | None
    author_id: int
    author_no: str
    author_name: str
    created_at: arrow.Arrow
    values: dict[str, Any]
    corrects_id: int | None = None
    correction_reason: str = ""
    corrected_by_id: int | None = None
    ref_type: str = ""
    entry_kind: str = ""  # DutyLogEntry.kind (duty / incident / system …) where stored there

    @property
    def corrected(self) -> bool:
        """A later correction replaces this entry (it stays listed, marked)."""
        return self.corrected_by_id is not None

    @property
    def is_open(self) -> bool:
        """A visitor still inside, a key still out, an operation still running."""
        spec = _KINDS[self.kind]
        return bool(spec.open_field) and self.values.get(spec.open_field) is None

    @property
    def correctable(self) -> bool:
        """Entries made by other records (an incident) are corrected there."""
        return not self.corrected and not self.ref_type and self.entry_kind in ("", self.kind)

    @property
    def summary(self) -> str:
        return str(self.values.get(_KINDS[self.kind].main) or "")


@dataclass(frozen=True)
class Page:
    """One page of a list; ``next_cursor`` continues after its last entry."""

    entries: list[LogEntry]
    next_cursor: tuple[arrow.Arrow, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _kind(kind: str) -> _Kind:
    if kind not in _KINDS:
        raise NotFound(N_("No such log: {kind}"), kind=kind)
    return _KINDS[kind]


# --- validation ---------------------------------------------------------------------


def _text(
    values: dict[str, Any], name: str, *, required: bool = False, msgid: str = N_("Fill this in")
) -> str:
    # User text is stored exactly as typed (within its field's bounds); only "is it
    # empty" looks through spaces.
    text = bounds.text(values.get(name), name)
    if required and not text.strip():
        raise ValidationError(msgid, field=name)
    return text


def _time(
    actor: Actor, values: dict[str, Any], name: str, *, required: bool = True
) -> arrow.Arrow | None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            raise ValidationError(N_("Enter the time"), field=name)
        return None
    return bounds.instant(actor, value, name)


def _after(first: arrow.Arrow | None, later: arrow.Arrow | None, name: str, msgid: str) -> None:
    if first is not None and later is not None and later < first:
        raise ValidationError(msgid, field=name)


def _span(
    actor: Actor,
    values: dict[str, Any],
    start: str,
    end: str,
    msgid: str = N_("The end must be after the start"),
    *,
    end_required: bool = False,
) -> tuple[arrow.Arrow | None, arrow.Arrow | None]:
    """A start time (required) and an end time not before it (optional unless told)."""
    first = _time(actor, values, start)
    last = _time(actor, values, end, required=end_required)
    _after(first, last, end, msgid)
    return first, last


def _validated(actor: Actor, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The model fields of a ``kind`` entry from the form's values (or ValidationError)."""
    if kind == LogKind.DUTY:
        category = _text(values, "category")
        if category and category not in dict(DUTY_CATEGORIES):
            raise ValidationError(N_("Choose a category from the list"), field="category")
        text = _text(values, "text", required=True, msgid=N_("Write what happened"))
        return {
            "kind": DutyKind.DUTY,
            "occurred_at": _time(actor, values, "occurred_at"),
            "category": category,
            "text": text,
            "result": _text(values, "result"),
        }
    if kind == LogKind.PHONE:
        content = _text(values, "content", required=True, msgid=N_("Write what the call was about"))
        return {
            "call_at": _time(actor, values, "call_at"),
            "caller": _text(values, "caller"),
            # The same phone check as the repair form's (formkit.phone).
            "number": phone(_text(values, "number"), "number"),
            "content": content,
            "action": _text(values, "action"),
        }
    if kind == LogKind.VISITOR:
        name = _text(values, "name", required=True, msgid=N_("Enter the visitor's name"))
        time_in, time_out = _span(
            actor, values, "time_in", "time_out", N_("Time out must be after time in")
        )
        return {
            "name": name,
            "organisation": _text(values, "organisation"),
            "purpose": _text(values, "purpose"),
            "entered_room": bool(values.get("entered_room")),
            "time_in": time_in,
            "time_out": time_out,
        }
    if kind == LogKind.ABSENCE:
        # CS7: every absence from the post is logged with its reason and times.
        reason = _text(values, "reason", required=True, msgid=N_("Give the reason for leaving"))
        start, end = _span(actor, values, "absent_from", "absent_to", end_required=True)
        return {
            "kind": DutyKind.ABSENCE,
            "text": reason,
            "occurred_at": start,
            "absent_from": start,
            "absent_to": end,
        }
    if kind == LogKind.DISCIPLINE:
        # SG-3: names of the staff noted, and what was seen.
        names = _text(values, "names", required=True, msgid=N_("Enter the names"))
        text = _text(values, "text", required=True, msgid=N_("Write what was seen"))
        return {
            "kind": DutyKind.DISCIPLINE,
            "occurred_at": _time(actor, values, "occurred_at"),
            "names": names,
            "text": text,
        }
    if kind == LogKind.KEY:
        key_name = _text(values, "key_name", required=True, msgid=N_("Enter which key"))
        borrower = _text(values, "borrower", required=True, msgid=N_("Enter who borrows it"))
        out_at, back_at = _span(
            actor, values, "out_at", "back_at", N_("The key must come back after it went out")
        )
        return {"key_name": key_name, "borrower": borrower, "out_at": out_at, "back_at": back_at}
    if kind == LogKind.SWITCHING:
        what = _text(values, "what", required=True, msgid=N_("Write which operation"))
        operator = _text(values, "operator", required=True, msgid=N_("Enter who operates"))
        started, finished = _span(actor, values, "started_at", "finished_at")
        return {"what": what, "operator": operator, "started_at": started, "finished_at": finished}
    raise NotFound(N_("No such log: {kind}"), kind=kind)


def _form_values(kind: str, row: Any) -> dict[str, Any]:
    """A stored row as the form's values (the inverse of :func:`_validated`)."""
    if kind == LogKind.ABSENCE:
        return {"reason": row.text, "absent_from": row.absent_from, "absent_to": row.absent_to}
    return {name: getattr(row, name) for name in FIELDS[kind]}


def _check_desk_kind(desk_id: int, kind: str) -> None:
    if kind == LogKind.SWITCHING and Desk.get_by_id(desk_id).kind != DeskKind.ENGINEERING:
        raise RuleViolation(
            N_("Switching operations are kept at engineering desks"), rule="EN-8.6.2"
        )


# --- writing ---------------------------------------------------------------------------


def add(actor: Actor, kind: str, values: dict[str, Any]) -> LogEntry:
    """A new entry of ``kind`` by the logged-in person at the kiosk's desk."""
    return _insert(actor, kind, values)


def correct(
    actor: Actor, kind: str, original_id: int, values: dict[str, Any], reason: str
) -> LogEntry:
    """A correction of entry ``original_id``: a new linked entry with a reason.

    The original is never changed; it is listed as corrected from now on. An
    entry already corrected is corrected through its latest correction.
    """
    if not str(reason or "").strip():
        raise ValidationError(N_("Give the reason for the correction"), field="reason")
    return _insert(actor, kind, values, corrects=original_id, reason=str(reason))


def _insert(
    actor: Actor,
    kind: str,
    values: dict[str, Any],
    *,
    corrects: int | None = None,
    reason: str = "",
) -> LogEntry:
    desk_id, staff_id = actor.require_login()
    spec = _kind(kind)
    _check_desk_kind(desk_id, kind)
    data = _validated(actor, kind, values)
    model = spec.model
    with write():
        if corrects is not None:
            original = _get_row(kind, corrects)
            if original.desk_id != desk_id:
                raise RuleViolation(N_("This entry belongs to another desk"))
            if _corrected_by(model, [original.id]):
                raise RuleViolation(
                    N_(
                        "This entry has already been corrected; "
                        "correct the latest correction instead"
                    )
                )
            if getattr(original, "ref_type", ""):
                raise RuleViolation(N_("This entry is corrected in its own record"))
        row = model.create(
            **stamp(desk_id, staff_id, actor.now()),
            corrects=corrects,
            correction_reason=reason,
            **data,
        )
        action = f"log.{kind}." + ("correct" if corrects is not None else "create")
        audit.record(
            actor,
            action,
            spec.record_type,
            row.id,
            new={**data, "corrects": corrects, "reason": reason},
        )
        # F8 search: duty and phone entries are indexed inside the same write.
        if model is DutyLogEntry:
            search.index_record("duty", row.id)
        elif model is PhoneCall:
            search.index_record("phone", row.id)
    return get(kind, row.id)


def close(actor: Actor, kind: str, entry_id: int, at: arrow.Arrow | None = None) -> LogEntry:
    """Close an open entry once: sign a visitor out, take a key back, finish an operation.

    ``at`` defaults to now. Closing twice, or closing a corrected entry, is refused
    (a wrong time out is fixed by a correction).
    """
    _desk_id, staff_id = actor.require_login()
    spec = _kind(kind)
    if not spec.open_field:
        raise RuleViolation(N_("This entry has nothing to close"))
    when = at or actor.now()
    with write():
        row = _get_row(kind, entry_id)
        if row.desk_id != actor.desk_id:
            raise RuleViolation(N_("This entry belongs to another desk"))
        start = getattr(row, spec.at)
        when = _time(actor, {spec.open_field: when}, spec.open_field) or when
        _after(start, when, spec.open_field, N_("The end must be after the start"))
        if getattr(row, spec.open_field) is not None:
            raise RuleViolation(N_("This entry is already closed"))
        if _corrected_by(spec.model, [row.id]):
            raise RuleViolation(N_("This entry has been corrected; close the correction"))
        setattr(row, spec.open_field, when)
        if kind == LogKind.KEY:
            row.returned_to = staff_id
        row.save()
        audit.record(
            actor,
            f"log.{kind}.close",
            spec.record_type,
            row.id,
            old={spec.open_field: None},
            new={spec.open_field: when},
        )
    return get(kind, entry_id)


def sign_out_visitor(actor: Actor, visitor_id: int, at: arrow.Arrow | None = None) -> LogEntry:
    return close(actor, LogKind.VISITOR, visitor_id, at)


def return_key(actor: Actor, loan_id: int, at: arrow.Arrow | None = None) -> LogEntry:
    return close(actor, LogKind.KEY, loan_id, at)


def finish_operation(actor: Actor, op_id: int, at: arrow.Arrow | None = None) -> LogEntry:
    return close(actor, LogKind.SWITCHING, op_id, at)


# --- reading ---------------------------------------------------------------------------


def _get_row(kind: str, entry_id: int) -> Any:
    spec = _kind(kind)
    row = spec.model.get_or_none(spec.model.id == entry_id)
    if row is None or (spec.duty_kind and row.kind != spec.duty_kind):
        raise NotFound(N_("No such entry"))
    return row


def _corrected_by(model: Any, ids: Sequence[int]) -> dict[int, int]:
    """original id → id of the (latest) correction, for those of ``ids`` corrected."""
    if not ids:
        return {}
    q = (
        model.select(model.id, model.corrects)
        .where(model.corrects.in_(list(ids)))
        .order_by(model.id)
    )
    return {r.corrects_id: r.id for r in q}


def _entry(kind: str, row: Any, author: Any, corrected_by: int | None) -> LogEntry:
    spec = _KINDS[kind]
    return LogEntry(
        kind=kind,
        id=row.id,
        at=getattr(row, spec.at),
        desk_id=row.desk_id,
        shift_id=row.shift_id,
        author_id=row.author_id,
        author_no=author.staff_no,
        author_name=author.name,
        created_at=row.created_at,
        values=_form_values(kind, row),
        corrects_id=row.corrects_id,
        correction_reason=row.correction_reason,
        corrected_by_id=corrected_by,
        ref_type=getattr(row, "ref_type", "") or "",
        entry_kind=getattr(row, "kind", "") or "",
    )


def get(kind: str, entry_id: int) -> LogEntry:
    """One entry (NotFound when there is none of that kind)."""
    row = _get_row(kind, entry_id)
    corrected = _corrected_by(_KINDS[kind].model, [row.id])
    return _entry(kind, row, Staff.get_by_id(row.author_id), corrected.get(row.id))


def list_entries(
    kind: str,
    *,
    desk_id: int | None = None,
    start: arrow.Arrow | None = None,
    end: arrow.Arrow | None = None,
    limit: int = 50,
    after: tuple[arrow.Arrow, int] | None = None,
    only_open: bool = False,
) -> Page:
    """Entries of ``kind``, newest first, at most ``limit`` of them.

    ``start``/``end`` bound the entry's time (end exclusive); ``after`` is the
    cursor of the previous page (keyset paging: the same cost on page 1 and page
    10,000). ``only_open`` keeps visitors inside, keys out and operations running.
    """
    spec = _kind(kind)
    model = spec.model
    at = getattr(model, spec.at)
    limit = max(1, min(limit, MAX_PAGE))
    q = model.select(model, Staff).join(Staff, on=(model.author == Staff.id))
    conds: list[Any] = []
    if spec.duty_kind:
        kinds = DUTY_LIST_KINDS if kind == LogKind.DUTY else (spec.duty_kind,)
        conds.append(model.kind.in_(kinds))
    if desk_id is not None:
        conds.append(model.desk == desk_id)
    if start is not None:
        conds.append(at >= start)
    if end is not None:
        conds.append(at < end)
    if only_open:
        conds.append(getattr(model, spec.open_field).is_null())
        replaced = model.alias()
        conds.append(
            ~pw.fn.EXISTS(replaced.select(pw.SQL("1")).where(replaced.corrects == model.id))
        )
    if after is not None:
        after_at, after_id = after
        conds.append((at < after_at) | ((at == after_at) & (model.id < after_id)))
    for cond in conds:
        q = q.where(cond)
    rows = list(q.order_by(at.desc(), model.id.desc()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    corrected = _corrected_by(model, [r.id for r in rows])
    entries = [_entry(kind, r, r.author, corrected.get(r.id)) for r in rows]
    cursor = (entries[-1].at, entries[-1].id) if more and entries else None
    return Page(entries, cursor)


def day_bounds(
    day_from: Any, day_to: Any, tz: str
) -> tuple[arrow.Arrow | None, arrow.Arrow | None]:
    """Instants bounding the calendar days ``day_from``..``day_to`` (inclusive) in ``tz``."""
    start = arrow.get(day_from, tzinfo=tz).floor("day") if day_from else None
    end = arrow.get(day_to, tzinfo=tz).floor("day").shift(days=1) if day_to else None
    return start, end


def keys_out(desk_id: int) -> list[LogEntry]:
    """Keys lent from the desk and not back yet, oldest first (listed at handover)."""
    return _all_open(LogKind.KEY, desk_id)


def running_operations(desk_id: int) -> list[LogEntry]:
    """Switching operations started at the desk and not finished: each one blocks
    the handover (EN-8.6.2)."""
    return _all_open(LogKind.SWITCHING, desk_id)


def visitors_inside(desk_id: int) -> list[LogEntry]:
    """Visitors signed in at the desk and not out yet (SG-2, SG-4)."""
    return _all_open(LogKind.VISITOR, desk_id)


def _all_open(kind: str, desk_id: int) -> list[LogEntry]:
    # Open items are few (a partial index covers them); read all, oldest first.
    out: list[LogEntry] = []
    cursor = None
    while True:
        page = list_entries(kind, desk_id=desk_id, only_open=True, limit=MAX_PAGE, after=cursor)
        out.extend(page.entries)
        cursor = page.next_cursor
        if cursor is None:
            break
    out.reverse()
    return out
