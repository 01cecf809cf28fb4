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

import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import arrow
import peewee as pw

from dutydesk import backends
from dutydesk.domain import audit, canonical
from dutydesk.domain import handover as handovers
from dutydesk.domain.handover.kinds import HandoverState
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import AuditEvent, Handover, HandoverItem, IncidentReport, Signature, Staff

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


# Signed records are read this many at a time, with their items, signatures and
# chain heads in one query each per batch (not one query per record).
BATCH = 500

# progress(what, done, total): ``what`` is a msgid naming the step ("audit chain",
# "signed handovers", "signed reports"). For a progress bar; never called with a PIN.
Progress = Callable[[str, int, int], None]
STEP_CHAIN = N_("audit chain")
STEP_HANDOVERS = N_("signed handovers")
STEP_REPORTS = N_("signed reports")


def _chain(
    progress: Progress | None = None,
) -> tuple[list[Finding], list[Finding], dict[int, list[str]]]:
    """One pass over the chain: its problems and warnings, and the content hashes
    recorded when each handover was signed (from the same pass)."""
    problems: list[Finding] = []
    warnings: list[Finding] = []
    signed_in_chain: dict[int, list[str]] = {}

    def observe(action: str, record_id: int | None, new: Any) -> None:
        if action != "handover.sign" or record_id is None:
            return
        try:
            value = json.loads(new) if isinstance(new, str) else new
        except ValueError:
            value = None
        if isinstance(value, dict):
            signed_in_chain.setdefault(record_id, []).append(str(value.get("content_hash", "")))

    step = None if progress is None else functools.partial(progress, STEP_CHAIN)
    for p in audit.verify_chain(observe=observe, progress=step):
        found = Finding(
            N_("audit event {seq}: {what}"), {"seq": p.seq, "what": _(p.msgid)}, warning=p.warning
        )
        (warnings if p.warning else problems).append(found)
    return problems, warnings, signed_in_chain


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
    return _chain()[2]


def _handover(
    h: Handover,
    signed_in_chain: list[str] | None,
    items: list[HandoverItem] | None = None,
    sigs: list[Signature] | None = None,
    heads: dict[int, str] | None = None,
    content_text: str | None = None,
) -> list[Finding]:
    """The checks of one signed handover; ``items``, ``sigs`` (id order) and
    ``heads`` (seq → hash) are read per batch by :func:`_handovers`;
    ``content_text`` is the content as stored (canonical JSON: hashed as it is)."""
    ref = {"id": h.id}
    if items is None:
        items = list(
            HandoverItem.select().where(HandoverItem.handover == h.id).order_by(HandoverItem.id)
        )
    if sigs is None:
        sigs = list(Signature.select().where(Signature.handover == h.id).order_by(Signature.id))
    rebuilt = handovers.record_part(h, item_rows=items, signature_rows=sigs)
    content_ok: bool | None = None  # None: not known yet (the content is decoded)
    changed: list[str] = []
    if content_text is not None:
        if _signed_text_holds(content_text, h.content_hash, rebuilt):
            content_ok = True
        else:
            try:
                h.content = json.loads(content_text)
            except ValueError:
                h.content = None
    if content_ok is None:
        if not isinstance(h.content, dict) or "record" not in h.content:
            return [Finding(N_("handover {id}: signed, but its content is missing"), ref)]
        content_ok = canonical.sha256(h.content) == h.content_hash
        stored = h.content["record"]
        changed = sorted(k for k in set(rebuilt) | set(stored) if rebuilt.get(k) != stored.get(k))
    problems: list[Finding] = []
    if not content_ok:
        problems.append(Finding(N_("handover {id}: the content does not match its hash"), ref))
    if changed:
        problems.append(
            Finding(
                N_("handover {id}: changed after signing ({fields})"),
                {**ref, "fields": ", ".join(changed)},
            )
        )
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
        if heads is None:
            ev = AuditEvent.get_or_none(AuditEvent.seq == head_seq)
            heads = {} if ev is None else {ev.seq: ev.hash}
        if heads.get(head_seq) != head_hash:
            problems.append(
                Finding(
                    N_("handover {id}: the chain head it records ({seq}) is not in the chain"),
                    {**ref, "seq": head_seq},
                )
            )
    return problems


def _signed_text_holds(text: str, content_hash: str, rebuilt: dict[str, Any]) -> bool:
    """The quick check of a signed handover's stored content, without decoding it:
    the text hashes to ``content_hash`` and ends with the record part rebuilt from
    the rows (canonical JSON sorts "record" after "context", so it is the last
    member). False means "look closer", not "bad": the caller then decodes it."""
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != content_hash:
        return False
    return text.endswith(',"record":' + canonical.dumps(rebuilt).decode("utf-8") + "}")


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for r in rows:
        out.setdefault(getattr(r, key), []).append(r)
    return out


def _handovers(
    in_chain: dict[int, list[str]], progress: Progress | None = None
) -> tuple[set[int], list[Finding]]:
    """Every signed handover, ``BATCH`` at a time in id order: (their ids, problems)."""
    problems: list[Finding] = []
    ids: set[int] = set()
    total = (
        Handover.select().where(Handover.state == HandoverState.SIGNED).count() if progress else 0
    )
    # The content is read as stored (not decoded by the field): its hash is taken from
    # the text itself, and it is decoded only when the quick check does not hold.
    columns = [
        f.coerce(False) if f is Handover.content else f for f in Handover._meta.sorted_fields
    ]
    last = 0
    while True:
        batch = list(
            Handover.select(*columns)
            .where((Handover.state == HandoverState.SIGNED) & (Handover.id > last))
            .order_by(Handover.id)
            .limit(BATCH)
        )
        if not batch:
            break
        batch_ids = [h.id for h in batch]
        # By id range (rows of handovers in between that are not signed are ignored).
        first, last = batch_ids[0], batch_ids[-1]
        items = _grouped(
            HandoverItem.select()
            .where(HandoverItem.handover.between(first, last))
            .order_by(HandoverItem.id),
            "handover_id",
        )
        sigs = _grouped(
            Signature.select()
            .where(Signature.handover.between(first, last))
            .order_by(Signature.id),
            "handover_id",
        )
        seqs = sorted({h.chain_head_seq for h in batch if h.chain_head_seq})
        heads = dict(
            AuditEvent.select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.seq.in_(seqs or [0]))
            .tuples()
        )
        for h in batch:
            text = h.content if isinstance(h.content, str) else None
            problems += _handover(
                h, in_chain.get(h.id), items.get(h.id, []), sigs.get(h.id, []), heads, text
            )
        ids.update(batch_ids)
        if progress is not None:
            progress(STEP_HANDOVERS, len(ids), max(total, len(ids)))
    return ids, problems


def _reports(progress: Progress | None = None) -> tuple[int, list[Finding]]:
    from dutydesk.domain import incidents

    problems: list[Finding] = []
    signed = IncidentReport.signed_at.is_null(False)
    total = IncidentReport.select().where(signed).count() if progress else 0
    staff: dict[int, Staff] = {}
    n = last = 0
    while True:
        batch = list(
            IncidentReport.select()
            .where(signed & (IncidentReport.id > last))
            .order_by(IncidentReport.id)
            .limit(BATCH)
        )
        if not batch:
            break
        batch_ids = [r.id for r in batch]
        sigs = _grouped(
            Signature.select().where(Signature.report.in_(batch_ids)).order_by(Signature.id),
            "report_id",
        )
        missing = {r.author_id for r in batch} - set(staff)
        if missing:
            staff.update({s.id: s for s in Staff.select().where(Staff.id.in_(sorted(missing)))})
        for rep in batch:
            rep_sigs = sigs.get(rep.id, [])
            if not rep_sigs:
                problems.append(
                    Finding(N_("incident report {id}: signed, but no signature"), {"id": rep.id})
                )
            digest = canonical.sha256(incidents.report_content(rep, staff.get(rep.author_id)))
            for s in rep_sigs:
                if s.content_hash != digest:
                    problems.append(
                        Finding(
                            N_("incident report {id}: changed after signing (signature {sig})"),
                            {"id": rep.id, "sig": s.id},
                        )
                    )
        n += len(batch)
        last = batch_ids[-1]
        if progress is not None:
            progress(STEP_REPORTS, n, max(total, n))
    return n, problems


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


def _orphan_signatures() -> list[int]:
    """Handovers that have signatures but are not signed (or no longer exist)."""
    rows = (
        Signature.select(Signature.handover_id)
        .join(Handover, pw.JOIN.LEFT_OUTER, on=(Signature.handover == Handover.id))
        .where(
            Signature.handover.is_null(False)
            & (Handover.id.is_null(True) | (Handover.state != HandoverState.SIGNED))
        )
        .distinct()
        .tuples()
    )
    return sorted(hid for (hid,) in rows)


def verify(head: str | None = None, *, progress: Progress | None = None) -> Report:
    """Check the file (SQLite's integrity_check), the chain, every signed record, the
    guards and (given) a printed head. Records a damaged file no longer lets be read
    are named as such.

    Streams: one pass over the chain in id order, then the signed handovers and
    reports a batch at a time; memory does not grow with the history.
    ``progress`` (optional) is told how far each step is.
    """
    import sqlite3

    printed = parse_head(head) if head else None
    file_check = _FileCheck()
    try:
        return _verify_records(printed, file_check.findings, progress)
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        unreadable = Finding(N_("the records cannot be read: {reason}"), {"reason": str(exc)})
        return Report(0, None, 0, 0, [*file_check.findings(), unreadable], [])
    finally:
        file_check.stop()  # still running only when the checks above ended early


class _FileCheck:
    """SQLite's ``integrity_check`` beside the record checks.

    The file check is SQLite's own work, done without holding Python's lock: in a
    thread with its own connection it runs while the chain and the signatures are
    checked (on two cores the whole takes the longer of the two, not both). A
    PostgreSQL server checks its own pages: nothing to run there.
    """

    def __init__(self) -> None:
        import threading

        from dutydesk.domain import health

        self._result: list[Finding] | None = None
        self._connection: Any = None
        self._thread: threading.Thread | None = None
        if not health.on_sqlite():
            self._result = []
            return
        self._thread = threading.Thread(target=self._run, name="verify-file", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from dutydesk.domain import health

        try:
            self._connection = AuditEvent._meta.database.connection()
            found = _file()
        except Exception as exc:  # the check could not run: said, not raised
            found = [Finding(N_("the file check could not run: {reason}"), {"reason": str(exc)})]
        finally:
            with contextlib.suppress(Exception):
                health.close_thread_connection()
        self._result = found

    def findings(self) -> list[Finding]:
        """What the file check found (waits for it)."""
        if self._thread is not None:
            self._thread.join()
        return list(self._result or [])

    def stop(self) -> None:
        """Interrupt a check nobody will wait for (the record checks failed or were
        stopped): a ten-year file would otherwise keep the disk busy for seconds."""
        if self._thread is not None and self._thread.is_alive() and self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.interrupt()


def _verify_records(
    printed: tuple[int, str] | None,
    file_problems: Callable[[], list[Finding]],
    progress: Progress | None,
) -> Report:
    problems, warnings, in_chain = _chain(progress)
    if printed is not None:
        problems += _head(*printed)
    signed_ids, handover_problems = _handovers(in_chain, progress)
    problems += handover_problems
    for hid in sorted(set(in_chain) - signed_ids):
        problems.append(
            Finding(
                N_("handover {id}: signed in the audit chain, but deleted or no longer signed"),
                {"id": hid},
            )
        )
    for hid in _orphan_signatures():
        problems.append(
            Finding(N_("handover {id}: signatures on a handover that is not signed"), {"id": hid})
        )
    n_reports, report_problems = _reports(progress)
    problems += report_problems
    problems += _guards()
    # A damaged file is named before anything else.
    problems = file_problems() + problems
    return Report(audit.count(), audit.head(), len(signed_ids), n_reports, problems, warnings)


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
