"""Reading the records a handover is made of: its own rows, and the shift's patrol
rounds and checks.

Other areas are asked through their own functions (incidents, repairs, keys,
switching, drafts, staff, site). The patrol rows are still read here: the
signed record keeps a round's schedule name as stored and a corrected check as
its correction row, where :mod:`dutydesk.domain.patrols`' readers give the name
in the reader's language and the corrected check's first id; the state of a
round comes from :func:`dutydesk.domain.patrols.compute_state`.
"""

from __future__ import annotations

import json
from typing import Any

import arrow

from dutydesk.domain import canonical, patrols, staff
from dutydesk.domain.handover.kinds import CHECKLIST, HandoverState, RefType
from dutydesk.domain.handover.views import CheckView, ItemView
from dutydesk.domain.patrols import CheckpointKind, range_text
from dutydesk.domain.people import Person
from dutydesk.domain.site import site_timezone
from dutydesk.errors import NotFound
from dutydesk.i18n import N_, _, pick
from dutydesk.models import (
    Checkpoint,
    DutyLogEntry,
    Handover,
    HandoverItem,
    PatrolCheck,
    PatrolRound,
    PatrolSchedule,
)

# --- reading other areas' records (the models are the shared truth) ---------------------


def _tz() -> str:
    return site_timezone()


def _hhmm(at: arrow.Arrow | None) -> str:
    return at.to(_tz()).format("HH:mm") if at else ""


def _rounds(shift_id: int) -> list[PatrolRound]:
    return list(
        PatrolRound.select()
        .where(PatrolRound.shift == shift_id)
        .order_by(PatrolRound.due_at, PatrolRound.id)
    )


def _round_name(r: PatrolRound) -> str:
    if r.schedule_id is None:
        return ""
    s = PatrolSchedule.get_or_none(PatrolSchedule.id == r.schedule_id)
    return s.name if s else ""


def _round_state(r: PatrolRound, shift_end: arrow.Arrow, now: arrow.Arrow) -> str:
    return patrols.compute_state(r, shift_end, now)


def _round_explained(state: str, r: PatrolRound) -> bool:
    """Done, skipped with a stated reason, or past (missed: then it is an item the
    incoming acknowledges, since a missed round can no longer be done) (EN-8.6.1)."""
    if state in (patrols.DONE, patrols.DONE_LATE, patrols.MISSED):
        return True
    return state == patrols.SKIPPED and bool(r.skip_reason.strip())


def _checks_of(round_ids: list[int]) -> list[PatrolCheck]:
    if not round_ids:
        return []
    corrected = {
        c.corrects_id
        for c in PatrolCheck.select(PatrolCheck.corrects).where(
            PatrolCheck.round.in_(round_ids) & PatrolCheck.corrects.is_null(False)
        )
    }
    return [
        c
        for c in PatrolCheck.select()
        .where(PatrolCheck.round.in_(round_ids))
        .order_by(PatrolCheck.round, PatrolCheck.position, PatrolCheck.id)
        if c.id not in corrected
    ]


def _checkpoint_name(checkpoint_id: int) -> str:
    cp = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
    return cp.name if cp else ""


def _reading_text(c: PatrolCheck) -> str:
    cp = Checkpoint.get_by_id(c.checkpoint_id)
    value = "" if c.value is None else f"{c.value:g}"
    lo = "" if cp.range_min is None else f"{cp.range_min:g}"
    hi = "" if cp.range_max is None else f"{cp.range_max:g}"
    return f"{cp.name}: {value} {cp.unit} ({lo}–{hi})".replace("  ", " ")


# --- shown in the reader's language ------------------------------------------------------
# What is signed keeps the names as stored (the site's language, and a count
# checkpoint's "(–)"); the screen and the printed record show the same line with
# the names in the reader's language and what was expected, but only while the
# round or check still reads as it was signed (else the stored text, as is).


def _check_line(c: PatrolCheck) -> str:
    cp = Checkpoint.get_by_id(c.checkpoint_id)
    value = "" if c.value is None else f"{c.value:g}"
    if cp.kind == CheckpointKind.COUNT and cp.expected_count is not None:
        expected = f"{cp.expected_count} {cp.unit}".strip()
    else:
        expected = range_text(cp.range_min, cp.range_max, cp.unit)
    line = f"{pick(cp.name, cp.name_en)}: {value} {cp.unit}".replace("  ", " ").rstrip()
    return f"{line} ({_('expected {what}', what=expected)})" if expected else line


def _round_line(r: PatrolRound) -> str:
    s = PatrolSchedule.get_or_none(PatrolSchedule.id == r.schedule_id)
    name = pick(s.name, s.name_en) if s is not None else ""
    return f"{name} {_hhmm(r.due_at)}".strip()


def shown_text(ref_type: str, ref_id: int | None, text: str) -> str:
    """``text`` (as stored and signed) as the reader sees it: a patrol check's or
    round's line in their language, while the record still matches ``text``."""
    if ref_id is None:
        return text
    if ref_type == RefType.CHECK:
        c = PatrolCheck.get_or_none(PatrolCheck.id == ref_id)
        if c is not None and _reading_text(c) == text:
            return _check_line(c)
    elif ref_type == RefType.ROUND:
        r = PatrolRound.get_or_none(PatrolRound.id == ref_id)
        if r is not None and f"{_round_name(r)} {_hhmm(r.due_at)}".strip() == text:
            return _round_line(r)
    return text


def shown_round_name(round_id: int, name: str) -> str:
    """A round's schedule name (as signed) in the reader's language, while unchanged."""
    r = PatrolRound.get_or_none(PatrolRound.id == round_id)
    if r is None or _round_name(r) != name:
        return name
    s = PatrolSchedule.get_or_none(PatrolSchedule.id == r.schedule_id)
    return pick(s.name, s.name_en) if s is not None else name


def _resolved_carried_ids(item_ids: list[int]) -> set[int]:
    """Carried items resolved since, by a duty-log entry linked to them (CS-R2)."""
    if not item_ids:
        return set()
    return {
        e.ref_id
        for e in DutyLogEntry.select(DutyLogEntry.ref_id).where(
            (DutyLogEntry.ref_type == RefType.ITEM) & DutyLogEntry.ref_id.in_(item_ids)
        )
    }


def _last_signed(desk_id: int, before_id: int | None = None) -> Handover | None:
    q = Handover.select().where(
        (Handover.desk == desk_id) & (Handover.state == HandoverState.SIGNED)
    )
    if before_id is not None:
        q = q.where(Handover.id != before_id)
    last: Handover | None = q.order_by(Handover.signed_at.desc(), Handover.id.desc()).first()
    return last


def _previous_carried(desk_id: int, handover_id: int | None) -> list[HandoverItem]:
    return _carried_of(_last_signed(desk_id, handover_id))


def _carried_of(last: Handover | None) -> list[HandoverItem]:
    """The items ``last`` (a signed handover) carried over, in order."""
    if last is None:
        return []
    return list(
        HandoverItem.select()
        .where((HandoverItem.handover == last.id) & (HandoverItem.carried_over == True))  # noqa: E712
        .order_by(HandoverItem.id)
    )


# --- reading ---------------------------------------------------------------------------


def _get(handover_id: int) -> Handover:
    h: Handover | None = Handover.get_or_none(Handover.id == handover_id)
    if h is None:
        raise NotFound(N_("No such handover"))
    return h


def _person(staff_id: int | None) -> Person | None:
    if staff_id is None:
        return None
    s = staff.get(staff_id)
    return Person.of(s)


def _item_view(i: HandoverItem) -> ItemView:
    return ItemView(
        i.id,
        i.kind,
        i.text,
        i.reason,
        i.acknowledged_at is not None,
        i.resolved_at is not None,
        i.ref_type,
        i.ref_id,
        shown_text(i.ref_type, i.ref_id, i.text),
    )


def _items(h: Handover) -> list[ItemView]:
    q = HandoverItem.select().where(HandoverItem.handover == h.id).order_by(HandoverItem.id)
    return [_item_view(i) for i in q]


def _checks(h: Handover) -> list[CheckView]:
    answers = h.checklist or {}
    out = []
    for key, question, rule in CHECKLIST:
        a = answers.get(key)
        out.append(
            CheckView(
                key,
                question,
                rule,
                a is not None,
                None if a is None else bool(a["ok"]),
                "" if a is None else a.get("note", ""),
            )
        )
    return out


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through canonical JSON: what is stored is exactly what was hashed."""
    plain: dict[str, Any] = json.loads(canonical.dumps(value))
    return plain
