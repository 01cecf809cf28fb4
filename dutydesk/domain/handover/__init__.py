"""Two-party handover (交接班): start, blockers, takeover, read-back, signatures.

A screen walks it one step at a time and asks :func:`view` (or :func:`refresh`)
after every call; ``HandoverView.step`` says what comes next::

    start ─► blockers cleared ─► identify_incoming ─► answer_check × 5
          ─► acknowledge × each item ─► confirm_read_back ─► sign
    (refuse by the incoming, or abort by the outgoing / an incident, at any step)

Blockers are recomputed at every step and signing is impossible while any
applies. The outgoing's side runs under the logged-in actor; the incoming acts
on the same terminal (EN-8.5.1) and is recorded as the author of their steps.

What a signature binds (the canonical content, see :func:`content_of`) is plain
JSON hashed with :mod:`dutydesk.domain.canonical`: sorted keys, UTF-8, no
insignificant whitespace, instants as UTC ISO 8601 with microseconds and ``Z``.
It holds two parts: the *record* (rebuilt from the handover, item and signature
rows by :func:`record_part`, so ``dutydesk verify`` can recompute it) and the
*context* frozen at signing (desk, shifts, names, teams, the shift's record as
:class:`HandoverSections`, the tools register) which only the hash protects.
The audit chain's head at signing is in the record, so a printed copy anchors
the chain.

The modules, each one job: ``kinds`` (states, steps, item kinds, the
checklist), ``views`` (what the screen sees), ``sections`` (the shift's record),
``records`` (reading rows), ``items`` (the items kept in line with the other
areas' records), ``blockers``, ``reading`` (:func:`view`), ``content`` (what a
signature binds), ``flow`` (the walk), ``signatures`` (:func:`sign`) and
``discrepancies`` (after the handover). EN-8.6.3 (an incident stops a handover
in progress) lives in :mod:`dutydesk.domain.interruptions`.
"""

from __future__ import annotations

from dutydesk.domain.handover.blockers import blockers_of
from dutydesk.domain.handover.content import (
    build_sections,
    content_hash,
    content_of,
    record_part,
)
from dutydesk.domain.handover.discrepancies import (
    CarriedItem,
    DiscrepancyView,
    carried_over_items,
    discrepancies,
    mark_discrepancy_seen,
    record_discrepancy,
    resolve_carried_item,
)
from dutydesk.domain.handover.flow import (
    abort,
    abort_if_in_progress,
    acknowledge,
    answer_check,
    confirm_read_back,
    identify_incoming,
    refresh,
    refuse,
    set_notes,
    set_reason,
    skip_round,
    start,
)
from dutydesk.domain.handover.kinds import (
    CARRY_KINDS,
    CHECK_KEYS,
    CHECKLIST,
    FORMAT,
    ITEM_LABELS,
    MEANING_IN,
    MEANING_OUT,
    REASON_KINDS,
    STEPS,
    BlockerText,
    HandoverState,
    ItemKind,
    RefType,
    Step,
)
from dutydesk.domain.handover.reading import (
    SignedRecord,
    in_progress,
    latest,
    signed_record,
    view,
)
from dutydesk.domain.handover.records import shown_round_name, shown_text
from dutydesk.domain.handover.sections import (
    DutyLine,
    HandoverSections,
    KeyLine,
    ReadingLine,
    RoundLine,
    SkippedCheck,
    ToolLine,
)
from dutydesk.domain.handover.signatures import AFTER_SIGN, sign
from dutydesk.domain.handover.views import Blocker, CheckView, HandoverView, ItemView
from dutydesk.domain.people import Person

__all__ = [
    "AFTER_SIGN",
    "CARRY_KINDS",
    "CHECKLIST",
    "CHECK_KEYS",
    "FORMAT",
    "ITEM_LABELS",
    "MEANING_IN",
    "MEANING_OUT",
    "REASON_KINDS",
    "STEPS",
    "Blocker",
    "BlockerText",
    "CarriedItem",
    "CheckView",
    "DiscrepancyView",
    "DutyLine",
    "HandoverSections",
    "HandoverState",
    "HandoverView",
    "ItemKind",
    "ItemView",
    "KeyLine",
    "Person",
    "ReadingLine",
    "RefType",
    "RoundLine",
    "SignedRecord",
    "SkippedCheck",
    "Step",
    "ToolLine",
    "abort",
    "abort_if_in_progress",
    "acknowledge",
    "answer_check",
    "blockers_of",
    "build_sections",
    "carried_over_items",
    "confirm_read_back",
    "content_hash",
    "content_of",
    "discrepancies",
    "identify_incoming",
    "in_progress",
    "latest",
    "mark_discrepancy_seen",
    "record_discrepancy",
    "record_part",
    "refresh",
    "refuse",
    "resolve_carried_item",
    "set_notes",
    "set_reason",
    "shown_round_name",
    "shown_text",
    "sign",
    "signed_record",
    "skip_round",
    "start",
    "view",
]
