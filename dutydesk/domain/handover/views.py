"""What the screen sees of a handover: its view, items, checks and blockers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import arrow

from dutydesk.domain.handover.kinds import (
    CARRY_KINDS,
    ITEM_LABELS,
    REASON_KINDS,
    HandoverState,
    Step,
)
from dutydesk.domain.handover.sections import HandoverSections
from dutydesk.domain.people import Person
from dutydesk.i18n import _

# --- what the screen sees -------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Something that makes signing impossible now, with the rule that says so."""

    rule: str
    msgid: str
    values: dict[str, Any] = field(default_factory=dict)
    # The record it is about, so a screen can offer the fix in place.
    ref_type: str = ""
    ref_id: int | None = None

    def text(self) -> str:
        return _(self.msgid, **self.values)


@dataclass(frozen=True)
class ItemView:
    id: int
    kind: str
    text: str
    reason: str
    acknowledged: bool
    resolved: bool
    ref_type: str
    ref_id: int | None
    # The text as the reader sees it (their language; see records.shown_text).
    shown: str = ""

    @property
    def carries(self) -> bool:
        """Still open: it goes over to the incoming shift."""
        return self.kind in CARRY_KINDS and not self.resolved

    @property
    def needs_reason(self) -> bool:
        return self.carries and self.kind in REASON_KINDS and not self.reason.strip()

    def label(self) -> str:
        return _(ITEM_LABELS.get(self.kind, self.kind))


@dataclass(frozen=True)
class CheckView:
    key: str
    question: str
    rule: str
    answered: bool
    ok: bool | None
    note: str


@dataclass(frozen=True)
class HandoverView:
    id: int
    desk_id: int
    state: HandoverState
    outgoing_shift_id: int | None
    incoming_shift_id: int | None
    outgoing: Person
    incoming: Person | None
    started_at: arrow.Arrow
    signed_at: arrow.Arrow | None
    early_reason: str
    notes: str
    end_reason: str
    items: list[ItemView]
    checks: list[CheckView]
    blockers: list[Blocker]
    read_back: int | None
    sections: HandoverSections
    # Set once signed: the audit chain's head at signing and the hash both signatures bind.
    chain_head_seq: int | None = None
    chain_head_hash: str = ""
    content_hash: str = ""

    @property
    def chain_head(self) -> str:
        """``SEQ:HASH16`` as the printed record shows it ("" before signing)."""
        if self.chain_head_seq is None:
            return ""
        return f"{self.chain_head_seq}:{self.chain_head_hash[:16]}"

    @property
    def carry_count(self) -> int:
        """How many items go over to the incoming shift (what the read-back must say)."""
        return sum(1 for i in self.items if i.carries)

    @property
    def open_to_acknowledge(self) -> list[ItemView]:
        return [i for i in self.items if not i.acknowledged and not i.resolved]

    @property
    def checklist_done(self) -> bool:
        return all(c.answered for c in self.checks)

    @property
    def read_back_ok(self) -> bool:
        return self.read_back is not None and self.read_back == self.carry_count

    # The rule that stopped it and the incident that did, as data (EN-8.6.3).
    abort_rule: str = ""
    abort_incident_id: int | None = None

    @property
    def step(self) -> Step | HandoverState:
        """The next step of the walk, or the final state."""
        if self.state != HandoverState.DRAFT:
            return self.state
        if self.blockers:
            return Step.BLOCKERS
        if self.incoming is None:
            return Step.IDENTIFY
        if not self.checklist_done:
            return Step.CHECKLIST
        if self.open_to_acknowledge:
            return Step.ACKNOWLEDGE
        if not self.read_back_ok:
            return Step.READ_BACK
        return Step.SIGN
