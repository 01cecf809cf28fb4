"""Handover items about a patrol round or a count are shown in the reader's
language with what was expected; what was stored and signed stays as it was."""

from __future__ import annotations

from dutydesk.cli import main
from dutydesk.db import write
from dutydesk.domain import handover, shifts
from dutydesk.i18n import set_language
from dutydesk.models import Checkpoint, HandoverItem
from tests.helpers.handover import sign_handover, walk_to_sign
from tests.helpers.patrol_items import skipped_round_and_short_count


def test_items_read_in_english_with_the_expected_count(site, db_path, capsys):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    skipped_round_and_short_count(site)
    hid = handover.start(site.actor("G01")).id
    stored = sorted(i.text for i in HandoverItem.select().where(HandoverItem.handover == hid))
    try:
        set_language("en")
        shown = {i.kind: i.shown for i in handover.view(hid, site.clock.now()).items}
        assert shown["reading"] == "Warehouse spare extinguishers: 11 具 (expected 12 具)"
        assert shown["patrol_skipped"] == "Scheduled patrol 14:00"
        set_language("zh")
        shown = {i.kind: i.shown for i in handover.view(hid, site.clock.now()).items}
        assert shown["reading"] == "仓库备用灭火器: 11 具 (应为 12 具)"
        assert shown["patrol_skipped"] == "定时巡查 14:00"
    finally:
        set_language("zh")
    # What is stored (and signed) is unchanged: the site's names, the count's "(–)".
    assert stored == ["仓库备用灭火器: 11 具 (–)", "定时巡查 14:00"]
    walk_to_sign(site, hid)
    sign_handover(site, hid)
    assert main(["handover", "show", str(hid), "--db", str(db_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Warehouse spare extinguishers: 11 具 (expected 12 具)" in out
    assert "Scheduled patrol 14:00" in out and "Scheduled patrol — " in out
    assert "(–)" not in out and "定时巡查" not in out


def test_a_checkpoint_changed_since_shows_the_stored_text(site):
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    site.clock.set("2026-12-01 15:20")
    skipped_round_and_short_count(site)
    hid = handover.start(site.actor("G01")).id
    with write():
        Checkpoint.update(name="备用灭火器").execute()
    try:
        set_language("en")
        shown = {i.kind: i.shown for i in handover.view(hid, site.clock.now()).items}
    finally:
        set_language("zh")
    assert shown["reading"] == "仓库备用灭火器: 11 具 (–)"
