"""A small site with known records for the report tests (unit and UI).

December 2026 at the security desk (times in Shanghai):

- 1 Dec, early shift 07:30–16:00, opened by G01. Rounds of the route "Gate
  round" (GATE ok/condition, T1 reading 0–85 °C) due 09:30 (done), 11:30
  (skipped: "Fire alarm at Block 3"), 13:30 (started 14:00: done late), 15:30
  (never started: missed). T1 read 95 °C at 09:30: out of range.
- Duty log 08:00 "Gate opened" (corrected at 08:05: "Gate opened at 07:58"),
  09:00 "Parcel room checked"; visitor 10:00 "Plumber Liu" (out 10:40), key
  "Boiler room" lent 10:30 to "Plumber Liu" (back 11:00).
- Incidents (occurred, nature, severity, first reached notification):
  A 1 Dec 08:10 fire / alarm, normal, +5 min;
  B 1 Dec 12:00 fire / alarm, major, +20 min, written report filed 3 Dec (late);
  C 1 Dec 12:30 dispute / quarrel, normal, nobody told;
  D 3 Dec 09:00 dispute / quarrel, major, +10 min, no written report (missing);
  E 9 Dec 10:00 intrusion / wall, major, +30 min, no report yet (due 10 Dec: pending);
  F 5 Dec 20:00 dispute / quarrel, major, +15 min, report filed 6 Dec (on time).
  Median time to the first report: 15 min, longest 30 min, one incident with nobody told.
- Relief overdue logged at 16:05 (CS-R4); handover G01 → G02 signed at 16:10.
- "Now" for the reports: 10 Dec 2026 12:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import checkpoints as cps
from dutydesk.domain import handover, incidents, logs, patrols, shifts
from dutydesk.domain.incidents import IncidentFields, NotificationFields

DAY = dt.date(2026, 12, 1)
TZ = "Asia/Shanghai"
NOW = "2026-12-10 12:00"


def at(text: str) -> arrow.Arrow:
    return arrow.get(text, "YYYY-MM-DD HH:mm", tzinfo=TZ)


@dataclass
class ReportSite:
    site: object
    shift_id: int
    handover_id: int
    incidents: dict[str, int]
    first_entry_id: int
    correction_id: int

    def now(self) -> arrow.Arrow:
        return at(NOW)


def _incident(site, when, category, sub, severity, told_after, desc):
    site.clock.set(at(when))
    told = []
    if told_after is not None:
        told.append(
            NotificationFields(
                role="leader",
                name="Leader Li",
                method="phone",
                notified_at=at(when).shift(minutes=told_after),
                reached=True,
            )
        )
        site.clock.set(at(when).shift(minutes=told_after))
    info = incidents.create_incident(
        site.actor("G01"),
        IncidentFields(
            place="Block 3",
            category=category,
            subcategory=sub,
            description=desc,
            occurred_at=at(when),
            severity=severity,
        ),
        told,
    )
    return info.id


def build(site, pin: str) -> ReportSite:
    sec = site.security
    s01 = site.actor("S01")
    gate = cps.add_checkpoint(
        s01,
        sec.id,
        cps.CheckpointSpec(
            code="GATE", name="南门", name_en="South gate", kind="condition", position=1
        ),
    )
    t1 = cps.add_checkpoint(
        s01,
        sec.id,
        cps.CheckpointSpec(
            code="T1", name="水箱温度", name_en="Tank temperature", kind="reading",
            unit="°C", range_min=0, range_max=85, position=2,
        ),
    )  # fmt: skip
    patrols.add_schedule(
        s01,
        sec.id,
        patrols.ScheduleSpec(
            name="巡逻", name_en="Gate round", kind="fixed",
            times=("09:30", "11:30", "13:30", "15:30"), shift_codes=("early",),
            route=(gate.id, t1.id),
        ),
    )  # fmt: skip
    planned = shifts.planned_on(sec.id, DAY, "early")
    site.clock.set(planned.start)
    with write():
        shift = shifts.create_open_shift(site.actor(None), planned, site.staff["G01"].id, "test")
    g = site.actor("G01")

    site.clock.set(at("2026-12-01 08:00"))
    first = logs.add(g, "duty", {"occurred_at": at("2026-12-01 08:00"), "text": "Gate opened"})
    site.clock.set(at("2026-12-01 08:05"))
    fixed = logs.correct(
        g,
        "duty",
        first.id,
        {"occurred_at": at("2026-12-01 08:00"), "text": "Gate opened at 07:58"},
        "wrong time",
    )
    site.clock.set(at("2026-12-01 09:00"))
    logs.add(g, "duty", {"occurred_at": at("2026-12-01 09:00"), "text": "Parcel room checked"})

    ids: dict[str, int] = {}
    ids["A"] = _incident(
        site, "2026-12-01 08:10", "fire", "fire.alarm", "normal", 5, "Smoke alarm, Block 3"
    )

    rounds = patrols.rounds_of_shift(shift.id, at("2026-12-01 09:30"))
    site.clock.set(at("2026-12-01 09:30"))
    patrols.start_round(g, rounds[0].id)
    checks = patrols.round_checks(rounds[0].id)
    patrols.mark_ok(g, checks[0].id)
    patrols.mark_reading(g, checks[1].id, "95", "Heater stuck on")
    patrols.finish_round(g, rounds[0].id)

    site.clock.set(at("2026-12-01 10:00"))
    visitor = logs.add(
        g,
        "visitor",
        {
            "name": "Plumber Liu",
            "organisation": "=cmd|' /C calc'!A0",
            "purpose": "Boiler",
            "time_in": at("2026-12-01 10:00"),
        },
    )
    site.clock.set(at("2026-12-01 10:30"))
    key = logs.add(
        g,
        "key",
        {"key_name": "Boiler room", "borrower": "Plumber Liu", "out_at": at("2026-12-01 10:30")},
    )
    site.clock.set(at("2026-12-01 10:40"))
    logs.sign_out_visitor(g, visitor.id)
    site.clock.set(at("2026-12-01 11:00"))
    logs.return_key(g, key.id)

    site.clock.set(at("2026-12-01 11:20"))
    patrols.skip_round(g, rounds[1].id, "Fire alarm at Block 3")
    ids["B"] = _incident(
        site, "2026-12-01 12:00", "fire", "fire.alarm", "major", 20, "Fire in the bin room"
    )
    ids["C"] = _incident(
        site,
        "2026-12-01 12:30",
        "dispute",
        "dispute.quarrel",
        "normal",
        None,
        "Quarrel at the gate",
    )

    site.clock.set(at("2026-12-01 14:00"))
    patrols.start_round(g, rounds[2].id)
    for c in patrols.round_checks(rounds[2].id):
        if c.checkpoint.kind == "reading":
            patrols.mark_reading(g, c.id, "60")
        else:
            patrols.mark_ok(g, c.id)
    patrols.finish_round(g, rounds[2].id)

    site.clock.set(at("2026-12-01 15:00"))
    for key_ in ("A", "B", "C"):
        incidents.resolve(g, ids[key_], "Dealt with")

    site.clock.set(at("2026-12-01 16:05"))
    assert shifts.mark_relief_overdue(g, shift.id)
    v = handover.start(g, notes="Quiet afternoon")
    handover.identify_incoming(g, v.id, "G02", pin)
    for k in handover.CHECK_KEYS:
        handover.answer_check(g, v.id, k, True)
    for item in handover.view(v.id, site.clock.now()).open_to_acknowledge:
        handover.acknowledge(g, v.id, item.id)
    handover.confirm_read_back(g, v.id, handover.view(v.id, site.clock.now()).carry_count)
    site.clock.set(at("2026-12-01 16:10"))
    handover.sign(g, v.id, outgoing_no="G01", outgoing_pin=pin, incoming_no="G02", incoming_pin=pin)

    site.clock.set(at("2026-12-03 10:00"))
    incidents.file_report(site.actor("G01"), ids["B"], "Bin room fire, put out.", "G01", pin)
    ids["D"] = _incident(
        site, "2026-12-03 09:00", "dispute", "dispute.quarrel", "major", 10, "Fight in the car park"
    )
    ids["F"] = _incident(
        site, "2026-12-05 20:00", "dispute", "dispute.quarrel", "major", 15, "Fight at the shop"
    )
    site.clock.set(at("2026-12-06 09:00"))
    incidents.file_report(site.actor("G01"), ids["F"], "Shop fight, police called.", "G01", pin)
    ids["E"] = _incident(
        site, "2026-12-09 10:00", "intrusion", "intrusion.wall", "major", 30, "Man over the wall"
    )
    site.clock.set(at(NOW))
    return ReportSite(site, shift.id, v.id, ids, first.id, fixed.id)
