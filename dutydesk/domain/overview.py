"""The current shift at a desk at a glance (the F2 home screen), as plain data.

One function, :func:`shift_overview`, gathers what the desk must see: the
shift and its time left, who is rostered and who is logged in, what the
previous shift carried over (CS-R2, shown first), patrol progress (SE-3),
open incidents, overdue written reports (CS6), the latest duty-log entries, and
whether the relief is overdue (CS-R4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import arrow
import peewee as pw

from dutydesk.domain import drafts, sessions, shifts
from dutydesk.domain.context import SUPERVISOR_ROLES, Actor
from dutydesk.domain.roster.kinds import PENDING, SwapState
from dutydesk.domain.site import site_timezone, zone_known
from dutydesk.i18n import N_, _
from dutydesk.models import (
    Desk,
    Draft,
    DutyLogEntry,
    Incident,
    PatrolRound,
    PresenceCheck,
    Shift,
    Site,
    Staff,
    SwapRequest,
)

if TYPE_CHECKING:
    from dutydesk.domain.roster import SwapInfo

# The lock screen needs only shift_glance: the handover, incident, patrol and roster
# rules are imported at first use, so the kiosk starts faster.

LATEST_LOG_ENTRIES = 5


@dataclass(frozen=True)
class ShiftLine:
    code: str
    name_zh: str
    name_en: str
    start: arrow.Arrow
    end: arrow.Arrow
    time_left: dt.timedelta  # never more than the shift's length (see _left)
    is_open: bool  # an open Shift row exists (opened by handover or with a reason)
    shift_id: int | None
    open_reason: str
    # The clock reads before the shift's start (the PC clock was put back): the time
    # left is then the whole shift, and the screen says the clock looks wrong.
    clock_before_start: bool = False


@dataclass(frozen=True)
class Person:
    staff_no: str
    name: str
    on_roster: bool = True
    terminals: int = 1  # open sessions of this person at the desk (one kiosk each)


@dataclass(frozen=True)
class PatrolProgress:
    done: int
    total: int
    overdue: int
    next_due: arrow.Arrow | None
    missed: int = 0


@dataclass(frozen=True)
class IncidentLine:
    id: int
    occurred_at: arrow.Arrow
    place: str
    category: str
    description: str
    status: str
    severity: str


@dataclass(frozen=True)
class ReportDue:
    incident_id: int
    place: str
    due_at: arrow.Arrow


@dataclass(frozen=True)
class LogLine:
    occurred_at: arrow.Arrow
    author: str
    text: str
    category: str


@dataclass(frozen=True)
class DraftLine:
    """A half-filled form the person left: its name and the keys
    that reopen it. ``what`` and ``keys`` are msgids filled from ``values``; ``log``
    is the log kind of a log form (its label is translated too)."""

    form: str
    what: str
    keys: str
    values: dict[str, object] = field(default_factory=dict)
    log: str = ""

    def name(self) -> str:
        from dutydesk.domain import logs  # first use only: keeps the lock screen's start light

        log = _(logs.KIND_LABELS[self.log]) if self.log in logs.KIND_LABELS else self.log
        return _(self.what, log=log, **self.values)

    def reach(self) -> str:
        return _(self.keys, **self.values)


def draft_line(form: str, desk_kind: str) -> DraftLine:
    """Name a draft's form id (the ids the screens give their forms: ``logs.new.duty``,
    ``logs.correct.duty.7``, ``incidents.new``, ``incidents.report.3``,
    ``repairs.new``, ``roster.rotation``) and the keys that reach it at a desk of
    ``desk_kind`` (docs/keys.md). This is the one place that maps them."""
    parts = form.split(".")
    if parts[0] == "logs" and len(parts) >= 3:
        from dutydesk.domain import logs

        kinds = logs.kinds_for_desk(desk_kind)
        number = kinds.index(parts[2]) + 1 if parts[2] in kinds else 0
        if parts[1] == "new":
            return DraftLine(
                form, N_("{log}: new entry"), N_("F6 → {n} → n"), {"n": number}, parts[2]
            )
        if parts[1] == "correct" and len(parts) == 4:
            return DraftLine(
                form,
                N_("{log}: correction of entry #{id}"),
                N_("F6 → {n} → entry #{id} → c"),
                {"n": number, "id": parts[3]},
                parts[2],
            )
    if form == "incidents.new":
        return DraftLine(form, N_("New incident"), N_("F4 → n"))
    if parts[:2] == ["incidents", "report"] and len(parts) == 3:
        return DraftLine(
            form,
            N_("Written report of incident {id}"),
            N_("F4 → incident {id} → w"),
            {"id": parts[2]},
        )
    if form == "repairs.new":
        return DraftLine(form, N_("New repair request"), N_("F6 → 8 → n"))
    if form == "roster.rotation":
        return DraftLine(form, N_("Generate a rotation"), N_("F7 → g"))
    return DraftLine(form, "{form}", "", {"form": form})


@dataclass(frozen=True)
class ShiftOverview:
    desk_name: str
    desk_name_en: str
    location: str
    now: arrow.Arrow
    shift: ShiftLine | None
    rostered: list[Person] = field(default_factory=list)
    logged_in: list[Person] = field(default_factory=list)
    carried_over: list[str] = field(default_factory=list)
    patrol: PatrolProgress | None = None
    open_incidents: list[IncidentLine] = field(default_factory=list)
    overdue_reports: list[ReportDue] = field(default_factory=list)
    latest_log: list[LogLine] = field(default_factory=list)
    relief_overdue: bool = False
    missed_presence: int = 0
    # Undecided swap requests, for a supervisor only (else empty; CS8).
    swap_requests: list[SwapInfo] = field(default_factory=list)
    # Exchanges / covers a colleague asked of the logged-in person, to accept on F7.
    swaps_for_me: int = 0
    # The logged-in person's unsaved drafts at this desk.
    drafts: list[DraftLine] = field(default_factory=list)


def _left(start: arrow.Arrow, end: arrow.Arrow, now: arrow.Arrow) -> dt.timedelta:
    """Time left of the shift ``start``–``end`` at ``now``: 0 after its end, and never
    more than its length, even if the clock reads long before its start."""
    left = end.datetime - now.datetime
    return min(max(left, dt.timedelta(0)), end.datetime - start.datetime)


def _shift_line(
    desk_id: int, now: arrow.Arrow, open_shift: Shift | bool | None = False
) -> tuple[ShiftLine | None, int | None, object]:
    """The shift line; ``open_shift``: the open shift already read (None: there is
    none), else (False) it is read here."""
    if open_shift is False:
        open_shift = shifts.open_shift_of(desk_id)
    if isinstance(open_shift, Shift):
        t = open_shift.template
        tz = site_timezone()
        line = ShiftLine(
            t.code,
            t.name_zh,
            t.name_en,
            open_shift.planned_start.to(tz),
            open_shift.planned_end.to(tz),
            _left(open_shift.planned_start, open_shift.planned_end, now),
            True,
            open_shift.id,
            open_shift.open_reason,
            now < open_shift.planned_start,
        )
        return line, open_shift.template_id, open_shift.business_date
    planned = shifts.planned_at(desk_id, now)
    if planned is None:
        return None, None, None
    line = ShiftLine(
        planned.code,
        planned.name_zh,
        planned.name_en,
        planned.start,
        planned.end,
        _left(planned.start, planned.end, now),
        False,
        None,
        "",
        now < planned.start,
    )
    return line, planned.template_id, planned.business_date


def _carried_over(desk_id: int) -> list[str]:
    """What the last signed handover carried over, still unresolved (CS-R2, CS-R6):
    the handover domain's list, which drops items resolved since."""
    from dutydesk.domain import handover

    out = []
    for item in handover.carried_over_items(desk_id):
        out.append(f"{item.text} — {item.reason}" if item.reason else item.text)
    return out


def _patrol(shift_id: int, now: arrow.Arrow, shift_end: arrow.Arrow) -> PatrolProgress | None:
    """SE-3 progress from the patrol domain: states at ``now`` (a round started late
    is in progress, not overdue; skipped rounds are not done and not counted).
    None when the shift has no rounds at all."""
    from dutydesk.domain import patrols

    p = patrols.progress(shift_id, now, shift_end)
    if not p.total and not PatrolRound.select().where(PatrolRound.shift == shift_id).exists():
        return None  # (asked only when no round counts: all skipped, or none at all)
    return PatrolProgress(
        p.done,
        p.total,
        p.overdue_count,
        p.next_due.to(site_timezone()) if p.next_due is not None else None,
        p.missed_count,
    )


def _logged_in(desk_id: int) -> list[Person]:
    """Who is logged in at the desk, each person once (earliest login first), with
    the number of the desk's kiosks they are logged in on."""
    people: dict[str, Person] = {}
    for p in sessions.logged_in(desk_id):
        seen = people.get(p.staff_no)
        if seen is None:
            people[p.staff_no] = Person(p.staff_no, p.name, p.on_roster)
        else:
            people[p.staff_no] = Person(
                p.staff_no, p.name, seen.on_roster and p.on_roster, seen.terminals + 1
            )
    return list(people.values())


def _open_incidents(desk_id: int) -> list[IncidentLine]:
    rows = (
        Incident.select()
        .where((Incident.desk == desk_id) & (Incident.status != "resolved"))
        .order_by(Incident.occurred_at.desc())
        .limit(10)
    )
    tz = site_timezone()
    return [
        IncidentLine(
            r.id, r.occurred_at.to(tz), r.place, r.category, r.description, r.status, r.severity
        )
        for r in rows
    ]


def _overdue_reports(now: arrow.Arrow) -> list[ReportDue]:
    """Written reports past their due time, of every desk (CS6: shown on every desk's
    shift screen), from :func:`dutydesk.domain.incidents.overdue_reports`."""
    from dutydesk.domain import incidents

    tz = site_timezone()
    return [
        ReportDue(r.incident_id, r.place, r.due_at.to(tz)) for r in incidents.overdue_reports(now)
    ]


def _swaps(actor: Actor, now: arrow.Arrow, ctx: Desk) -> tuple[list[SwapInfo], int]:
    """Pending swap requests for a supervisor (on the supervisor's shift
    screen), and how many wait for the logged-in person's acceptance (CS8).
    ``ctx`` (from :func:`_desk_context`) says whether there are any to read."""
    if actor.staff_id is None or ctx.my_role is None:
        return [], 0
    from dutydesk.domain import roster

    pending: list[SwapInfo] = []
    if ctx.my_role in SUPERVISOR_ROLES and ctx.swaps_pending:
        pending = roster.pending_requests()
    for_me = 0
    if ctx.swaps_for_me:
        for_me = len(roster.requests_needing_my_acceptance(actor.staff_id, now))
    return pending, for_me


def _desk_context(actor: Actor) -> Desk:
    """One query for the desk and what decides which further queries are needed: the
    site's zone (``.site.tz``), the person's role (``.my_role``), whether they have
    drafts here (``.has_drafts``), whether swap requests wait for their acceptance
    (``.swaps_for_me``) or a decision (``.swaps_pending``). The F2 screen's query
    budget is 10 (tests/unit/test_query_budgets.py)."""
    me = actor.staff_id or 0
    role = Staff.select(Staff.role).where(Staff.id == me)
    drafts_here = Draft.select(Draft.id).where((Draft.staff == me) & (Draft.desk == Desk.id))
    for_me = SwapRequest.select(SwapRequest.id).where(
        (SwapRequest.state == SwapState.ASKED)
        & (SwapRequest.colleague == me)
        & SwapRequest.kind.in_(("exchange", "cover"))
    )
    pending = SwapRequest.select(SwapRequest.id).where(SwapRequest.state.in_(PENDING))
    row: Desk = (
        Desk.select(
            Desk,
            Site.tz,
            role.alias("my_role"),
            pw.fn.EXISTS(drafts_here).alias("has_drafts"),
            pw.fn.EXISTS(for_me).alias("swaps_for_me"),
            pw.fn.EXISTS(pending).alias("swaps_pending"),
        )
        .join(Site)
        .where(Desk.id == actor.desk_id)
        .get()
    )
    return row


def _latest_log(desk_id: int) -> list[LogLine]:
    rows = (
        DutyLogEntry.select(DutyLogEntry, Staff)
        .join(Staff)
        .where(DutyLogEntry.desk == desk_id)
        .order_by(DutyLogEntry.occurred_at.desc(), DutyLogEntry.id.desc())
        .limit(LATEST_LOG_ENTRIES)
    )
    tz = site_timezone()
    return [LogLine(r.occurred_at.to(tz), r.author.name, r.text, r.category) for r in rows]


def shift_overview(actor: Actor) -> ShiftOverview:
    """Everything the F2 screen shows for ``actor``'s desk at ``actor.now()``."""
    assert actor.desk_id is not None
    desk = _desk_context(actor)
    with zone_known(desk.site.tz):
        return _shift_overview(actor, desk)


def _open_shift(desk_id: int) -> Shift | None:
    """The open shift with its template and its count of missed presence checks
    (``.missed_presence``), in one query."""
    missed = PresenceCheck.select(pw.fn.COUNT(PresenceCheck.id)).where(
        (PresenceCheck.shift == Shift.id) & (PresenceCheck.missed == True)  # noqa: E712
    )
    row: Shift | None = (
        shifts.open_shift_query(desk_id).select_extend(missed.alias("missed_presence")).first()
    )
    return row


def _shift_overview(actor: Actor, desk: Desk) -> ShiftOverview:
    now = actor.now()
    open_shift = _open_shift(desk.id)
    line, template_id, day = _shift_line(desk.id, now, open_shift)
    rostered: list[Person] = []
    if template_id is not None:
        rostered = [Person(s.staff_no, s.name) for s in shifts.rostered(template_id, day)]  # type: ignore[arg-type]
    on_duty = _logged_in(desk.id)
    carried: list[str] = []
    patrol = None
    relief = False
    missed = 0
    swap_requests, swaps_for_me = _swaps(actor, now, desk)
    if open_shift is not None:
        carried = _carried_over(desk.id)
        patrol = _patrol(open_shift.id, now, open_shift.planned_end)
        relief = shifts.is_relief_overdue(open_shift, now)  # CS-R4
        missed = open_shift.missed_presence or 0
    return ShiftOverview(
        desk_name=desk.name,
        desk_name_en=desk.name_en,
        location=desk.location,
        now=now,
        shift=line,
        rostered=rostered,
        logged_in=on_duty,
        carried_over=carried,
        patrol=patrol,
        open_incidents=_open_incidents(desk.id),
        overdue_reports=_overdue_reports(now),
        latest_log=_latest_log(desk.id),
        relief_overdue=relief,
        missed_presence=missed,
        swap_requests=swap_requests,
        swaps_for_me=swaps_for_me,
        drafts=[draft_line(f, desk.kind) for f in drafts.forms_with_drafts(actor)]
        if desk.has_drafts
        else [],
    )


def shift_glance(actor: Actor) -> ShiftLine | None:
    """The shift on at the desk now (the open one, else the planned one): the lock screen."""
    assert actor.desk_id is not None
    line, _template, _day = _shift_line(actor.desk_id, actor.now())
    return line


def check_relief_overdue(actor: Actor) -> bool:
    """Is the open shift past its planned end without a signed handover (CS-R4)?

    The first time, it is logged (once per shift) through
    :func:`dutydesk.domain.shifts.mark_relief_overdue`. The shift never closes by itself.
    """
    if actor.desk_id is None:
        return False
    open_shift = shifts.open_shift_of(actor.desk_id)
    if open_shift is None or not shifts.is_relief_overdue(open_shift, actor.now()):
        return False
    if open_shift.relief_overdue_at is None:
        shifts.mark_relief_overdue(actor, open_shift.id)
    return True


def note_overdue_rounds(actor: Actor) -> int:
    """For the kiosk's tick: log each overdue round of the open shift once and store
    rounds missed by the planned end (SE-3), even if nobody opens F3. Returns how
    many rounds were newly logged."""
    if actor.desk_id is None:
        return 0
    open_shift = shifts.open_shift_of(actor.desk_id)
    if open_shift is None:
        return 0
    from dutydesk.domain import patrols

    return len(patrols.note_overdue(actor, open_shift.id))


@dataclass(frozen=True)
class OverdueRound:
    """A round not started by the end of its window (SE-3), named for the banner:
    two schedules may have rounds due at the same time, one walked, one not."""

    round_id: int
    due_at: arrow.Arrow
    name: str


@dataclass(frozen=True)
class Alarms:
    overdue_rounds: list[OverdueRound]
    overdue_reports: list[ReportDue]


def alarms(actor: Actor) -> Alarms:
    """Overdue patrol rounds of the open shift (their state from the patrol domain, SE-3:
    a round started, even late, is in progress, never overdue) and overdue written
    reports (bell + banner)."""
    if actor.desk_id is None:
        return Alarms([], [])
    now = actor.now()
    rounds: list[OverdueRound] = []
    open_shift = shifts.open_shift_of(actor.desk_id)
    if open_shift is not None:
        from dutydesk.domain import patrols

        tz = site_timezone()
        rounds = [
            OverdueRound(r.id, r.due_at.to(tz), r.schedule_name)
            for r in patrols.rounds_of_shift(open_shift.id, now)
            if r.state == patrols.OVERDUE
        ]
    rounds.sort(key=lambda r: (r.due_at, r.round_id))
    return Alarms(rounds, _overdue_reports(now))


def acknowledge_alerts(actor: Actor, alerts: list[tuple[str, str]]) -> None:
    """F10: the person at the desk saw these alerts (kind, key); one audit event."""
    if not alerts:
        return
    from dutydesk.db import write
    from dutydesk.domain import audit

    with write():
        audit.record(
            actor,
            "alert.acknowledge",
            "alert",
            None,
            new={"alerts": [f"{kind}:{key}" for kind, key in alerts]},
        )
