"""How a patrol check is written on the screen: its kind, what it expects, its mark.

Shared by the F3 checklist and its dialogs; plain Rich text, no widgets of its own.
"""

from __future__ import annotations

from rich.text import Text

from dutydesk.domain.patrols import (
    CheckInfo,
    CheckpointInfo,
    CheckpointKind,
    CheckResult,
    RoundState,
)
from dutydesk.i18n import N_, _
from dutydesk.widgets.literal import literal

KIND_LABELS = {
    CheckpointKind.CONDITION: N_("condition"),
    CheckpointKind.SWITCH: N_("switch"),
    CheckpointKind.READING: N_("reading"),
    CheckpointKind.COUNT: N_("count"),
}
SWITCH_LABELS = {"on": N_("on"), "off": N_("off")}
STATE_STYLES = {
    RoundState.UPCOMING: "",
    RoundState.DUE: "bold yellow",
    RoundState.OVERDUE: "bold red",
    RoundState.IN_PROGRESS: "bold cyan",
    RoundState.DONE: "green",
    RoundState.DONE_LATE: "yellow",
    RoundState.SKIPPED: "dim",
    RoundState.MISSED: "bold red",
}


def num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def expected_text(cp: CheckpointInfo) -> str:
    """What the check expects: a range with unit, a count, a switch state at a time."""
    if cp.kind == CheckpointKind.READING:
        return cp.range_text
    if cp.kind == CheckpointKind.COUNT:
        if cp.expected_count is None:
            return ""
        return f"{cp.expected_count} {cp.unit}".strip()
    if cp.kind == CheckpointKind.SWITCH and cp.expected_state:
        state = _(SWITCH_LABELS.get(cp.expected_state, cp.expected_state))
        return _("{state} at {time}", state=state, time=cp.due_time) if cp.due_time else state
    return ""


def mark_text(check: CheckInfo, limit: int = 0) -> Text:
    """The check's mark as the list shows it; notes and reasons are shown literally."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if check.result is None:
        text.append("·", style="dim")
        return text
    if check.result == CheckResult.OK:
        text.append("✓ " + _("OK"), style="green")
    elif check.result == CheckResult.PROBLEM:
        text.append("✗ ", style="bold red")
        text.append(literal(check.note, one_line=True, limit=max(1, limit - 2)))
    elif check.result == CheckResult.SKIPPED:
        text.append("– " + _("skipped") + ": ", style="dim")
        text.append(literal(check.note, one_line=True, limit=max(1, limit - text.cell_len)))
    elif check.value is not None:
        text.append(f"{num(check.value)} {check.checkpoint.unit}".rstrip(), style="bold")
        if check.out_of_range:
            text.append(" ⚠ " + _(out_of_range_word(check)), style="bold red")
    if check.corrected_by_id is not None:
        text.append(" (" + _("corrected") + ")", style="italic")
    return text


def out_of_range_word(check: CheckInfo) -> str:
    """A short flag for the list: too high, too low, or (a count) not as expected."""
    cp, value = check.checkpoint, check.value
    if value is not None and cp.kind == CheckpointKind.READING:
        if cp.range_max is not None and value > cp.range_max:
            return N_("too high")
        if cp.range_min is not None and value < cp.range_min:
            return N_("too low")
    if cp.kind == CheckpointKind.COUNT:
        return N_("not as expected")
    return N_("out of range")
