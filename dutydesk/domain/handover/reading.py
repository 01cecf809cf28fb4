"""Reading a handover: as the screen shows it, and as the printed record gives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.domain.handover.blockers import blockers_of
from dutydesk.domain.handover.content import build_sections
from dutydesk.domain.handover.kinds import HandoverState
from dutydesk.domain.handover.records import _checks, _get, _items, _person
from dutydesk.domain.handover.sections import HandoverSections
from dutydesk.domain.handover.views import HandoverView
from dutydesk.errors import NotFound, RuleViolation
from dutydesk.i18n import N_
from dutydesk.models import Handover, HandoverDiscrepancy, Staff


def view(handover_id: int, now: arrow.Arrow) -> HandoverView:
    """The handover as the screen shows it, blockers recomputed at ``now``."""
    h = _get(handover_id)
    state = HandoverState(h.state)
    live = state == HandoverState.DRAFT
    signed = state == HandoverState.SIGNED
    sections = (
        build_sections(h)
        if live
        else HandoverSections.from_plain((h.content or {}).get("context", {}).get("sections"))
    )
    return HandoverView(
        id=h.id,
        desk_id=h.desk_id,
        state=state,
        outgoing_shift_id=h.outgoing_shift_id,
        incoming_shift_id=h.incoming_shift_id,
        outgoing=_person(h.started_by_id),  # type: ignore[arg-type]
        incoming=_person(h.incoming_staff_id),
        started_at=h.started_at,
        signed_at=h.signed_at,
        early_reason=h.early_reason,
        notes=h.notes,
        end_reason=h.end_reason,
        items=_items(h),
        checks=_checks(h),
        blockers=blockers_of(h, now) if live else [],
        read_back=h.read_back,
        sections=sections,
        chain_head_seq=h.chain_head_seq if signed else None,
        chain_head_hash=h.chain_head_hash if signed else "",
        content_hash=h.content_hash if signed else "",
        abort_rule=h.abort_rule or "",
        abort_incident_id=h.abort_incident_id,
    )


def latest(desk_id: int) -> int | None:
    """The id of the desk's most recent handover (any state), if any."""
    h = Handover.select(Handover.id).where(Handover.desk == desk_id).order_by(Handover.id.desc())
    first = h.first()
    return first.id if first else None


def in_progress(desk_id: int) -> int | None:
    """The id of the handover in progress at the desk, if any."""
    h = Handover.get_or_none((Handover.desk == desk_id) & (Handover.state == HandoverState.DRAFT))
    return h.id if h else None


@dataclass(frozen=True)
class SignedRecord:
    """What the two signatures bind, and the discrepancies recorded against it later
    (EN-8.6.4), for the printed record (EN-8.7.1)."""

    id: int
    content: dict[str, Any]
    content_hash: str
    # Each: ``text``, ``created_at`` (ISO 8601) and ``by`` (the author's staff number).
    later: list[dict[str, str]]


def signed_record(handover_id: int) -> SignedRecord:
    """The signed handover ``handover_id``; refused while it is not signed."""
    h = Handover.get_or_none(Handover.id == handover_id)
    if h is None:
        raise NotFound(N_("No handover {id}"), id=handover_id)
    if h.state != HandoverState.SIGNED:
        raise RuleViolation(N_("Handover {id} is not signed ({state})"), id=h.id, state=h.state)
    later = [
        {"text": d.text, "created_at": d.created_at.isoformat(), "by": d.author.staff_no}
        for d in HandoverDiscrepancy.select(HandoverDiscrepancy, Staff)
        .join(Staff, on=HandoverDiscrepancy.author)
        .where(HandoverDiscrepancy.handover == h.id)
        .order_by(HandoverDiscrepancy.id)
    ]
    return SignedRecord(h.id, dict(h.content or {}), h.content_hash, later)
