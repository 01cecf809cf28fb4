"""The demo's patrol rounds (SE-3, SG-6, EN-8.3.3): when each round was due, how
it went (done, late, skipped with a reason, missed), and what each check found,
readings now and then out of their normal range (EN-8.3.4)."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from dutydesk.demo.base import BuilderBase, DeskPlan
from dutydesk.demo.bulk import iso, ts, utc
from dutydesk.demo.data import MISSING_ONE, OUT_OF_RANGE, PROBLEM, SKIP_CHECK, SKIP_ROUND, Point
from dutydesk.domain import patterns
from dutydesk.domain.patrols import CheckpointKind, CheckResult, RoundState, ScheduleKind


class PatrolPart(BuilderBase):
    # -- patrol rounds (SE-3, SG-6, EN-8.3.3) --------------------------------------------------

    def _dues(
        self,
        w: patterns.ShiftWindow,
        ws: dt.datetime,
        we: dt.datetime,
        kind: str,
        interval: float | None,
        times: str,
        rounds: int | None,
    ) -> list[dt.datetime]:
        if kind == ScheduleKind.INTERVAL and interval:
            out, due = [], ws + dt.timedelta(minutes=30)
            while due < we:
                out.append(due)
                due += dt.timedelta(hours=interval)
            return out
        if kind == ScheduleKind.IRREGULAR and rounds:
            lo, hi = ws + dt.timedelta(minutes=20), we - dt.timedelta(minutes=40)
            span = max((hi - lo).total_seconds(), 0.0)
            return sorted(
                lo + dt.timedelta(seconds=int(self.rng.random() * span)) for _ in range(rounds)
            )
        out = []
        for hhmm in filter(None, times.split(",")):
            for day in (w.business_date, w.business_date + dt.timedelta(days=1)):
                due = utc(patterns.wall_time(day, hhmm.strip(), self.tz))
                if ws <= due < we:
                    out.append(due)
        return out

    def _rounds(
        self,
        plan: DeskPlan,
        sid: int,
        w: patterns.ShiftWindow,
        ws: dt.datetime,
        we: dt.datetime,
        a_start: dt.datetime,
        person: int,
        current: bool,
        summary: dict[str, Any],
    ) -> None:
        rng, b = self.rng, self.b
        rounds, checks = b["round"], b["check"]
        day_index = w.business_date.toordinal()
        sections: list[tuple[dt.datetime, int, dict[str, Any]]] = []
        readings: list[tuple[int, int, dict[str, Any]]] = []
        items: list[tuple[dt.datetime, int, tuple[Any, ...]]] = []
        for sched_id, name, kind, interval, times, per_shift, stops in plan.routes:
            for due in self._dues(w, ws, we, kind, interval, times, per_shift):
                r = rng.random()
                if r < 0.925:
                    state, start = RoundState.DONE, due + dt.timedelta(minutes=rng.uniform(-10, 10))
                elif r < 0.965:
                    state, start = (
                        RoundState.DONE_LATE,
                        due + dt.timedelta(minutes=rng.uniform(16, 50)),
                    )
                else:
                    state, start = (RoundState.SKIPPED if r < 0.98 else RoundState.MISSED), None
                marks: list[dt.datetime] = []
                if start is not None:
                    t = max(start, a_start)
                    for _ in stops:
                        t += dt.timedelta(seconds=rng.randint(40, 150))
                        marks.append(t)
                    finish = t + dt.timedelta(seconds=30)
                if current and (start is None or finish > self.now_utc):
                    state, start = RoundState.UPCOMING, None  # still to walk (or being walked)
                section: dict[str, Any] = {
                    "name": name,
                    "due_at": iso(due),
                    "state": state,
                    "reason": "",
                    "skipped": [],
                    "missed": [],
                }
                if start is None:
                    reason = rng.choice(SKIP_ROUND) if state == RoundState.SKIPPED else ""
                    rid = rounds.add(
                        shift=sid,
                        schedule=sched_id,
                        due_at=ts(due),
                        tolerance_minutes=15,
                        started_at=None,
                        started_by=None,
                        finished_at=None,
                        state=state,
                        skip_reason=reason,
                    )
                    for pos, (cp_id, _p) in enumerate(stops, start=1):
                        checks.add(
                            round=rid,
                            checkpoint=cp_id,
                            position=pos,
                            result=None,
                            value=None,
                            out_of_range=False,
                            note="",
                            marked_at=None,
                            marked_by=None,
                        )
                    section.update(id=rid, reason=reason)
                    if state == RoundState.MISSED:
                        section["missed"] = [p.name for _cp, p in stops]
                    if state in (RoundState.MISSED, RoundState.SKIPPED):
                        text = f"{name} {self._hhmm(due)}".strip()
                        item = (f"patrol_{state}", "patrol_round", rid, text, reason)
                        items.append((due, rid, item))
                    sections.append((due, rid, section))
                    continue
                rid = rounds.add(
                    shift=sid,
                    schedule=sched_id,
                    due_at=ts(due),
                    tolerance_minutes=15,
                    started_at=ts(start),
                    started_by=person,
                    finished_at=ts(finish),
                    state=state,
                    skip_reason="",
                )
                section["id"] = rid
                for pos, ((cp_id, p), mark) in enumerate(zip(stops, marks, strict=True), start=1):
                    result, value, oor, note = self._check(p, mark, day_index)
                    cid = checks.add(
                        round=rid,
                        checkpoint=cp_id,
                        position=pos,
                        result=result,
                        value=value,
                        out_of_range=oor,
                        note=note,
                        marked_at=ts(mark),
                        marked_by=person,
                    )
                    if result == CheckResult.SKIPPED:
                        section["skipped"].append({"checkpoint": p.name, "note": note})
                    if oor:
                        text = reading_text(p, value)
                        readings.append(
                            (rid, pos, {"id": cid, "text": text, "at": iso(mark), "note": note})
                        )
                sections.append((due, rid, section))
        sections.sort(key=lambda x: (x[0], x[1]))
        readings.sort(key=lambda x: (x[0], x[1]))
        items.sort(key=lambda x: (x[0], x[1]))
        summary["rounds"] = [x[2] for x in sections]
        summary["readings"] = [x[2] for x in readings]
        # What the handover lists after the open records (handover._sources' order).
        summary["patrol_items"] = [x[2] for x in items] + [
            ("reading", "patrol_check", r["id"], r["text"], r["note"]) for r in summary["readings"]
        ]

    def _check(
        self, p: Point, mark: dt.datetime, day_index: int
    ) -> tuple[str, float | None, bool, str]:
        """(result, value, out of range, note) of one check."""
        rng = self.rng
        x = rng.random()
        if x < 0.005:
            return CheckResult.SKIPPED, None, False, rng.choice(SKIP_CHECK)
        if p.kind == CheckpointKind.READING:
            value = reading(rng, p.code, mark, day_index)
            low = p.range_min if p.range_min is not None else -math.inf
            high = p.range_max if p.range_max is not None else math.inf
            oor = not low <= value <= high
            note = OUT_OF_RANGE if oor else ""
            return CheckResult.READING, value, oor, note
        if p.kind == CheckpointKind.COUNT:
            expected = p.expected_count or 0
            if x > 0.995:
                return CheckResult.PROBLEM, float(expected - 1), False, MISSING_ONE
            return CheckResult.OK, float(expected), False, ""
        if x > 0.99:
            if p.kind == CheckpointKind.SWITCH:
                return CheckResult.PROBLEM, None, False, "开关状态异常，已复位 / Wrong state, reset"
            return CheckResult.PROBLEM, None, False, rng.choice(PROBLEM)
        return CheckResult.OK, None, False, ""


def reading_text(p: Point, value: float | None) -> str:
    """A reading as the handover record shows it: "name: value unit (min–max)"."""
    shown = "" if value is None else f"{value:g}"
    lo = "" if p.range_min is None else f"{p.range_min:g}"
    hi = "" if p.range_max is None else f"{p.range_max:g}"
    return f"{p.name}: {shown} {p.unit} ({lo}–{hi})".replace("  ", " ")


def reading(rng: random.Random, code: str, mark: dt.datetime, day_index: int) -> float:
    """A plausible reading, now and then out of its normal range (EN-8.3.4)."""
    odd = rng.random() < 0.004
    hour = mark.hour + mark.minute / 60
    if code == "TX-TEMP":
        v = (
            rng.uniform(86, 95)
            if odd
            else 55 + 8 * math.sin(hour / 24 * 2 * math.pi) + rng.gauss(0, 3)
        )
        return round(v, 1)
    if code == "SUPPLY-V":
        v = rng.choice((rng.uniform(345, 352), rng.uniform(408, 415))) if odd else rng.gauss(381, 4)
        return round(v, 1)
    if code == "PUMP-P":
        v = rng.choice((0.26, 0.64)) if odd else min(0.58, max(0.32, rng.gauss(0.45, 0.04)))
        return round(v, 2)
    if code == "GEN-FUEL":
        # Used slowly by test runs and refilled every 150 days; just before a refill it
        # drops under 30 % and is flagged.
        return round(98 - (day_index % 150) * 0.47 + rng.gauss(0, 0.3), 1)
    if code == "CHILLER-OUT":
        v = rng.uniform(12.5, 14) if odd else min(11.5, max(5.5, rng.gauss(7.5, 0.8)))
        return round(v, 1)
    return round(rng.gauss(50, 5), 1)
