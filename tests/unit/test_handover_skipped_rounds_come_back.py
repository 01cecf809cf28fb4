"""A round skipped from the handover (k, to clear its EN-8.6.1 blocker) comes back as
it was when the handover ends unsigned: refused, stopped by the outgoing, or stopped
by an incident (EN-8.6.3). The outgoing stays on duty and may still walk it."""

from __future__ import annotations

import pytest

from dutydesk.db import write
from dutydesk.domain import handover, incidents, patrols, shifts
from dutydesk.errors import NotFound
from dutydesk.models import PatrolRound, PatrolSchedule
from tests.helpers.site import PIN

pytestmark = pytest.mark.both_backends


@pytest.fixture
def on_duty(site):
    """G01 on the early shift of 1 Dec, inside the handover window, one round overdue."""
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    shift_id = shifts.open_shift_of(site.security.id).id
    with write():
        sched = PatrolSchedule.create(
            desk=site.security.id, name="Night walk", kind="interval", interval_hours=2
        )
        site.round_id = PatrolRound.create(
            shift=shift_id, schedule=sched.id, due_at=site.clock.now().shift(minutes=-60)
        ).id
    return site


def _skip_in_handover(site) -> int:
    g01 = site.actor("G01")
    hid = handover.start(g01).id
    assert [b.ref_id for b in handover.view(hid, site.clock.now()).blockers] == [site.round_id]
    handover.skip_round(g01, hid, site.round_id, "Rain storm")
    assert handover.view(hid, site.clock.now()).blockers == []
    assert patrols.get_round(site.round_id, site.clock.now()).state == patrols.SKIPPED
    return hid


def _round_as_before(site) -> None:
    r = patrols.get_round(site.round_id, site.clock.now())
    assert (r.state, r.skip_reason) == (patrols.OVERDUE, "")


def test_refused_handover_gives_the_skipped_round_back(on_duty):
    site = on_duty
    hid = _skip_in_handover(site)
    handover.identify_incoming(site.actor("G01"), hid, "G02", PIN)
    handover.refuse(site.actor("G01"), hid, "Logs not in order")
    _round_as_before(site)
    # A new handover is blocked by it again (EN-8.6.1).
    v = handover.start(site.actor("G01"))
    assert [b.ref_id for b in v.blockers] == [site.round_id]


def test_stopped_handover_gives_the_skipped_round_back(on_duty):
    site = on_duty
    hid = _skip_in_handover(site)
    handover.abort(site.actor("G01"), hid, "wrong moment")
    _round_as_before(site)


def test_handover_stopped_by_an_incident_gives_the_skipped_round_back(on_duty):
    site = on_duty
    _skip_in_handover(site)
    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Gate 2",
            category="fire",
            description="Smoke in the bin room",
            occurred_at=site.clock.now(),
        ),
    )
    _round_as_before(site)


def test_a_signed_handover_keeps_the_round_skipped(on_duty):
    site = on_duty
    hid = _skip_in_handover(site)
    g01 = site.actor("G01")
    handover.identify_incoming(g01, hid, "G02", PIN)
    for key in handover.CHECK_KEYS:
        handover.answer_check(g01, hid, key, True)
    for item in handover.view(hid, site.clock.now()).open_to_acknowledge:
        handover.acknowledge(g01, hid, item.id)
    handover.confirm_read_back(g01, hid, handover.view(hid, site.clock.now()).carry_count)
    handover.sign(
        g01, hid, outgoing_no="G01", outgoing_pin=PIN, incoming_no="G02", incoming_pin=PIN
    )
    r = patrols.get_round(site.round_id, site.clock.now())
    assert (r.state, r.skip_reason) == (patrols.SKIPPED, "Rain storm")


def test_a_round_skipped_outside_the_handover_stays_skipped(on_duty):
    """Only what the handover skipped is undone: a round skipped on F3 stays so."""
    site = on_duty
    patrols.skip_round(site.actor("G01"), site.round_id, "Rain storm")
    hid = handover.start(site.actor("G01")).id
    handover.abort(site.actor("G01"), hid, "wrong moment")
    assert patrols.get_round(site.round_id, site.clock.now()).state == patrols.SKIPPED


def test_only_a_round_of_the_shift_handed_over_is_skipped_here(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    with pytest.raises(NotFound):
        handover.skip_round(site.actor("G01"), hid, site.round_id + 999, "x")
