"""A major incident's written report and a patrol record, laid out for print."""

from __future__ import annotations

from typing import Any

from dutydesk.domain.patrols import RoundState
from dutydesk.domain.reports.incident import IncidentReport
from dutydesk.domain.reports.patrol import PatrolRecord
from dutydesk.i18n import _
from dutydesk.render.document import Document, Pairs, Para, Section, SignLines, Table
from dutydesk.render.layout.formats import (
    NONE,
    check_mark,
    desk_label,
    duration,
    header_pairs,
    hm,
    lang,
    rounds_table,
    shift_names,
    state,
    when,
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
        lang=lang(),
        title=_("Incident record"),
        subtitle=f"{desk_label(rep.header.desk)} · {_('Incident No.')} {i.id}",
        meta=header_pairs(rep.header),
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
                rounds_table(rec.rounds, tz, rec.day, shift_names(rec.shifts)),
                Pairs(
                    tuple(
                        (state(s), str(rec.count(s)))
                        for s in (
                            RoundState.DONE,
                            RoundState.DONE_LATE,
                            RoundState.SKIPPED,
                            RoundState.MISSED,
                        )
                    )
                ),
            ),
        )
    ]
    for n, r in enumerate(rec.rounds, 1):
        ri = r.round
        title = f"{n}. {hm(ri.due_at, tz)} {ri.schedule_name} — {state(ri.state)}"
        rows = tuple(
            (
                str(c.position),
                c.checkpoint.display_name,
                check_mark(c),
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
        lang=lang(),
        title=_("Patrol record"),
        subtitle=f"{desk_label(rec.header.desk)} · {what}",
        meta=header_pairs(rec.header, (_("Business date"), what)),
        sections=tuple(sections),
        page_label=_("Page {page} of {pages}"),
    )
