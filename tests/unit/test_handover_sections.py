"""The shift's record a handover shows and signs is one shape, HandoverSections: built
by the domain, stored as plain JSON in the signed content, read back the same by the
screen, the CLI record, the printed report and the demo."""

from __future__ import annotations

from dutydesk.domain.handover import (
    DutyLine,
    HandoverSections,
    KeyLine,
    ReadingLine,
    RoundLine,
    SkippedCheck,
    ToolLine,
)

SECTIONS = HandoverSections(
    duty_log=(DutyLine(7, "2026-12-01T08:00:00.000000Z", "duty", "Gate 2 lamp", "fixed", "G01"),),
    patrol=(
        RoundLine(
            3,
            "Night walk",
            "2026-12-01T09:00:00.000000Z",
            "done",
            "",
            (SkippedCheck("Lobby", "door blocked"),),
            ("Roof",),
        ),
    ),
    readings=(ReadingLine(9, "Boiler: 95 °C (60–90)", "2026-12-01T09:10:00.000000Z", "told"),),
    tools=(ToolLine("Radio", 3),),
    keys_out=(KeyLine(4, "Boiler room", "Plumber Liu", "2026-12-01T10:00:00.000000Z"),),
)


def test_the_plain_form_reads_back_the_same():
    plain = SECTIONS.to_plain()
    assert plain["tools"] == [{"name": "Radio", "quantity": 3}]
    assert plain["patrol"][0]["skipped"] == [{"checkpoint": "Lobby", "note": "door blocked"}]
    assert HandoverSections.from_plain(plain) == SECTIONS


def test_a_record_without_a_part_reads_it_as_empty():
    """An older signed record may lack a part (or the whole sections)."""
    assert HandoverSections.from_plain(None) == HandoverSections()
    partial = HandoverSections.from_plain({"tools": [{"name": "Radio", "quantity": 3}]})
    assert partial.tools == (ToolLine("Radio", 3),) and partial.duty_log == ()
