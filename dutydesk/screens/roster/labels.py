"""How the roster's kinds and states read on screen, and one-line summaries of requests."""

from __future__ import annotations

from dutydesk.domain.roster import SwapInfo, SwapKind, SwapState, WaitingFor
from dutydesk.i18n import N_, _

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

KIND_LABELS: dict[str, str] = {
    SwapKind.EXCHANGE: N_("Exchange"),
    SwapKind.COVER: N_("Cover"),
    SwapKind.NEEDS_COVER: N_("Needs cover"),
    SwapKind.ABSENCE: N_("Sick / absent"),
}

KIND_HELP: dict[str, str] = {
    SwapKind.EXCHANGE: N_("Exchange: trade this shift for a colleague's shift"),
    SwapKind.COVER: N_("Cover: a colleague takes this shift"),
    SwapKind.NEEDS_COVER: N_("Needs cover: the supervisor finds someone (give the reason)"),
    SwapKind.ABSENCE: N_("Sick / absent on the day: the supervisor assigns cover"),
}

# "you": waiting for the colleague, who is the person at the desk.
YOU = "you"

STATE_LABELS: dict[str, str] = {
    WaitingFor.COLLEAGUE: N_("waiting for colleague"),
    YOU: N_("waiting for you"),
    WaitingFor.SUPERVISOR: N_("waiting for supervisor"),
    SwapState.APPROVED: N_("approved"),
    SwapState.REJECTED: N_("rejected"),
    SwapState.DECLINED: N_("declined"),
    SwapState.WITHDRAWN: N_("withdrawn"),
}


def state_key(info: SwapInfo, me: int | None) -> str:
    """The key of :data:`STATE_LABELS` for ``info`` as person ``me`` sees it."""
    waiting = info.waiting_for
    if waiting == WaitingFor.COLLEAGUE and info.colleague is not None and info.colleague.id == me:
        return YOU
    return waiting or info.state


def state_label(info: SwapInfo, me: int | None) -> str:
    """The request's state in the current language, as person ``me`` sees it."""
    key = state_key(info, me)
    return _(STATE_LABELS.get(key, key))


def swap_summary(info: SwapInfo) -> str:
    """One line: who asks what for which shift (names literal: data)."""
    kind = _(KIND_LABELS.get(info.kind, info.kind))
    line = f"#{info.id} {kind}: {info.requester.staff_no} {info.requester.name}, "
    line += info.slot.label()
    if info.colleague is not None:
        line += f" ↔ {info.colleague.staff_no} {info.colleague.name}"
        if info.colleague_slot is not None:
            line += f", {info.colleague_slot.label()}"
    if info.reason:
        line += f" — {info.reason}"
    return line
