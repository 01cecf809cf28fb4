"""Small formats and the tables several reports share: times in the site's zone,
log entries, patrol rounds and readings, handovers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import arrow

from dutydesk.domain import logs, patrols
from dutydesk.domain.handover import HandoverState
from dutydesk.domain.logs import LogKind
from dutydesk.domain.patrols import CheckResult, number_text
from dutydesk.domain.reports import DeskRef, Header
from dutydesk.domain.reports.handover import HandoverSummary
from dutydesk.domain.reports.patrol import RoundLine
from dutydesk.i18n import N_, _, current_language, pick
from dutydesk.render.document import Table

NONE = "—"


# --- small formats ------------------------------------------------------------------------


def hm(at: arrow.Arrow | None, tz: str) -> str:
    return at.to(tz).format("HH:mm") if at is not None else NONE


def when(at: arrow.Arrow | None, tz: str) -> str:
    return at.to(tz).format("YYYY-MM-DD HH:mm") if at is not None else NONE


def day_time(at: arrow.Arrow | None, tz: str, day: dt.date) -> str:
    """``HH:mm`` on the record's day, ``MM-DD HH:mm`` on another."""
    if at is None:
        return NONE
    local = at.to(tz)
    return local.format("HH:mm") if local.date() == day else local.format("MM-DD HH:mm")


def duration(td: dt.timedelta | None) -> str:
    if td is None:
        return NONE
    minutes = int(td.total_seconds() // 60)
    if minutes < 60:
        return _("{m} min", m=minutes)
    return _("{h} h {m:02d} min", h=minutes // 60, m=minutes % 60)


def percent(value: float | None) -> str:
    return NONE if value is None else f"{value * 100:.1f}%"


def desk_label(desk: DeskRef | None) -> str:
    if desk is None:
        return _("All desks")
    return f"{pick(desk.name, desk.name_en)} ({desk.code})"


def shift_name(name_zh: str, name_en: str) -> str:
    return pick(name_zh, name_en)


def lang() -> str:
    return current_language()


def header_pairs(head: Header, *pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (
        (_("Site"), head.site),
        (_("Desk"), desk_label(head.desk)),
        *pairs,
        (_("Made"), f"{when(head.made_at, head.tz)} ({head.tz})"),
    )


# --- log entries --------------------------------------------------------------------------


def log_text(e: logs.LogEntry, tz: str) -> str:
    """One line saying what an entry of any log records."""
    v: dict[str, Any] = e.values

    def t(name: str) -> str:
        value = v.get(name)
        if isinstance(value, arrow.Arrow):
            return when(value, tz)
        return "" if value is None else str(value)

    if e.kind == LogKind.DUTY:
        return t("text") + (f" → {t('result')}" if t("result") else "")
    if e.kind == LogKind.PHONE:
        who = " ".join(x for x in (t("caller"), t("number")) if x)
        text = f"{who}: {t('content')}" if who else t("content")
        return text + (f" → {t('action')}" if t("action") else "")
    if e.kind == LogKind.VISITOR:
        org = f" ({t('organisation')})" if t("organisation") else ""
        out = t("time_out") or _("still inside")
        return f"{t('name')}{org} {t('purpose')} [{t('time_in')} – {out}]".replace("  ", " ")
    if e.kind == LogKind.ABSENCE:
        return f"{t('reason')} [{t('absent_from')} – {t('absent_to') or NONE}]"
    if e.kind == LogKind.DISCIPLINE:
        return f"{t('names')}: {t('text')}"
    if e.kind == LogKind.KEY:
        back = t("back_at") or _("not back")
        return f"{t('key_name')} → {t('borrower')} [{t('out_at')} – {back}]"
    if e.kind == LogKind.SWITCHING:
        done = t("finished_at") or _("running")
        return f"{t('what')} ({t('operator')}) [{t('started_at')} – {done}]"
    return e.summary


def log_note(e: logs.LogEntry) -> str:
    """Corrections linked both ways (CS3: a wrong entry is never erased)."""
    notes = []
    if e.corrects_id is not None:
        notes.append(_("corrects No. {id}: {reason}", id=e.corrects_id, reason=e.correction_reason))
    if e.corrected_by_id is not None:
        notes.append(_("corrected by No. {id}", id=e.corrected_by_id))
    return "; ".join(notes)


def kind_label(kind: str) -> str:
    return _(logs.KIND_LABELS.get(kind, kind))


def state(state: str) -> str:
    return _(patrols.STATE_LABELS.get(state, state))


def check_mark(c: patrols.CheckInfo) -> str:
    if c.result is None:
        return _("not marked")
    if c.result in (CheckResult.READING, CheckResult.COUNT):
        value = number_text(c.value) if c.value is not None else ""
        mark = f"{value} {c.checkpoint.unit}".strip()
        return mark + (" " + _("OUT OF RANGE") if c.out_of_range else "")
    labels: dict[str, str] = {
        CheckResult.OK: N_("OK"),
        CheckResult.PROBLEM: N_("Problem"),
        CheckResult.SKIPPED: N_("Skipped"),
    }
    return _(labels.get(c.result, c.result))


def rounds_table(
    rounds: tuple[RoundLine, ...], tz: str, day: dt.date, names: dict[str, str] | None = None
) -> Table:
    names = names or {}
    rows = []
    for r in rounds:
        ri = r.round
        rows.append(
            (
                day_time(ri.due_at, tz, day),
                ri.schedule_name or NONE,
                names.get(r.shift_code, r.shift_code),
                day_time(ri.started_at, tz, day),
                day_time(ri.finished_at, tz, day),
                state(ri.state),
                f"{ri.checks_marked}/{ri.checks_total}",
                ri.skip_reason,
            )
        )
    return Table(
        "rounds",
        (
            _("Due"),
            _("Route"),
            _("Shift"),
            _("Started"),
            _("Finished"),
            _("Outcome"),
            _("Checks"),
            _("Reason"),
        ),
        tuple(rows),
        _("(no rounds)"),
        (8, 18, 8, 8, 8, 10, 7, 20),
    )


def shift_names(found: tuple[Any, ...]) -> dict[str, str]:
    return {s.code: shift_name(s.name_zh, s.name_en) for s in found}


def readings_table(
    pairs: list[tuple[RoundLine, patrols.CheckInfo]], tz: str, day: dt.date
) -> Table:
    return Table(
        "readings",
        (_("Time"), _("Checkpoint"), _("Value"), _("Limits"), _("Note")),
        tuple(
            (
                day_time(c.marked_at, tz, day),
                c.checkpoint.display_name,
                check_mark(c),
                c.checkpoint.range_text,
                c.note,
            )
            for _r, c in pairs
        ),
        _("(none)"),
        (8, 24, 16, 14, 30),
    )


def handover_table(found: tuple[HandoverSummary, ...] | list[HandoverSummary], tz: str) -> Table:
    states: dict[str, str] = {
        HandoverState.SIGNED: N_("signed"),
        HandoverState.REFUSED: N_("refused"),
        HandoverState.ABORTED: N_("aborted"),
        HandoverState.DRAFT: N_("in progress"),
    }
    rows = []
    for h in found:
        rows.append(
            (
                str(h.id),
                f"{h.desk_code} {h.outgoing_shift}".strip(),
                _(states.get(h.state, h.state)),
                h.outgoing.label,
                h.incoming.label if h.incoming else NONE,
                when(h.signed_at, tz),
                h.end_reason if h.state != HandoverState.SIGNED else str(h.items_carried),
            )
        )
    return Table(
        "handovers",
        (
            _("No."),
            _("Outgoing shift"),
            _("State"),
            _("Handed over by"),
            _("Taken over by"),
            _("Signed"),
            _("Carried / reason"),
        ),
        tuple(rows),
        _("(no handovers)"),
        (6, 18, 8, 18, 18, 16, 16),
    )
