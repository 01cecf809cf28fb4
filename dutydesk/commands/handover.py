"""``dutydesk handover show ID``: the signed handover record (交接班记录) as plain text.

Laid out for A4 like the paper form: at most 80 columns (Chinese characters
count two), no colour or control codes, so ``| lp`` prints it. Everything
printed comes from the content the two signatures bind, in the site's language
(or ``--lang``), times in the site's zone; discrepancies recorded later are
listed after it, marked as not part of the signed record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

import arrow
from rich.cells import cell_len

from dutydesk.cli import EXIT_USAGE, register
from dutydesk.clock import SystemClock
from dutydesk.db import open_database
from dutydesk.domain.patrols import RoundState
from dutydesk.domain.site import find_desk, get_site
from dutydesk.errors import ConfigError, ValidationError
from dutydesk.i18n import N_, _, pick, set_language
from dutydesk.render.text import clean, render_text, wrap

__all__ = ["cell_width", "clean", "render", "text_width", "wrap"]

WIDTH = 80


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="show|list", required=True)
    show = actions.add_parser("show", help=_("print a signed handover record (A4, plain text)"))
    show.add_argument("id", type=int, metavar="ID", help=_("the handover's number"))
    show.add_argument(
        "--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=_("database file or URL")
    )
    show.add_argument(
        "--lang",
        default=argparse.SUPPRESS,
        choices=("zh", "en"),
        help=_("language of the record (default: the site's)"),
    )
    listing = actions.add_parser("list", help=_("list the handovers and their numbers"))
    for option, metavar, text in (
        ("--db", "PATH|URL", N_("database file or URL")),
        ("--desk", "CODE", N_("only this desk")),
        ("--from", "YYYY-MM-DD", N_("first day")),
        ("--to", "YYYY-MM-DD", N_("last day")),
    ):
        listing.add_argument(
            option,
            dest={"--from": "day_from", "--to": "day_to"}.get(option, option[2:]),
            default=argparse.SUPPRESS,
            metavar=metavar,
            help=_(text),
        )
    listing.add_argument(
        "--lang", default=argparse.SUPPRESS, choices=("zh", "en"), help=_("language of the list")
    )


# --- plain-text layout ----------------------------------------------------------------------


def cell_width(ch: str) -> int:
    """Columns a character takes on a terminal or a fixed-pitch printout."""
    return cell_len(ch)


def text_width(text: str) -> int:
    return cell_len(text)


def _centre(text: str) -> str:
    pad = max(0, (WIDTH - text_width(text)) // 2)
    return " " * pad + text


def _pair(label: str, value: str) -> list[str]:
    return wrap(value, indent=" " * 4, first=f"{label}: ")


# --- the record -----------------------------------------------------------------------------


def _when(value: str | None, tz: str) -> str:
    return arrow.get(value).to(tz).format("YYYY-MM-DD HH:mm") if value else "—"


def _hhmm(value: str | None, tz: str) -> str:
    return arrow.get(value).to(tz).format("HH:mm") if value else "—"


def _shift(info: dict[str, Any] | None, tz: str) -> str:
    if not info:
        return "—"
    name = pick(info["name_zh"], info["name_en"])
    return (
        f"{name} {info['business_date']} "
        f"{_hhmm(info['planned_start'], tz)}–{_hhmm(info['planned_end'], tz)}"
    )


STATE_LABELS: dict[str, str] = {
    RoundState.DONE: N_("done"),
    RoundState.DONE_LATE: N_("done late"),
    RoundState.SKIPPED: N_("skipped"),
    RoundState.MISSED: N_("missed"),
    RoundState.UPCOMING: N_("not done"),
}


def render(
    content: dict[str, Any], content_hash: str, discrepancies: list[dict[str, Any]] | None = None
) -> str:
    """The signed content as the paper record (lines ≤ 80 columns, no control codes)."""
    # Loaded here, not with every subcommand: the handover package is ~60 ms.
    from dutydesk.domain.handover import (
        CHECKLIST,
        ITEM_LABELS,
        HandoverSections,
        RefType,
        shown_round_name,
        shown_text,
    )

    rec, ctx = content["record"], content["context"]
    tz = ctx.get("site_tz") or "UTC"
    people = ctx.get("people", {})

    def who(staff_id: int | None) -> str:
        p = people.get(str(staff_id)) if staff_id is not None else None
        return f"{p['name']} ({p['staff_no']})" if p else "—"

    out: list[str] = []
    rule = "=" * WIDTH
    thin = "-" * WIDTH
    out.append(_centre(_("Duty handover record")))
    out.append(rule)
    desk = ctx["desk"]
    desk_name = pick(desk["name"], desk.get("name_en", ""))
    if ctx.get("site"):
        out += _pair(_("Site"), ctx["site"])
    out += _pair(_("Desk"), f"{desk_name} ({desk['code']}) {desk.get('location', '')}".strip())
    out += _pair(_("Handover No."), str(rec["handover_id"]))
    out += _pair(_("Outgoing shift"), _shift(ctx.get("outgoing_shift"), tz))
    out += _pair(_("Incoming shift"), _shift(ctx.get("incoming_shift"), tz))
    out += _pair(_("Started"), f"{_when(rec['started_at'], tz)}   {who(rec['started_by'])}")
    out += _pair(_("Signed"), _when(rec["signed_at"], tz))
    if rec.get("early_reason"):
        out += _pair(_("Handed over early because"), rec["early_reason"])
    sections = HandoverSections.from_plain(ctx.get("sections"))

    out += ["", _("1. Duty log of the shift"), thin]
    # The signed content keeps the order it was collected in; the record reads by time.
    for e in sorted(sections.duty_log, key=lambda e: (e.at, e.id)):
        text = e.text + (f" → {e.result}" if e.result else "")
        out += wrap(text, indent=" " * 14, first=f"  {_hhmm(e.at, tz)} {e.by:<6} ")
    if not sections.duty_log:
        out.append("  " + _("(no entries)"))

    out += ["", _("2. Patrols"), thin]
    for r in sections.patrol:
        state = _(STATE_LABELS.get(r.state, r.state))
        line = f"{shown_round_name(r.id, r.name)} — {state}" + (f": {r.reason}" if r.reason else "")
        out += wrap(line, indent=" " * 9, first=f"  {_hhmm(r.due_at, tz)}  ")
        for c in r.skipped:
            out += wrap(
                _("skipped check: {checkpoint} — {note}", checkpoint=c.checkpoint, note=c.note),
                indent=" " * 11,
                first=" " * 9,
            )
        if r.missed:
            out += wrap(
                _("missed checks: {names}", names=", ".join(r.missed)),
                indent=" " * 11,
                first=" " * 9,
            )
    if not sections.patrol:
        out.append("  " + _("(no rounds)"))
    if sections.readings:
        out.append("  " + _("Readings out of range:"))
        for rd in sections.readings:
            note = f" — {rd.note}" if rd.note else ""
            shown = shown_text(RefType.CHECK, rd.id, rd.text)
            out += wrap(shown + note, indent=" " * 11, first=f"  {_hhmm(rd.at, tz)}  ")

    out += ["", _("3. Tools-and-keys register"), thin]
    for t in sections.tools:
        out += wrap(f"{t.name} × {t.quantity}", indent=" " * 6, first="  ")
    if not sections.tools:
        out.append("  " + _("(register empty)"))
    for k in sections.keys_out:
        out += wrap(
            _(
                "key lent out: {key} → {borrower} since {time}",
                key=k.key,
                borrower=k.borrower,
                time=_when(k.out_at, tz),
            ),
            indent=" " * 6,
            first="  ",
        )

    out += ["", _("4. Items handed over"), thin]
    items = rec.get("items", [])
    questions = {f"check:{key}": question for key, question, _rule in CHECKLIST}
    for n, i in enumerate(items, 1):
        label = _(ITEM_LABELS.get(i["kind"], i["kind"]))
        if i["ref_type"] in questions:
            label = f"{label}: {_(questions[i['ref_type']])}"
        shown = shown_text(i["ref_type"], i["ref_id"], i["text"])
        out += wrap(f"{label}: {shown}", indent=" " * 6, first=f"  {n:>2}. ")
        if i.get("reason") and i["reason"] != i["text"]:
            out += wrap(
                _("Not resolved because: {reason}", reason=i["reason"]),
                indent=" " * 8,
                first=" " * 6,
            )
        if i.get("resolved_at"):
            status = _("resolved during the handover")
        elif i.get("carried_over"):
            status = _("carried over")
        else:
            status = _("noted")
        ack = (
            _(
                "acknowledged {time} by {who}",
                time=_when(i.get("acknowledged_at"), tz),
                who=who(i.get("acknowledged_by")),
            )
            if i.get("acknowledged_at")
            else ""
        )
        out += wrap(f"[{status}] {ack}".rstrip(), indent=" " * 8, first=" " * 6)
    if not items:
        out.append("  " + _("(no open items)"))
    carried = sum(1 for i in items if i.get("carried_over"))
    out.append(
        "  "
        + _(
            "Items carried over: {n}; read back by the incoming: {read_back}",
            n=carried,
            read_back=rec.get("read_back"),
        )
    )

    out += ["", _("5. Takeover checklist"), thin]
    answers = rec.get("checklist", {})
    for key, question, _rule in CHECKLIST:
        a = answers.get(key)
        mark = "[ ]" if a is None else ("[Y]" if a["ok"] else "[N]")
        text = _(question) + (f" — {a['note']}" if a and a.get("note") else "")
        out += wrap(text, indent=" " * 6, first=f"  {mark} ")

    out += ["", _("6. Notes of the outgoing"), thin]
    out += wrap(rec.get("notes") or _("(none)"), indent="  ", first="  ")

    teams = ctx.get("teams", {})
    out += ["", _("7. Others on the shifts"), thin]
    for side, label in (("outgoing", _("Outgoing")), ("incoming", _("Incoming"))):
        names = ", ".join(f"{p['name']} ({p['staff_no']})" for p in teams.get(side, []))
        out += _pair("  " + label, names or "—")

    out += ["", _("8. Signatures"), thin]
    signatures = rec.get("signatures", [])
    meaning_w = max([text_width(s["meaning"]) for s in signatures] + [0])
    name_w = max([text_width(f"{s['printed_name']} ({s['staff_no']})") for s in signatures] + [0])
    for s in signatures:
        name = f"{s['printed_name']} ({s['staff_no']})"
        line = (
            s["meaning"]
            + " " * (meaning_w - text_width(s["meaning"]) + 3)
            + name
            + " " * (name_w - text_width(name) + 3)
            + _when(s["signed_at"], tz)
        )
        out += wrap(line, indent=" " * 6, first="  ")
    out.append("")
    out.append(_("Content SHA-256 (what both signatures bind):"))
    out.append("  " + content_hash)
    head = rec.get("chain_head", {})
    head_text = f"{head.get('seq')}:{(head.get('hash') or '')[:16]}"
    out += wrap(_("Audit chain head at signing: {head}", head=head_text))
    out += wrap(_("Check with: dutydesk verify --head {head}", head=head_text))
    if discrepancies:
        out += [
            "",
            rule,
            _("Discrepancies recorded after taking over (EN-8.6.4; not part of the signed record)"),
            thin,
        ]
        for d in discrepancies:
            out += wrap(
                d["text"], indent=" " * 4, first=f"  {_when(d['created_at'], tz)} {d['by']}: "
            )
    out.append(rule)
    return "\n".join(line.rstrip() for line in out) + "\n"


def run_list(args: argparse.Namespace) -> int:
    """``handover list``: number, desk, shift, state, both people, when signed."""
    # Loaded here, not with every subcommand: the reports and their layouts are ~200 ms.
    from dutydesk.domain import reports
    from dutydesk.domain.reports.handover import list_handovers
    from dutydesk.render.layout import handover_list_document

    open_database(getattr(args, "db", None), create=False)
    site = get_site()
    set_language(getattr(args, "lang", None) or site.language)
    first, last = getattr(args, "day_from", None), getattr(args, "day_to", None)
    try:
        desk = find_desk(args.desk) if getattr(args, "desk", None) else None
        days = None
        if first or last:
            today = reports.today(SystemClock(site.tz).now())
            start = reports.parse_day(first) if first else dt.date(1970, 1, 1)
            end = reports.parse_day(last) if last else today
            # Any length: a list, not a report (only the order is checked).
            days = reports.Period(start, reports.period(start, start).last if end < start else end)
            if end < start:
                reports.period(start, end)
    except (ConfigError, ValidationError) as exc:
        print(f"dutydesk: {exc.translated()}", file=sys.stderr)
        return EXIT_USAGE
    found = list_handovers(desk.id if desk else None, days)
    head = reports.header(desk.id if desk else None, SystemClock(site.tz).now())
    what = days.label() if days else _("all")
    print(render_text(handover_list_document(found, head, what)), end="")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return run_list(args)
    # Loaded here, not with every subcommand: the handover package is ~60 ms.
    from dutydesk.domain.handover import signed_record

    open_database(getattr(args, "db", None), create=False)
    set_language(getattr(args, "lang", None) or get_site().language)
    record = signed_record(args.id)
    print(render(record.content, record.content_hash, record.later), end="")
    return 0


register("handover", N_("print handover records"), add_arguments, run)
