"""The demo's signed handovers (EN-8.5, EN-8.6): the record and context the
domain signs, its items and signatures, and the ``handover.sign`` event.

Moved verbatim from the builder: the sections of the handover's context are
built here, in :meth:`HandoverPart._handover`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutydesk.demo.base import BuilderBase
from dutydesk.demo.base import DeskPlan as _DeskPlan
from dutydesk.demo.bulk import iso as _iso
from dutydesk.demo.bulk import ts as _ts
from dutydesk.demo.data import DESKS, SITE_NAME
from dutydesk.demo.data import HANDOVER_NOTES as _HANDOVER_NOTES
from dutydesk.domain import canonical
from dutydesk.domain import handover as handovers


class HandoverPart(BuilderBase):
    # -- handovers (EN-8.5, EN-8.6) -----------------------------------------------------------

    def _handover(
        self, plan: _DeskPlan, out: dict[str, Any], inc: dict[str, Any], signed: dt.datetime
    ) -> None:
        """The signed two-party handover from shift ``out`` to shift ``inc``.

        Its content is what :mod:`dutydesk.domain.handover` signs: the record part
        (rebuilt by ``record_part`` from the rows, so ``dutydesk verify`` checks it)
        and the context; its ``handover.sign`` event goes on the audit chain, whose
        head before it is the one the record shows.
        """
        rng, b = self.rng, self.b
        giver, taker = out["team"][0], inc["team"][0]
        started = signed - dt.timedelta(minutes=rng.randint(10, 20))
        identified = signed - dt.timedelta(minutes=rng.randint(4, 8))
        notes = rng.choice(_HANDOVER_NOTES)
        hid = b["handover"].next_id
        checklist = {key: {"ok": True, "note": ""} for key in handovers.CHECK_KEYS}
        items = []
        ack = identified
        for kind, ref_type, ref_id, text, reason in out["open"] + out["patrol_items"]:
            ack += dt.timedelta(seconds=rng.randint(5, 20))
            carried = kind in handovers.CARRY_KINDS
            iid = b["item"].add(
                handover=hid,
                kind=kind,
                ref_type=ref_type,
                ref_id=ref_id,
                text=text,
                reason=reason,
                acknowledged_at=_ts(ack),
                acknowledged_by=taker,
                carried_over=carried,
            )
            items.append(
                {
                    "id": iid,
                    "kind": kind,
                    "ref_type": ref_type,
                    "ref_id": ref_id,
                    "text": text,
                    "reason": reason,
                    "acknowledged_at": _iso(ack),
                    "acknowledged_by": taker,
                    "carried_over": carried,
                    "resolved_at": None,
                }
            )
        signatures = []
        for who, meaning in ((giver, handovers.MEANING_OUT), (taker, handovers.MEANING_IN)):
            no, name = self.names[who]
            signatures.append(
                {
                    "staff": who,
                    "staff_no": no,
                    "printed_name": name,
                    "meaning": meaning,
                    "signed_at": _iso(signed),
                }
            )
        read_back = sum(1 for it in items if it["carried_over"])
        record = {
            "format": handovers.FORMAT,
            "handover_id": hid,
            "desk_id": plan.id,
            "outgoing_shift_id": out["shift"],
            "incoming_shift_id": inc["shift"],
            "started_by": giver,
            "started_at": _iso(started),
            "early_reason": "",
            "notes": notes,
            "incoming_staff": taker,
            "identified_at": _iso(identified),
            "checklist": checklist,
            "read_back": read_back,
            "signed_at": _iso(signed),
            "chain_head": {"seq": self.head[0], "hash": self.head[1]},
            "items": items,
            "signatures": signatures,
        }
        signers = {giver, taker}
        desk = next(d for d in DESKS if d.code == plan.code)
        # The shift's record in the shape the handover signs (no key is out at the end).
        sections = handovers.HandoverSections.from_plain(
            {
                "duty_log": out["duty"],
                "patrol": out["rounds"],
                "readings": out["readings"],
                "tools": self.tools[plan.code],
            }
        )

        def person(p: int) -> dict[str, str]:
            return {"staff_no": self.names[p][0], "name": self.names[p][1]}

        context = {
            "site": SITE_NAME,
            "site_tz": self.tz,
            "desk": {
                "code": desk.code,
                "name": desk.name,
                "name_en": desk.name_en,
                "location": desk.location,
            },
            "outgoing_shift": out["info"],
            "incoming_shift": inc["info"],
            "people": {str(p): person(p) for p in signers},
            "teams": {
                side: [
                    person(p)
                    for p in sorted(part["team"], key=lambda p: self.names[p][0])
                    if p not in signers
                ]
                for side, part in (("outgoing", out), ("incoming", inc))
            },
            "sections": sections.to_plain(),
        }
        content = handovers.content_of(record, context)
        digest = canonical.sha256(content)
        for sig in signatures:
            b["signature"].add(
                handover=hid,
                report=None,
                staff=sig["staff"],
                printed_name=sig["printed_name"],
                staff_no=sig["staff_no"],
                signed_at=_ts(signed),
                meaning=sig["meaning"],
                content_hash=digest,
            )
        b["handover"].add(
            desk=plan.id,
            outgoing_shift=out["shift"],
            incoming_shift=inc["shift"],
            started_by=giver,
            started_at=_ts(started),
            notes=notes,
            state="signed",
            content=content,
            content_hash=digest,
            chain_head_seq=self.head[0],
            chain_head_hash=self.head[1],
            signed_at=_ts(signed),
            incoming_staff=taker,
            identified_at=_ts(identified),
            read_back=read_back,
            checklist=checklist,
        )
        new = {
            "content_hash": digest,
            "chain_head": f"{self.head[0]}:{self.head[1]}",
            "incoming_shift": inc["shift"],
        }
        self._event(signed, plan.id, taker, "handover.sign", "handover", hid, new)
