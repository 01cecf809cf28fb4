"""Each report laid out as a printable :class:`Document`, in the current language.

Times are shown in the site's zone. Labels come from the domain's own label
tables (log kinds, round states, incident statuses) so the printout says what
the screens say.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import arrow

from dutydesk.domain import handover as handovers
from dutydesk.domain import logs, patrols
from dutydesk.domain.reports import DeskRef, Header
from dutydesk.domain.reports.day import DayRecord
from dutydesk.domain.reports.export import Export
from dutydesk.domain.reports.handover import HandoverRecord, HandoverSummary, ShiftLabel
from dutydesk.domain.reports.incident import IncidentReport
from dutydesk.domain.reports.month import MonthReport
from dutydesk.domain.reports.patrol import PatrolRecord, RoundLine
from dutydesk.i18n import N_, _, current_language, pick
from dutydesk.render.document import Chart, Document, Pairs, Para, Section, SignLines, Table

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


def _lang() -> str:
    return current_language()


def _head(head: Header, *pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
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

    if e.kind == "duty":
        return t("text") + (f" → {t('result')}" if t("result") else "")
    if e.kind == "phone":
        who = " ".join(x for x in (t("caller"), t("number")) if x)
        text = f"{who}: {t('content')}" if who else t("content")
        return text + (f" → {t('action')}" if t("action") else "")
    if e.kind == "visitor":
        org = f" ({t('organisation')})" if t("organisation") else ""
        out = t("time_out") or _("still inside")
        return f"{t('name')}{org} {t('purpose')} [{t('time_in')} – {out}]".replace("  ", " ")
    if e.kind == "absence":
        return f"{t('reason')} [{t('absent_from')} – {t('absent_to') or NONE}]"
    if e.kind == "discipline":
        return f"{t('names')}: {t('text')}"
    if e.kind == "key":
        back = t("back_at") or _("not back")
        return f"{t('key_name')} → {t('borrower')} [{t('out_at')} – {back}]"
    if e.kind == "switching":
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


def _kind_label(kind: str) -> str:
    return _(logs.KIND_LABELS.get(kind, kind))


def _state(state: str) -> str:
    return _(patrols.STATE_LABELS.get(state, state))


def _check_mark(c: patrols.CheckInfo) -> str:
    if c.result is None:
        return _("not marked")
    if c.result in ("reading", "count"):
        value = patrols._num(c.value) if c.value is not None else ""
        mark = f"{value} {c.checkpoint.unit}".strip()
        return mark + (" " + _("OUT OF RANGE") if c.out_of_range else "")
    labels = {"ok": N_("OK"), "problem": N_("Problem"), "skipped": N_("Skipped")}
    return _(labels.get(c.result, c.result))


def _rounds_table(
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
                _state(ri.state),
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


def _shift_names(found: tuple[Any, ...]) -> dict[str, str]:
    return {s.code: shift_name(s.name_zh, s.name_en) for s in found}


def _readings_table(
    pairs: list[tuple[RoundLine, patrols.CheckInfo]], tz: str, day: dt.date
) -> Table:
    return Table(
        "readings",
        (_("Time"), _("Checkpoint"), _("Value"), _("Limits"), _("Note")),
        tuple(
            (
                day_time(c.marked_at, tz, day),
                c.checkpoint.display_name,
                _check_mark(c),
                c.checkpoint.range_text,
                c.note,
            )
            for _r, c in pairs
        ),
        _("(none)"),
        (8, 24, 16, 14, 30),
    )


def _handover_table(found: tuple[HandoverSummary, ...] | list[HandoverSummary], tz: str) -> Table:
    states = {
        "signed": N_("signed"),
        "refused": N_("refused"),
        "aborted": N_("aborted"),
        "draft": N_("in progress"),
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
                h.end_reason if h.state != "signed" else str(h.items_carried),
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


# --- day record ---------------------------------------------------------------------------


def day_document(rec: DayRecord) -> Document:
    tz = rec.header.tz
    day = rec.day
    shift_rows = tuple(
        (
            shift_name(s.name_zh, s.name_en),
            f"{day_time(s.planned_start, tz, day)} – {day_time(s.planned_end, tz, day)}",
            f"{day_time(s.actual_start, tz, day)} – {day_time(s.actual_end, tz, day)}",
            "; ".join(
                x
                for x in (
                    s.open_reason,
                    _("relief overdue since {time}", time=hm(s.relief_overdue_at, tz))
                    if s.relief_overdue_at
                    else "",
                )
                if x
            ),
        )
        for s in rec.shifts
    )
    log_rows = tuple(
        (
            day_time(e.at, tz, day),
            str(e.id),
            _kind_label(e.kind),
            f"{e.author_name} ({e.author_no})",
            log_text(e, tz),
            log_note(e),
        )
        for e in rec.log
        if e.kind not in ("visitor", "key")
    )
    incident_rows = tuple(
        (
            str(i.id),
            day_time(i.occurred_at, tz, day),
            i.place,
            " / ".join(x for x in (i.category_name, i.subcategory_name) if x),
            i.severity_label,
            i.status_label,
            i.description,
        )
        for i in rec.incidents
    )
    visitor_rows = tuple(
        (
            e.values.get("name", ""),
            e.values.get("organisation", ""),
            e.values.get("purpose", ""),
            day_time(e.values.get("time_in"), tz, day),
            day_time(e.values.get("time_out"), tz, day)
            if e.values.get("time_out")
            else _("still inside"),
            log_note(e),
        )
        for e in rec.visitors
    )
    key_rows = tuple(
        (
            e.values.get("key_name", ""),
            e.values.get("borrower", ""),
            day_time(e.values.get("out_at"), tz, day),
            day_time(e.values.get("back_at"), tz, day)
            if e.values.get("back_at")
            else _("not back"),
            log_note(e),
        )
        for e in rec.keys
    )
    what = rec.day.isoformat()
    if rec.shift_code:
        what += f" ({rec.shift_code})"
    return Document(
        kind="day",
        lang=_lang(),
        title=_("Duty record"),
        subtitle=f"{desk_label(rec.header.desk)} · {what}",
        meta=_head(
            rec.header,
            (_("Business date"), what),
            (_("Covers"), f"{when(rec.start, tz)} – {when(rec.end, tz)}"),
        ),
        sections=(
            Section(
                _("1. Shifts"),
                (
                    Table(
                        "shifts",
                        (_("Shift"), _("Planned"), _("Actual"), _("Note")),
                        shift_rows,
                        _("(no shift was opened)"),
                        (14, 22, 22, 42),
                    ),
                ),
            ),
            Section(
                _("2. Duty log"),
                (
                    Table(
                        "log",
                        (_("Time"), _("No."), _("Log"), _("Author"), _("Entry"), _("Correction")),
                        log_rows,
                        _("(no entries)"),
                        (8, 6, 12, 16, 42, 16),
                    ),
                ),
            ),
            Section(
                _("3. Incidents"),
                (
                    Table(
                        "incidents",
                        (
                            _("No."),
                            _("Time"),
                            _("Place"),
                            _("Nature"),
                            _("Severity"),
                            _("Status"),
                            _("Description"),
                        ),
                        incident_rows,
                        _("(no incidents)"),
                        (6, 8, 14, 16, 8, 10, 38),
                    ),
                ),
            ),
            Section(
                _("4. Patrol rounds"),
                (
                    _rounds_table(rec.rounds, tz, day, _shift_names(rec.shifts)),
                    Para(_("Readings out of range"), "sub"),
                    _readings_table(list(rec.readings_out_of_range), tz, day),
                ),
            ),
            Section(
                _("5. Visitors and keys"),
                (
                    Table(
                        "visitors",
                        (
                            _("Visitor"),
                            _("Organisation"),
                            _("Purpose"),
                            _("In"),
                            _("Out"),
                            _("Correction"),
                        ),
                        visitor_rows,
                        _("(no visitors)"),
                        (14, 16, 24, 10, 12, 24),
                    ),
                    Table(
                        "keys",
                        (_("Key"), _("Borrower"), _("Out"), _("Back"), _("Correction")),
                        key_rows,
                        _("(no keys lent)"),
                        (22, 20, 12, 12, 34),
                    ),
                ),
            ),
            Section(
                _("6. Handovers"),
                (_handover_table(rec.handovers, tz),),
            ),
            Section(
                _("Signatures"),
                (
                    SignLines(
                        (
                            _("On duty (outgoing)"),
                            _("On duty (incoming)"),
                            _("Checked by the supervisor"),
                        ),
                        _("Date"),
                    ),
                ),
            ),
        ),
        page_label=_("Page {page} of {pages}"),
    )


# --- handover record ----------------------------------------------------------------------


def _shift_label(s: ShiftLabel | None, tz: str) -> str:
    if s is None:
        return NONE
    return f"{shift_name(s.name_zh, s.name_en)} {s.business_date} {hm(s.start, tz)}–{hm(s.end, tz)}"


ITEM_STATUS = {
    "resolved": N_("resolved during the handover"),
    "carried": N_("carried over"),
    "noted": N_("noted"),
}


def handover_document(rec: HandoverRecord) -> Document:
    tz = rec.header.tz
    questions = {f"check:{c.key}": c.question for c in rec.checklist}
    item_rows = []
    for n, i in enumerate(rec.items, 1):
        label = _(handovers.ITEM_LABELS.get(i.kind, i.kind))
        if i.ref_type in questions:
            label = f"{label}: {_(questions[i.ref_type])}"
        status = "resolved" if i.resolved_at else ("carried" if i.carried_over else "noted")
        reason = i.reason if i.reason and i.reason != i.text else ""
        item_rows.append(
            (
                str(n),
                label,
                i.text
                + (f" ({_('Not resolved because: {reason}', reason=reason)})" if reason else ""),
                _(ITEM_STATUS[status]),
                f"{hm(i.acknowledged_at, tz)} {i.acknowledged_by.label}"
                if i.acknowledged_by
                else NONE,
            )
        )
    patrol_rows = tuple(
        (
            hm(r.due_at, tz),
            r.name,
            _state(r.state),
            "; ".join(
                [r.reason] * bool(r.reason)
                + [
                    _("skipped check: {checkpoint} — {note}", checkpoint=c, note=n)
                    for c, n in r.skipped
                ]
                + ([_("missed checks: {names}", names=", ".join(r.missed))] if r.missed else [])
            ),
        )
        for r in rec.patrol
    )
    out_sig = [s for s in rec.signatures if s.meaning == handovers.MEANING_OUT]
    in_sig = [s for s in rec.signatures if s.meaning == handovers.MEANING_IN]
    sections = [
        Section(
            _("1. Duty log of the shift"),
            (
                Table(
                    "duty_log",
                    (_("Time"), _("By"), _("Entry")),
                    tuple(
                        (hm(e.at, tz), e.by, e.text + (f" → {e.result}" if e.result else ""))
                        for e in rec.duty_log
                    ),
                    _("(no entries)"),
                    (8, 10, 82),
                ),
            ),
        ),
        Section(
            _("2. Patrols"),
            (
                Table(
                    "patrols",
                    (_("Due"), _("Route"), _("Outcome"), _("Note")),
                    patrol_rows,
                    _("(no rounds)"),
                    (8, 24, 12, 56),
                ),
                Para(_("Readings out of range"), "sub"),
                Table(
                    "readings",
                    (_("Time"), _("Reading"), _("Note")),
                    tuple((hm(at, tz), text, note) for at, text, note in rec.readings),
                    _("(none)"),
                    (8, 50, 42),
                ),
            ),
        ),
        Section(
            _("3. Tools-and-keys register"),
            (
                Table(
                    "register",
                    (_("Item"), _("Quantity")),
                    tuple((name, str(q)) for name, q in rec.tools),
                    _("(register empty)"),
                    (80, 20),
                ),
                Table(
                    "keys_out",
                    (_("Key lent out"), _("Borrower"), _("Since")),
                    tuple((k, b, when(at, tz)) for k, b, at in rec.keys_out),
                    _("(no keys out)"),
                    (40, 30, 30),
                ),
            ),
        ),
        Section(
            _("4. Items handed over"),
            (
                Table(
                    "items",
                    (_("No."), _("Handover item"), _("Detail"), _("Status"), _("Acknowledged")),
                    tuple(item_rows),
                    _("(no open items)"),
                    (6, 21, 37, 14, 22),
                ),
                Pairs(
                    (
                        (_("Blockers met and cleared"), str(len(rec.resolved))),
                        (_("Items carried over"), str(rec.carried)),
                        (
                            _("Read back by the incoming"),
                            NONE if rec.read_back is None else str(rec.read_back),
                        ),
                    )
                ),
            ),
        ),
        Section(
            _("5. Takeover checklist"),
            (
                Table(
                    "checklist",
                    (_("Check"), _("Rule"), _("Answer"), _("Note")),
                    tuple(
                        (
                            _(c.question),
                            c.rule,
                            NONE if c.ok is None else (_("yes") if c.ok else _("no")),
                            c.note,
                        )
                        for c in rec.checklist
                    ),
                    "",
                    (50, 12, 8, 30),
                ),
            ),
        ),
        Section(
            _("6. Notes of the outgoing"),
            (Para(rec.notes or _("(none)")),)
            + (
                (Para(_("Handed over early because: {reason}", reason=rec.early_reason)),)
                if rec.early_reason
                else ()
            ),
        ),
        Section(
            _("7. Others on the shifts"),
            (
                Pairs(
                    (
                        (
                            _("Outgoing"),
                            ", ".join(p.label for p in rec.teams.get("outgoing", ())) or NONE,
                        ),
                        (
                            _("Incoming"),
                            ", ".join(p.label for p in rec.teams.get("incoming", ())) or NONE,
                        ),
                    )
                ),
            ),
        ),
        Section(
            _("8. Signatures"),
            (
                Table(
                    "signatures",
                    (_("Meaning"), _("Name"), _("Staff No."), _("Signed")),
                    tuple(
                        (s.meaning, s.printed_name, s.staff_no, when(s.signed_at, tz))
                        for s in rec.signatures
                    ),
                    "",
                    (30, 25, 15, 30),
                ),
                Pairs(
                    (
                        (_("Content SHA-256 (what both signatures bind)"), rec.content_hash),
                        (_("Audit chain head at signing"), rec.chain_head),
                        (_("Check with"), f"dutydesk verify --head {rec.chain_head}"),
                    )
                ),
                SignLines(
                    (
                        _("Handed over by {name}", name=out_sig[0].printed_name if out_sig else ""),
                        _("Taken over by {name}", name=in_sig[0].printed_name if in_sig else ""),
                    ),
                    _("Date"),
                ),
            ),
        ),
    ]
    if rec.discrepancies:
        sections.append(
            Section(
                _(
                    "Discrepancies recorded after taking over"
                    " (EN-8.6.4; not part of the signed record)"
                ),
                (
                    Table(
                        "discrepancies",
                        (_("Time"), _("By"), _("Discrepancy")),
                        tuple(
                            (when(d.created_at, tz), d.by.label, d.text) for d in rec.discrepancies
                        ),
                    ),
                ),
            )
        )
    return Document(
        kind="handover",
        lang=_lang(),
        title=_("Duty handover record"),
        subtitle=f"{desk_label(rec.header.desk)} · {_('Handover No.')} {rec.id}",
        meta=_head(
            rec.header,
            (_("Handover No."), str(rec.id)),
            (_("Outgoing shift"), _shift_label(rec.outgoing_shift, tz)),
            (_("Incoming shift"), _shift_label(rec.incoming_shift, tz)),
            (
                _("Started"),
                " ".join(
                    x
                    for x in (
                        when(rec.started_at, tz),
                        rec.started_by.label if rec.started_by else "",
                    )
                    if x
                ),
            ),
            (_("Signed"), when(rec.signed_at, tz)),
        ),
        sections=tuple(sections),
        page_label=_("Page {page} of {pages}"),
    )


def handover_list_document(found: list[HandoverSummary], head: Header, what: str) -> Document:
    return Document(
        kind="handover-list",
        lang=_lang(),
        title=_("Handovers"),
        subtitle=f"{desk_label(head.desk)} · {what}",
        meta=_head(head, (_("Days"), what)),
        sections=(Section("", (_handover_table(found, head.tz),)),),
        page_label=_("Page {page} of {pages}"),
    )


# --- incident report ----------------------------------------------------------------------


def incident_document(rep: IncidentReport) -> Document:
    tz = rep.header.tz
    i = rep.incident
    form = Pairs(
        (
            (_("Incident No."), str(i.id)),
            (_("Occurred"), when(i.occurred_at, tz)),
            (_("Place"), i.place),
            (_("Nature"), " / ".join(x for x in (i.category_name, i.subcategory_name) if x)),
            (_("Severity"), i.severity_label),
            (_("People involved"), str(i.people_count)),
            (_("Characteristics"), i.characteristics or NONE),
            (_("Description"), i.description),
            (_("Actions taken"), i.actions or NONE),
            (_("Result"), i.result or NONE),
            (_("Status"), i.status_label),
            (_("Recorded by"), f"{i.author_name} ({i.author_no}) {when(i.created_at, tz)}"),
            (_("Closed"), when(i.closed_at, tz)),
        )
    )
    notes = Table(
        "notifications",
        (_("Time"), _("Told"), _("Name"), _("How"), _("Reached"), _("After")),
        tuple(
            (
                when(n.notified_at, tz),
                n.role_label,
                n.name,
                n.method_label,
                _("yes") if n.reached else _("no"),
                duration(rep.delay_of(n.notified_at)),
            )
            for n in i.notifications
        ),
        _("(nobody told yet)"),
        (18, 18, 18, 12, 10, 14),
    )
    history = Table(
        "status_history",
        (_("Time"), _("By"), _("Status"), _("Result")),
        tuple(
            (when(h.at, tz), f"{h.staff_name} ({h.staff_no})", h.status_label, h.result)
            for h in rep.history
        ),
        _("(none)"),
        (18, 24, 16, 42),
    )
    written: list[Any] = []
    for r, ok in zip(rep.reports, rep.reports_verified, strict=True):
        written += [
            Pairs(
                (
                    (_("Written report No."), str(r.id)),
                    (_("Signed"), f"{r.author_name} ({r.author_no}) {when(r.signed_at, tz)}"),
                    (_("Content SHA-256"), r.content_hash),
                    (_("Signature check"), _("matches") if ok else _("DOES NOT MATCH")),
                )
            ),
            Para(r.text),
        ]
    if not written and i.report_due_at is None:
        written.append(Para(_("No written report is due: it is asked for major incidents (CS6)")))
    elif not written:
        due = when(i.report_due_at, tz)
        written.append(Para(_("No written report filed (due {time})", time=due)))
    return Document(
        kind="incident",
        lang=_lang(),
        title=_("Incident record"),
        subtitle=f"{desk_label(rep.header.desk)} · {_('Incident No.')} {i.id}",
        meta=_head(rep.header),
        sections=(
            Section(_("1. The incident (SE-4)"), (form,)),
            Section(
                _("2. Notifications"),
                (
                    Pairs(((_("Time to the first report"), duration(rep.first_report_delay)),)),
                    notes,
                ),
            ),
            Section(_("3. Status history"), (history,)),
            Section(_("4. Written report (CS6)"), tuple(written), break_before=bool(rep.reports)),
            Section(
                _("Signatures"),
                (SignLines((_("Recorded by"), _("Checked by the supervisor")), _("Date")),),
            ),
        ),
        page_label=_("Page {page} of {pages}"),
    )


# --- patrol record ------------------------------------------------------------------------


def patrol_document(rec: PatrolRecord) -> Document:
    tz = rec.header.tz
    sections = [
        Section(
            _("Rounds"),
            (
                _rounds_table(rec.rounds, tz, rec.day, _shift_names(rec.shifts)),
                Pairs(
                    tuple(
                        (_state(s), str(rec.count(s)))
                        for s in ("done", "done_late", "skipped", "missed")
                    )
                ),
            ),
        )
    ]
    for n, r in enumerate(rec.rounds, 1):
        ri = r.round
        title = f"{n}. {hm(ri.due_at, tz)} {ri.schedule_name} — {_state(ri.state)}"
        rows = tuple(
            (
                str(c.position),
                c.checkpoint.display_name,
                _check_mark(c),
                c.checkpoint.range_text,
                hm(c.marked_at, tz) if c.marked_at else NONE,
                c.note
                + (f" ({_('corrected')}: {c.correction_reason})" if c.corrected_by_id else ""),
            )
            for c in r.checks
        )
        info = []
        if r.started_by:
            info.append((_("Started by"), r.started_by))
        if ri.skip_reason:
            info.append((_("Reason"), ri.skip_reason))
        blocks: tuple[Any, ...] = (
            Table(
                f"round_{ri.id}",
                ("#", _("Checkpoint"), _("Mark"), _("Limits"), _("Time"), _("Note")),
                rows,
                _("(no checks)"),
                (4, 28, 18, 14, 8, 28),
            ),
        )
        if info:
            blocks = (Pairs(tuple(info)), *blocks)
        sections.append(Section(title, blocks))
    what = rec.day.isoformat() + (f" ({rec.shift_code})" if rec.shift_code else "")
    return Document(
        kind="patrol",
        lang=_lang(),
        title=_("Patrol record"),
        subtitle=f"{desk_label(rec.header.desk)} · {what}",
        meta=_head(rec.header, (_("Business date"), what)),
        sections=tuple(sections),
        page_label=_("Page {page} of {pages}"),
    )


# --- monthly report -----------------------------------------------------------------------


def month_document(rep: MonthReport) -> Document:
    sev = {"normal": N_("Normal"), "major": N_("Major")}
    route_rows = tuple(
        (
            r.name,
            str(r.total),
            str(r.done),
            str(r.done_late),
            str(r.skipped),
            str(r.missed),
            str(r.open),
            percent(r.completion),
        )
        for r in rep.routes
    )
    sections = (
        Section(
            _("1. Incidents"),
            (
                Pairs(
                    (
                        (_("Incidents"), str(rep.incidents_total)),
                        *((_(sev[c.key]), str(c.count)) for c in rep.by_severity),
                        (_("Time to the first report, median"), duration(rep.first_report_median)),
                        (_("Time to the first report, longest"), duration(rep.first_report_max)),
                        (_("Nobody reached"), str(rep.not_reported)),
                    )
                ),
                Table(
                    "incidents_by_nature",
                    (_("Nature"), _("Incidents")),
                    tuple((c.label, str(c.count)) for c in rep.by_nature),
                    _("(no incidents)"),
                    (80, 20),
                ),
                Para(_("Nature (second level)"), "sub"),
                Table(
                    "incidents_by_subnature",
                    (_("Nature (second level)"), _("Incidents")),
                    tuple((c.label, str(c.count)) for c in rep.by_subnature),
                    _("(none)"),
                    (80, 20),
                ),
                Chart(_("Incidents by nature"), tuple((c.label, c.count) for c in rep.by_nature)),
                Chart(
                    _("Incidents per day"),
                    tuple((str(n + 1), v) for n, v in enumerate(rep.per_day)),
                    columns=True,
                ),
                Pairs(
                    (
                        (_("Written reports on time"), str(rep.reports_on_time)),
                        (_("Written reports late"), str(rep.reports_late)),
                        (_("Written reports missing"), str(rep.reports_missing)),
                        (_("Written reports not due yet"), str(rep.reports_pending)),
                    )
                ),
            ),
        ),
        Section(
            _("2. Patrols"),
            (
                Pairs(
                    (
                        (_("Rounds"), str(rep.rounds_total)),
                        (_("Completion"), percent(rep.completion)),
                    )
                ),
                Table(
                    "patrol_completion",
                    (
                        _("Route"),
                        _("Rounds"),
                        _("Done"),
                        _("Late"),
                        _("Skipped"),
                        _("Missed"),
                        _("Not over yet"),
                        _("Completion"),
                    ),
                    route_rows,
                    _("(no rounds)"),
                    (30, 10, 10, 10, 10, 10, 10, 10),
                ),
                Chart(
                    _("Completion per route (%)"),
                    tuple((r.name, round((r.completion or 0) * 100, 1)) for r in rep.routes),
                    unit="%",
                ),
                Para(_("Readings out of range"), "sub"),
                Table(
                    "readings_out_of_range",
                    (_("Checkpoint"), _("Limits"), _("Out of range")),
                    tuple(
                        (f"{c.name} ({c.code})", c.range_text, str(c.out_of_range))
                        for c in rep.readings
                    ),
                    _("(none)"),
                    (50, 30, 20),
                ),
            ),
            break_before=True,
        ),
        Section(
            _("3. Handovers and staffing"),
            (
                Pairs(
                    (
                        (_("Handovers signed"), str(rep.handovers_signed)),
                        (_("Late reliefs (CS-R4)"), str(rep.late_reliefs)),
                        (_("Handovers refused"), str(rep.refusals)),
                        (_("Discrepancies after takeover"), str(rep.discrepancies)),
                        (_("Shifts short of staff"), str(rep.short_shifts)),
                        (_("Logins not on the roster"), str(rep.off_roster_logins)),
                    )
                ),
                Table(
                    "short_shifts",
                    (_("Desk"), _("Shift"), _("Shifts short of staff"), _("Days")),
                    tuple(
                        (
                            s.desk_code,
                            s.shift,
                            str(len(s.days)),
                            ", ".join(str(d.day) for d in s.days),
                        )
                        for s in rep.short_shift_list
                    ),
                    _("(none)"),
                    (14, 16, 14, 56),
                ),
            ),
        ),
        Section(
            _("Signatures"),
            (SignLines((_("Made by"), _("Checked by the supervisor")), _("Date")),),
        ),
    )
    return Document(
        kind="month",
        lang=_lang(),
        title=_("Monthly duty report"),
        subtitle=f"{desk_label(rep.header.desk)} · {rep.period.label()}",
        meta=_head(rep.header, (_("Period"), rep.period.label())),
        sections=sections,
        page_label=_("Page {page} of {pages}"),
    )


# --- export -------------------------------------------------------------------------------


def export_document(exp: Export) -> Document:
    tables = tuple(
        Table(t.name, t.columns, tuple(tuple(str(v) for v in row) for row in t.rows), _("(none)"))
        for t in exp.tables
    )
    return Document(
        kind="export",
        lang=_lang(),
        title=_("Records export"),
        subtitle=f"{desk_label(exp.header.desk)} · {exp.period.label()}",
        meta=_head(exp.header, (_("Period"), exp.period.label())),
        sections=tuple(Section(t.name, (t,), break_before=n > 0) for n, t in enumerate(tables)),
        page_label=_("Page {page} of {pages}"),
    )


def document_for(report: Any) -> Document:
    """The layout of any report dataclass."""
    if isinstance(report, DayRecord):
        return day_document(report)
    if isinstance(report, HandoverRecord):
        return handover_document(report)
    if isinstance(report, IncidentReport):
        return incident_document(report)
    if isinstance(report, PatrolRecord):
        return patrol_document(report)
    if isinstance(report, MonthReport):
        return month_document(report)
    if isinstance(report, Export):
        return export_document(report)
    raise TypeError(f"not a report: {type(report).__name__}")
