"""F3, the patrol checklist, driven with keys only (docs/keys.md, "Patrol checklist").

Rules: SE-3 (patrol on time, one key per check), CS4 (condition checks), SG-10
(fire equipment counted), EN-8.3.3 (readings flagged out of range) and EN-8.3.4
(the equipment operation log, paged).
"""

from __future__ import annotations

from typing import Any

from dutydesk.app import DutyDeskApp
from dutydesk.domain import patrols, shifts
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent, Checkpoint, DutyLogEntry, PatrolCheck, PatrolRound
from dutydesk.screens.patrol import OperationLogScreen, PatrolScreen, ReadingDialog
from tests.helpers.patrol import add_checkpoint, add_schedule, guard_route, open_patrol
from tests.helpers.ui import SIZE, make_app, screen_text, type_text


def engine_route(site: Any) -> None:
    """The engineering desk: the transformer 0–85 °C and the supply voltage, due 10:00."""
    add_checkpoint(
        site,
        "T1",
        "reading",
        desk=site.engineering,
        name="Transformer 1",
        unit="°C",
        range_min=0,
        range_max=85,
        area="B1 / switch room",
        position=1,
    )
    add_checkpoint(
        site,
        "V1",
        "reading",
        desk=site.engineering,
        name="Supply voltage",
        unit="V",
        range_min=353.4,
        range_max=406.6,
        area="B1 / switch room",
        position=2,
    )
    add_schedule(
        site, desk=site.engineering, name="Equipment round", kind="fixed", times=("10:00", "14:00")
    )


def engineering_app(site: Any) -> DutyDeskApp:
    """The kiosk at the site's engineering desk (conftest's make_app is the security desk)."""
    set_language("en")
    return DutyDeskApp(
        clock=site.clock, desk_code=site.engineering.code, cli_lang="en", lock_after=100_000
    )


def footer(app: Any) -> str:
    """The last lines of the screen: the key bar."""
    return "\n".join(screen_text(app).splitlines()[-3:])


async def test_no_open_shift_says_where_to_open_it(site):
    guard_route(site)
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "G01")
        text = screen_text(app)
        assert "No shift is open at this desk" in text
        assert "F2" in text and "F5" in text
        assert " o " not in footer(app)  # no patrol keys without a shift
    assert PatrolRound.select().count() == 0


async def test_walk_a_whole_round_with_keys_only_se3(site):
    """SE-3, CS4, SG-10: start, o, x with a note, r with a count, s with a reason, finish —
    one key per check — and the rows in the database say exactly that."""
    guard_route(site)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrol(pilot, "G01")
        # The rounds were generated when the screen opened (ensure_rounds).
        rounds = list(PatrolRound.select().order_by(PatrolRound.due_at))
        assert len(rounds) == 2
        text = screen_text(app)
        assert "10:00" in text and "14:00" in text and "due" in text
        assert "Main gate" in text and "Extinguishers 3F" in text
        assert "Start round" in footer(app)
        assert "Finish round" not in footer(app)
        assert " o " not in footer(app)  # no marks before the start

        await pilot.press("enter")  # start the selected (due) round: time = clock
        await pilot.pause()
        assert "in progress" in screen_text(app)
        assert "OK" in footer(app) and "Problem" in footer(app)
        assert "Reading" not in footer(app)  # a condition check takes no reading

        await pilot.press("o")  # Main gate: OK
        await pilot.pause()
        await pilot.press("x")  # Lobby doors: a problem, with a note
        await pilot.pause()
        await type_text(pilot, "glass cracked")
        await pilot.press("enter")
        await pilot.pause()
        # An incident is offered; declined here: n — the note still
        # goes to the duty log when the round is finished.
        assert "Open an incident at" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        await pilot.press("r")  # Extinguishers: a count
        await pilot.pause()
        assert isinstance(app.screen, ReadingDialog)
        await type_text(pilot, "4")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        assert "Finish round" not in footer(app)  # one check still to mark
        await pilot.press("s")  # Landscape lights: skipped, with a reason
        await pilot.pause()
        await type_text(pilot, "daytime")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "glass cracked" in text and "skipped" in text
        assert "Finish round" in footer(app)
        await pilot.press("f")
        await pilot.pause()
        assert screen.round is not None and screen.round.state == patrols.DONE
        assert "1 of 2 rounds done" in screen_text(app)
        await pilot.press("f2")  # the shift screen's patrol progress follows
        await pilot.pause()
        assert "1 of 2 rounds done" in screen_text(app)

    first = PatrolRound.get_by_id(rounds[0].id)
    assert first.state == "done"
    assert first.started_at == site.clock.now() and first.finished_at == site.clock.now()
    assert first.started_by_id == site.staff["G01"].id
    checks = {
        c.checkpoint.code: c for c in PatrolCheck.select().where(PatrolCheck.round == first.id)
    }
    assert checks["GATE"].result == "ok"
    assert (checks["LOBBY"].result, checks["LOBBY"].note) == ("problem", "glass cracked")
    assert (checks["EXT3"].result, checks["EXT3"].value) == ("count", 4.0)
    assert not checks["EXT3"].out_of_range
    assert (checks["LIGHT"].result, checks["LIGHT"].note) == ("skipped", "daytime")
    assert all(c.marked_by_id == site.staff["G01"].id for c in checks.values())
    # The problem landed in the duty log when the round was finished (SE-4, CS3).
    entry = DutyLogEntry.get(DutyLogEntry.ref_id == checks["LOBBY"].id)
    assert "glass cracked" in entry.text
    assert PatrolRound.get_by_id(rounds[1].id).state == "upcoming"


async def test_skip_a_whole_round_needs_a_reason(site):
    """SE-3: a whole round can be skipped, with a reason (an empty one is refused)."""
    guard_route(site)
    shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "G01")
        assert "Skip round" in footer(app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # no reason yet
        await pilot.pause()
        assert "Fill this in" in screen_text(app)
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await pilot.pause()
        assert "skipped" in screen_text(app) and "fire drill" in screen_text(app)
    skipped = PatrolRound.get(PatrolRound.state == "skipped")
    assert skipped.skip_reason == "fire drill"
    assert PatrolCheck.select().where(PatrolCheck.result.is_null(False)).count() == 0


async def test_engineer_reading_95_is_flagged_out_of_range_en_8_3_3(site):
    """EN-8.3.3: E01 types 95 for the transformer (0–85 °C): flagged on screen, a note is
    asked for, and the row stores out_of_range with the note."""
    engine_route(site)
    shifts.open_without_handover(site.actor("E01", site.engineering), "first shift")
    app = engineering_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "E01")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReadingDialog)
        assert "0–85 °C" in screen_text(app)
        await type_text(pilot, "95")
        await pilot.pause()
        assert "out of range" in screen_text(app)  # flagged while typed
        await pilot.press("enter")  # out of range: the note is asked for, nothing saved
        await pilot.pause()
        assert isinstance(app.screen, ReadingDialog)
        assert dialog.focused is not None and dialog.focused.id == "note"
        assert PatrolCheck.select().where(PatrolCheck.result.is_null(False)).count() == 0
        await type_text(pilot, "fan stopped")
        await pilot.press("enter")
        await pilot.pause()
        assert "Open an incident at" in screen_text(app)  # offered
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        text = screen_text(app)
        assert "95 °C ⚠ too high" in text  # the flag stays on the list
        await pilot.press("up")
        await pilot.pause()
        assert "⚠ out of range 0–85 °C" in screen_text(app)
        assert "fan stopped" in screen_text(app)

    check = PatrolCheck.get(PatrolCheck.result == "reading")
    assert check.checkpoint.code == "T1"
    assert (check.value, check.out_of_range, check.note) == (95.0, True, "fan stopped")


async def test_wrong_unit_and_non_number_refused_next_to_the_field_nothing_lost(site):
    engine_route(site)
    shifts.open_without_handover(site.actor("E01", site.engineering), "first shift")
    app = engineering_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "E01")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await type_text(pilot, "72V")
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReadingDialog)
        assert "Wrong unit V: this checkpoint is read in °C" in screen_text(app)
        assert dialog.value("value") == "72V"  # what was typed is still there
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "abc")
        await pilot.press("enter")
        await pilot.pause()
        assert "Not a number: abc" in screen_text(app)
        assert PatrolCheck.select().where(PatrolCheck.result.is_null(False)).count() == 0
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "72C")
        await pilot.press("enter")  # in range: saved at once
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
    check = PatrolCheck.get(PatrolCheck.result == "reading")
    assert (check.value, check.out_of_range) == (72.0, False)


async def test_undo_while_open_then_correction_with_a_reason_after_finish(site):
    """docs/keys.md u: undo the last mark while the round is open; after finish, only a
    linked correction with a reason (c) changes a mark — the original row stays."""
    engine_route(site)
    shifts.open_without_handover(site.actor("E01", site.engineering), "first shift")
    app = engineering_app(site)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patrol(pilot, "E01")
        await pilot.press("enter")
        await pilot.press("r")
        await type_text(pilot, "70")
        await pilot.press("enter")
        await pilot.pause()
        assert "70 °C" in screen_text(app)
        await pilot.press("up")  # back to the transformer
        await pilot.pause()
        assert "Undo" in footer(app)
        await pilot.press("u")
        await pilot.pause()
        assert "70 °C" not in screen_text(app)
        assert PatrolCheck.select().where(PatrolCheck.result.is_null(False)).count() == 0
        await pilot.press("r")
        await type_text(pilot, "71")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")  # the cursor moved on to the supply voltage
        await type_text(pilot, "380")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert screen.round is not None and screen.round.state == patrols.DONE
        assert "Undo" not in footer(app)  # finished: marks are final
        app.screen.query_one("CheckTable").focus()
        await pilot.press("home")
        await pilot.pause()
        assert "Correct" in footer(app)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+s")  # no reason: refused next to the field
        await pilot.pause()
        assert "Say why the check is corrected" in screen_text(app)
        await type_text(pilot, "misread")
        await pilot.press("tab", "tab")  # past the mark choice to the value
        await type_text(pilot, "17")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)
        assert "17 °C" in screen_text(app) and "corrected" in screen_text(app)
    t1 = (
        PatrolCheck.select()
        .join(Checkpoint)
        .where((Checkpoint.code == "T1") & PatrolCheck.result.is_null(False))
    )
    rows = sorted(t1, key=lambda c: c.id)
    assert [(r.value, r.corrects_id) for r in rows] == [(71.0, None), (17.0, rows[0].id)]
    assert rows[1].correction_reason == "misread"
    assert AuditEvent.select().where(AuditEvent.action == "patrol.check_undo").count() == 1


async def test_operation_log_paged_with_pgdn_and_trend_en_8_3_4(site):
    """EN-8.3.4: the readings of the desk by time and checkpoint, out of range marked,
    paged from the database with PgDn / PgUp, with a 30-day trend."""
    engine_route(site)
    actor = site.actor("E01", site.engineering)
    start = site.clock.now()
    # 30 past days of equipment rounds, the transformer once too hot.
    for day in range(30, 0, -1):
        site.clock.set(start.shift(days=-day).replace(hour=10, minute=0))
        shift = shifts.open_without_handover(actor, "history")
        r = patrols.ensure_rounds(shift.id, actor)[0]
        patrols.start_round(actor, r.id)
        t1, v1 = patrols.round_checks(r.id)
        value = "95" if day == 3 else str(60 + day % 7)
        patrols.mark_reading(actor, t1.id, value, "hot" if day == 3 else "")
        patrols.mark_reading(actor, v1.id, "380")
        patrols.finish_round(actor, r.id)
    site.clock.set(start)
    app = engineering_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "E01")
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        log = app.screen
        assert isinstance(log, OperationLogScreen)
        text = screen_text(app)
        assert "Equipment operation log" in text and "page 1" in text
        assert "95 °C ⚠" in text and "hot" in text  # out of range, marked, with its note
        assert "Trend, 30 days" in text
        first_page = [r.check_id for r in log.rows]
        assert 0 < len(first_page) < 60  # one page, never the whole log
        assert "PgDn" in footer(app) and "PgUp" not in footer(app)
        seen = set(first_page)
        pages = 1
        while "PgDn" in footer(app):
            await pilot.press("pagedown")
            await pilot.pause()
            pages += 1
            assert f"page {pages}" in screen_text(app)
            assert not seen & {r.check_id for r in log.rows}
            seen |= {r.check_id for r in log.rows}
        assert len(seen) == 60 and pages > 1
        await pilot.press("pageup")
        await pilot.pause()
        assert f"page {pages - 1}" in screen_text(app)
        # One checkpoint only: the transformer's trend has its 30 values.
        while log.selected() is None or log.selected().name != "Transformer 1":
            await pilot.press("down")
        await pilot.press("k")
        await pilot.pause()
        assert {r.name for r in log.rows} == {"Transformer 1"}
        assert "readings: 30, 60–95 °C" in screen_text(app)
        assert "1 out of range" in screen_text(app)
        assert list(log.query_one("Sparkline").data)[-3] == 95.0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PatrolScreen)


async def test_extra_round_walked_now_outside_the_schedule(site):
    """An unscheduled round (临时巡查): at 12:00 nothing is due until 14:00, yet E01 can
    walk the equipment route now with `e`, and the reading is recorded and flagged
    like any other (EN-8.3.3)."""
    engine_route(site)
    site.clock.set("2026-12-01 12:00")
    shifts.open_without_handover(site.actor("E01", site.engineering), "first shift")
    app = engineering_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_patrol(pilot, "E01")
        assert "e Extra round" in footer(app).replace("  ", " ")
        await pilot.press("enter")  # the 14:00 round is not due: nothing starts
        await pilot.pause()
        assert PatrolRound.select().where(PatrolRound.started_at.is_null(False)).count() == 0
        await pilot.press("e")
        await pilot.pause()
        assert "Extra round: which route?" in screen_text(app)
        await pilot.press("enter")  # the only route
        await pilot.pause()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReadingDialog)
        await type_text(pilot, "95")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "hot")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")  # no incident now
        await pilot.pause()

    extra = PatrolRound.get(PatrolRound.started_at.is_null(False))
    assert extra.due_at == site.clock.now() and extra.started_by_id == site.staff["E01"].id
    check = PatrolCheck.get(PatrolCheck.result == "reading")
    assert (check.round_id, check.value, check.out_of_range) == (extra.id, 95.0, True)
    assert AuditEvent.select().where(AuditEvent.action == "patrol.extra_round").count() == 1
