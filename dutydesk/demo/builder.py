"""The demo builder: the site, its people and checkpoints set up through the
domain (audited), then the history of every desk written in bulk, shift by
shift in time order, and the build marked finished.

Bulk history carries no audit events; the few events written (site set-up, the
handovers that opened each shift) go on the chain in time order, so it verifies.
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

import peewee as pw

from dutydesk import models as m
from dutydesk.clock import FixedClock
from dutydesk.db import write
from dutydesk.demo.base import DeskPlan
from dutydesk.demo.bulk import Bulk, ts, utc
from dutydesk.demo.data import (
    BUILDING,
    CONTACTS,
    DEMO_MARK,
    DESKS,
    ROUTES,
    SITE_NAME,
    STAFF,
    TEAMS,
    TOOLS,
)
from dutydesk.demo.handover import HandoverPart
from dutydesk.demo.shifts import ShiftPart
from dutydesk.domain import audit, holidays, incidents, patterns, roster, search
from dutydesk.domain.context import Actor
from dutydesk.domain.pins import DEMO_PIN
from dutydesk.domain.site import create_site

# The models history is written to in bulk, by the name the builder gives each;
# the order is the order of the tables in the build's statistics.
BULK_MODELS: dict[str, type[m.BaseModel]] = {
    "roster": m.RosterEntry,
    "shift": m.Shift,
    "round": m.PatrolRound,
    "check": m.PatrolCheck,
    "log": m.DutyLogEntry,
    "phone": m.PhoneCall,
    "visitor": m.Visitor,
    "key": m.KeyLoan,
    "switching": m.SwitchingOperation,
    "presence": m.PresenceCheck,
    "incident": m.Incident,
    "notification": m.Notification,
    "report": m.IncidentReport,
    "repair": m.RepairRequest,
    "item": m.HandoverItem,
    "signature": m.Signature,
    "handover": m.Handover,
    "audit": m.AuditEvent,
}


class Builder(HandoverPart, ShiftPart):
    # -- set-up: site, staff, checkpoints (audited) ----------------------------------------

    def build(self) -> None:
        today = self.now.date()
        first = today - dt.timedelta(days=self.days)
        current = {
            d.code: patterns.shift_at(patterns.preset(d.preset), self.now, self.tz) for d in DESKS
        }
        first = min([first, *(w.business_date for w in current.values() if w)])
        # The site "exists" from the day before its history starts.
        origin = patterns.wall_time(first - dt.timedelta(days=1), "10:00", self.tz)
        setup = FixedClock(origin, self.tz)
        self._setup(setup)
        for code, plan in self.desks.items():
            specs = plan.specs
            win = [
                w
                for w in patterns.windows_between(specs, first, today, self.tz)
                if w.end <= self.now
            ]
            cur = current[code]
            assert cur is not None  # every preset covers the whole day (SE-1)
            plan.windows = [*win, cur]
            plan.k_now = self._k(plan, cur)
        self._history(first, today)
        self._finale()

    def _setup(self, setup: FixedClock) -> None:
        actor = Actor(setup, None)
        create_site(
            actor,
            name=SITE_NAME,
            tz=self.tz,
            language="zh",
            desks=list(DESKS),
            supervisor_no="S01",
            supervisor_name="孙建国",
            supervisor_pin=DEMO_PIN,
            allow_trivial_pin=True,
        )
        now = setup.now()
        with write():
            boss = m.Staff.get(m.Staff.staff_no == "S01")
            # One slow hash for everyone: every demo PIN is the same 1234.
            pin_hash = boss.pin_hash
            desk_rows = {d.code: d for d in m.Desk.select()}
            site = m.Site.get()
            site.settings = {**(site.settings or {}), DEMO_MARK: BUILDING}
            site.save()
            by = Actor(setup, None, boss.id)
            audit.record(by, "site.settings", "site", site.id, new={DEMO_MARK: BUILDING})
            for no, name, role, home in STAFF:
                if no == "S01":
                    continue
                s = m.Staff.create(
                    staff_no=no,
                    name=name,
                    role=role,
                    pin_hash=pin_hash,
                    must_change_pin=False,
                    home_desk=desk_rows[home].id if home else None,
                    created_at=now,
                )
                audit.record(
                    by,
                    "staff.create",
                    "staff",
                    s.id,
                    new={"staff_no": no, "name": name, "role": role},
                )
            for s in m.Staff.select():
                self.staff[s.staff_no] = s.id
                self.names[s.id] = (s.staff_no, s.name)
            for code, d in desk_rows.items():
                templates = {
                    t.code: t.id
                    for t in m.ShiftTemplate.select().where(m.ShiftTemplate.desk == d.id)
                }
                specs = patterns.preset(d.preset)
                order = sorted(specs, key=lambda s: patterns.parse_hhmm(s.start))
                plan = DeskPlan(
                    d.id,
                    code,
                    d.kind,
                    specs,
                    templates,
                    {s.code: i for i, s in enumerate(order)},
                    [[self.staff[n] for n in team] for team in TEAMS[code]],
                )
                self.desks[code] = plan
                self._checkpoints(Actor(setup, d.id, boss.id), plan)
                for name, qty in TOOLS[code]:
                    m.ToolItem.create(desk=d.id, name=name, quantity=qty)
                self.tools[code] = [
                    {"name": n, "quantity": q} for n, q in sorted(TOOLS[code], key=lambda t: t[0])
                ]
                audit.record(
                    Actor(setup, d.id, boss.id),
                    "tools.create",
                    "desk",
                    d.id,
                    new={"items": len(TOOLS[code])},
                )
            for pos, (role, name, phone) in enumerate(CONTACTS):
                m.Contact.create(role=role, name=name, phone=phone, position=pos)
            incidents.seed_categories(by)
            audit.record(by, "contacts.create", "contact", None, new={"contacts": len(CONTACTS)})
            last = audit.head()
            assert last is not None
            self.head = (last.seq, last.hash)

    def _checkpoints(self, actor: Actor, plan: DeskPlan) -> None:
        seen: dict[str, int] = {}
        for name, name_en, kind, interval, times, rounds, points in ROUTES[plan.code]:
            stops = []
            for p in points:
                if p.code not in seen:
                    cp = m.Checkpoint.create(
                        desk=plan.id,
                        code=p.code,
                        name=p.name,
                        name_en=p.name_en,
                        area=p.area,
                        position=len(seen) + 1,
                        kind=p.kind,
                        expected_state=p.expected_state,
                        due_time=p.due_time,
                        unit=p.unit,
                        range_min=p.range_min,
                        range_max=p.range_max,
                        expected_count=p.expected_count,
                    )
                    seen[p.code] = cp.id
                    audit.record(
                        actor,
                        "checkpoint.create",
                        "checkpoint",
                        cp.id,
                        new={"code": p.code, "kind": p.kind},
                    )
                stops.append((seen[p.code], p))
            sched = m.PatrolSchedule.create(
                desk=plan.id,
                name=name,
                name_en=name_en,
                kind=kind,
                interval_hours=interval,
                times=times,
                rounds_per_shift=rounds,
            )
            for pos, (cp_id, _p) in enumerate(stops, start=1):
                m.RouteStop.create(schedule=sched.id, checkpoint=cp_id, position=pos)
            audit.record(
                actor,
                "patrol_schedule.create",
                "patrol_schedule",
                sched.id,
                new={"name": name, "kind": kind, "stops": len(stops)},
            )
            plan.routes.append((sched.id, name, kind, interval, times, rounds, stops))

    # -- history, in bulk ----------------------------------------------------------------------

    def _bulks(self) -> dict[str, Bulk]:
        def nxt(model: type[m.BaseModel]) -> int:
            return int(model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1

        bulks = {kind: Bulk(self.db, model, nxt(model)) for kind, model in BULK_MODELS.items()}
        # Triggers refuse items and signatures of an already signed handover,
        # so they go in before the handover rows they belong to.
        bulks["handover"].parent = [bulks["item"], bulks["signature"]]
        return bulks

    def _history(self, first: dt.date, today: dt.date) -> None:
        b = self._bulks()
        self.b = b
        origin = ts(utc(patterns.wall_time(first - dt.timedelta(days=1), "10:00", self.tz)))
        # Bulk build only: no fsync per commit. A crash mid-build leaves a demo to rebuild.
        self.db.execute_sql("PRAGMA synchronous=OFF")
        try:
            with write():
                # Rows go in table by table in batches; foreign keys are checked at commit.
                self.db.execute_sql("PRAGMA defer_foreign_keys=ON")
                for plan in self.desks.values():
                    day = first
                    while day <= today + dt.timedelta(days=7):
                        for spec in plan.specs:
                            w = patterns.ShiftWindow(spec.code, day, self.now, self.now)
                            for sid in self._team(plan, w):
                                b["roster"].add(
                                    template=plan.templates[spec.code],
                                    business_date=day.isoformat(),
                                    staff=sid,
                                    source="demo",
                                    created_at=origin,
                                )
                        day += dt.timedelta(days=1)
                self._timeline()
                for bulk in b.values():
                    bulk.flush()
            # The F8 search index over what was just loaded.
            search.reindex_all()
        finally:
            self.db.execute_sql("PRAGMA synchronous=FULL")
        self.counts = {k: v.count for k, v in b.items()}

    def _timeline(self) -> None:
        """Every desk's shifts in time order, so handovers reach the audit chain in order.

        A handover waits in a heap until no later shift can produce an earlier one
        (signatures fall at most 13 minutes before a change of shift).
        """
        rng = self.rng
        order: list[tuple[dt.datetime, int, str, int]] = []
        for pos, plan in enumerate(self.desks.values()):
            plan.starts = [utc(w.start) for w in plan.windows]
            plan.ends = [utc(w.end) for w in plan.windows]
            # When each shift was taken over: around the change, never after "now".
            plan.signed = [plan.starts[0]]
            for start in plan.starts[1:]:
                t = start + dt.timedelta(minutes=rng.randint(-12, 6), seconds=rng.randint(0, 59))
                plan.signed.append(min(t, self.now_utc))
            order.extend((start, pos, plan.code, i) for i, start in enumerate(plan.starts))
        order.sort()
        pending: list[tuple[dt.datetime, int, tuple[Any, ...]]] = []
        previous: dict[str, dict[str, Any]] = {}
        for start, _pos, code, i in order:
            while pending and pending[0][0] < start - dt.timedelta(minutes=13):
                self._handover(*heapq.heappop(pending)[2])
            plan = self.desks[code]
            summary = self._shift_of(plan, i)
            if code in previous:
                item = (plan, previous[code], summary, plan.signed[i])
                heapq.heappush(pending, (plan.signed[i], len(pending) + 10 * i, item))
            previous[code] = summary
        while pending:
            self._handover(*heapq.heappop(pending)[2])

    def _shift_of(self, plan: DeskPlan, i: int) -> dict[str, Any]:
        w = plan.windows[i]
        n = len(plan.windows)
        current = i == n - 1
        team = self._team(plan, w)
        a_start = plan.signed[i]
        a_end = None if current else plan.signed[i + 1]
        sid = self.b["shift"].add(
            desk=plan.id,
            template=plan.templates[w.code],
            business_date=w.business_date.isoformat(),
            planned_start=ts(plan.starts[i]),
            planned_end=ts(plan.ends[i]),
            actual_start=ts(a_start),
            actual_end=ts(a_end) if a_end else None,
            state="open" if current else "closed",
            opened_by=team[0],
            open_reason="" if i else "示例站点的第一个班次 / The demo site's first shift",
        )
        relief = None
        if not current:
            relief = (plan.signed[i + 1], self._team(plan, plan.windows[i + 1])[0])
        return self._shift(
            plan, sid, i, team, a_start, a_end or self.now_utc, current, i == n - 2, relief
        )

    def _finale(self) -> None:
        """The build is finished: the site is marked as the demo's (audited)."""
        with write():
            boss = Actor(FixedClock(self.now, self.tz), None, self.staff["S01"])
            site = m.Site.get()
            site.settings = {**(site.settings or {}), DEMO_MARK: True}
            site.save()
            audit.record(boss, "site.settings", "site", site.id, new={DEMO_MARK: True})
            rows = {"days": self.days, "rows": self.counts}
            audit.record(boss, "demo.build", "site", site.id, new=rows)
        self._holiday(boss)

    def _holiday(self, boss: Actor) -> None:
        """A holiday three days ahead on which the booth wants two guards per shift (CS9),
        so the roster's under-staffing warning can be seen on the demo."""
        day = self.now.to(self.tz).date() + dt.timedelta(days=3)
        holidays.add_holiday(boss, day, "演示节假日 Demo holiday")
        security = self.desks["security"]
        for code in security.templates:
            roster.set_required_staff(boss, security.id, code, required=1, holiday_required=2)
