"""A duty day at the desk without friction: F5, F2, F3, F8, the lock screen and F10
driven with keys only (pilot.press) at 80×24, in both languages, on a real database.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from dutydesk.db import write
from dutydesk.domain import checkpoints as cps
from dutydesk.domain import incidents, logs, patrols, roster, shifts
from dutydesk.domain.shifts import close_shift
from dutydesk.i18n import current_language
from dutydesk.models import AuditEvent, Handover, Incident, PatrolCheck, PatrolRound, Shift
from dutydesk.screens.patrol import CheckTable
from dutydesk.widgets.keybar import KeyBar
from tests.helpers.patrol import desk_day_route
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

LANGS = ["en", "zh"]


async def _press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


def _open_shift_with_next(site: Any) -> int:
    """G01's early shift open; G02 on the roster of the next one. Returns the shift id."""
    shift = shifts.open_without_handover(site.actor("G01"), "first shift of the site")
    nxt = shifts.planned_next(site.security.id, site.clock.now())
    roster.assign(
        site.actor("S01"),
        site.security.id,
        nxt.template_id,
        nxt.business_date,
        site.staff["G02"].id,
    )
    return shift.id


# --- F5: a round in progress at handover time (EN-8.6.1) ---------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_round_in_progress_can_be_skipped_for_the_rest_from_f5(site: Any, lang: str) -> None:
    """The blocker offers what works: k skips the remaining checks with the reason and
    finishes the round; the blocker is gone (no dead end at the handover)."""
    desk_day_route(site)
    shift_id = _open_shift_with_next(site)
    patrols.ensure_rounds(shift_id, site.actor("G01"))
    rnd = patrols.rounds_of_shift(shift_id, site.clock.now())[0]
    patrols.start_round(site.actor("G01"), rnd.id)
    first = patrols.round_checks(rnd.id)[0]
    patrols.mark_ok(site.actor("G01"), first.id)
    site.clock.set("2026-12-01 15:30")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5")
        await _press(pilot, "s")
        text = screen_text(app)
        assert ("skip its remaining checks" if lang == "en" else "跳过其余检查点") in text
        await _press(pilot, "k")
        await type_text(pilot, "Called to the gate")
        await _press(pilot, "enter")
        assert app.screen.v.blockers == () or all(
            b.ref_type != "patrol_round" for b in app.screen.v.blockers
        )
    r = PatrolRound.get_by_id(rnd.id)
    assert r.state in ("done", "done_late") and r.finished_at is not None
    checks = list(
        PatrolCheck.select().where(PatrolCheck.round == rnd.id).order_by(PatrolCheck.position)
    )
    assert [c.result for c in checks] == ["ok", "skipped", "skipped"]
    assert [c.note for c in checks] == ["", "Called to the gate", "Called to the gate"]


@pytest.mark.parametrize("lang", LANGS)
async def test_refused_handover_keeps_the_outgoings_notes(site: Any, lang: str) -> None:
    """EN-8.6.1 / EN-8.5.3: after a refusal the restarted handover carries the notes."""
    _open_shift_with_next(site)
    site.clock.set("2026-12-01 15:30")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s", "t")
        await type_text(pilot, "Gate 2 lock sticks")
        await _press(pilot, "ctrl+s", "i")
        await type_text(pilot, "G02")
        await _press(pilot, "enter")
        await type_text(pilot, PIN)
        await _press(pilot, "enter", "r")
        await type_text(pilot, "Radio 3 missing")
        await _press(pilot, "enter")
        await _press(pilot, "s")
        assert app.screen.v is not None and app.screen.v.state == "draft"
        assert "Gate 2 lock sticks" in screen_text(app)
    rows = list(Handover.select().order_by(Handover.id))
    assert [h.state for h in rows] == ["refused", "draft"]
    assert rows[1].notes == "Gate 2 lock sticks"


# --- alerts follow their cause; F10 is recorded (SE-3, docs/keys.md F10) --------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_overdue_round_banner_clears_itself_when_the_round_is_started(
    site: Any, lang: str
) -> None:
    """No F10 needed: the alert goes when its cause (the overdue round) is gone."""
    desk_day_route(site)
    site.clock.set("2026-12-01 07:30")
    shift_id = _open_shift_with_next(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-01 10:20")
        app._idle_tick()
        await pilot.pause()
        assert len(app.alerts) == 1
        assert ("(F10" in screen_text(app)) or ("F10" in screen_text(app))
        rnd = patrols.rounds_of_shift(shift_id, site.clock.now())[0]
        patrols.start_round(app.actor, rnd.id)
        site.clock.advance(minutes=1)
        app._idle_tick()
        await pilot.pause()
        assert app.alerts == []
        assert not app.check_action("acknowledge", ())
    assert AuditEvent.select().where(AuditEvent.action == "alert.acknowledge").count() == 0


@pytest.mark.parametrize("lang", LANGS)
async def test_f10_acknowledges_live_alerts_and_is_audited(site: Any, lang: str) -> None:
    desk_day_route(site)
    site.clock.set("2026-12-01 07:30")
    _open_shift_with_next(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        site.clock.set("2026-12-01 10:20")
        app._idle_tick()
        await pilot.pause()
        assert len(app.alerts) == 1
        await _press(pilot, "f10")
        assert app.alerts == []
    ev = AuditEvent.get(AuditEvent.action == "alert.acknowledge")
    assert ev.staff_id == site.staff["G01"].id
    assert "round:2026-12-01 10:00" in str(ev.new)


# --- the lock screen -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_wrong_pin_clears_both_fields_and_retyping_logs_in(site: Any, lang: str) -> None:
    """After a wrong PIN, "G01 Tab PIN Enter" typed again from the start logs in."""
    app = make_app(site, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", "9999")
        assert app.staff is None
        assert app.screen.query_one("#staff-no").value == ""
        assert app.screen.query_one("#pin").value == ""
        assert app.focused is not None and app.focused.id == "staff-no"
        await login(pilot, "G01", PIN)
        assert app.staff is not None and app.staff.staff_no == "G01"


@pytest.mark.parametrize("lang", LANGS)
async def test_lock_screen_says_quitting_needs_a_supervisor(site: Any, lang: str) -> None:
    app = make_app(site, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert (
            "needs a supervisor's number and PIN" if lang == "en" else "主管的工号和密码"
        ) in text


# --- the key bar and the header at 80×24 (docs/keys.md: at 80 columns) ------------------------


def _keybar_lines(app: Any) -> list[str]:
    bar = app.screen.query_one(KeyBar)
    assert bar.region.height <= 2
    return bar.render_keys().plain.split("\n")


@pytest.mark.parametrize("lang", LANGS)
async def test_key_bar_two_lines_and_header_clock_on_every_screen(site: Any, lang: str) -> None:
    """At most two lines; no line wider than the bar (so nothing wraps and no key is
    parted from its label); the header keeps the clock at 80 columns."""
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(_keybar_lines(app)) <= 2
        await login(pilot, "G01", PIN)
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"):
            await _press(pilot, key)
            lines = _keybar_lines(app)
            assert len(lines) == 2, key
            assert all(len(line) <= 78 for line in lines)
            strip = lines[1].split(" ")
            assert strip[:3] == (
                ["1Help", "2Shift", "3Patrol"] if lang == "en" else ["1帮助", "2班次", "3巡查"]
            )
            text = screen_text(app)
            assert text.splitlines()[0].rstrip().endswith("2026-12-01 10:00"), key
            assert text.splitlines()[-1].strip() == lines[1].strip()


# --- F2 after the shift's planned end (SE-3) ------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_f2_past_the_shift_end_shows_missed_rounds_and_since_when(
    site: Any, lang: str
) -> None:
    """Rounds not walked by the planned end are missed on F2 as on F3; the shift says
    since when it is overdue, with the date, not "0 h 0 min left"."""
    desk_day_route(site, times=("10:00", "14:00"))
    site.clock.set("2026-12-01 07:40")
    _open_shift_with_next(site)
    site.clock.set("2026-12-01 16:30")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f2")
        text = screen_text(app)
        if lang == "en":
            assert "overdue since 16:00 (2026-12-01)" in text
            assert "2 missed" in text and "0 h 0 min left" not in text
        else:
            assert "16:00 起超时（2026-12-01）" in text
            assert "漏巡 2 次" in text


# --- F3: u takes back the round's last mark, wherever the cursor is (docs/keys.md) ----------------


@pytest.mark.parametrize("lang", LANGS)
async def test_undo_takes_back_the_last_mark_and_moves_the_cursor_back(
    site: Any, lang: str
) -> None:
    desk_day_route(site)
    shift_id = _open_shift_with_next(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f3", "enter")  # start the due round
        await _press(pilot, "o")  # Main gate OK: the cursor moves on to Lobby doors
        table = app.screen.query_one(CheckTable)
        assert table.cursor_row == 1
        await _press(pilot, "u")
        assert table.cursor_row == 0
    rnd = patrols.rounds_of_shift(shift_id, site.clock.now())[0]
    assert [c.result for c in patrols.round_checks(rnd.id)] == [None, None, None]
    assert AuditEvent.select().where(AuditEvent.action == "patrol.check_undo").count() == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_f1_lists_u_and_r_f10_and_ctrl_t_at_any_moment(site: Any, lang: str) -> None:
    """Keys that do not work this moment are still explained on F1 (docs/keys.md)."""
    desk_day_route(site)
    _open_shift_with_next(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f3", "f1")  # no round started: u and r do nothing now
        keys = {k for k, _d in app.screen.keys}
        assert {"u", "r", "o", "x", "s"} <= keys
        console = Console(width=76, file=io.StringIO(), record=True)
        console.print(app.screen._keys_table())
        text = console.export_text()
        for key in ("F10", "Ctrl+T", "Ctrl+Q", "u", "r"):
            assert f" {key} " in text, key


@pytest.mark.parametrize("lang", LANGS)
async def test_ctrl_t_is_the_language_everywhere_and_ctrl_o_records_who_was_told(
    site: Any, lang: str
) -> None:
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f4", "n")  # the incident form
        await _press(pilot, "ctrl+t")
        assert current_language() == ("zh" if lang == "en" else "en")
        await _press(pilot, "ctrl+o")
        assert type(app.screen).__name__ != "IncidentForm"  # who was told: a dialog


@pytest.mark.parametrize("lang", LANGS)
async def test_f3_upcoming_round_says_when_it_can_be_started(site: Any, lang: str) -> None:
    desk_day_route(site, times=("10:00", "14:00"))
    _open_shift_with_next(site)
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f3")
        rnd = next(r for r in app.screen.rounds if r.state == "upcoming")
        start = rnd.window_start.to("Asia/Shanghai").format("HH:mm")
        text = screen_text(app)
        assert (f"from {start}" if lang == "en" else f"{start} 起") in text


# --- F6: duty-log lines written by a patrol (SE-4, CS3) -------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_patrol_lines_in_the_duty_log_show_a_translated_category(
    site: Any, lang: str
) -> None:
    desk_day_route(site)
    shift_id = _open_shift_with_next(site)
    patrols.ensure_rounds(shift_id, site.actor("G01"))
    rnd = patrols.rounds_of_shift(shift_id, site.clock.now())[0]
    patrols.start_round(site.actor("G01"), rnd.id)
    first, *_rest = patrols.round_checks(rnd.id)
    patrols.mark_problem(site.actor("G01"), first.id, "chain cut")
    patrols.skip_round(site.actor("G01"), rnd.id, "called away")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f6")
        line = next(x for x in screen_text(app).splitlines() if "chain cut" in x)
        assert ("Patrol" if lang == "en" else "巡查") in line
        assert "patrol" not in line


# --- F8: the match always shows; the screen's own keys work at once (CS3) -------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_search_hit_past_80_columns_is_shown_and_keys_work_on_opening(
    site: Any, lang: str
) -> None:
    long_text = "Night round " + "all quiet at the east gate, lights on, doors shut; " * 3
    logs.add(
        site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": long_text + "flooding"}
    )
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f8", "2")  # the screen's key, not typed into the search box
        assert app.screen.view == "overdue"
        await _press(pilot, "slash")  # back to the search box
        await type_text(pilot, "flooding")
        await _press(pilot, "enter")
        assert app.screen.query_one("#search-input").value == "flooding"
        rows = [x for x in screen_text(app).splitlines() if "flooding" in x and "▊" not in x]
        assert "…" in rows[-1] and "2026-12-01 10:00" in rows[-1]  # the hit, on screen


# --- F3: the reading dialog shows a count's previous value (EN-8.3.4, SG-10) ----------------


@pytest.mark.parametrize("lang", LANGS)
async def test_reading_dialog_shows_the_previous_count_stored_as_ok(site: Any, lang: str) -> None:
    """A count found complete is stored by the demo as "ok" with its number: the next
    shift's reading dialog shows it, not "no previous value"."""

    desk_day_route(site)
    shift_id = _open_shift_with_next(site)
    g01 = site.actor("G01")
    rnd = patrols.ensure_rounds(shift_id, g01)[0]
    patrols.start_round(g01, rnd.id)
    gate, lobby, ext = patrols.round_checks(rnd.id)
    patrols.mark_ok(g01, gate.id)
    patrols.mark_ok(g01, lobby.id)
    patrols.mark_reading(g01, ext.id, "12")
    with write():
        PatrolCheck.update(result="ok").where(PatrolCheck.id == ext.id).execute()
    patrols.finish_round(g01, rnd.id)
    with write():
        close_shift(g01, Shift.get_by_id(shift_id), "test")
    site.clock.set("2026-12-02 10:00")
    shifts.open_without_handover(site.actor("G01"), "next day")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f3", "enter", "o", "o", "r")
        assert type(app.screen).__name__ == "ReadingDialog"
        text = screen_text(app)
        assert ("no previous value" if lang == "en" else "无上次") not in text
        assert "12" in app.screen.side_text("value").plain


# --- the set-up wizard: desk presets read chosen or not in words ----------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_wizard_desk_presets_show_their_state_in_text(db: Any, clock: Any, lang: str) -> None:
    from tests.helpers.ui import make_empty_app

    yes, no = ("Yes", "No") if lang == "en" else ("是", "否")
    app = make_empty_app(clock, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _press(pilot, "tab")  # language → desks
        rows = [x for x in screen_text(app).splitlines() if "–" in x and ("(" in x)]
        assert len(rows) == 4
        assert f"▐X▌ {yes} " in rows[0]
        assert all(f"▐ ▌ {no} " in r for r in rows[1:])
        await _press(pilot, "down", "space")
        rows = [x for x in screen_text(app).splitlines() if "–" in x and ("(" in x)]
        assert f"▐X▌ {yes} " in rows[1]


# --- F4: how many people AND who (SE-4) -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_incident_form_takes_a_number_and_who_was_involved(site: Any, lang: str) -> None:
    from tests.helpers.incidents import choose

    nature = "Fire alarm" if lang == "en" else "火警"
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f4", "n")
        await type_text(pilot, "Fight at the gate")  # the cursor starts in "what happened"
        await pilot.press("shift+tab")
        await choose(pilot, nature)
        await pilot.press("shift+tab")
        await type_text(pilot, "Gate 2")
        await pilot.press("tab", "tab", "tab")  # nature, what happened → number of people
        await type_text(pilot, "2")
        await pilot.press("tab")
        await type_text(pilot, "Mr Li (resident), a courier in a red jacket")
        await _press(pilot, "ctrl+s")
    inc = Incident.get()
    assert inc.people_count == 2
    assert inc.people_involved == "Mr Li (resident), a courier in a red jacket"


# --- words in the run's language: the palette, "Due" in its two meanings ------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_palette_says_no_matches_in_the_language(site: Any, lang: str) -> None:
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "ctrl+p")
        app.screen._NO_MATCHES_COUNTDOWN = 0.01  # the palette's own UI delay, not the clock
        await type_text(pilot, "qqqzzz")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert ("No matches found" if lang == "en" else "没有找到匹配项") in text


async def test_due_of_a_written_report_is_not_the_patrol_due_time(site: Any) -> None:
    """F8's overdue written reports say 应交时间; F3's rounds keep 应巡时间."""

    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Pump room",
            category="fire",
            subcategory="fire.alarm",
            description="Smoke",
            severity="major",
        ),
        [incidents.NotificationFields(role="supervisor", name="S01")],
    )
    site.clock.advance(minutes=3 * 24 * 60)
    app = make_app(site, lang="zh", lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f8", "2")
        text = screen_text(app)
        assert "应交时间" in text and "应巡时间" not in text


# --- lists use the room they get (docs/keys.md: at 80 columns) -----------------------------------


def _incident(site: Any, description: str, **kw: Any) -> None:
    incidents.create_incident(
        site.actor("G01"),
        incidents.IncidentFields(
            place="Car park level B2 near the lifts",
            category="fire",
            subcategory="fire.alarm",
            description=description,
            **kw,
        ),
        [incidents.NotificationFields(role="supervisor", name="S01")],
    )


@pytest.mark.parametrize("lang", LANGS)
async def test_f4_what_happened_gets_the_room_and_every_column_shows(site: Any, lang: str) -> None:
    _incident(site, "Smoke detector went off in the car park; no fire found", severity="major")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f4")
        lines = screen_text(app).splitlines()
        header = next(x for x in lines if x.lstrip().startswith("#"))
        assert ("What happened" if lang == "en" else "情况") in header
        row = next(x for x in lines if "Smoke" in x)
        assert "Smoke detect" in row  # the text has room, not 1–4 characters


@pytest.mark.parametrize("lang", LANGS)
async def test_f6_key_loans_show_to_whom_beside_a_long_key_name(site: Any, lang: str) -> None:
    logs.add(
        site.actor("G01"),
        "key",
        {
            "key_name": "Boiler room, plant room and roof access master key set",
            "borrower": "Plumber Liu",
            "out_at": site.clock.now(),
        },
    )
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f6", "6")
        lines = screen_text(app).splitlines()
        header = next(x for x in lines if x.lstrip().startswith("#"))
        for word in ("To whom", "By", "State") if lang == "en" else ("借用人", "状态"):
            assert word in header, word  # every column shows: none pushed off the edge
        assert any("Plumber Liu" in x for x in lines)


async def test_lists_fill_a_tall_screen(site: Any) -> None:
    for i in range(40):
        logs.add(
            site.actor("G01"),
            "duty",
            {"occurred_at": site.clock.now().shift(minutes=-i), "text": f"Round note {i}"},
        )
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f6")
        shown = [x for x in screen_text(app).splitlines() if "Round note" in x]
        assert len(shown) >= 28  # not 15 rows and 20 empty lines


@pytest.mark.parametrize("lang", LANGS)
async def test_handover_identify_dialog_draws_its_inputs_as_boxes(site: Any, lang: str) -> None:
    """An empty one-line field must still be seen: each input has its box edges."""
    _open_shift_with_next(site)
    site.clock.set("2026-12-01 15:30")
    app = make_app(site, lang=lang, lock_after=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await _press(pilot, "f5", "s", "i")
        assert type(app.screen).__name__ == "IdentifyDialog"
        lines = screen_text(app).splitlines()
        boxes = [x for x in lines if "▌" in x and "▐" in x]
        assert len(boxes) == 2  # staff number and PIN


async def test_f9_checkpoint_names_use_a_wide_screen(site: Any) -> None:
    """Cut to fit 80 columns, whole at 120 (docs/keys.md: at 80 columns)."""
    name = "Extinguishers stairwell east 3F"
    cps.add_checkpoint(
        site.actor("S01"),
        site.security.id,
        cps.CheckpointSpec(code="EXT", name=name, kind="condition", area="Block A"),
    )
    app = make_app(site, lock_after=100_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "S01", PIN)
        await _press(pilot, "f9", "2")
        assert f"{name} · Block A" in screen_text(app)
