"""The printed handover record (EN-8.7.1) reads the signed content and the
discrepancies recorded after it (EN-8.6.4) through the handover's own function."""

from __future__ import annotations

import pytest

from dutydesk.domain import handover, shifts
from dutydesk.errors import NotFound, RuleViolation
from tests.helpers.handover import sign_handover, walk_to_sign


@pytest.fixture
def on_duty(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    return site


def test_signed_record_gives_content_hash_and_later_discrepancies(on_duty):
    site = on_duty
    hid = handover.start(site.actor("G01")).id
    with pytest.raises(RuleViolation, match="not signed"):
        handover.signed_record(hid)
    walk_to_sign(site, hid)
    sign_handover(site, hid)
    handover.record_discrepancy(site.actor("G02"), hid, "Broken window in B2 not reported")
    record = handover.signed_record(hid)
    view = handover.view(hid, site.clock.now())
    assert record.id == hid and record.content_hash == view.content_hash
    assert "record" in record.content and "context" in record.content
    [later] = record.later
    assert later["text"] == "Broken window in B2 not reported" and later["by"] == "G02"
    with pytest.raises(NotFound):
        handover.signed_record(hid + 1000)
