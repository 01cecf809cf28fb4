"""Both sign: the content frozen and hashed, the shifts changed over (EN-8.5.1)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from dutydesk.db import write
from dutydesk.domain import audit, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.content import (
    _context,
    _signature_part,
    content_hash,
    content_of,
    record_part,
)
from dutydesk.domain.handover.flow import _active, _require_draft
from dutydesk.domain.handover.items import _sync_items
from dutydesk.domain.handover.kinds import CARRY_KINDS, MEANING_IN, MEANING_OUT, HandoverState
from dutydesk.domain.handover.reading import view
from dutydesk.domain.handover.records import _get
from dutydesk.domain.handover.views import HandoverView
from dutydesk.domain.staff import StaffInfo, authenticate
from dutydesk.errors import AuthError, RuleViolation
from dutydesk.i18n import N_
from dutydesk.models import HandoverItem, Shift, Signature


def _signer(actor: Actor, staff_no: str, pin: str, side: str) -> StaffInfo:
    """Authenticate one signer at the moment of signing; the error names the side."""
    try:
        return authenticate(actor, staff_no, pin, purpose="sign")
    except AuthError as exc:
        exc.field = f"{side}_{exc.field or 'pin'}"
        raise


# Called with (actor, handover id) after a handover is signed and committed. The
# kiosk adds one that starts a backup in a background thread (never blocking).
AFTER_SIGN: list[Callable[[Actor, int], None]] = []


def sign(
    actor: Actor,
    handover_id: int,
    *,
    outgoing_no: str,
    outgoing_pin: str,
    incoming_no: str,
    incoming_pin: str,
) -> HandoverView:
    """Both sign, each re-entering staff number and PIN now (EN-8.5.1).

    In one transaction: the items carried over are marked, the content frozen
    and hashed with the chain head, both signatures made, the outgoing shift
    closed and the next one opened by the incoming (which ends any "relief
    overdue", CS-R4).
    """
    h = _active(actor, handover_id)
    with write():
        if _sync_items(actor, _get(handover_id)):
            audit.record(actor, "handover.refresh", "handover", handover_id)
    out = _signer(actor, outgoing_no, outgoing_pin, "outgoing")
    inc = _signer(actor, incoming_no, incoming_pin, "incoming")
    if out.id == inc.id:
        raise RuleViolation(N_("Two different people sign a handover"), rule="EN-8.5.1")
    if out.id != h.started_by_id:
        raise RuleViolation(
            N_("The outgoing who started the handover signs it"),
            rule="EN-8.5.1",
            field="outgoing_staff_no",
        )
    if inc.id != h.incoming_staff_id:
        raise RuleViolation(
            N_("The incoming who identified signs it"), rule="EN-8.5.1", field="incoming_staff_no"
        )
    with write():
        h = _get(handover_id)
        _require_draft(h)
        v = view(h.id, actor.now())
        if v.blockers:
            b = v.blockers[0]
            raise RuleViolation(b.msgid, rule=b.rule, **b.values)
        if not v.checklist_done:
            raise RuleViolation(N_("Answer the takeover checklist first"), rule="EN-8.4.1")
        if v.open_to_acknowledge:
            raise RuleViolation(N_("Acknowledge every item first"), rule="EN-8.5.2")
        if not v.read_back_ok:
            raise RuleViolation(
                N_("Read back the number of items carried over first"), rule="EN-8.5.2"
            )
        now = actor.now()
        as_out, as_in = actor.as_staff(out.id), actor.as_staff(inc.id)
        outgoing_shift = Shift.get_by_id(h.outgoing_shift_id)
        # The shift planned after the outgoing one (planned_next is strictly after).
        planned = shifts.planned_next(h.desk_id, outgoing_shift.planned_start)
        shifts.close_shift(as_out, outgoing_shift, f"handover {h.id}")
        incoming_shift = shifts.create_open_shift(as_in, planned, opened_by=inc.id)
        for item in HandoverItem.select().where(HandoverItem.handover == h.id):
            item.carried_over = item.kind in CARRY_KINDS and item.resolved_at is None
            item.save()
        head = audit.head()
        h.incoming_shift = incoming_shift.id
        h.signed_at = now
        h.chain_head_seq = head.seq if head else 0
        h.chain_head_hash = head.hash if head else audit.GENESIS
        h.save()
        signers = ((out, MEANING_OUT), (inc, MEANING_IN))
        record = record_part(
            h,
            signatures=[
                _signature_part(who.id, who.staff_no, who.name, meaning, now)
                for who, meaning in signers
            ],
        )
        content = content_of(record, _context(h))
        digest = content_hash(content)
        for who, meaning in signers:
            sig = Signature.create(
                handover=h.id,
                staff=who.id,
                printed_name=who.name,
                staff_no=who.staff_no,
                signed_at=now,
                meaning=meaning,
                content_hash=digest,
            )
            audit.record(
                as_out if who is out else as_in,
                "signature.create",
                "signature",
                sig.id,
                new={"handover": h.id, "meaning": meaning, "content_hash": digest},
            )
        # The rows now say exactly what was hashed.
        assert record_part(h) == record
        h.content = content
        h.content_hash = digest
        h.state = HandoverState.SIGNED  # from here on the database refuses any change
        h.save()
        audit.record(
            as_in,
            "handover.sign",
            "handover",
            h.id,
            new={
                "content_hash": digest,
                "chain_head": f"{h.chain_head_seq}:{h.chain_head_hash}",
                "incoming_shift": incoming_shift.id,
            },
        )
    for listener in list(AFTER_SIGN):
        # After the commit (e.g. a background backup): the handover is signed whatever
        # a listener does, so its failure must not look like a failed signing.
        with contextlib.suppress(Exception):
            listener(actor, handover_id)
    return view(handover_id, actor.now())
