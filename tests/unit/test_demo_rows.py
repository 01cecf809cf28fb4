"""The demo writes its rows by field name, each checked against the model."""

from __future__ import annotations

import peewee as pw
import pytest

from dutydesk import models as m
from dutydesk.demo.bulk import Bulk, model_row


def test_a_row_naming_only_fields_of_its_model_passes() -> None:
    row = {"desk": 1, "shift": 2, "staff": 3, "due_at": "x", "confirmed_at": None, "missed": True}
    assert model_row(m.PresenceCheck, row) is row


def test_a_key_that_is_not_a_field_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"PresenceCheck has no field confirmd_at, staf"):
        model_row(m.PresenceCheck, {"desk": 1, "staf": 3, "confirmd_at": None})


def test_the_bulk_writer_checks_its_first_row_and_holds_later_ones_to_it(
    db: pw.Database,
) -> None:
    bulk = Bulk(db, m.Contact, first_id=7)
    with pytest.raises(ValueError, match="Contact has no field phone_no"):
        bulk.add(role="police", name="Police", phone_no="110", position=0)
    with pytest.raises(ValueError, match="the id is given by the bulk writer"):
        bulk.add(id=3, role="police", name="Police", phone="110", position=0)
    assert bulk.add(role="police", name="Police", phone="110", position=0) == 7
    # Same names in another order are the same row.
    assert bulk.add(position=1, phone="119", name="Fire", role="fire") == 8
    with pytest.raises(ValueError, match="the first one named"):
        bulk.add(role="fire", name="Fire", phone="119")
    bulk.flush()
    rows = [(c.id, c.role, c.phone, c.position) for c in m.Contact.select().order_by(m.Contact.id)]
    assert rows[-2:] == [(7, "police", "110", 0), (8, "fire", "119", 1)]
