"""The monthly report and an export, laid out for print."""

from __future__ import annotations

from dutydesk.domain.incidents import Severity
from dutydesk.domain.reports.export import Export
from dutydesk.domain.reports.month import MonthReport
from dutydesk.i18n import N_, _
from dutydesk.render.document import Chart, Document, Pairs, Para, Section, SignLines, Table
from dutydesk.render.layout.formats import (
    desk_label,
    duration,
    header_pairs,
    lang,
    percent,
)

# --- monthly report -----------------------------------------------------------------------


def month_document(rep: MonthReport) -> Document:
    sev: dict[str, str] = {Severity.NORMAL: N_("Normal"), Severity.MAJOR: N_("Major")}
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
        lang=lang(),
        title=_("Monthly duty report"),
        subtitle=f"{desk_label(rep.header.desk)} · {rep.period.label()}",
        meta=header_pairs(rep.header, (_("Period"), rep.period.label())),
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
        lang=lang(),
        title=_("Records export"),
        subtitle=f"{desk_label(exp.header.desk)} · {exp.period.label()}",
        meta=header_pairs(exp.header, (_("Period"), exp.period.label())),
        sections=tuple(Section(t.name, (t,), break_before=n > 0) for n, t in enumerate(tables)),
        page_label=_("Page {page} of {pages}"),
    )
