"""The handover screen's words: the step line, the box of what to do now, the
people, the blockers and items, and the shift's record. Pure functions of the
domain's :class:`HandoverView` (user text shown literally, never as markup)."""

from __future__ import annotations

from rich.text import Text

from dutydesk.domain.handover import (
    Blocker,
    BlockerText,
    HandoverState,
    HandoverView,
    ItemView,
    RefType,
    Step,
    shown_round_name,
    shown_text,
)
from dutydesk.domain.patrols import STATE_LABELS, RoundState
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs.handover import local_time, person_text
from dutydesk.widgets.literal import clean, literal

STEPS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start")),
    (Step.BLOCKERS, N_("Blockers")),
    (Step.IDENTIFY, N_("Incoming")),
    (Step.CHECKLIST, N_("Checklist")),
    (Step.ACKNOWLEDGE, N_("Items")),
    (Step.READ_BACK, N_("Count")),
    (Step.SIGN, N_("Sign")),
)

ROUND_STATES = STATE_LABELS  # a round's state as the patrol names it

# What to do about each kind of blocker (by its message id).
REMEDIES: dict[str, str] = {
    BlockerText.INCIDENT_HANDLED: N_(
        "Finish handling it on F4 and mark it resolved, then press u here."
    ),
    BlockerText.SWITCHING: N_("Finish the operation on F6 (o on it), then press u here."),
    BlockerText.ROUND_NOT_DONE: N_("Walk it on F3, or press k to skip it with a reason."),
    BlockerText.ROUND_IN_PROGRESS: N_(
        "Finish it on F3, or press k to skip its remaining checks with a reason."
    ),
    BlockerText.UNSAVED_DRAFT: N_("Open that form, then save it (Ctrl+S) or drop it (Esc)."),
    BlockerText.NEEDS_REASON: N_("Press e and type why it is not resolved."),
}


def steps_text(current: str, live: bool) -> Text:
    """The walk in one line: done steps green, the current one reversed."""
    names = [s for s, _t in STEPS]
    at = names.index(current) if current in names else -1
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, (key, title) in enumerate(STEPS):
        if i:
            text.append(" › ", style="dim")
        label = f"{i + 1} {_(title)}"
        if key == current and live:
            text.append(f" {label} ", style="reverse bold")
        elif live and i < at:
            text.append(label, style="green")
        else:
            text.append(label, style="dim" if live else "")
    return text


def step_box(v: HandoverView) -> tuple[Text, str]:
    """Where a handover in progress stands and what to do now, with its tone."""
    text = Text()
    step = v.step
    if step == Step.BLOCKERS:
        text.append(_("Step 2 · Signing is blocked ({n})", n=len(v.blockers)), style="red")
        text.append(
            "\n"
            + _("Clear each blocker below (what to do is under it), then press u to check again.")
        )
        return text, "-blocked"
    if step == Step.IDENTIFY:
        text.append(_("Step 3 · The incoming person identifies"))
        text.append(
            "\n"
            + _(
                "Incoming: press i and type your staff number and PIN. "
                "The outgoing stays here (EN-8.5.1)."
            )
        )
        return text, ""
    if step == Step.CHECKLIST:
        todo = [c for c in v.checks if not c.answered]
        check = todo[0]
        number = len(v.checks) - len(todo) + 1
        text.append(
            _(
                "Step 4 · Takeover checklist, question {k} of {n} ({rule})",
                k=number,
                n=len(v.checks),
                rule=check.rule,
            )
        )
        text.append("\n")
        text.append(_(check.question) + "?", style="bold reverse")
        text.append("\n" + _("y = yes     n = no (then say what is wrong)"))
        return text, ""
    if step == Step.ACKNOWLEDGE:
        left = len(v.open_to_acknowledge)
        text.append(_("Step 5 · Acknowledge each item ({n} left)", n=left))
        text.append(
            "\n" + _("↑↓ selects an item; a, Space or Enter acknowledges it. One key per item.")
        )
        return text, ""
    if step == Step.READ_BACK:
        text.append(_("Step 6 · Read back"))
        text.append(
            "\n"
            + _(
                "Count the items marked ⇒ (carried over to your shift), "
                "press c and type the number."
            )
        )
        return text, ""
    text.append(_("Step 7 · Both sign"), style="green")
    text.append("\n" + _("Press s: the outgoing, then the incoming, types staff number and PIN."))
    return text, "-ready"


def ended_text(v: HandoverView) -> Text:
    """A handover refused or stopped: by whom, why, and what now."""
    text = Text()
    if v.state == HandoverState.REFUSED:
        text.append(
            _("{who} refused to take over (EN-8.6.1)", who=person_text(v.incoming)), style="red"
        )
        text.append("\n" + _("Reason:") + " ")
        text.append(literal(v.end_reason, one_line=True, limit=200))
        text.append(
            "\n"
            + _(
                "{who} stays on duty. When the reason is dealt with, "
                "press s to start a new handover.",
                who=person_text(v.outgoing),
            )
        )
        return text
    text.append(_("The handover was stopped"), style="red")
    text.append("\n" + _("Reason:") + " ")
    if v.abort_rule == "EN-8.6.3" and v.abort_incident_id is not None:
        text.append(
            _(
                "incident {id} was opened during the handover (EN-8.6.3)",
                id=v.abort_incident_id,
            )
        )
    else:
        text.append(literal(v.end_reason, one_line=True, limit=200))
    text.append("\n" + _("Press s to start it again when the incident allows."))
    return text


def head_text(v: HandoverView | None, live: bool, last_signed_id: int | None, tz: str) -> Text:
    """Who hands over to whom (or the last signed handover), above the rows."""
    text = Text()
    if v is None:
        return text
    # Its number finds the printed record: dutydesk report handover N (EN-8.7.1).
    if last_signed_id is not None and (live or v.state != HandoverState.SIGNED):
        text.append(_("Last signed handover: No. {id}", id=last_signed_id) + "\n", style="bold")
    if not live:
        if v.state == HandoverState.SIGNED:
            text.append(_("No. {id}", id=v.id) + "  ", style="bold")
            text.append(
                _(
                    "Last handover signed {time}: {out} → {inc}; chain head {head}",
                    time=local_time(v.signed_at, tz, "MM-DD HH:mm"),
                    out=person_text(v.outgoing),
                    inc=person_text(v.incoming),
                    head=v.chain_head,
                )
            )
        return text
    text.append(_("Outgoing:") + " ", style="bold")
    text.append(person_text(v.outgoing))
    text.append("  " + _("started {time}", time=local_time(v.started_at, tz)))
    if v.early_reason:
        text.append("  " + _("early:") + " ")
        text.append(literal(v.early_reason, one_line=True, limit=60))
    text.append("\n")
    text.append(_("Incoming:") + " ", style="bold")
    if v.incoming is None:
        text.append(_("not identified yet"), style="dim")
    else:
        text.append(person_text(v.incoming))
    return text


def blocker_text(b: Blocker) -> Text:
    """A blocker with its rule, and what to do about it."""
    text = Text()
    text.append("⛔ ", style="red")
    text.append(b.rule, style="bold red")
    text.append("  ")
    text.append(literal(b.text(), one_line=True, limit=300))
    remedy = REMEDIES.get(b.msgid)
    if remedy:
        text.append("\n   → " + _(remedy), style="italic")
    return text


def item_text(item: ItemView) -> Text:
    """An item: acknowledged or not, carried over or not, its reason."""
    text = Text()
    if item.acknowledged:
        text.append("✓ ", style="bold green")
    else:
        text.append("○ ", style="bold yellow")
    text.append(item.label(), style="bold")
    text.append(": ")
    text.append(literal(item.shown or item.text, one_line=True, limit=200))
    if item.carries:
        text.append("  ⇒", style="bold")
    if item.reason.strip():
        text.append("\n   " + _("Reason:") + " ", style="italic")
        text.append(literal(item.reason, one_line=True, limit=200))
    elif item.needs_reason:
        text.append("\n   " + _("Reason needed (CS-R6): e types it"), style="bold red")
    return text


def record_text(v: HandoverView, tz: str) -> Text:
    """The checklist so far, the outgoing's notes and the shift's record (sections)."""
    text = Text()
    if v.incoming is not None:
        text.append("\n" + _("Takeover checklist") + "\n", style="bold")
        for c in v.checks:
            if not c.answered:
                text.append("  · ", style="dim")
            elif c.ok:
                text.append("  ✓ " + _("yes") + "  ", style="green")
            else:
                text.append("  ✗ " + _("no") + "  ", style="bold red")
            text.append(f"{_(c.question)} ({c.rule})")
            if c.note:
                text.append(": ")
                text.append(literal(c.note, one_line=True, limit=120))
            text.append("\n")
    text.append("\n" + _("Notes of the outgoing (t edits)") + "\n", style="bold")
    if v.notes.strip():
        text.append(literal(v.notes, limit=2000))
        text.append("\n")
    else:
        text.append("  " + _("none") + "\n", style="dim")
    s = v.sections
    text.append(
        "\n" + _("Duty-log entries of the shift: {n}", n=len(s.duty_log)) + "\n",
        style="bold",
    )
    for e in s.duty_log[-8:]:
        text.append(f"  {local_time(e.at, tz)} {clean(e.by)} ")
        text.append(literal(e.text, one_line=True, limit=90))
        text.append("\n")
    text.append("\n" + _("Patrol rounds: {n}", n=len(s.patrol)) + "\n", style="bold")
    for r in s.patrol:
        style = "red" if r.state in (RoundState.MISSED, RoundState.OVERDUE) else ""
        text.append(f"  {local_time(r.due_at, tz)} ")
        text.append(literal(shown_round_name(r.id, r.name), one_line=True, limit=40))
        text.append(" " + _(ROUND_STATES.get(r.state, r.state)), style=style)
        if r.reason:
            text.append(": ")
            text.append(literal(r.reason, one_line=True, limit=80))
        for sk in r.skipped:
            text.append("\n    " + _("skipped:") + " ")
            text.append(literal(f"{sk.checkpoint} {sk.note}", one_line=True, limit=90))
        if r.missed:
            text.append("\n    " + _("not checked:") + " ", style="red")
            text.append(literal(", ".join(r.missed), one_line=True, limit=90))
        text.append("\n")
    text.append("\n" + _("Readings out of range: {n}", n=len(s.readings)) + "\n", style="bold")
    for rd in s.readings:
        text.append(f"  {local_time(rd.at, tz)} ")
        shown = shown_text(RefType.CHECK, rd.id, rd.text)
        text.append(literal(f"{shown} {rd.note}", one_line=True, limit=100))
        text.append("\n")
    text.append("\n" + _("Tools and keys register (EN-8.3.6)") + "\n", style="bold")
    if not s.tools:
        text.append("  " + _("none") + "\n", style="dim")
    for t in s.tools:
        text.append("  ")
        text.append(literal(f"{t.name} × {t.quantity}", one_line=True, limit=90))
        text.append("\n")
    text.append("\n" + _("Keys lent out: {n}", n=len(s.keys_out)) + "\n", style="bold")
    for k in s.keys_out:
        text.append(f"  {local_time(k.out_at, tz)} ")
        text.append(literal(f"{k.key} → {k.borrower}", one_line=True, limit=90))
        text.append("\n")
    return text
