"""What every part of the demo builder shares: the plan of each desk, the state
of a build (the random source, the bulk writers, the audit chain's head) and the
rows several parts write (a duty-log entry, an audit event)."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

import arrow
import peewee as pw

from dutydesk.demo.bulk import Bulk, iso, ts, utc
from dutydesk.demo.data import SEED, Point
from dutydesk.domain import audit, patterns

# A route of a desk as built: (schedule id, name, kind, interval hours, fixed times,
# rounds per shift, stops as (checkpoint id, point)).
Route = tuple[int, str, str, float | None, str, int | None, list[tuple[int, Point]]]


@dataclass
class DeskPlan:
    id: int
    code: str
    kind: str
    specs: tuple[patterns.ShiftSpec, ...]
    templates: dict[str, int]
    rank: dict[str, int]  # order of each shift within a business date
    teams: list[list[int]]
    k_now: int = 0
    routes: list[Route] = field(default_factory=list)
    windows: list[patterns.ShiftWindow] = field(default_factory=list)
    starts: list[dt.datetime] = field(default_factory=list)
    ends: list[dt.datetime] = field(default_factory=list)
    signed: list[dt.datetime] = field(default_factory=list)  # when shift i was taken over


class BuilderBase:
    def __init__(self, db: pw.Database, tz: str, now: arrow.Arrow, days: int) -> None:
        self.db = db
        self.tz = tz
        self.now = now
        self.now_utc = utc(now)
        self.days = days
        self.rng = random.Random(SEED)
        self.staff: dict[str, int] = {}
        self.names: dict[int, tuple[str, str]] = {}  # id -> (staff_no, name)
        self.desks: dict[str, DeskPlan] = {}
        self.counts: dict[str, int] = {}
        self.head: tuple[int, str] = (0, audit.GENESIS)
        self.tools: dict[str, list[dict[str, Any]]] = {}
        self.b: dict[str, Bulk] = {}  # the bulk writers, by kind of row

    # -- the roster --------------------------------------------------------------------------

    def _k(self, plan: DeskPlan, w: patterns.ShiftWindow) -> int:
        """The ordinal of a shift occurrence at its desk (consecutive shifts differ by 1)."""
        return w.business_date.toordinal() * len(plan.specs) + plan.rank[w.code]

    def _team(self, plan: DeskPlan, w: patterns.ShiftWindow) -> list[int]:
        return plan.teams[(self._k(plan, w) - plan.k_now) % len(plan.teams)]

    def _log(
        self,
        summary: dict[str, Any],
        t: dt.datetime,
        kind: str,
        text: str,
        result: str = "",
        category: str = "",
        names: str = "",
        absent: tuple[dt.datetime, dt.datetime] | None = None,
        ref: tuple[str, int | None] = ("", None),
    ) -> None:
        """One duty-log entry (CS3), also listed in the shift's handover record."""
        person = summary["team"][0]
        eid = self.b["log"].add(
            **self._entry(summary, t),
            kind=kind,
            occurred_at=ts(t),
            category=category,
            text=text,
            result=result,
            names=names,
            absent_from=ts(absent[0]) if absent else None,
            absent_to=ts(absent[1]) if absent else None,
            ref_type=ref[0],
            ref_id=ref[1],
        )
        summary["duty"].append(
            {
                "id": eid,
                "at": iso(t),
                "kind": kind,
                "text": text,
                "result": result,
                "by": self.names[person][0],
            }
        )

    def _entry(self, summary: dict[str, Any], t: dt.datetime) -> dict[str, Any]:
        """The fields a record of the shift in ``summary`` starts with, written at ``t``
        by the shift's first person (its desk, shift, author and time)."""
        return {
            "desk": summary["desk"],
            "shift": summary["shift"],
            "author": summary["team"][0],
            "created_at": ts(t),
        }

    def _hhmm(self, t: dt.datetime) -> str:
        return arrow.get(t, tzinfo="UTC").to(self.tz).format("HH:mm")

    def _event(
        self,
        at: dt.datetime,
        desk_id: int | None,
        staff_id: int | None,
        action: str,
        record_type: str,
        record_id: int | None,
        new: dict[str, Any],
    ) -> None:
        """Append one audit event in bulk, hashed exactly as :func:`audit.record` does
        (with its own :func:`audit.event_body` and :func:`audit.chain_hash`)."""
        seq, prev = self.head[0] + 1, self.head[1]
        when = arrow.get(at, tzinfo="UTC")
        body = audit.event_body(
            seq, when, desk_id, staff_id, "", action, record_type, record_id, None, new
        )
        digest = audit.chain_hash(prev, body)
        self.b["audit"].add(
            seq=seq,
            at=ts(at),
            desk=desk_id,
            staff=staff_id,
            staff_no="",
            action=action,
            record_type=record_type,
            record_id=record_id,
            old=None,
            new=new,
            prev_hash=prev,
            hash=digest,
        )
        self.head = (seq, digest)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small rates used here."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
