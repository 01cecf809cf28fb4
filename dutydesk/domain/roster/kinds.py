"""The roster's statuses and kinds; each value is the string the database holds."""

from __future__ import annotations

from enum import StrEnum


class EntrySource(StrEnum):
    """Where a roster entry came from."""

    MANUAL = "manual"
    ROTATION = "rotation"
    SWAP = "swap"
    DEMO = "demo"


class SwapKind(StrEnum):
    """What a swap request asks for (CS8)."""

    EXCHANGE = "exchange"
    COVER = "cover"
    NEEDS_COVER = "needs_cover"
    ABSENCE = "absence"


class SwapState(StrEnum):
    """Where a swap request stands."""

    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    REJECTED = "rejected"


class WaitingFor(StrEnum):
    """Whose turn a pending swap request is."""

    COLLEAGUE = "colleague"
    SUPERVISOR = "supervisor"


class WarningKind(StrEnum):
    """What is wrong with the roster (SE-3, CS1, CS9, CS8)."""

    UNSTAFFED = "unstaffed"
    SHORT = "short"
    OVERLAP = "overlap"
    REST = "rest"
    NIGHTS = "nights"
    NEEDS_COVER = "needs_cover"
    ABSENCE = "absence"


class KeptBecause(StrEnum):
    """Why a rotation keeps an entry its plan would change."""

    SWAP = "swap"
    PENDING = "pending"
    HISTORY = "history"


# A request still to be answered or decided.
PENDING: tuple[SwapState, ...] = (SwapState.ASKED, SwapState.ACCEPTED)
# The kinds of request, in the order a person is offered them.
KINDS: tuple[SwapKind, ...] = tuple(SwapKind)
# Requests a named colleague answers before the supervisor decides.
WITH_COLLEAGUE: tuple[SwapKind, ...] = (SwapKind.EXCHANGE, SwapKind.COVER)
# Requests the supervisor answers by naming who covers.
WITHOUT_COLLEAGUE: tuple[SwapKind, ...] = (SwapKind.NEEDS_COVER, SwapKind.ABSENCE)
