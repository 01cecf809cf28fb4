"""The handover's words: states, steps, item kinds, the takeover checklist.

The enum values are the strings stored in the database, so a ``StrEnum`` member
compares equal to the column's value.
"""

from __future__ import annotations

from enum import StrEnum

from dutydesk.domain.vocabulary import HandoverState
from dutydesk.i18n import N_

FORMAT = "dutydesk.handover/1"

# A signature's meaning, stored in both languages so the row explains itself.
MEANING_OUT = "交班 / handed over"
MEANING_IN = "接班 / taken over"


# A handover that ended without signatures: the outgoing stays on duty.
ENDED_UNSIGNED = frozenset({HandoverState.ABORTED, HandoverState.REFUSED})


class Step(StrEnum):
    """The next step of the walk of a handover in progress."""

    BLOCKERS = "blockers"
    IDENTIFY = "identify"
    CHECKLIST = "checklist"
    ACKNOWLEDGE = "acknowledge"
    READ_BACK = "read_back"
    SIGN = "sign"


STEPS = tuple(Step)


class ItemKind(StrEnum):
    """What an item the incoming acknowledges is about (``handover_item.kind``)."""

    INCIDENT = "incident"
    REPAIR = "repair"
    KEY = "key"
    PATROL_MISSED = "patrol_missed"
    PATROL_SKIPPED = "patrol_skipped"
    READING = "reading"
    CARRIED = "carried"
    CHECKLIST = "checklist"


class RefType(StrEnum):
    """The record an item or a blocker is about (``handover_item.ref_type``); a
    takeover check answered "no" has ``check:<key>``."""

    INCIDENT = "incident"
    REPAIR = "repair_request"
    KEY = "key_loan"
    ROUND = "patrol_round"
    CHECK = "patrol_check"
    ITEM = "handover_item"


# The takeover checklist (EN-8.4.1–4): key, question, rule.
CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("report_heard", N_("Heard the outgoing's report"), "EN-8.4.1"),
    ("logs_read", N_("Read the duty, operation and patrol logs"), "EN-8.4.2"),
    ("register_counted", N_("Counted every item of the tools-and-keys register"), "EN-8.4.3"),
    ("rooms_clean", N_("The rooms are clean and tidy"), "EN-8.4.4"),
    ("equipment_normal", N_("The equipment runs with normal parameters"), "EN-8.4.4"),
)
CHECK_KEYS = tuple(k for k, _q, _r in CHECKLIST)

ITEM_LABELS: dict[str, str] = {
    ItemKind.INCIDENT: N_("Open incident"),
    ItemKind.REPAIR: N_("Open repair request"),
    ItemKind.KEY: N_("Key lent out"),
    ItemKind.PATROL_MISSED: N_("Patrol round missed"),
    ItemKind.PATROL_SKIPPED: N_("Patrol round skipped"),
    ItemKind.READING: N_("Reading out of range"),
    ItemKind.CARRIED: N_("Carried over from the last handover"),
    ItemKind.CHECKLIST: N_("Takeover check not passed"),
}
# Items that stay open after the handover and so are carried over (CS-R2).
CARRY_KINDS = frozenset(
    {ItemKind.INCIDENT, ItemKind.REPAIR, ItemKind.KEY, ItemKind.CARRIED, ItemKind.CHECKLIST}
)
# Carried items need a stated reason why they are not resolved (CS-R6); a key
# lent out explains itself (who has it).
REASON_KINDS = frozenset({ItemKind.INCIDENT, ItemKind.REPAIR, ItemKind.CARRIED, ItemKind.CHECKLIST})
# Items written as text (not about a record): they end by a linked duty-log entry.
FREE_KINDS = frozenset({ItemKind.CARRIED, ItemKind.CHECKLIST})


class BlockerText:
    """What a blocker says (its msgid): a screen matches a blocker by these to offer
    the fix in place."""

    INCIDENT_HANDLED = N_("Incident being handled: {what}")  # EN-8.6.2
    SWITCHING = N_("Switching operation in progress: {what}")  # EN-8.6.2
    ROUND_NOT_DONE = N_("Patrol round due {time} is neither done nor skipped with a reason")
    ROUND_IN_PROGRESS = N_("Patrol round due {time} is in progress: finish it or skip the rest")
    UNSAVED_DRAFT = N_("Unsaved draft: {form}")  # EN-8.6.1: records in order
    NEEDS_REASON = N_("Say why this is not resolved: {what}")  # CS-R6
