"""The walk: start, stop, identify, checklist, acknowledge, read back, refuse."""

from __future__ import annotations

from dutydesk.db import write
from dutydesk.domain import audit, bounds, interruptions, patrols, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.handover.items import _sync_items
from dutydesk.domain.handover.kinds import (
    CHECKLIST,
    ENDED_UNSIGNED,
    HandoverState,
    ItemKind,
)
from dutydesk.domain.handover.reading import in_progress, view
from dutydesk.domain.handover.records import _get, _hhmm
from dutydesk.domain.handover.views import HandoverView
from dutydesk.domain.people import Person
from dutydesk.domain.staff import authenticate
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import AuditEvent, Handover, HandoverItem

# --- the walk ------------------------------------------------------------------------------


def start(actor: Actor, *, notes: str = "", early_reason: str = "") -> HandoverView:
    """The outgoing starts the handover of the desk's open shift.

    From ``desk.handover_window_minutes`` before the shift's planned end, or any
    time after; earlier needs a reason (the outgoing falls ill…).
    """
    desk_id, staff_id = actor.require_login()
    bounds.text(notes, "notes")
    bounds.text(early_reason, "early_reason")
    now = actor.now()
    with write():
        shift = shifts.open_shift_of(desk_id)
        if shift is None:
            raise RuleViolation(N_("No shift is open at this desk: there is nothing to hand over"))
        if in_progress(desk_id) is not None:
            raise RuleViolation(N_("A handover is already in progress at this desk"))
        window = shifts.desk_of(desk_id).handover_window_minutes
        opens = shift.planned_end.shift(minutes=-window)
        if now < opens and not early_reason.strip():
            raise ValidationError(
                N_("The handover opens at {time}; say why you hand over early"),
                field="early_reason",
                time=_hhmm(opens),
            )
        if not notes.strip():
            notes = _notes_of_ended(shift.id)
        h = Handover.create(
            desk=desk_id,
            outgoing_shift=shift.id,
            started_by=staff_id,
            started_at=now,
            early_reason=early_reason.strip() if now < opens else "",
            notes=notes,
            state=HandoverState.DRAFT,
        )
        _sync_items(actor, h)
        audit.record(
            actor,
            "handover.start",
            "handover",
            h.id,
            new={
                "shift": shift.id,
                "early_reason": h.early_reason,
                "notes": notes,
            },
        )
    return view(h.id, actor.now())


def _notes_of_ended(shift_id: int) -> str:
    """The outgoing's notes on the last refused or stopped handover of the same shift:
    a restarted handover carries them, so nothing written is lost (EN-8.5.3)."""
    last = (
        Handover.select(Handover.notes)
        .where((Handover.outgoing_shift == shift_id) & Handover.state.in_(list(ENDED_UNSIGNED)))
        .order_by(Handover.id.desc())
        .first()
    )
    return last.notes if last is not None else ""


def abort_if_in_progress(actor: Actor, desk_id: int, reason: str) -> int | None:
    """Stop the desk's handover in progress, if any, under EN-8.6.3 (see
    :mod:`dutydesk.domain.interruptions`). Returns the id stopped."""
    return interruptions.stop_in_progress(actor, desk_id, reason)


def abort(actor: Actor, handover_id: int, reason: str) -> None:
    """The outgoing stops the handover (it can be started again later)."""
    actor.require_login()
    if not reason.strip():
        raise ValidationError(N_("Say why the handover is stopped"), field="reason")
    with write():
        h = _get(handover_id)
        _require_draft(h)
        interruptions.stop(actor, h, reason.strip())


def _require_draft(h: Handover) -> None:
    if h.state != HandoverState.DRAFT:
        raise RuleViolation(N_("This handover is no longer in progress"))


def _active(actor: Actor, handover_id: int) -> Handover:
    """The handover, still in progress; an incident opened since it started aborts it
    (EN-8.6.3) — committed before the error is raised."""
    h = _get(handover_id)
    _require_draft(h)
    stopped = False
    with write():
        h = _get(handover_id)
        _require_draft(h)
        stopped = interruptions.stop_if_incident_since(actor, h)
    if stopped:
        raise RuleViolation(
            N_(
                "An incident was opened during the handover, so it is stopped; "
                "start it again when the incident allows"
            ),
            rule="EN-8.6.3",
        )
    return h


def _as_outgoing(actor: Actor, h: Handover) -> None:
    if actor.staff_id != h.started_by_id:
        raise RuleViolation(N_("Only the outgoing person who started the handover can do this"))


def _incoming(h: Handover) -> int:
    if h.incoming_staff_id is None:
        raise RuleViolation(N_("The incoming person identifies first"), rule="EN-8.5.1")
    return int(h.incoming_staff_id)


def set_notes(actor: Actor, handover_id: int, notes: str) -> None:
    """The outgoing's own notes on the record (EN-8.5.3)."""
    bounds.text(notes, "notes")
    h = _active(actor, handover_id)
    _as_outgoing(actor, h)
    with write():
        h = _get(handover_id)
        old = h.notes
        h.notes = notes
        h.save()
        audit.record(
            actor, "handover.notes", "handover", h.id, old={"notes": old}, new={"notes": notes}
        )


def set_reason(actor: Actor, handover_id: int, item_id: int, reason: str) -> None:
    """The outgoing says why an item passed on is not resolved (CS-R6)."""
    h = _active(actor, handover_id)
    _as_outgoing(actor, h)
    if not reason.strip():
        raise ValidationError(N_("Say why it is not resolved"), field="reason", rule="CS-R6")
    with write():
        item = _item(h, item_id)
        old = item.reason
        item.reason = reason.strip()
        # The incoming acknowledges what the item now says.
        item.acknowledged_at = None
        item.acknowledged_by = None
        item.save()
        audit.record(
            actor,
            "handover.item_reason",
            "handover_item",
            item.id,
            old={"reason": old},
            new={"reason": item.reason},
        )


def _item(h: Handover, item_id: int) -> HandoverItem:
    item: HandoverItem | None = HandoverItem.get_or_none(
        (HandoverItem.id == item_id) & (HandoverItem.handover == h.id)
    )
    if item is None:
        raise NotFound(N_("No such item in this handover"))
    return item


def identify_incoming(actor: Actor, handover_id: int, staff_no: str, pin: str) -> Person:
    """The incoming identifies on the same terminal with staff number and PIN
    (EN-8.5.1): a different, active person. A new identification starts the
    takeover afresh."""
    h = _active(actor, handover_id)
    who = authenticate(actor, staff_no, pin, purpose="handover")  # refuses inactive staff
    if who.id == h.started_by_id:
        raise RuleViolation(
            N_("The incoming must be a different person from the outgoing"),
            rule="EN-8.5.1",
            field="staff_no",
        )
    with write():
        h = _get(handover_id)
        _require_draft(h)
        if h.incoming_staff_id != who.id:
            HandoverItem.delete().where(
                (HandoverItem.handover == h.id) & (HandoverItem.kind == ItemKind.CHECKLIST)
            ).execute()
            HandoverItem.update(acknowledged_at=None, acknowledged_by=None).where(
                HandoverItem.handover == h.id
            ).execute()
            h.checklist = None
            h.read_back = None
        h.incoming_staff_id = who.id
        h.identified_at = actor.now()
        h.save()
        audit.record(
            actor.as_staff(who.id),
            "handover.identify",
            "handover",
            h.id,
            new={"incoming": who.staff_no},
        )
    return Person.of(who)


def answer_check(actor: Actor, handover_id: int, key: str, ok: bool, note: str = "") -> None:
    """One answer of the takeover checklist (EN-8.4.1–4). A "no" needs a note and
    becomes an item carried over (with the note as its reason)."""
    bounds.text(note, "note")
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    rules = {k: r for k, _q, r in CHECKLIST}
    if key not in rules:
        raise NotFound(N_("No such check: {key}"), key=key)
    if not ok and not note.strip():
        raise ValidationError(N_("Say what is wrong"), field="note", rule=rules[key])
    now = actor.now()
    with write():
        h = _get(handover_id)
        answers = dict(h.checklist or {})
        answers[key] = {"ok": bool(ok), "note": "" if ok else note.strip()}
        h.checklist = answers
        h.read_back = None
        h.save()
        HandoverItem.delete().where(
            (HandoverItem.handover == h.id)
            & (HandoverItem.kind == ItemKind.CHECKLIST)
            & (HandoverItem.ref_type == f"check:{key}")
        ).execute()
        if not ok:
            # Raised by the incoming, so acknowledged by them as it is made.
            HandoverItem.create(
                handover=h.id,
                kind=ItemKind.CHECKLIST,
                ref_type=f"check:{key}",
                text=note.strip(),
                reason=note.strip(),
                acknowledged_at=now,
                acknowledged_by=incoming,
            )
        audit.record(
            actor.as_staff(incoming),
            "handover.check",
            "handover",
            h.id,
            new={"key": key, "ok": bool(ok), "note": answers[key]["note"]},
        )


def acknowledge(actor: Actor, handover_id: int, item_id: int) -> None:
    """The incoming confirms one open item (EN-8.5.2–4): one call per item, no
    "accept all"."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    with write():
        item = _item(h, item_id)
        if item.resolved_at is not None:
            raise RuleViolation(N_("This item is resolved; there is nothing to acknowledge"))
        if item.acknowledged_at is not None:
            return
        item.acknowledged_at = actor.now()
        item.acknowledged_by_id = incoming
        item.save()
        audit.record(
            actor.as_staff(incoming),
            "handover.acknowledge",
            "handover_item",
            item.id,
            new={"kind": item.kind, "text": item.text},
        )


def confirm_read_back(actor: Actor, handover_id: int, count: int) -> None:
    """The incoming types how many items are carried over; it must match (EN-8.5.2)."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    wrong = False
    with write():
        h = _get(handover_id)
        _sync_items(actor, h)
        v = view(h.id, actor.now())
        if not v.checklist_done:
            raise RuleViolation(N_("Answer the takeover checklist first"), rule="EN-8.4.1")
        if v.open_to_acknowledge:
            raise RuleViolation(N_("Acknowledge every item first"), rule="EN-8.5.2")
        if count != v.carry_count:
            wrong = True
            audit.record(
                actor.as_staff(incoming),
                "handover.read_back_wrong",
                "handover",
                h.id,
                new={"count": count},
            )
        else:
            h.read_back = count
            h.save()
            audit.record(
                actor.as_staff(incoming),
                "handover.read_back",
                "handover",
                h.id,
                new={"count": count},
            )
    if wrong:
        raise ValidationError(
            N_("That is not the number of items carried over; count them again"),
            field="count",
            rule="EN-8.5.2",
        )


def refuse(actor: Actor, handover_id: int, reason: str) -> None:
    """The incoming refuses to take over, with a reason (EN-8.6.1). The outgoing
    stays on duty: the shift stays open."""
    h = _active(actor, handover_id)
    incoming = _incoming(h)
    if not reason.strip():
        raise ValidationError(
            N_("Say why you refuse to take over"), field="reason", rule="EN-8.6.1"
        )
    with write():
        h = _get(handover_id)
        h.state = HandoverState.REFUSED
        h.end_reason = reason.strip()
        h.save()
        _unskip_rounds(actor, h)
        audit.record(
            actor.as_staff(incoming),
            "handover.refuse",
            "handover",
            h.id,
            new={"reason": h.end_reason},
        )


def refresh(actor: Actor, handover_id: int) -> HandoverView:
    """Re-read the records into the items (new keys out, repairs handled…) and view."""
    h = _active(actor, handover_id)
    with write():
        h = _get(h.id)
        if h.state == HandoverState.DRAFT and _sync_items(actor, h):
            audit.record(actor, "handover.refresh", "handover", h.id)
    return view(handover_id, actor.now())


# --- rounds skipped to clear a blocker ---------------------------------------------------


def skip_round(actor: Actor, handover_id: int, round_id: int, reason: str) -> None:
    """Skip a patrol round of the outgoing shift with a reason, to clear its blocker
    (EN-8.6.1). Should the handover end unsigned (refused or stopped), a round
    skipped whole here comes back as it was: the outgoing stays on duty and may
    still walk it. A round in progress is finished by the skip (its remaining
    checks skipped), and a finished round's marks are final: it stays finished."""
    h = _active(actor, handover_id)
    _as_outgoing(actor, h)
    before = patrols.get_round(round_id, actor.now())
    if before.shift_id != h.outgoing_shift_id:
        raise RuleViolation(N_("This round is not of the shift being handed over"))
    with write():
        patrols.skip_round(actor, round_id, reason)
        _sync_items(actor, _get(h.id))  # the skipped round is now an item to acknowledge
        audit.record(
            actor,
            "handover.round_skip",
            "handover",
            h.id,
            new={"round": round_id, "was": before.state, "started": before.started_at is not None},
        )


def _unskip_rounds(actor: Actor, h: Handover) -> None:
    """Inside a write: the rounds skipped whole through this handover come back."""
    events = AuditEvent.select(AuditEvent.new).where(
        (AuditEvent.action == "handover.round_skip")
        & (AuditEvent.record_type == "handover")
        & (AuditEvent.record_id == h.id)
    )
    for event in events:
        new = event.new or {}
        if not new.get("started"):
            patrols.unskip_round(actor, int(new["round"]))


# However a handover is stopped (by the outgoing, or by an incident: EN-8.6.3).
interruptions.AFTER_STOP.append(_unskip_rounds)
