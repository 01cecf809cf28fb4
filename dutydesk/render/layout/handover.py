"""The signed handover record, and a list of handovers, laid out for print."""

from __future__ import annotations

from dutydesk.domain import handover as handovers
from dutydesk.domain.reports import Header
from dutydesk.domain.reports.handover import HandoverRecord, HandoverSummary, ShiftLabel
from dutydesk.i18n import N_, _
from dutydesk.render.document import Document, Pairs, Para, Section, SignLines, Table
from dutydesk.render.layout.formats import (
    NONE,
    desk_label,
    handover_table,
    header_pairs,
    hm,
    lang,
    shift_name,
    state,
    when,
)

# --- handover record ----------------------------------------------------------------------


def shift_label(s: ShiftLabel | None, tz: str) -> str:
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
            state(r.state),
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
        lang=lang(),
        title=_("Duty handover record"),
        subtitle=f"{desk_label(rec.header.desk)} · {_('Handover No.')} {rec.id}",
        meta=header_pairs(
            rec.header,
            (_("Handover No."), str(rec.id)),
            (_("Outgoing shift"), shift_label(rec.outgoing_shift, tz)),
            (_("Incoming shift"), shift_label(rec.incoming_shift, tz)),
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
        lang=lang(),
        title=_("Handovers"),
        subtitle=f"{desk_label(head.desk)} · {what}",
        meta=header_pairs(head, (_("Days"), what)),
        sections=(Section("", (handover_table(found, head.tz),)),),
        page_label=_("Page {page} of {pages}"),
    )
