"""The day record of a desk laid out for print."""

from __future__ import annotations

from dutydesk.domain.logs import LogKind
from dutydesk.domain.reports.day import DayRecord
from dutydesk.i18n import _
from dutydesk.render.document import Document, Para, Section, SignLines, Table
from dutydesk.render.layout.formats import (
    day_time,
    desk_label,
    handover_table,
    header_pairs,
    hm,
    kind_label,
    lang,
    log_note,
    log_text,
    readings_table,
    rounds_table,
    shift_name,
    shift_names,
    when,
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
            kind_label(e.kind),
            f"{e.author_name} ({e.author_no})",
            log_text(e, tz),
            log_note(e),
        )
        for e in rec.log
        if e.kind not in (LogKind.VISITOR, LogKind.KEY)
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
        lang=lang(),
        title=_("Duty record"),
        subtitle=f"{desk_label(rec.header.desk)} · {what}",
        meta=header_pairs(
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
                    rounds_table(rec.rounds, tz, day, shift_names(rec.shifts)),
                    Para(_("Readings out of range"), "sub"),
                    readings_table(list(rec.readings_out_of_range), tz, day),
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
                (handover_table(rec.handovers, tz),),
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
