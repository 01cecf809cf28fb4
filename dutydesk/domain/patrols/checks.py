"""The checks of a round: marking them (``o`` OK, ``x`` problem, ``r`` a reading or a
count, ``s`` skipped), undoing the last mark, and linked corrections once the
round is finished. There is deliberately no "mark all OK": one call per check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.patrols.checkpoints import CheckpointInfo, checkpoint_info, range_text
from dutydesk.domain.patrols.rounds import log_problem, require_at_desk, store_mark
from dutydesk.domain.patrols.states import (
    COUNT,
    DONE,
    DONE_LATE,
    FINAL_STATES,
    OK,
    PROBLEM,
    READING,
    SKIP,
    SKIPPED,
    VALUE_KINDS,
    VALUE_RESULTS,
    CheckpointKind,
    CheckResult,
    number_text,
)
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Checkpoint, PatrolCheck, PatrolRound, Shift, Staff

# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviousValue:
    value: float
    unit: str
    marked_at: arrow.Arrow
    out_of_range: bool


@dataclass(frozen=True)
class CheckInfo:
    """A check of a round in walking order, with its effective mark (the latest
    correction's, if any)."""

    id: int
    round_id: int
    position: int
    checkpoint: CheckpointInfo
    result: CheckResult | None
    value: float | None
    out_of_range: bool
    note: str
    marked_at: arrow.Arrow | None
    marked_by_id: int | None
    corrected_by_id: int | None  # the latest correction
    correction_reason: str
    previous: PreviousValue | None  # reading/count: the previous shift's value

    @property
    def marked(self) -> bool:
        return self.result is not None


def previous_value(checkpoint_id: int, shift_id: int) -> PreviousValue | None:
    """The last value of a reading or count checkpoint recorded before this shift."""
    return previous_values([checkpoint_id], shift_id).get(checkpoint_id)


# One arm per (checkpoint, result): the newest such mark outside the shift, found by
# walking the (checkpoint, result, marked_at) index backwards, so it costs the same
# after ten years as on the first day.
_PREVIOUS_ARM = (
    "SELECT * FROM (SELECT c.id, c.checkpoint_id, c.marked_at FROM patrol_check AS c"
    " JOIN patrol_round AS r ON c.round_id = r.id"
    " WHERE c.checkpoint_id = {p} AND c.result = {p} AND c.marked_at IS NOT NULL"
    " AND c.value IS NOT NULL"
    " AND r.shift_id != {p} ORDER BY c.marked_at DESC, c.id DESC LIMIT 1) AS arm"
)
_ARMS_PER_QUERY = 200  # below SQLite's limit of 500 terms in a compound SELECT


def previous_values(checkpoint_ids: Iterable[int], shift_id: int) -> dict[int, PreviousValue]:
    """:func:`previous_value` of several checkpoints at once: checkpoint id → value."""
    # A count found complete may be stored as "ok" with its number (the demo does),
    # one short as "problem": every mark that carries a value counts (EN-8.3.4).
    results = (READING, COUNT, OK, PROBLEM)
    arms = [(cp_id, result) for cp_id in sorted(set(checkpoint_ids)) for result in results]
    best: dict[int, tuple[str, int]] = {}
    db = PatrolCheck._meta.database
    for start in range(0, len(arms), _ARMS_PER_QUERY):
        chunk = arms[start : start + _ARMS_PER_QUERY]
        sql = " UNION ALL ".join([_PREVIOUS_ARM.format(p=db.param)] * len(chunk))
        params = [x for cp_id, result in chunk for x in (cp_id, result, shift_id)]
        for check_id, cp_id, marked_at in db.execute_sql(sql, params):
            key = (str(marked_at), check_id)
            if cp_id not in best or key > best[cp_id]:
                best[cp_id] = key
    if not best:
        return {}
    checkpoint_of = {check_id: cp_id for cp_id, (_at, check_id) in best.items()}
    rows = (
        PatrolCheck.select(PatrolCheck, Checkpoint.unit)
        .join(Checkpoint)
        .where(PatrolCheck.id.in_(list(checkpoint_of)))
    )
    return {
        checkpoint_of[row.id]: PreviousValue(
            row.value, row.checkpoint.unit, row.marked_at, row.out_of_range
        )
        for row in rows
    }


def round_checks(round_id: int) -> list[CheckInfo]:
    """The round's checks in walking order, each with its effective mark."""
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None:
        raise NotFound(N_("No such patrol round"))
    rows = list(
        PatrolCheck.select(PatrolCheck, Checkpoint)
        .join(Checkpoint)
        .where(PatrolCheck.round == round_id)
        .order_by(PatrolCheck.position, PatrolCheck.marked_at, PatrolCheck.id)
    )
    latest: dict[int, PatrolCheck] = {}
    for row in rows:
        if row.corrects_id is not None:
            latest[row.corrects_id] = row  # ordered by marked_at: the last one wins
    previous_by_cp = previous_values(
        [
            row.checkpoint_id
            for row in rows
            if row.corrects_id is None and row.checkpoint.kind in VALUE_RESULTS
        ],
        r.shift_id,
    )
    out = []
    for row in rows:
        if row.corrects_id is not None:
            continue
        eff = latest.get(row.id, row)
        cp = checkpoint_info(row.checkpoint)
        previous = previous_by_cp.get(cp.id) if cp.kind in VALUE_KINDS else None
        out.append(
            CheckInfo(
                row.id,
                round_id,
                row.position,
                cp,
                CheckResult(eff.result) if eff.result is not None else None,
                eff.value,
                eff.out_of_range,
                eff.note,
                eff.marked_at,
                eff.marked_by_id,
                eff.id if eff is not row else None,
                eff.correction_reason,
                previous,
            )
        )
    return out


@dataclass(frozen=True)
class Reading:
    """A typed reading, understood: the value and whether it is out of range."""

    value: float
    out_of_range: bool
    range_text: str


_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*)$")
# Spellings of one unit, compared case-blind without "°" and spaces.
_UNIT_ALIASES = {"c": {"c", "度", "摄氏度"}, "%": {"%", "百分比"}}


def _unit_key(unit: str) -> str:
    key = unicodedata.normalize("NFKC", unit).casefold().replace("°", "").replace(" ", "")
    for canonical, spellings in _UNIT_ALIASES.items():
        if key in spellings:
            return canonical
    return key


def parse_reading(cp: CheckpointInfo, text: str) -> Reading:
    """``"95"``, ``"95 °C"``, ``"95C"``, ``"95℃"`` for a °C checkpoint → 95.

    A value that is not a number, or carries another unit, is refused with a
    message naming what is expected; a count must be a whole number.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    found = _NUMBER.match(cleaned)
    if not found:
        raise ValidationError(N_("Not a number: {text}"), field="value", text=text.strip())
    number, unit = found.group(1), found.group(2).strip()
    if unit and _unit_key(unit) != _unit_key(cp.unit):
        if cp.unit:
            raise ValidationError(
                N_("Wrong unit {unit}: this checkpoint is read in {expected}"),
                field="value",
                unit=unit,
                expected=cp.unit,
            )
        raise ValidationError(N_("Not a number: {text}"), field="value", text=text.strip())
    value = bounds.reading(float(number))
    if cp.kind == CheckpointKind.COUNT:
        if not value.is_integer() or value < 0:
            raise ValidationError(N_("Type the number present, a whole number"), field="value")
        expected = cp.expected_count
        return Reading(
            value,
            expected is not None and int(value) != expected,
            str(expected) if expected is not None else "",
        )
    low, high = cp.range_min, cp.range_max
    out = (low is not None and value < low) or (high is not None and value > high)
    return Reading(value, bool(out), range_text(low, high, cp.unit))


@dataclass(frozen=True)
class IncidentOffer:
    """What the UI fills in when it offers an incident for a problem check."""

    checkpoint_id: int
    place: str
    description: str


@dataclass(frozen=True)
class MarkResult:
    check: CheckInfo
    incident: IncidentOffer | None  # set for a problem or an out-of-range value


def _check_for_mark(actor: Actor, check_id: int) -> tuple[PatrolCheck, PatrolRound, Shift]:
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None or check.corrects_id is not None:
        raise NotFound(N_("No such check"))
    r = PatrolRound.get_by_id(check.round_id)
    shift = Shift.get_by_id(r.shift_id)
    require_at_desk(actor, shift)
    if r.state in FINAL_STATES:
        if r.state == SKIPPED:
            raise RuleViolation(N_("This round was skipped"))
        raise RuleViolation(
            N_("This round is finished: its marks are final; make a correction with a reason")
        )
    if r.started_at is None:
        raise RuleViolation(N_("Start the round first"))
    return check, r, shift


def _mark_values(cp: CheckpointInfo, result: str, text: str | None, note: str) -> dict[str, object]:
    """The stored fields of a mark, checked against the checkpoint's kind."""
    note = bounds.text(note.strip(), "note")
    if result == OK:
        if cp.kind == CheckpointKind.READING:
            raise ValidationError(N_("Type the reading (r)"), field="value")
        if cp.kind == CheckpointKind.COUNT:
            raise ValidationError(N_("Type the number present (r)"), field="value")
        return {"result": OK, "value": None, "out_of_range": False, "note": note}
    if result == PROBLEM:
        if not note:
            raise ValidationError(N_("Describe the problem"), field="note")
        return {"result": PROBLEM, "value": None, "out_of_range": False, "note": note}
    if result == SKIP:
        if not note:
            raise ValidationError(N_("Say why the check is skipped"), field="reason")
        return {"result": SKIP, "value": None, "out_of_range": False, "note": note}
    if result in VALUE_RESULTS:
        if cp.kind not in VALUE_KINDS:
            raise ValidationError(
                N_("This checkpoint takes no reading: mark it OK or a problem"), field="value"
            )
        reading = parse_reading(cp, text or "")
        if reading.out_of_range and not note:
            if cp.kind == CheckpointKind.COUNT:
                raise ValidationError(
                    N_("{value} present, {expected} expected: add a note"),
                    field="note",
                    value=number_text(reading.value),
                    expected=reading.range_text,
                )
            raise ValidationError(
                N_("The reading {value} is outside {range}: add a note"),
                field="note",
                value=number_text(reading.value),
                range=reading.range_text,
            )
        return {
            "result": CheckResult(cp.kind),
            "value": reading.value,
            "out_of_range": reading.out_of_range,
            "note": note,
        }
    raise ValidationError(N_("Unknown mark {result}"), field="result", result=result)


def _offer(cp: CheckpointInfo, values: dict[str, object]) -> IncidentOffer | None:
    if values["result"] == PROBLEM or values["out_of_range"]:
        what = str(values["note"])
        value = values["value"]
        if isinstance(value, int | float):  # None when the mark is not a reading
            what = f"{cp.display_name}: {number_text(float(value))} {cp.unit}".rstrip()
            what += f" ({cp.range_text})" if cp.range_text else ""
            what += f" — {values['note']}" if values["note"] else ""
        return IncidentOffer(cp.id, cp.place, what)
    return None


def _mark(actor: Actor, check_id: int, result: str, text: str | None, note: str) -> MarkResult:
    with write():
        check, r, _shift_row = _check_for_mark(actor, check_id)
        cp = checkpoint_info(check.checkpoint)
        values = _mark_values(cp, result, text, note)
        if check.result is not None:
            raise RuleViolation(N_("This check is already marked; undo it first (u)"))
        store_mark(actor, check, values, checkpoint=cp.code)
    found = next(c for c in round_checks(r.id) if c.id == check_id)
    return MarkResult(found, _offer(cp, values))


def mark_ok(actor: Actor, check_id: int, note: str = "") -> MarkResult:
    """``o``: the check is OK (a switch: in its expected state)."""
    return _mark(actor, check_id, OK, None, note)


def mark_problem(actor: Actor, check_id: int, note: str) -> MarkResult:
    """``x``: a problem; the note is required. The result offers an incident."""
    return _mark(actor, check_id, PROBLEM, None, note)


def check_reading(check_id: int, text: str) -> Reading:
    """Understand a typed reading without saving it, so the UI can ask for a note
    before :func:`mark_reading` when the value is out of range."""
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None:
        raise NotFound(N_("No such check"))
    return parse_reading(checkpoint_info(check.checkpoint), text)


def mark_reading(actor: Actor, check_id: int, text: str, note: str = "") -> MarkResult:
    """``r``: a reading (or a count) as typed, e.g. "95" or "95 °C". Out of range
    needs a note and offers an incident (EN-8.3.3)."""
    check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
    if check is None:
        raise NotFound(N_("No such check"))
    kind = Checkpoint.get_by_id(check.checkpoint_id).kind
    return _mark(actor, check_id, COUNT if kind == COUNT else READING, text, note)


def skip_check(actor: Actor, check_id: int, reason: str) -> MarkResult:
    """``s``: skip one check, with a reason."""
    return _mark(actor, check_id, SKIP, None, reason)


def last_marked(round_id: int) -> int | None:
    """The check of the round marked last (docs/keys.md ``u``: undo the last mark made in
    the round, wherever the cursor is), or None when nothing is marked."""
    last = (
        PatrolCheck.select(PatrolCheck.id)
        .where(
            (PatrolCheck.round == round_id)
            & PatrolCheck.corrects.is_null()
            & PatrolCheck.result.is_null(False)
        )
        .order_by(PatrolCheck.marked_at.desc(), PatrolCheck.id.desc())
        .first()
    )
    return last.id if last is not None else None


def undo_check(actor: Actor, check_id: int) -> CheckInfo:
    """``u``: take back the mark of a check while its round is still open."""
    with write():
        check, r, _shift_row = _check_for_mark(actor, check_id)
        if check.result is None:
            raise RuleViolation(N_("This check is not marked"))
        old = {
            "result": check.result,
            "value": check.value,
            "note": check.note,
            "marked_at": check.marked_at,
        }
        check.result = None
        check.value = None
        check.out_of_range = False
        check.note = ""
        check.marked_at = None
        check.marked_by = None
        check.save()
        audit.record(actor, "patrol.check_undo", "patrol_check", check.id, old=old)
    return next(c for c in round_checks(r.id) if c.id == check_id)


def correct_check(
    actor: Actor,
    check_id: int,
    result: str,
    *,
    reason: str,
    text: str | None = None,
    note: str = "",
) -> MarkResult:
    """A linked correction of a finished round's check: a new PatrolCheck that
    ``corrects`` the original, with a reason. The original is never changed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Say why the check is corrected"), field="reason")
    with write():
        check = PatrolCheck.get_or_none(PatrolCheck.id == check_id)
        if check is None or check.corrects_id is not None:
            raise NotFound(N_("No such check"))
        r = PatrolRound.get_by_id(check.round_id)
        shift = Shift.get_by_id(r.shift_id)
        me = Staff.get_or_none(Staff.id == actor.staff_id) if actor.staff_id else None
        if me is None or (actor.desk_id != shift.desk_id and me.role not in SUPERVISOR_ROLES):
            raise RuleViolation(N_("This round belongs to another desk"))
        if r.state not in (DONE, DONE_LATE):
            raise RuleViolation(N_("The round is still open: undo the mark and mark it again"))
        cp = checkpoint_info(check.checkpoint)
        values = _mark_values(cp, result, text, note)
        fix = PatrolCheck.create(
            round=r.id,
            checkpoint=check.checkpoint_id,
            position=check.position,
            marked_at=actor.now(),
            marked_by=actor.staff_id,
            corrects=check.id,
            correction_reason=reason,
            **values,
        )
        audit.record(
            actor,
            "patrol.check_correct",
            "patrol_check",
            fix.id,
            old={"check": check.id, "result": check.result, "value": check.value},
            new={**values, "reason": reason},
        )
        if fix.result == PROBLEM or fix.out_of_range:
            log_problem(actor, fix, shift)
    found = next(c for c in round_checks(r.id) if c.id == check_id)
    return MarkResult(found, _offer(cp, values))
