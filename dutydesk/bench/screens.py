"""Inside the screens child: one DutyDesk app run headless as at the desk, each key timed
from posting it until the screen has settled; and the bare Textual app with F3's
widgets that the screens are judged against (the honest anchor)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from dutydesk.bench.figures import DESK, SCREEN_KEYS, SIZE, STAFF_NO
from dutydesk.bench.process import peak_rss_kb

# A key whose work has not settled after this long is a fault of the bench run, not a time.
SETTLE_LIMIT_S = 30.0


async def settle(app: Any, pilot: Any) -> None:
    """Wait until the current screen has processed everything and painted.

    Pilot's ``_wait_for_screen`` awaits the messages queued on the app, the screen
    and its widgets; a pending repaint is run at once (what the 1/60 s frame timer
    would do); callbacks waiting for "after refresh" are run, those of a screen under
    a dialog too (its own frame timer would); workers are awaited.
    Repeated until a round finds nothing to do and the screen did not change.

    While the kiosk's key queue is still making sure a key has landed (it lets the
    next key go once the app's and the screen's queues stay empty for two rounds),
    the rounds only yield: Pilot's wait posts a message to those very queues, and
    the two would keep each other busy until the queue's 1.5 s safety let go.
    """
    import asyncio

    screen = None
    deadline = time.perf_counter() + SETTLE_LIMIT_S
    while time.perf_counter() < deadline:
        landing = getattr(app, "_key_in_flight", False) or bool(getattr(app, "_keys_held", ()))
        if landing:
            await asyncio.sleep(0)
        else:
            await pilot._wait_for_screen()
        busy = landing or app.screen is not screen
        screen = app.screen
        if (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._recompose_required
            or screen._dirty_widgets
        ):
            screen._on_timer_update()
            busy = True
        for layer in app.screen_stack:  # a screen under a dialog runs its own too
            if layer._callbacks:
                await layer._invoke_and_clear_callbacks()
                busy = True
        if any(not w.is_finished for w in app.workers):
            await app.workers.wait_for_complete()
            busy = True
        if not busy:
            return
    raise RuntimeError(f"the screen did not settle within {SETTLE_LIMIT_S:g} s")


async def timed_key(app: Any, pilot: Any, key: str) -> float:
    """Milliseconds from posting ``key`` to the app until the screen has settled."""
    from textual import events

    char = key if len(key) == 1 else None
    event = events.Key(key, char)
    await settle(app, pilot)
    t0 = time.perf_counter()
    app.post_message(event)
    await settle(app, pilot)
    return (time.perf_counter() - t0) * 1000


async def _close_modals(app: Any, pilot: Any) -> None:
    from textual.screen import ModalScreen

    while isinstance(app.screen, ModalScreen):
        app.pop_screen()
        await settle(app, pilot)


# The tables of the F3 screen as first opened (columns, rows as plain text): the bare
# Textual screen of the honest anchor is built with the same.
F3_TABLES: list[tuple[list[str], list[list[str]]]] = []


def capture_tables(screen: Any) -> list[tuple[list[str], list[list[str]]]]:
    """Every DataTable of ``screen``: its column labels and its rows, as plain text."""
    from textual.widgets import DataTable

    out = []
    for table in screen.query(DataTable):
        columns = [str(c.label) for c in table.columns.values()]
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        out.append((columns, rows))
    return out


async def _one_login(app: Any, pilot: Any, results: dict[str, list[float]], every: bool) -> None:
    """Log in, open every screen, press the keys, lock; times into ``results``."""
    from dutydesk.app import DutyDeskApp
    from dutydesk.domain import staff as staff_rules

    person = staff_rules.by_number(STAFF_NO)
    assert person is not None, STAFF_NO
    app.login(person)
    await settle(app, pilot)
    await _close_modals(app, pilot)
    for name, key in SCREEN_KEYS:
        results[name].append(await timed_key(app, pilot, key))
        if key == "f3" and not F3_TABLES:
            F3_TABLES.extend(capture_tables(app.screen))
        await _close_modals(app, pilot)
    # A key in the shift screen: F1 (its keys and duty rules).
    results["key.shift.f1"].append(await timed_key(app, pilot, "f1"))
    await _close_modals(app, pilot)
    # Keys in the patrol screen: Down on the rounds, then l (operation log).
    await timed_key(app, pilot, "f3")
    tables = [t for t in app.screen.query("RoundTable") if t.display]
    if tables:
        tables[0].focus()
    results["key.patrol.down"].append(await timed_key(app, pilot, "down"))
    results["key.patrol.l"].append(await timed_key(app, pilot, "l"))
    await _close_modals(app, pilot)
    if every:
        await timed_key(app, pilot, "escape")
        await timed_key(app, pilot, "f9")
        await _close_modals(app, pilot)
    # The minute tick on the home screen: alerts (overdue counts) and the reload.
    await timed_key(app, pilot, "f2")
    app._last_check_minute = None
    app.screen._minute = None
    t0 = time.perf_counter()
    DutyDeskApp._idle_tick(app)
    await settle(app, pilot)
    results["tick.minute"].append((time.perf_counter() - t0) * 1000)
    await _close_modals(app, pilot)
    app.lock("lock")  # the next login builds every screen again, as at the desk
    await settle(app, pilot)


async def _session(db: str, runs: int, warmup: int, every: bool) -> dict[str, list[float]]:
    """One kiosk app, as at the desk: ``warmup + runs`` logins, each opening every screen."""
    from dutydesk.cli import KioskOptions
    from dutydesk.kiosk import build_app

    results: dict[str, list[float]] = {k: [] for k, _key in SCREEN_KEYS}
    for k in ("key.shift.f1", "key.patrol.down", "key.patrol.l", "tick.minute"):
        results[k] = []
    app: Any = build_app(KioskOptions(db=db, desk=DESK, lang=None, lock_after=3600))
    # The per-second tick (idle lock, alerts, clock) is timed on its own, not inside
    # the key timings.
    app._idle_tick = lambda: None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for i in range(warmup + runs):
            scratch: dict[str, list[float]] = {k: [] for k in results}
            await _one_login(app, pilot, scratch, every)
            if i >= warmup:
                for k, v in scratch.items():
                    results[k].extend(v)
        app.exit(0)
    return results


def screens_child(db: str, runs: int, warmup: int, every_screen: bool) -> dict[str, Any]:
    import asyncio

    results = asyncio.run(_session(db, runs, warmup, every_screen))
    return {"times_ms": results, "rss_kb": peak_rss_kb(), "f3_tables": F3_TABLES}


# --- inside the bare-screen child: the honest anchor ----------------------------------------


def bare_screen_app(tables: list[tuple[list[str], list[list[str]]]]) -> Any:
    """A bare Textual app opened as DutyDesk opens its screens (modes): its F3 switches
    to a new mode screen with F3's widget kinds (a header line, the DataTables with the
    same columns and rows, the key bar: Textual's Footer), F2 switches back to the
    home mode, F12 drops the F3 screen (as locking drops DutyDesk's screens); F4
    pushes the same screen over the current one (as F1 and l do) and Escape pops it."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Static

    class BareF3(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("DutyDesk │ desk · location │ G01 │ 2026-12-01 10:00")
            for _table in tables:
                yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            for widget, (columns, rows) in zip(self.query(DataTable), tables, strict=False):
                widget.add_columns(*columns)
                widget.add_rows(rows)

    class BareHome(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")
            yield Footer()

    class BareApp(App[None]):
        BINDINGS = [
            Binding("f3", "open", "Open"),
            Binding("f2", "home", "Home"),
            Binding("f12", "drop", "Drop"),
            Binding("f4", "push", "Push"),
            Binding("escape", "pop", "Pop"),
        ]
        MODES = {"home": BareHome}

        def on_mount(self) -> None:
            self.switch_mode("home")

        def action_open(self) -> None:
            if "f3" not in self._modes:
                self.add_mode("f3", BareF3)
            self.switch_mode("f3")

        def action_push(self) -> None:
            self.push_screen(BareF3())

        def action_pop(self) -> None:
            if len(self.screen_stack) > 1:
                self.pop_screen()

        def action_home(self) -> None:
            self.switch_mode("home")

        async def action_drop(self) -> None:
            if "f3" in self._modes and self.current_mode != "f3":
                await self.remove_mode("f3")

    return BareApp()


async def _bare_session(
    tables: list[tuple[list[str], list[list[str]]]], runs: int, warmup: int
) -> dict[str, list[float]]:
    app = bare_screen_app(tables)
    results: dict[str, list[float]] = {"bare.open": [], "bare.back": [], "bare.push": []}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for i in range(warmup + runs):
            opened = await timed_key(app, pilot, "f3")
            back = await timed_key(app, pilot, "f2")
            await timed_key(app, pilot, "f12")
            pushed = await timed_key(app, pilot, "f4")
            await timed_key(app, pilot, "escape")
            if i >= warmup:
                results["bare.open"].append(opened)
                results["bare.back"].append(back)
                results["bare.push"].append(pushed)
        app.exit()
    return results


def bare_child(tables_json: str, runs: int, warmup: int) -> dict[str, Any]:
    import asyncio

    tables = json.loads(Path(tables_json).read_text(encoding="utf-8"))
    return {"times_ms": asyncio.run(_bare_session(tables, runs, warmup))}
