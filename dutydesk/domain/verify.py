"""Checking that nothing was changed behind the app's back (``dutydesk verify``).

Three layers, each catching what the one before cannot:

1. The audit chain (:func:`dutydesk.domain.audit.verify_chain`): an edited,
   deleted, inserted or reordered event breaks the hashes or the sequence.
2. Signed records: each signed handover's stored content must hash to its
   ``content_hash`` and to every signature's; the handover, item and signature
   rows must rebuild the content's record part; the audit event of the signing
   must name the same hash. Signed incident reports: each signature's hash must
   match the report's recomputed canonical content. So editing a signed row
   (with the triggers dropped) is caught even when the chain is untouched.
3. A printed head (``--head SEQ:HASH`` from a paper record): a tail cut off the
   chain, or a chain recomputed from an earlier point, no longer contains it.

An event earlier than the one before it (a clock set back) is a *warning*: it
is shown (and offered to the supervisor by :func:`clock_set_back`) but does
not by itself make the database bad, since a clock corrected by hand or by
NTP does the same; ``verify`` exits 0 when there are only warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import arrow

from dutydesk import backends
from dutydesk.domain import audit, canonical
from dutydesk.domain import handover as handovers
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import AuditEvent, Handover, IncidentReport, Signature

MIN_HEAD_HEX = 16


@dataclass(frozen=True)
class Finding:
    """One problem (or warning), naming the record it is about."""

    msgid: str
    values: dict[str, Any] = field(default_factory=dict)
    warning: bool = False

    def text(self) -> str:
        return _(self.msgid, **self.values)


@dataclass(frozen=True)
class Report:
    events: int
    head: audit.ChainHead | None
    handovers: int
    reports: int
    problems: list[Finding]
    warnings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed on a handover record (at least 16 hex characters)."""
    m = re.fullmatch(r"\s*(\d+)\s*:\s*([0-9a-fA-F]+)\s*", text or "")
    if m is None or len(m.group(2)) < MIN_HEAD_HEX:
        raise ValidationError(
            N_("Give the head as SEQ:HASH with at least 16 hex characters, e.g. 42:{example}"),
            field="head",
            example="0123456789abcdef",
        )
    return int(m.group(1)), m.group(2).lower()


def _chain() -> tuple[list[Finding], list[Finding]]:
    problems: list[Finding] = []
    warnings: list[Finding] = []
    for p in audit.verify_chain():
        found = Finding(
            N_("audit event {seq}: {what}"), {"seq": p.seq, "what": _(p.msgid)}, warning=p.warning
        )
        (warnings if p.warning else problems).append(found)
    return problems, warnings


def _head(seq: int, prefix: str) -> list[Finding]:
    last = audit.head()
    if last is None or seq > last.seq:
        return [
            Finding(
                N_(
                    "the printed head {seq} is beyond the chain's end ({last}): events were "
                    "removed from the end"
                ),
                {"seq": seq, "last": last.seq if last else 0},
            )
        ]
    ev = AuditEvent.get_or_none(AuditEvent.seq == seq)
    if ev is None or not ev.hash.lower().startswith(prefix):
        return [
            Finding(
                N_(
                    "audit event {seq} differs from the printed head: the chain was rewritten "
                    "from that point or earlier"
                ),
                {"seq": seq},
            )
        ]
    return []


def _sign_events() -> dict[int, list[str]]:
    """Content hashes recorded by the audit chain when each handover was signed."""
    found: dict[int, list[str]] = {}
    for ev in AuditEvent.select().where(AuditEvent.action == "handover.sign"):
        if ev.record_id is not None and isinstance(ev.new, dict):
            found.setdefault(ev.record_id, []).append(str(ev.new.get("content_hash", "")))
    return found


def _handover(h: Handover, signed_in_chain: list[str] | None) -> list[Finding]:
    ref = {"id": h.id}
    if not isinstance(h.content, dict) or "record" not in h.content:
        return [Finding(N_("handover {id}: signed, but its content is missing"), ref)]
    problems: list[Finding] = []
    if canonical.sha256(h.content) != h.content_hash:
        problems.append(Finding(N_("handover {id}: the content does not match its hash"), ref))
    rebuilt = handovers.record_part(h)
    stored = h.content["record"]
    changed = sorted(k for k in set(rebuilt) | set(stored) if rebuilt.get(k) != stored.get(k))
    if changed:
        problems.append(
            Finding(
                N_("handover {id}: changed after signing ({fields})"),
                {**ref, "fields": ", ".join(changed)},
            )
        )
    sigs = list(Signature.select().where(Signature.handover == h.id).order_by(Signature.id))
    if len(sigs) != 2:
        problems.append(
            Finding(N_("handover {id}: {n} signatures instead of two"), {**ref, "n": len(sigs)})
        )
    for s in sigs:
        if s.content_hash != h.content_hash:
            problems.append(
                Finding(
                    N_("signature {sig} of handover {id}: the hash signed does not match"),
                    {**ref, "sig": s.id},
                )
            )
    if signed_in_chain is None:
        problems.append(Finding(N_("handover {id}: the audit chain has no record of signing"), ref))
    elif h.content_hash not in signed_in_chain:
        problems.append(
            Finding(
                N_("handover {id}: the hash differs from the one recorded when it was signed"), ref
            )
        )
    head_seq, head_hash = h.chain_head_seq, h.chain_head_hash
    if head_seq:
        ev = AuditEvent.get_or_none(AuditEvent.seq == head_seq)
        if ev is None or ev.hash != head_hash:
            problems.append(
                Finding(
                    N_("handover {id}: the chain head it records ({seq}) is not in the chain"),
                    {**ref, "seq": head_seq},
                )
            )
    return problems


def _reports() -> tuple[int, list[Finding]]:
    from dutydesk.domain import incidents

    problems: list[Finding] = []
    signed = list(
        IncidentReport.select()
        .where(IncidentReport.signed_at.is_null(False))
        .order_by(IncidentReport.id)
    )
    for rep in signed:
        sigs = list(Signature.select().where(Signature.report == rep.id))
        if not sigs:
            problems.append(
                Finding(N_("incident report {id}: signed, but no signature"), {"id": rep.id})
            )
        digest = canonical.sha256(incidents.report_content(rep))
        for s in sigs:
            if s.content_hash != digest:
                problems.append(
                    Finding(
                        N_("incident report {id}: changed after signing (signature {sig})"),
                        {"id": rep.id, "sig": s.id},
                    )
                )
    return len(signed), problems


def _file() -> list[Finding]:
    """SQLite's ``integrity_check``: a damaged file is named before anything else."""
    from dutydesk.domain import health

    found = [
        Finding(N_("database file damaged: {what}"), {"what": what})
        for what in health.integrity_problems()
    ]
    if found:
        found.append(Finding(N_("the database file is damaged: restore the latest backup")))
    return found


def verify(head: str | None = None) -> Report:
    """Check the file (integrity), the chain, every signed record and (given)
    a printed head. Records a damaged file no longer lets be read are named as such."""
    import sqlite3

    import peewee as pw

    printed = parse_head(head) if head else None
    file_problems = _file()
    try:
        return _verify_records(printed, file_problems)
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        unreadable = Finding(N_("the records cannot be read: {reason}"), {"reason": str(exc)})
        return Report(0, None, 0, 0, [*file_problems, unreadable], [])


def _verify_records(printed: tuple[int, str] | None, file_problems: list[Finding]) -> Report:
    problems, warnings = _chain()
    problems = file_problems + problems
    if printed is not None:
        problems += _head(*printed)
    in_chain = _sign_events()
    signed = list(Handover.select().where(Handover.state == "signed").order_by(Handover.id))
    for h in signed:
        problems += _handover(h, in_chain.get(h.id))
    signed_ids = {h.id for h in signed}
    for hid in sorted(set(in_chain) - signed_ids):
        problems.append(
            Finding(
                N_("handover {id}: signed in the audit chain, but deleted or no longer signed"),
                {"id": hid},
            )
        )
    orphans = Signature.select(Signature.handover).where(
        Signature.handover.is_null(False) & Signature.handover.not_in(signed_ids or [0])
    )
    for hid in sorted({s.handover_id for s in orphans}):
        problems.append(
            Finding(N_("handover {id}: signatures on a handover that is not signed"), {"id": hid})
        )
    n_reports, report_problems = _reports()
    problems += report_problems
    problems += _guards()
    return Report(audit.count(), audit.head(), len(signed), n_reports, problems, warnings)


def _guards() -> list[Finding]:
    """The database triggers that keep signed records and the audit trail unchanged."""
    db = AuditEvent._meta.database
    return [
        Finding(
            N_("database guard {name} is missing: signed records could be changed"), {"name": g}
        )
        for g in backends.of(db).missing_guards(db)
    ]


@dataclass(frozen=True)
class ClockSetBack:
    """An event stamped earlier than the one before it (shown to the supervisor)."""

    seq: int
    at: arrow.Arrow
    previous_at: arrow.Arrow
    desk_id: int | None
    staff_no: str
    action: str


def clock_set_back(limit: int = 50) -> list[ClockSetBack]:
    """Events whose time is earlier than the previous event's, newest first."""
    # Instants are stored as fixed-width UTC text, so text order is time order.
    db = AuditEvent._meta.database
    rows = db.execute_sql(
        "SELECT seq, prev FROM (SELECT seq, at, LAG(at) OVER (ORDER BY seq) AS prev "
        f"FROM audit_event) AS w WHERE at < prev ORDER BY seq DESC LIMIT {db.param}",
        (limit,),
    ).fetchall()
    found = []
    for seq, prev in rows:
        ev = AuditEvent.get(AuditEvent.seq == seq)
        staff_no = ev.staff_no or (ev.staff.staff_no if ev.staff_id else "")
        found.append(
            ClockSetBack(
                ev.seq,
                ev.at,
                AuditEvent.at.python_value(prev) or ev.at,
                ev.desk_id,
                staff_no,
                ev.action,
            )
        )
    return found
