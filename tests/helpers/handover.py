"""A shift handed over and signed, and a signed incident report (records that triggers
keep unchanged and that the audit chain covers)."""

from __future__ import annotations

from dutydesk.db import write
from dutydesk.domain import handover, incidents, shifts
from dutydesk.models import (
    Incident,
    KeyLoan,
)
from tests.helpers.site import PIN


def open_shift_id(site):
    return shifts.open_shift_of(site.security.id).id


def key_out(site, name="Boiler room"):
    with write():
        return KeyLoan.create(
            desk=site.security.id,
            shift=open_shift_id(site),
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            key_name=name,
            borrower="Plumber Liu",
            out_at=site.clock.now(),
        )


def walk_to_sign(site, hid, *, incoming="G02"):
    """Identify, answer the checklist yes, acknowledge each item, read back."""
    g01 = site.actor("G01")
    handover.identify_incoming(g01, hid, incoming, PIN)
    for key in handover.CHECK_KEYS:
        handover.answer_check(g01, hid, key, True)
    for item in handover.view(hid, site.clock.now()).open_to_acknowledge:
        handover.acknowledge(g01, hid, item.id)
    handover.confirm_read_back(g01, hid, handover.view(hid, site.clock.now()).carry_count)


def sign_handover(site, hid, out="G01", inc="G02", out_pin=PIN, inc_pin=PIN):
    return handover.sign(
        site.actor("G01"),
        hid,
        outgoing_no=out,
        outgoing_pin=out_pin,
        incoming_no=inc,
        incoming_pin=inc_pin,
    )


def signed_handover(site) -> int:
    """G01 hands the early shift over to G02 (used by the immutability and verify tests)."""
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    key_out(site)
    hid = handover.start(site.actor("G01"), notes="Gate 2 lamp flickers").id
    walk_to_sign(site, hid)
    handover.answer_check(site.actor("G01"), hid, "rooms_clean", False, "Bin full")
    handover.confirm_read_back(site.actor("G01"), hid, 2)
    site.clock.advance(minutes=5)
    sign_handover(site, hid)
    return hid


def signed_report(site) -> int:
    with write():
        inc = Incident.create(
            desk=site.security.id,
            author=site.staff["G01"].id,
            created_at=site.clock.now(),
            occurred_at=site.clock.now(),
            place="Gate",
            category="security",
            description="Break-in",
            severity="major",
        )
    return incidents.file_report(site.actor("G01"), inc.id, "Report text", "G01", PIN).id
