"""Rotations: a date range of the roster generated from a cycle of shifts and rest days.

A :class:`Rotation` is the day-by-day cycle of one team; the other teams run
the same cycle shifted by ``len(cycle) / teams`` days, so that every day each
shift of the desk gets exactly one team. :func:`preview` returns the entries a
rotation would write, the entries it would replace and the warnings the
roster would then have; :func:`apply` writes exactly that preview, or refuses
if the roster changed in between.

Approved swaps are never overwritten silently: an entry changed by a swap
(``source="swap"``) or with swap requests on record is kept, the planned
person it displaced is not written, and the plan lists it as a conflict.

Why the built-in cycles are ordered as they are (SE-2 times; a shift's
business date is the day it starts, so security's night 00:00–07:30 of a day
follows that day's *previous* middle shift 16:00–00:00 directly):

* ``early → middle → night → rest`` puts a middle (ending 00:00) right before a
  night (starting 00:00 the next business date): 0 h rest. Moving the rest
  days between middle and night — night, night, early, early, middle, middle,
  rest, rest — gives at least 8 h everywhere (early→night of the next day is
  exactly 8 h: 16:00 to 00:00; middle→rest→rest→night is 48 h).
* Two shifts (day 08:00–20:00, night 20:00–08:00): night → day the next day is
  0 h, so a night is followed by rest: day, night, rest, rest (白夜休休).
* Engineering / service day and night: day, night, rest (白夜休).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.people import Person
from dutydesk.domain.roster.calendar import RosterSlot, ShiftCalendar, load_slots
from dutydesk.domain.roster.kinds import PENDING, EntrySource, KeptBecause
from dutydesk.domain.roster.settings import roster_rules, warning_margin
from dutydesk.domain.roster.swaps import displaced_by_swaps, entries_with_requests
from dutydesk.domain.roster.warnings import RosterWarning, compute_warnings
from dutydesk.errors import ConfigError, NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, gettext, pick
from dutydesk.models import RosterEntry, Staff, SwapRequest

MAX_DAYS = 366


@dataclass(frozen=True)
class Rotation:
    """One team's cycle, a shift code per day (None: a rest day), and how many teams."""

    code: str
    name_zh: str
    name_en: str
    cycle: tuple[str | None, ...]
    teams: int

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def step(self) -> int:
        """Days between one team's cycle and the next team's."""
        return len(self.cycle) // self.teams

    @property
    def shift_codes(self) -> set[str]:
        return {c for c in self.cycle if c is not None}

    def shift_for(self, team: int, day_index: int) -> str | None:
        """The shift code team ``team`` (0-based) works ``day_index`` days after the anchor."""
        return self.cycle[(day_index + team * self.step) % len(self.cycle)]


# Built-in rotations; see the module docstring for why they are ordered so.
ROTATIONS: dict[str, Rotation] = {
    r.code: r
    for r in (
        Rotation(
            "three-shift-four-team",
            "四班三运转",
            "Four teams, three shifts",
            ("night", "night", "early", "early", "middle", "middle", None, None),
            4,
        ),
        Rotation(
            "day-night-rest-rest",
            "白夜休休",
            "Four teams: day, night, two rest days",
            ("day", "night", None, None),
            4,
        ),
        Rotation(
            "day-night-rest",
            "白夜休",
            "Three teams: day, night, rest",
            ("day", "night", None),
            3,
        ),
    )
}


def rotation(code: str) -> Rotation:
    try:
        return ROTATIONS[code]
    except KeyError:
        raise ConfigError(
            N_("Unknown rotation {name}; choose one of: {choices}"),
            name=code,
            choices=", ".join(ROTATIONS),
        ) from None


def rotations_for(desk_id: int) -> list[Rotation]:
    """The built-in rotations whose shifts are exactly the desk's active shifts."""
    cal = ShiftCalendar()
    codes = {t.code for t in cal.active_templates(desk_id)}
    return [r for r in ROTATIONS.values() if r.shift_codes == codes]


@dataclass(frozen=True)
class RotationConflict:
    """An entry the rotation keeps although the plan puts someone else there."""

    kept: RosterSlot
    why: KeptBecause
    displaced: tuple[Person, ...]

    def text(self) -> str:
        if self.why == KeptBecause.SWAP:
            msgid = N_("{shift}: {name} stays (approved swap); not rostered: {others}")
        elif self.why == KeptBecause.PENDING:
            msgid = N_("{shift}: {name} stays (swap request waiting); not rostered: {others}")
        else:
            msgid = N_("{shift}: {name} stays (swap requests on record); not rostered: {others}")
        others = ", ".join(p.name for p in self.displaced) or "-"
        return gettext(msgid).format(
            shift=self.kept.shift.label(), name=self.kept.staff.name, others=others
        )


@dataclass(frozen=True)
class RotationPlan:
    """What :func:`apply` would write: a preview."""

    desk_id: int
    rotation: str
    first: dt.date
    last: dt.date
    anchor: dt.date
    teams: tuple[tuple[int, ...], ...]
    add: tuple[RosterSlot, ...]
    remove: tuple[RosterSlot, ...]
    unchanged: int
    conflicts: tuple[RotationConflict, ...]
    started: int  # shift occurrences left alone: they had started
    warnings: tuple[RosterWarning, ...]

    def fingerprint(self) -> tuple[object, ...]:
        return (
            tuple(sorted(s.key for s in self.add)),
            tuple(sorted(s.entry_id or 0 for s in self.remove)),
        )


def _teams(rot: Rotation, teams: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    if len(teams) != rot.teams:
        raise ValidationError(
            N_("This rotation needs {count} teams"), field="teams", count=rot.teams
        )
    seen: set[int] = set()
    for team in teams:
        if not team:
            raise ValidationError(N_("Every team needs at least one person"), field="teams")
        for staff_id in team:
            if staff_id in seen:
                raise ValidationError(N_("A person can be in one team only"), field="teams")
            seen.add(staff_id)
    members = Staff.select(Staff.id).where(Staff.id.in_(list(seen)) & Staff.active)
    active = {s.id for s in members}
    if active != seen:
        raise ValidationError(N_("Every team member must be an active staff member"), field="teams")
    return tuple(tuple(t) for t in teams)


def preview(
    actor: Actor,
    desk_id: int,
    rotation_code: str,
    teams: Sequence[Sequence[int]],
    first: dt.date,
    last: dt.date,
    anchor: dt.date | None = None,
) -> RotationPlan:
    """The entries the rotation would write over ``first..last`` and the warnings then.

    ``anchor`` is the day team 1 starts the cycle (default ``first``); keeping it
    lets next month continue this month's cycle. Shifts that have started are
    left as they are.
    """
    rot = rotation(rotation_code)
    if last < first:
        raise ValidationError(N_("The last day is before the first"), field="last")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(N_("Generate at most a year at once"), field="last")
    team_ids = _teams(rot, teams)
    anchor = anchor or first
    cal = ShiftCalendar()
    templates = {}
    for code in sorted(rot.shift_codes):
        t = cal.template_at(desk_id, code)
        if t is None or not t.active:
            raise ValidationError(
                N_("This desk has no shift {code} for this rotation"), field="rotation", code=code
            )
        templates[code] = t
    people = {
        s.id: Person.of(s)
        for s in Staff.select().where(Staff.id.in_([i for t in team_ids for i in t]))
    }
    now = actor.now()

    planned: dict[tuple[int, dt.date], list[Person]] = defaultdict(list)
    started: set[tuple[int, dt.date]] = set()
    day = first
    while day <= last:
        for team_no, team in enumerate(team_ids):
            worked = rot.shift_for(team_no, (day - anchor).days)
            if worked is None:
                continue
            ref = cal.ref(templates[worked].id, day)
            if ref.start <= now:
                started.add(ref.key)
                continue
            cell = planned[ref.key]
            cell.extend(people[i] for i in team if people[i] not in cell)
        day += dt.timedelta(days=1)
    # Every shift of the desk in the range, planned or not, is the rotation's to fill.
    for t in cal.active_templates(desk_id):
        day = first
        while day <= last:
            ref = cal.ref(t.id, day)
            if ref.start <= now:
                started.add(ref.key)
            else:
                planned.setdefault(ref.key, [])
            day += dt.timedelta(days=1)

    rules = roster_rules()
    margin = warning_margin(rules)
    slots = load_slots(cal, first - margin, last + margin)
    existing: dict[tuple[int, dt.date], list[RosterSlot]] = defaultdict(list)
    for s in slots:
        if s.shift.key in planned:
            existing[s.shift.key].append(s)
    ids = [s.entry_id for group in existing.values() for s in group if s.entry_id]
    with_requests = entries_with_requests(ids)
    displaced = displaced_by_swaps(ids)
    pending = {
        r.entry_id
        for r in SwapRequest.select(SwapRequest.entry).where(
            SwapRequest.entry.in_(ids) & SwapRequest.state.in_(PENDING)
        )
    }
    pending |= {
        r.colleague_entry_id
        for r in SwapRequest.select(SwapRequest.colleague_entry).where(
            SwapRequest.colleague_entry.in_(ids) & SwapRequest.state.in_(PENDING)
        )
    }

    add: list[RosterSlot] = []
    remove: list[RosterSlot] = []
    conflicts: list[RotationConflict] = []
    unchanged = 0
    for key in sorted(planned, key=lambda k: (k[1], cal.ref(*k).start)):
        wanted = planned[key]
        wanted_ids = {p.id for p in wanted}
        here = existing.get(key, [])
        kept = [s for s in here if s.source == EntrySource.SWAP or s.entry_id in with_requests]
        skip: set[int] = set()
        for k in kept:
            gone = displaced.get(k.entry_id or 0, set())
            skip |= {k.staff.id} | gone
            if k.staff.id not in wanted_ids:
                why = (
                    KeptBecause.SWAP
                    if k.source == EntrySource.SWAP
                    else KeptBecause.PENDING
                    if k.entry_id in pending
                    else KeptBecause.HISTORY
                )
                conflicts.append(RotationConflict(k, why, tuple(p for p in wanted if p.id in gone)))
        todo = [p for p in wanted if p.id not in skip]
        todo_ids = {p.id for p in todo}
        for s in here:
            if s in kept:
                continue
            if s.staff.id in todo_ids:
                unchanged += 1
                todo_ids.discard(s.staff.id)
            else:
                remove.append(s)
        ref = cal.ref(*key)
        add.extend(RosterSlot(ref, p, EntrySource.ROTATION) for p in todo if p.id in todo_ids)

    removed_keys = {s.key for s in remove}
    after = [s for s in slots if s.key not in removed_keys] + add
    found = compute_warnings(cal, after, first, last, {desk_id}, rules)
    return RotationPlan(
        desk_id,
        rot.code,
        first,
        last,
        anchor,
        team_ids,
        tuple(add),
        tuple(remove),
        unchanged,
        tuple(conflicts),
        len(started),
        tuple(found),
    )


def apply(actor: Actor, plan: RotationPlan) -> RotationPlan:
    """Write a previewed rotation — supervisors only, one audit event.

    The plan is computed again inside the write transaction; if the roster
    changed since the preview, nothing is written.
    """
    with write():
        actor.require_role()
        fresh = preview(
            actor, plan.desk_id, plan.rotation, plan.teams, plan.first, plan.last, plan.anchor
        )
        if fresh.fingerprint() != plan.fingerprint():
            raise RuleViolation(N_("The roster changed since the preview; preview it again"))
        gone = [s.entry_id for s in fresh.remove if s.entry_id is not None]
        if gone:
            RosterEntry.delete().where(RosterEntry.id.in_(gone)).execute()
        now = actor.now()
        rows = [
            {
                "template": s.shift.template_id,
                "business_date": s.shift.business_date,
                "staff": s.staff.id,
                "source": EntrySource.ROTATION,
                "created_at": now,
            }
            for s in fresh.add
        ]
        for start in range(0, len(rows), 200):
            RosterEntry.insert_many(rows[start : start + 200]).execute()
        audit.record(
            actor,
            "roster.rotation",
            "desk",
            plan.desk_id,
            new={
                "rotation": plan.rotation,
                "first": plan.first,
                "last": plan.last,
                "anchor": plan.anchor,
                "teams": [[_no(i) for i in team] for team in plan.teams],
                "added": [
                    [s.shift.business_date, s.shift.code, s.staff.staff_no] for s in fresh.add
                ],
                "removed": [
                    [s.shift.business_date, s.shift.code, s.staff.staff_no] for s in fresh.remove
                ],
                "kept": [
                    [c.kept.shift.business_date, c.kept.shift.code, c.kept.staff.staff_no, c.why]
                    for c in fresh.conflicts
                ],
            },
        )
    return fresh


def _no(staff_id: int) -> str:
    s = Staff.get_or_none(Staff.id == staff_id)
    if s is None:
        raise NotFound(N_("No such staff member"))
    return str(s.staff_no)
