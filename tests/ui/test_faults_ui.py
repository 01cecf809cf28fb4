"""The screen side of fault injection: what the person at the desk reads when the
database is busy, full, read-only or damaged, or the PC clock is wrong. Each test
checks the words shown, that confirmed rows are intact, that the typed form (the
draft) is kept, and that no screen shows the PIN typed.
"""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk.db import open_database
from dutydesk.domain import drafts, logs
from dutydesk.models import DutyLogEntry
from tests.helpers.faults import LockHolder, damaged_copy, fill_disk, grow_database
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text


def confirmed_texts() -> list[str]:
    return [r.text for r in DutyLogEntry.select().order_by(DutyLogEntry.id)]


def _entry(site: Any, text: str) -> None:
    logs.add(
        site.actor("G01"), "duty", {"occurred_at": site.clock.now(), "text": text, "category": ""}
    )


async def _new_duty_entry(pilot: Any, text: str) -> None:
    await pilot.pause()
    await login(pilot, "G01", PIN)
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    await type_text(pilot, text)


async def _started(pilot: Any, app: Any) -> None:
    """The lock screen is up and the start-up check (a worker thread) has finished."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _form_text(app: Any) -> str:
    from textual.widgets import TextArea

    return app.screen.query_one("#field-text", TextArea).text


def shown_text(app: Any) -> str:
    """The screen's words with line breaks and padding folded to single spaces (a
    message wrapped over two lines still reads as one)."""
    return " ".join(screen_text(app).split())


async def _wait_for(pilot: Any, app: Any, words: str, seconds: float) -> str:
    """Let the app run (real time: the other connection really holds the lock) until
    ``words`` are on the screen, at most ``seconds``."""
    steps = int(seconds / 0.1) + 1
    for _ in range(steps):
        text = shown_text(app)
        if words in text:
            return text
        await pilot.pause(0.1)
    return shown_text(app)


async def test_busy_database_says_retrying_then_keeps_the_form(site, db_path):
    _entry(site, "confirmed")
    app = make_app(site)
    app.busy_attempt_seconds = 0.2  # one try waits 0.2 s for the lock (default 2 s)
    app.busy_budget_seconds = 1.5  # then a clear message (default 20 s)
    async with app.run_test(size=SIZE) as pilot:
        await _new_duty_entry(pilot, "Gate 3 open")
        with LockHolder(db_path, seconds=15):  # another desk's write, held for real
            await pilot.press("ctrl+s")
            shown = await _wait_for(pilot, app, "retrying", 3)
            assert "Another desk is saving, retrying…" in shown
            shown = await _wait_for(pilot, app, "Nothing was saved", 5)
            assert "the database stayed busy" in shown and "Nothing was saved" in shown
            assert "Your draft is kept" in shown
            assert _form_text(app) == "Gate 3 open"  # the form as typed
            assert "Traceback" not in shown and PIN not in shown
            assert confirmed_texts() == ["confirmed"]
        await pilot.press("ctrl+s")  # the lock released: it saves
        await pilot.pause()
        assert "Gate 3 open" in shown_text(app)
    assert confirmed_texts() == ["confirmed", "Gate 3 open"]


async def test_disk_full_read_only_mode_then_writing_again(site, db):
    _entry(site, "confirmed")
    big = "水" * 3000  # 9 KB: needs new pages (typed earlier, kept as a draft)
    drafts.save(site.actor("G01"), "logs.new.duty", {"text": big, "category": ""})
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await _new_duty_entry(pilot, "")
        assert _form_text(app) == big
        fill_disk(db)
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = shown_text(app)
        assert "The disk is full" in shown
        assert "rollback" not in shown
        assert "Read-only mode: the disk is full" in shown  # the banner
        assert _form_text(app) == big
        assert PIN not in shown
        await type_text(pilot, "!")  # more typed: the draft cannot be written…
        app.screen.save_draft()  # (what the draft timer does)
        assert app.pending_drafts  # …so it is kept in memory
        # The banner is on every screen: the shift screen too.
        await pilot.press("f2")
        await pilot.pause()
        assert "Read-only mode: the disk is full" in shown_text(app)
        assert confirmed_texts() == ["confirmed"]
        # Space again: the minute tick writes the kept draft and read-only mode ends.
        db.execute_sql("PRAGMA max_page_count = 1073741823")
        app._minute_tick()
        await pilot.pause()
        assert not app.pending_drafts
        assert drafts.load(app.actor, "logs.new.duty")["text"] == "!" + big
        assert "Read-only mode" not in shown_text(app)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert confirmed_texts() == ["confirmed", "!" + big]


async def test_read_only_file_can_be_read_not_written(site, db, db_path):
    _entry(site, "confirmed")
    db.close()
    open_database(str(db_path), read_only=True)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot, app)
        # Found at start, before anyone types: the banner is on the lock screen.
        assert "Read-only mode: the database file is read-only" in shown_text(app)
        await _new_duty_entry(pilot, "refused entry")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = shown_text(app)
        assert "The database file is read-only" in shown
        assert "Read-only mode: the database file is read-only" in shown
        assert _form_text(app) == "refused entry"
        assert PIN not in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        shown = shown_text(app)
        assert "confirmed" in shown  # records can be read
        assert PIN not in shown
    assert confirmed_texts() == ["confirmed"]


async def test_damaged_copy_refuses_writes_and_points_to_restore(site, db, db_path, tmp_path):
    grow_database(site, 400)
    copy = damaged_copy(db_path, db, tmp_path)
    open_database(str(copy), migrate=False, create=False)
    before = copy.read_bytes()
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot, app)
        shown = shown_text(app)
        assert "Database damaged" in shown and "Restore the latest backup" in shown
        await login(pilot, "G01", PIN)
        shown = shown_text(app)
        assert PIN not in shown and "Traceback" not in shown
        assert "Restore the latest backup" in shown
    assert copy.read_bytes() == before  # nothing written: not even the login


async def test_clock_set_back_shows_a_banner_on_every_screen(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        _entry(site, "on time")
        site.clock.advance(days=-17)
        app._minute_tick()
        await pilot.pause()
        shown = shown_text(app)
        assert "The PC clock looks wrong" in shown
        since = site.clock.now().format("YYYY-MM-DD HH:mm")
        assert since in shown
        await pilot.press("f6")
        await pilot.pause()
        assert "The PC clock looks wrong" in shown_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "The PC clock looks wrong" in shown_text(app)  # forms too
        await type_text(pilot, "Meanwhile")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Listed by time: the entry dated 17 days back is below the one made before.
        await pilot.press("down", "enter")
        await pilot.pause()
        shown = shown_text(app)
        assert "Meanwhile" in shown
        assert "The PC clock looks wrong" in shown  # the entry's own screen too
        assert f"Written while the PC clock looked wrong (since {since})" in shown
        assert PIN not in shown
    row = DutyLogEntry.get(DutyLogEntry.text == "Meanwhile")
    assert logs.get("duty", row.id).created_at == site.clock.now()


@pytest.mark.parametrize("typed", ["2580"])
async def test_pin_never_on_screen_after_a_refused_login_in_read_only_mode(
    site, db, db_path, typed
):
    db.close()
    open_database(str(db_path), read_only=True)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", "9999")
        shown = shown_text(app)
        assert "Wrong staff number or PIN" in shown
        assert "9999" not in shown and typed not in shown
        assert app.staff is None


async def test_year_below_1000_in_a_time_field_is_a_message_beside_it(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await _new_duty_entry(pilot, "Gate 4 checked")
        await pilot.press("shift+tab", "shift+tab")  # text → category → time
        await pilot.press(*["backspace"] * 20)
        await type_text(pilot, "0999-01-01 10:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = shown_text(app)
        assert "This time is too long ago: the earliest is 2025-12-01" in shown
        assert "Traceback" not in shown and PIN not in shown
        assert _form_text(app) == "Gate 4 checked"
    assert confirmed_texts() == []


async def test_login_while_another_desk_saves_says_busy_and_lets_nobody_in(site, db_path):
    app = make_app(site)
    app.busy_attempt_seconds = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with LockHolder(db_path, seconds=15):
            await login(pilot, "G01", PIN)
            shown = shown_text(app)
            assert "Another desk is saving" in shown
            assert app.staff is None  # not let in without the login on record
            assert PIN not in shown
        # The staff number stays; the cursor waits in the emptied PIN field.
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert app.staff is not None and app.staff.staff_no == "G01"


async def test_dropped_triggers_are_put_back_when_the_kiosk_starts(site, db):
    from dutydesk.domain import health
    from dutydesk.models import AuditEvent

    _entry(site, "confirmed")
    db.execute_sql("DROP TRIGGER handover_signed_no_update")
    assert health.missing_triggers() == ["handover_signed_no_update"]
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot, app)
        assert health.missing_triggers() == []
        assert PIN not in shown_text(app)
    ev = AuditEvent.select().where(AuditEvent.action == "db.triggers_restored").get()
    assert ev.new == {"triggers": ["handover_signed_no_update"]}
    assert confirmed_texts() == ["confirmed"]


async def test_minute_tick_survives_a_failing_check(site, db, faults):
    """A background tick that fails (here: a table gone from under it) is written to the
    error log (no PIN); the kiosk goes on."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        db.execute_sql("DROP TABLE presence_check")
        site.clock.advance(minutes=1)
        app._minute_tick()
        await pilot.pause()
        assert app.is_running and app.staff is not None
        logged = faults.read_text(encoding="utf-8")
        assert "minute tick" in logged and "no such table" in logged
        assert PIN not in logged and PIN not in shown_text(app)


async def test_a_huge_people_count_is_a_message_beside_the_field(site):
    from dutydesk.models import Incident

    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Crowd at the gate")  # the cursor starts in "what happened"
        await pilot.press("tab")  # people involved
        await type_text(pilot, "99999999999999999999999")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#error-people_count").render())
        assert error == "Enter a whole number from 0 to 9999", error
        assert "Traceback" not in shown_text(app) and PIN not in shown_text(app)
    assert Incident.select().count() == 0


async def test_a_supervisor_can_quit_in_read_only_mode(site, db, db_path):
    db.close()
    open_database(str(db_path), read_only=True)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await type_text(pilot, "S01")
        await pilot.press("tab")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_code == 0  # exit(0) called by the answered dialog


async def test_idle_lock_screen_tick_takes_no_write_lock_with_nothing_to_write(site, db, db_path):
    """The minute tick on an idle lock screen reads only: with another desk holding the
    write lock it neither waits for it nor fails."""
    app = make_app(site)
    app.busy_attempt_seconds = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await _started(pilot, app)
        app._minute_tick()  # whatever was due at start is written now
        statements: list[str] = []
        db.connection().set_trace_callback(statements.append)
        try:
            with LockHolder(db_path, seconds=15):
                site.clock.advance(minutes=1)
                app._minute_tick()
                await pilot.pause()
                assert app.is_running
        finally:
            db.connection().set_trace_callback(None)
        assert statements  # it did read
        assert not [s for s in statements if s.upper().startswith("BEGIN")], statements


async def test_a_tick_while_the_kiosk_closes_is_no_fault(site, error_log):
    """The one-second tick can fire after the screens are gone (the kiosk closing):
    it does nothing, and nothing is logged."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
    assert not app.screen_stack
    app._idle_tick()
    assert not error_log.exists()


async def test_a_fault_while_the_kiosk_closes_is_logged_without_a_panel(site, faults):
    """A fault reported once the screens are gone is written to the log; no panel is
    tried (there is no screen to show it on), so nothing else fails."""
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
    assert not app.screen_stack
    app.report_error(RuntimeError("late"), "a timer after closing")
    log = faults.read_text(encoding="utf-8")
    assert "late" in log
    assert "showing the error panel" not in log
