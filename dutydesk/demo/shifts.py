"""What happens on one demo shift: duty-log entries (CS3), phone calls and
visitors (CS5-2.6, SG-2, SG-4, EN-8.3.6), key loans, switching operations, night
presence checks (SG-1, SG-5), incidents with their notifications and written
reports (SE-4, CS6, CS-R3) and repair requests (EN-8.3.2), and what the last
finished shift leaves open for the next (CS-R6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import arrow

from dutydesk import models as m
from dutydesk.demo.base import DeskPlan, poisson
from dutydesk.demo.bulk import iso, ts, utc
from dutydesk.demo.data import INCIDENTS, LOG, MAJOR, NAMES, PHONE, REPAIRS, UNITS, VISITORS
from dutydesk.demo.patrol import PatrolPart
from dutydesk.domain import canonical, incidents
from dutydesk.domain.incidents import IncidentStatus, NotifyMethod, NotifyRole, Severity
from dutydesk.domain.patterns import DeskKind
from dutydesk.domain.repairs import RepairStatus


class ShiftPart(PatrolPart):
    def _shift(
        self,
        plan: DeskPlan,
        sid: int,
        i: int,
        team: list[int],
        a_start: dt.datetime,
        a_end: dt.datetime,
        current: bool,
        last_past: bool,
        relief: tuple[dt.datetime, int] | None,
    ) -> dict[str, Any]:
        """Everything that happened on one shift; returns what its handover reports."""
        rng, b = self.rng, self.b
        w = plan.windows[i]
        ws, we = plan.starts[i], plan.ends[i]
        person = team[0]
        kind = plan.kind
        spec = next(x for x in plan.specs if x.code == w.code)
        summary: dict[str, Any] = {
            "desk": plan.id,
            "shift": sid,
            "team": team,
            "info": {
                "id": sid,
                "code": w.code,
                "name_zh": spec.name_zh,
                "name_en": spec.name_en,
                "business_date": w.business_date.isoformat(),
                "planned_start": iso(ws),
                "planned_end": iso(we),
            },
            "duty": [],
            "rounds": [],
            "readings": [],
            "open": [],  # (kind, ref_type, ref_id, text, reason): open records at the end
            "patrol_items": [],  # missed and skipped rounds, readings out of range
        }
        span = (a_end - a_start).total_seconds()

        def at() -> dt.datetime:
            return a_start + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span)

        def fill(text: str) -> str:
            return text.format(
                unit=rng.choice(UNITS), n=rng.randint(2, 9), plate=f"{rng.randint(10000, 99999)}"
            )

        self._rounds(plan, sid, w, ws, we, a_start, person, current, summary)
        if current:
            t = a_start + dt.timedelta(minutes=5)
            if t <= self.now_utc:
                self._log(
                    summary, t, "duty", "接班，设备、工具清点无误。 / Took over; tools checked."
                )
            return summary
        # Duty log (CS3), with the odd discipline note (SG-3) and absence (CS7).
        for _ in range(rng.randint(1, 3)):
            self._log(
                summary,
                at(),
                "duty",
                fill(rng.choice(LOG[kind])),
                rng.choice(("", "已处理 / Done")),
            )
        r = rng.random()
        if kind == "security" and r < 0.03:
            self._log(
                summary,
                at(),
                "discipline",
                "员工未穿工作服进场 / Staff not in work clothes",
                "已提醒 / Reminded",
                names=rng.choice(("保洁 刘某", "绿化 陈某", "维修 王某")),
            )
        elif r < 0.04:
            t = at()
            back = min(t + dt.timedelta(minutes=rng.randint(5, 25)), a_end)
            self._log(
                summary,
                t,
                "absence",
                "离岗协助处理车库积水 / Left the desk to help in the car park",
                absent=(t, back),
            )
        # Phone record (CS5-2.6) and visitors (SG-2, SG-4, EN-8.3.6).
        for _ in range(poisson(rng, {"security": 0.7, "engineering": 0.5, "service": 1.5}[kind])):
            t = at()
            caller, content, action = rng.choice(PHONE)
            b["phone"].add(
                **self._entry(summary, t),
                call_at=ts(t),
                caller=fill(caller),
                number=f"139{rng.randint(10000000, 99999999)}",
                content=content,
                action=action,
            )
        lam = {
            "security": 0.3 if w.code == "night" else 1.5,
            "engineering": 0.15,
            "service": 0.5,
        }[kind]
        for _ in range(poisson(rng, lam)):
            t = at()
            name, org, purpose = rng.choice(VISITORS)
            out = min(t + dt.timedelta(minutes=rng.randint(10, 120)), a_end)
            b["visitor"].add(
                **self._entry(summary, t),
                name=name,
                organisation=org,
                purpose=fill(purpose),
                entered_room=kind == "engineering",
                time_in=ts(t),
                time_out=ts(out),
            )
        if kind == "security" and rng.random() < 0.3:
            t = at()
            back = min(t + dt.timedelta(minutes=rng.randint(10, 90)), a_end)
            b["key"].add(
                **self._entry(summary, t),
                key_name="3号楼设备间钥匙 / Building 3 plant-room key",
                borrower=rng.choice(("保洁 刘阿姨", "维修 王工", "绿化 陈师傅")),
                out_at=ts(t),
                back_at=ts(back),
                returned_to=person,
            )
        if kind == "engineering" and rng.random() < 0.05:
            t = at()
            b["switching"].add(
                **self._entry(summary, t),
                what="2号变压器停电检修，负荷转1号变 / Transformer 2 out for service",
                operator=self.names[person][1],
                started_at=ts(t),
                finished_at=ts(min(t + dt.timedelta(minutes=40), a_end)),
            )
        if kind == "security" and w.code == "night":
            due = ws + dt.timedelta(hours=1)
            while due < we:  # night presence checks (SG-1, SG-5)
                missed = rng.random() < 0.02
                ok = None if missed else ts(due + dt.timedelta(seconds=rng.randint(5, 240)))
                b["presence"].add(
                    desk=plan.id,
                    shift=sid,
                    staff=person,
                    due_at=ts(due),
                    confirmed_at=ok,
                    missed=missed,
                )
                due += dt.timedelta(hours=1)
        # Incidents (SE-4, CS6): about 50 000 in ten years over the three desks.
        lam = {"security": 2.3, "engineering": 2.0, "service": 1.4}[kind]
        for _ in range(poisson(rng, lam)):
            self._incident(plan, summary, at(), a_end, fill)
        # Repair requests (EN-8.3.2) at the engineering and service desks.
        if kind != "security":
            for _ in range(poisson(rng, 1.0 if kind == "engineering" else 0.6)):
                self._repair(plan, summary, at(), a_end, relief, fill)
        if last_past:
            self._left_open(plan, summary, a_start, a_end)
        return summary

    def _repair(
        self,
        plan: DeskPlan,
        summary: dict[str, Any],
        t: dt.datetime,
        a_end: dt.datetime,
        relief: tuple[dt.datetime, int] | None,
        fill: Callable[[str], str],
    ) -> None:
        """A repair request: handled on the shift, or not (with the reason) and then
        handled by the next shift after it was carried over (EN-8.3.2, CS-R6)."""
        rng = self.rng
        person = summary["team"][0]
        place, problem, action = rng.choice(REPAIRS)
        place = fill(place)
        reason = ""
        status = RepairStatus.HANDLED
        done_at: dt.datetime | None = min(t + dt.timedelta(minutes=rng.randint(20, 150)), a_end)
        done_by: int | None = person
        if rng.random() < 0.1:
            reason = "缺少配件，已申请采购 / Parts on order"
            later = relief[0] + dt.timedelta(minutes=rng.randint(20, 120)) if relief else None
            if later is not None and relief is not None and later <= self.now_utc:
                done_at, done_by = later, relief[1]
            else:
                status, action, done_at, done_by = RepairStatus.NOT_HANDLED, "", None, None
        rid = self.b["repair"].add(
            **self._entry(summary, t),
            received_at=ts(t),
            from_name=rng.choice(NAMES),
            from_unit=rng.choice(UNITS),
            from_phone=f"138{rng.randint(10000000, 99999999)}",
            place=place,
            problem=problem,
            status=status,
            action=action,
            reason=reason,
            handled_at=ts(done_at) if done_at else None,
            handled_by=done_by,
        )
        if reason:
            text = f"{self._hhmm(t)} {place} — {problem}".replace("  ", " ")
            summary["open"].append(("repair", "repair_request", rid, text, reason))

    def _left_open(
        self, plan: DeskPlan, summary: dict[str, Any], a_start: dt.datetime, a_end: dt.datetime
    ) -> None:
        """What the last finished shift hands on: one open item at two desks (CS-R6)."""
        b = self.b
        t = a_start + (a_end - a_start) / 2
        if plan.kind == "security":
            text = "3号楼东侧路灯不亮，已报工程部 / Street light east of Building 3 out"
            place = "3号楼东侧"
            iid = b["incident"].add(
                **self._entry(summary, t),
                occurred_at=ts(t),
                place=place,
                category="damage",
                people_count=0,
                characteristics="",
                description=text,
                actions="已设置警示 / Warning sign put up",
                result="",
                status=IncidentStatus.OPEN,
                severity=Severity.NORMAL,
                closed_at=None,
                closed_by=None,
                report_due_at=None,
            )
            self._log(summary, t, "incident", text, category="damage", ref=("incident", iid))
            summary["open"].append(
                (
                    "incident",
                    "incident",
                    iid,
                    f"{self._hhmm(t)} {place} — {text}",
                    "等待工程部维修 / Waiting for engineering",
                )
            )
        elif plan.kind == "engineering":
            text = "卫生间漏水 / Bathroom leak"
            rid = b["repair"].add(
                **self._entry(summary, t),
                received_at=ts(t),
                from_name="张伟",
                from_unit="2-1502",
                from_phone="13800001502",
                place="2-1502",
                problem=text,
                status=RepairStatus.OPEN,
                action="",
                reason="",
                handled_at=None,
                handled_by=None,
            )
            summary["open"].append(
                (
                    "repair",
                    "repair_request",
                    rid,
                    f"{self._hhmm(t)} 2-1502 — {text}",
                    "住户明早在家，约定上门 / Resident home tomorrow morning",
                )
            )

    def _incident(
        self,
        plan: DeskPlan,
        summary: dict[str, Any],
        t: dt.datetime,
        a_end: dt.datetime,
        fill: Callable[[str], str],
    ) -> None:
        rng, b = self.rng, self.b
        kind = plan.kind
        person = summary["team"][0]
        closed = min(t + dt.timedelta(minutes=rng.randint(10, 180)), a_end)
        closed = max(closed, t + dt.timedelta(seconds=30))
        major = rng.random() < 0.015
        if major:
            cat, place, desc, actions, result, service = rng.choice(MAJOR[kind])
            due = utc(incidents.report_due_at(arrow.get(t, tzinfo="UTC"), self.tz))
            row = {
                "place": place,
                "people_count": rng.randint(1, 3),
                "characteristics": "",
                "severity": Severity.MAJOR,
                "report_due_at": ts(due),
            }
        else:
            cat, place, desc, actions, result, chars, people = rng.choice(INCIDENTS[kind])
            desc = fill(desc)
            row = {
                "place": fill(place),
                "people_count": people,
                "characteristics": fill(chars),
                "severity": Severity.NORMAL,
                "report_due_at": None,
            }
        iid = b["incident"].add(
            **self._entry(summary, t),
            occurred_at=ts(t),
            category=cat,
            description=desc,
            actions=actions,
            result=result,
            status=IncidentStatus.RESOLVED,
            closed_at=ts(closed),
            closed_by=person,
            **row,
        )
        if major:
            # A major incident reaches someone at leader level or above (CS6, CS-R3).
            boss = self.staff["L01"] if kind == DeskKind.SECURITY else self.staff["S01"]
            role = NotifyRole.LEADER if kind == DeskKind.SECURITY else NotifyRole.SUPERVISOR
            told: list[tuple[str, str, dt.datetime]] = [
                (role, self.names[boss][1], t + dt.timedelta(minutes=rng.randint(2, 9)))
            ]
            if service in ("fire", "police", "ambulance"):
                number = {"fire": "119", "police": "110", "ambulance": "120"}[service]
                told.append((service, number, t + dt.timedelta(minutes=1)))
            for who, name, at in told:
                b["notification"].add(
                    incident=iid,
                    role=who,
                    name=name,
                    method=NotifyMethod.PHONE,
                    notified_at=ts(at),
                    reached=True,
                    author=person,
                    created_at=ts(at),
                )
            self._report(iid, person, t, due, place, desc, actions, result)
        # A saved incident also lands in the duty log, linked (SE-4).
        self._log(summary, t, "incident", desc, result, category=cat, ref=("incident", iid))

    def _report(
        self,
        iid: int,
        person: int,
        t: dt.datetime,
        due: dt.datetime,
        place: str,
        desc: str,
        actions: str,
        result: str,
    ) -> None:
        """The signed written report of a major incident, filed the next day (CS6)."""
        rng, b = self.rng, self.b
        written = due - dt.timedelta(hours=rng.randint(6, 14))
        if written > self.now_utc:
            return  # not written yet: the demo shows a report still due
        no, name = self.names[person]
        text = (
            f"事件报告 / Incident report\n时间 Time: {self._hhmm(t)}\n地点 Place: {place}\n"
            f"经过 What happened: {desc}\n处理 Actions: {actions}\n结果 Result: {result}"
        )
        rid = b["report"].add(
            incident=iid, author=person, text=text, created_at=ts(written), signed_at=ts(written)
        )
        # The incident area defines what a report's signature covers.
        row = m.IncidentReport(
            id=rid,
            incident=iid,
            author=person,
            text=text,
            created_at=arrow.get(written, tzinfo="UTC"),
            signed_at=arrow.get(written, tzinfo="UTC"),
        )
        digest = canonical.sha256(incidents.report_content(row))
        b["signature"].add(
            handover=None,
            report=rid,
            staff=person,
            printed_name=name,
            staff_no=no,
            signed_at=ts(written),
            meaning=incidents.REPORT_MEANING,
            content_hash=digest,
        )
