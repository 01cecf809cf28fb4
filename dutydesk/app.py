"""The DutyDesk Textual app: the stylesheet, the screens behind the F-keys, global keys.

Each F-key screen is a Textual *mode* with its own screen stack, created the
first time it is shown after a login. Locking (F12, Ctrl+L, idle) saves every
screen's draft, ends the session and removes those modes, so the next person
never sees the previous person's screens; their drafts wait in the database.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from dutydesk.app_faults import FaultPanel, guard_message_dispatch
from dutydesk.app_keys import KEY_STUCK_SECONDS as KEY_STUCK_SECONDS
from dutydesk.app_keys import KeyQueue
from dutydesk.config import DeskGlance, Opened, choose_language
from dutydesk.errors import ConnectionLost, DutyDeskError, StorageError
from dutydesk.i18n import N_, _, current_language, set_language
from dutydesk.screens.registry import SCREENS

if TYPE_CHECKING:
    # Only for types: the lock screen is painted before arrow, Peewee and the duty
    # rules load (they load in a thread right after the first paint).
    import arrow

    from dutydesk.clock import Clock
    from dutydesk.domain import sessions
    from dutydesk.domain import site as site_rules
    from dutydesk.domain.context import Actor
    from dutydesk.domain.site import DeskInfo
    from dutydesk.domain.staff import StaffInfo

# The lock screen painted, the database is opened this much later (seconds) or at the
# first key: the first frames go out without competing with the loading thread.
LOAD_AFTER_PAINT_S = 0.25

# While the site server is unreachable, try to reconnect this often (seconds).
RECONNECT_EVERY_S = 5


def stylesheet_path() -> Path:
    """``screens.tcss``: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).parent
    for candidate in (here / "screens.tcss", here.parent / "screens.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("screens.tcss")


# The line of screens.tcss after which come the rules of the screens behind the lock screen.
LOCK_CSS_END = "/* === Above: what the lock screen needs"


def split_stylesheet(css: str) -> tuple[str, str]:
    """(the lock screen's part of ``css``, the rest); all of it first without the mark.

    Speed: parsing every screen's rules cost the lock screen's first paint ~10 %;
    the rest is added once the database is open (:meth:`DutyDeskApp._loaded`).
    """
    at = css.find(LOCK_CSS_END)
    return (css, "") if at < 0 else (css[:at], css[at:])


def _kiosk_commands() -> Any:
    """The palette's provider, imported when the palette first opens (the
    lock screen starts without textual.command)."""
    from dutydesk.screens.commands import KioskCommands

    return KioskCommands


def _styled_now(screen: Screen[Any]) -> Screen[Any]:
    """Mark a new mode screen as styled by the current stylesheet (it is, as it mounts).

    Speed: otherwise Textual re-parses every CSS source and restyles the
    whole app twice when a mode's screen is first shown (_init_mode and switch_mode
    both compare the counts), ~50 ms per F-key and at the start.
    """
    screen._css_update_count = screen.app._css_update_count
    return screen


def _lock_screen() -> Screen[Any]:
    from dutydesk.screens.lock import LockScreen

    return _styled_now(LockScreen())


def _wizard_screen() -> Screen[Any]:
    from dutydesk.screens.wizard import WizardScreen

    return WizardScreen()


def local_zone_name() -> str | None:
    """The IANA name of this machine's own time zone (``TZ``, else what /etc/localtime
    links to), or None when it cannot be told without loading the zone database."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz
    target = os.path.realpath("/etc/localtime")
    return target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else None


def _is_ours(node: Any, binding: Binding) -> bool:
    """Was ``binding`` declared by a DutyDesk class (not Textual's built-in scroll keys)?"""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("dutydesk"):
            continue
        for declared in cls.__dict__.get("BINDINGS", []):
            if isinstance(declared, Binding) and declared.action == binding.action:
                return True
    return False


def _log_tick_failure(exc: BaseException, what: str = "minute tick") -> None:
    """Into the error log (no local variables, no PIN); the kiosk goes on."""
    from dutydesk.errorlog import log_exception

    log_exception(exc, what)


# Alert kinds (msgid with named values) that wait for F10.
AlertKey = tuple[str, str]


class DutyDeskApp(KeyQueue, FaultPanel, App[int]):
    """The kiosk of one desk."""

    CSS_PATH = str(stylesheet_path())
    TITLE = "DutyDesk"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {_kiosk_commands}
    MODES = {"lock": lambda: _lock_screen(), "wizard": lambda: _wizard_screen()}

    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="help", tooltip=N_("Keys and duty rules")),
        *[
            Binding(key, f"goto('{mode}')", title, id=mode, tooltip=title)
            for mode, (_m, _c, title, key) in SCREENS.items()
        ],
        Binding("f12", "lock", N_("Lock"), id="lock", tooltip=N_("Lock the terminal now")),
        Binding("ctrl+l", "lock", N_("Lock"), show=False, id="lock_ctrl_l"),
        # One meaning everywhere (KEYMAP): Ctrl+T switches the language.
        Binding("ctrl+t", "toggle_language", N_("Language"), show=False, id="language_all"),
        Binding(
            "f10",
            "acknowledge",
            N_("Acknowledge"),
            id="acknowledge",
            tooltip=N_("Acknowledge the alert"),
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            id="palette",
            tooltip=N_("Every screen and action by name"),
            priority=True,
        ),
        Binding(
            "ctrl+q",
            "request_quit",
            N_("Quit"),
            id="quit",
            priority=True,
            tooltip=N_("Quit the kiosk (supervisor PIN)"),
        ),
        # Textual's own Ctrl+C hint is English; here it asks for the PIN like Ctrl+Q.
        Binding("ctrl+c", "request_quit", N_("Quit"), show=False, priority=True),
    ]
    """Keys that work everywhere once logged in (KEYMAP.md)."""

    def __init__(
        self,
        *,
        clock: Clock | None,
        desk_code: str | None,
        cli_lang: str | None,
        lock_after: int,
        opener: Callable[[], Opened] | None = None,
        glance: DeskGlance | None = None,
        tz: str = "UTC",
    ) -> None:
        """``opener`` (with ``glance``, the desk as the lock screen names it, and the
        site's ``tz``): the database is opened by it in a thread after the lock screen's
        first paint, and the clock made then; without it the database is open already
        and ``clock`` is given."""
        # The stylesheet path is resolved per instance too: tests may run from anywhere.
        super().__init__(css_path=str(stylesheet_path()))
        self._css_rest = ""
        if opener is not None:  # the lock screen's rules first, the rest once it is painted
            lock_css, self._css_rest = split_stylesheet(stylesheet_path().read_text("utf-8"))
            self.CSS = lock_css  # type: ignore[misc]  # this instance's own first stylesheet
            self.css_path = []
        self.desk_code = desk_code
        self.cli_lang = cli_lang
        self.lock_after = lock_after
        self.desk: DeskInfo | None = None
        self.staff: StaffInfo | None = None
        self.session_id: int | None = None
        self.on_roster = True
        # Until the database is open (``opener``): the lock screen shows and takes keys;
        # a login waits in ``_when_ready`` and runs the moment it is open.
        self.ready = opener is None
        self._opener = opener
        self._when_ready: list[Callable[[], object]] = []
        self.desk_glance = glance
        self._tz = tz
        self.start_error: BaseException | None = None
        self.clock: Clock
        self.last_key_at: arrow.Arrow
        self._offline_probe: arrow.Arrow
        self._alerts: dict[AlertKey, tuple[str, dict[str, Any]]] = {}
        self._acknowledged: set[AlertKey] = set()
        self._warnings: dict[str, tuple[str, dict[str, Any]]] = {}
        self._last_check_minute: arrow.Arrow | None = None
        self._backup_mismatch: Any = None
        self._site_watch: Any = None  # site_alerts.Watch, once the desk is known
        self._site_alerts: dict[AlertKey, Any] = {}
        self._offline_since: arrow.Arrow | None = None
        self._broken_modes: set[str] = set()
        self._init_key_queue()
        self.presence_due: sessions.PresenceDue | None = None
        # Set once the first screen is up: from then on a fault shows the error panel.
        self.kiosk_started = False
        self._init_fault_panel()
        guard_message_dispatch()
        # Another desk's write: each try waits this long, a form retries within the
        # budget, saying "retrying…" (dutydesk.widgets.form).
        self.busy_attempt_seconds = 2.0
        self.busy_budget_seconds = 20.0
        self.clock_suspect: Any = None  # health.ClockSuspect while the clock looks wrong
        # Drafts that could not be written (read-only mode, busy): (staff, form) →
        # (actor, values); written by the minute tick once writing works again.
        self.pending_drafts: dict[tuple[int | None, str], tuple[Actor, dict[str, Any]]] = {}
        for mode in SCREENS:
            self.add_mode(mode, partial(self.make_screen, mode))
        if clock is not None:
            self._set_clock(clock)
        if self.ready and desk_code is not None:
            from dutydesk.domain import site as site_rules  # deferred for start-up speed

            self.desk = site_rules.find_desk(desk_code)

    def _set_clock(self, clock: Clock) -> None:
        self.clock = clock
        self.last_key_at = self._offline_probe = clock.now()

    # --- state -------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        """Who is acting where: this desk, the logged-in person (None when locked)."""
        from dutydesk.domain.context import Actor  # deferred for start-up speed

        return Actor(
            self.clock, self.desk.id if self.desk else None, self.staff.id if self.staff else None
        )

    @property
    def alerts(self) -> list[str]:
        return [_(msgid, **values) for msgid, values in self._alerts.values()]

    @property
    def warnings(self) -> list[str]:
        if not self.ready:  # nothing stands yet: the database is being opened
            return [_(msgid, **values) for msgid, values in self._warnings.values()]
        from dutydesk.domain import health  # deferred for start-up speed

        standing: list[str] = []
        fault = health.write_fault_banner()
        if fault is not None:
            standing.append(_(fault))
        if self.clock_suspect is not None:
            msgid, values = self.clock_suspect.message(self.clock.tz)
            standing.append(_(msgid, **values))
        return standing + [_(msgid, **values) for msgid, values in self._warnings.values()]

    def kiosk_language(self) -> str:
        """The language the lock screen starts in (``--lang``, else the site's)."""
        from dutydesk.domain import site as site_rules  # deferred for start-up speed

        site_lang = site_rules.get_site().language if site_rules.site_exists() else None
        return choose_language(self.cli_lang, site_lang)

    # --- start-up ---------------------------------------------------------------------

    def on_mount(self) -> None:
        # The first screen replaces nothing: switch_mode's 50 ms hold on updates (to
        # mask a change of screens) would only delay the first paint.
        self._first_screen = True
        try:
            if not self.ready:
                self.switch_mode("lock")
                # Once the lock screen is painted and its first frames are out: the
                # database, the models and the duty rules, in a thread (keys typed
                # meanwhile go into the fields as ever; the first key starts it at once).
                self.call_after_refresh(self.set_timer, LOAD_AFTER_PAINT_S, self._start_loading)
            else:
                from dutydesk.domain import site as site_rules  # deferred for start-up speed

                if self.desk is None and site_rules.site_exists():
                    self.desk = site_rules.get_site().desks[0]
                if self.desk is None:
                    self.switch_mode("wizard")
                else:
                    self._start_desk()
                    self.switch_mode("lock")
                    self._start_backup_watch()
        finally:
            self._first_screen = False
        self.kiosk_started = True
        self.set_interval(1.0, self._idle_tick, name="idle-tick")

    def _start_desk(self) -> None:
        """The desk's start: the write wait, the database's check, stale sessions."""
        from dutydesk.domain import health, sessions  # deferred for start-up speed

        health.set_write_wait(self.busy_attempt_seconds)
        # quick_check reads the whole file (~1 s on ten years): in a thread of
        # its own, so the lock screen is not delayed; damage shows as a banner.
        self.run_worker(self._startup_check, thread=True, name="startup-check", exit_on_error=False)
        try:
            sessions.end_stale_sessions(self.actor)
        except StorageError as exc:  # read-only mode: the banner says why
            self.log.error(f"end_stale_sessions: {exc}")

    # --- the database, opened after the first paint -------------------------------------

    _loading = False

    def _start_loading(self) -> None:
        if self._loading or self.ready:
            return
        self._loading = True
        # A daemon thread, not a worker: a kiosk quit before the database is open does
        # not wait for it.
        threading.Thread(target=self._load, name="kiosk-load", daemon=True).start()

    def _load(self) -> None:
        """(Thread) Open the database and import what the kiosk runs on."""
        result: Opened | BaseException
        try:
            assert self._opener is not None
            result = self._opener()
        except BaseException as exc:
            result = exc
        with contextlib.suppress(Exception):  # the app quit meanwhile: nothing to tell
            self.call_from_thread(self._loaded, result)

    def _loaded(self, result: Opened | BaseException) -> None:
        """The database is open (or could not be): the kiosk is ready, or stops."""
        try:
            if isinstance(result, BaseException):
                raise result
            from dutydesk.clock import SystemClock  # deferred for start-up speed
            from dutydesk.domain import site as site_rules  # deferred for start-up speed

            self._set_clock(SystemClock(result.tz))
            self.desk = site_rules.find_desk(result.desk_code)
            self._add_css_rest()
            self.ready = True
            self._start_desk()
            self._start_backup_watch()
        except Exception as exc:
            # The same one line as a start that failed before the first paint
            # (:func:`dutydesk.cli.main` prints it once the app has closed).
            self.start_error = exc
            self.exit(return_code=1)
            return
        refresh = getattr(self.screen, "refresh_live", None)
        if callable(refresh):
            refresh()
        self.refresh_bindings()
        waiting, self._when_ready = self._when_ready, []
        for callback in waiting:
            callback()

    def _add_css_rest(self) -> None:
        """The rules of the screens behind the lock screen (see :func:`split_stylesheet`)."""
        if not self._css_rest:
            return
        path = str(stylesheet_path())
        self.stylesheet.add_source(self._css_rest, read_from=(path, "rest"), is_default_css=False)
        self._css_rest = ""
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or the moment the database is open (a PIN typed
        while it opens, Ctrl+Q)."""
        if self.ready:
            callback()
        else:
            self._when_ready.append(callback)

    def wall_clock(self) -> datetime:
        """The time at the desk, for the header line and the lock screen's clock (before
        the database is open, from the site's zone without arrow)."""
        if hasattr(self, "clock"):
            return self.clock.now().datetime
        if self._tz in ("local", local_zone_name()):  # the usual booth PC: no zone to load
            return datetime.now().astimezone()
        from zoneinfo import ZoneInfo  # deferred for start-up speed

        try:
            return datetime.now(ZoneInfo(self._tz))
        except Exception:  # "local" or a zone this PC does not know
            return datetime.now().astimezone()

    _first_screen = False
    _watching_signs = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._first_screen:
            super().delay_update(delay)

    # --- faults -------------------------------------------------------------------------

    # --- backups in the background (never blocking a handover) -------------------------

    def _start_backup_watch(self) -> None:
        """After each signed handover a backup; at start, the live chain against the
        newest backup (a mismatch alerts the supervisor)."""
        from dutydesk.domain import backup, handover

        if self._after_sign not in handover.AFTER_SIGN:
            handover.AFTER_SIGN.append(self._after_sign)
        self._watching_signs = True
        if backup.settings().folder:
            self.run_worker(
                partial(backup.check_newest, self.actor.as_staff(None)),
                thread=True,
                group="backup-check",
                exit_on_error=False,
                name="backup-check",
            )

    def on_unmount(self) -> None:
        if not self._watching_signs:  # never hooked (a kiosk quit before it was ready)
            return
        from dutydesk.domain import handover  # deferred for start-up speed

        if self._after_sign in handover.AFTER_SIGN:
            handover.AFTER_SIGN.remove(self._after_sign)

    def _after_sign(self, actor: Actor, handover_id: int) -> None:
        self.start_backup("handover")

    def start_backup(self, reason: str) -> None:
        """A backup into the site's folder in a worker thread (one at a time)."""
        from dutydesk.domain import backup

        if not backup.settings().folder:
            return
        if any(w.group == "backup" and not w.is_finished for w in self.workers):
            return
        self.run_worker(
            partial(backup.backup_in_background, self.actor, reason),
            thread=True,
            group="backup",
            exit_on_error=False,
            name="backup",
        )

    def on_worker_state_changed(self, event: Any) -> None:
        worker = event.worker
        if worker.group == "backup-check" and worker.is_finished:
            found = worker.result
            if found is not None and not found.ok:
                self._backup_mismatch = found
                self.check_backups()
        elif worker.group == "backup" and worker.is_finished:
            self.check_backups()

    def check_backups(self) -> None:
        """A failed or missing backup, or a chain that does not extend the newest
        backup's: shown to a supervisor (F2 banner)."""
        from dutydesk.domain import backup
        from dutydesk.domain.context import SUPERVISOR_ROLES

        now = self.clock.now()
        if backup.daily_due(now):
            self.start_backup("daily")
        if self.staff is None or self.staff.role not in SUPERVISOR_ROLES:
            self._warnings.pop("backup", None)
            return
        found = backup.problems(now)
        if found:
            self._warnings["backup"] = found[0]
        else:
            self._warnings.pop("backup", None)
        mismatch = self._backup_mismatch
        if mismatch is not None:
            if mismatch.foreign:
                self.raise_alert(
                    ("backup-mismatch", "foreign"),
                    N_("The newest backup is of another site: check the backup folder"),
                )
            else:
                self.raise_alert(
                    ("backup-mismatch", str(mismatch.first_difference)),
                    N_(
                        "Audit event {seq} differs from the newest backup: records before "
                        "the backup were changed. Call the supervisor's manager"
                    ),
                    seq=mismatch.first_difference,
                )

    def _startup_check(self) -> None:
        """The database's start-up check (worker thread, its own connection)."""
        from dutydesk.domain import health

        try:
            health.startup_check(self.actor)
        except Exception as exc:  # a check that cannot run must not end the kiosk
            _log_tick_failure(exc, "start-up check")
        finally:
            health.close_thread_connection()
        self.call_from_thread(self._alerts_changed)

    def site_created(self, info: site_rules.SiteInfo) -> None:
        """The set-up wizard finished: the first desk, then the lock screen."""
        from dutydesk.clock import SystemClock

        if isinstance(self.clock, SystemClock):
            self.clock.tz = info.tz
        self.desk = info.desks[0]
        self.switch_mode("lock")
        self.remove_mode("wizard")
        self._start_backup_watch()

    def make_screen(self, mode: str) -> Screen[Any]:
        """The screen of ``mode``, imported on first use. Should it fail to open, the
        person sees a plain "could not be opened — tell the supervisor" panel and the
        error is logged: an F-key never crashes the kiosk in the middle of a shift."""
        from dutydesk.screens.placeholder import PlaceholderScreen

        module_name, class_name, title, _key = SCREENS[mode]
        try:
            screen: Screen[Any] = getattr(importlib.import_module(module_name), class_name)()
        except Exception as exc:
            from dutydesk.errorlog import log_exception

            log_exception(exc, f"opening {module_name}.{class_name}")
            return PlaceholderScreen(title)
        return _styled_now(screen)

    # --- keys and the idle tick --------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if self.ready:
                self.last_key_at = self.clock.now()
            elif self._opener is not None and self.kiosk_started:
                self._start_loading()  # someone is typing: no need to wait
            if self.hold_key(event):
                return
        await super().on_event(event)

    def _idle_tick(self) -> None:
        """Every second: idle lock, alerts, the live clock. Time from ``self.clock``."""
        self._release_keys_if_stuck()
        if not self.ready:
            return
        now = self.clock.now()
        try:
            if not self._site_unreachable(now):
                self._tick(now)
        except ConnectionLost:
            self._site_unreachable(now)

    def _site_unreachable(self, now: arrow.Arrow) -> bool:
        """A site server that went away: a standing banner "no connection since HH:MM"
        (saves are refused with a message of their own; the screen stays readable), a
        reconnect try every few seconds, and the banner gone once it answers."""
        from dutydesk.domain import connection

        if self._offline_since is None:
            if not connection.lost():
                return False
            self._offline_since = self._offline_probe = now
            self._warnings["connection"] = (
                N_("No connection to the site database since {time}"),
                {"time": now.format("HH:mm")},
            )
            self.bell()
            self._alerts_changed()
            # Also over forms, which have no banner: a note that stays until it is back.
            msgid, values = self._warnings["connection"]
            self.notify(_(msgid, **values), severity="error", timeout=24 * 3600)
            return True
        if (now - self._offline_probe).total_seconds() < RECONNECT_EVERY_S:
            return True
        self._offline_probe = now
        if not connection.probe():
            return True
        self._offline_since = None
        self._warnings.pop("connection", None)
        self._rebuild_broken_screens()
        self.clear_notifications()
        self.notify(_("The connection to the site database is back"), timeout=5)
        self._alerts_changed()
        return False

    def _rebuild_broken_screens(self) -> None:
        """Screens whose building was cut off by the lost server are built anew."""
        broken, self._broken_modes = self._broken_modes, set()
        if self.current_mode in broken:
            if "shift" in broken:  # no whole screen to stand on: lock rebuilds them all
                self.lock("lock")
                return
            self.switch_mode("shift")
        for mode in broken:
            if mode in self._screen_stacks and mode != self.current_mode:
                self.remove_mode(mode)
                self.add_mode(mode, partial(self.make_screen, mode))

    def _tick(self, now: arrow.Arrow) -> None:
        self._look_at_other_desks()
        if self.staff is not None and (now - self.last_key_at).total_seconds() >= self.lock_after:
            self.lock("idle")
            return
        minute = now.floor("minute")
        if minute != self._last_check_minute:
            self._last_check_minute = minute
            self._minute_tick()
        refresh = getattr(self.screen, "refresh_live", None)
        if callable(refresh):
            refresh()

    def _minute_tick(self) -> None:
        """Once a minute: the clock check, alerts, and in read-only mode another try at
        writing the drafts kept in memory. A busy or full database never ends the kiosk:
        the tick tries again next minute."""
        from dutydesk.domain import health

        try:
            health.retry_writing()  # a file made writable again: the banner goes
            if self.desk is not None:
                self.clock_suspect = health.clock_check(self.actor, self.clock_suspect)
            self.flush_drafts()
            self.check_alerts()
        except StorageError as exc:
            self.log.warning(f"minute tick: {exc}")
        except Exception as exc:  # a background tick must never end the kiosk
            _log_tick_failure(exc)
            health.note_fault(exc)  # a damaged page read: the banner says so
        from dutydesk.widgets.banner import AlertBanner

        try:
            self._alerts_changed()
            for banner in self.screen.query(AlertBanner):  # also screens without refresh_live
                banner.refresh_alerts()
        except StorageError as exc:
            self.log.warning(f"minute tick: {exc}")
        except Exception as exc:  # the screen's reload failed: logged, tried next minute
            _log_tick_failure(exc, "minute tick: refreshing the screen")
            health.note_fault(exc)

    def check_alerts(self) -> None:
        """Presence checks (SG-5), relief overdue (CS-R4), overdue rounds and reports."""
        if self.desk is None:
            return
        if self.clock_suspect is not None:
            # Measured with a wrong clock, "overdue" and "missed" would be false records
            # written for good: the clock banner speaks instead until it is put right.
            return
        from dutydesk.domain import overview, sessions  # deferred for start-up speed

        actor = self.actor
        try:
            state = sessions.presence_tick(actor)
        except StorageError:  # read-only mode or busy: what waits is still shown
            state = sessions.PresenceState(sessions.pending_presence(self.desk.id), 0)
        if state.newly_missed:
            self.raise_alert(
                ("presence-missed", str(self.clock.now().floor("minute"))),
                N_("A presence check was missed and has been logged"),
            )
        self.presence_due = state.pending
        if state.pending is not None:
            self.raise_alert(
                ("presence", str(state.pending.id)),
                N_("Presence check: confirm with your PIN by {time} (F10)"),
                time=state.pending.deadline.format("HH:mm"),
            )
            if self.staff is not None and not isinstance(self.screen, ModalScreen):
                from dutydesk.screens.dialogs import PresenceDialog

                self.push_screen(PresenceDialog(state.pending))
        else:
            self._alerts = {k: v for k, v in self._alerts.items() if k[0] != "presence"}
        if overview.check_relief_overdue(actor):
            if "relief" not in self._warnings:
                self.bell()
            self._warnings["relief"] = (N_("Relief overdue — stay at your post (CS-R4)"), {})
        else:
            self._warnings.pop("relief", None)
        with contextlib.suppress(StorageError):  # logged at the next tick that can write
            overview.note_overdue_rounds(actor)  # SE-3: logged once, F3 open or not
        self.check_backups()
        alarms = overview.alarms(actor)
        self._drop_gone_alerts(alarms)
        for round_due in alarms.overdue_rounds:
            self.raise_alert(
                ("round", round_due.format("YYYY-MM-DD HH:mm")),
                N_("Patrol round due at {time} is overdue"),
                time=round_due.format("HH:mm"),
            )
        for report in alarms.overdue_reports:
            self.raise_alert(
                ("report", str(report.incident_id)),
                N_("Written report of incident {id} is overdue"),
                id=report.incident_id,
            )
        self._alerts_changed()

    def _look_at_other_desks(self) -> None:
        """Every second: a major incident, relief overdue, reading out of range or a
        refused handover at another desk of the site (CS6, CS-R4) joins the alerts."""
        if self.desk is None:
            return
        from dutydesk.domain import site_alerts

        if self._site_watch is None or self._site_watch.desk_id != self.desk.id:
            self._site_watch = site_alerts.watch(self.desk.id)
            return
        for alert in site_alerts.look(self._site_watch):
            key: AlertKey = ("site", str(alert.seq))
            self._site_alerts[key] = alert
            self.raise_alert(key, alert.msgid, **alert.values)

    def _drop_gone_alerts(self, alarms: Any) -> None:
        """Round and report alerts follow their cause: a round done (or of a shift
        handed over) and a report written clear themselves (SE-3)."""
        live = {("round", r.format("YYYY-MM-DD HH:mm")) for r in alarms.overdue_rounds}
        live |= {("report", str(r.incident_id)) for r in alarms.overdue_reports}

        def gone(key: AlertKey) -> bool:
            return key[0] in ("round", "report") and key not in live

        self._alerts = {k: v for k, v in self._alerts.items() if not gone(k)}
        self._acknowledged = {k for k in self._acknowledged if not gone(k)}

    def raise_alert(self, key: AlertKey, msgid: str, **values: Any) -> None:
        """Show an alert until acknowledged; ring the bell the first time."""
        if key in self._acknowledged or key in self._alerts:
            return
        self._alerts[key] = (msgid, values)
        self.bell()
        self._alerts_changed()

    def _alerts_changed(self) -> None:
        refresh = getattr(self.screen, "refresh_live", None)
        if callable(refresh):
            refresh()
        self.refresh_bindings()

    def action_acknowledge(self) -> None:
        """F10: confirm a waiting presence check, else clear the alerts."""
        if self.presence_due is not None and self.staff is not None:
            from dutydesk.screens.dialogs import PresenceDialog

            self.push_screen(PresenceDialog(self.presence_due))
            return
        self.check_alerts()  # only live alerts are acknowledged
        other_desks = [k for k in self._alerts if k in self._site_alerts]
        own = [k for k in self._alerts if k[0] not in ("presence", "site")]
        try:
            if other_desks:  # each desk acknowledges the other desks' alerts on its own
                from dutydesk.domain import site_alerts

                site_alerts.acknowledge(self.actor, [self._site_alerts[k] for k in other_desks])
            if own and self.desk is not None:
                from dutydesk.domain import overview

                overview.acknowledge_alerts(self.actor, own)  # recorded (KEYMAP F10)
        except DutyDeskError as exc:
            self.notify(exc.translated(), severity="error", markup=False)
            return
        for key in other_desks:
            self._site_alerts.pop(key, None)
        self._acknowledged.update(k for k in self._alerts if k[0] != "presence")
        self._alerts = {k: v for k, v in self._alerts.items() if k[0] == "presence"}
        self._alerts_changed()

    def presence_confirmed(self) -> None:
        self.presence_due = None
        self._alerts = {k: v for k, v in self._alerts.items() if k[0] != "presence"}
        self._alerts_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only keys that work now."""
        logged_in = self.staff is not None
        modal = isinstance(self.screen, ModalScreen)
        if action == "lock":
            return logged_in
        if action in ("goto", "command_palette"):
            return logged_in and not modal
        if action == "help":
            return not modal
        if action == "acknowledge":
            return bool(self._alerts) and not modal
        return True

    # --- login, lock, quit --------------------------------------------------------------

    def login(self, person: StaffInfo) -> None:
        """After a good PIN: start the session and show the shift screen (home)."""
        from dutydesk.domain import sessions  # deferred for start-up speed

        self.staff = person
        try:
            info = sessions.start_session(self.actor)
            self.session_id, self.on_roster = info.id, info.on_roster
            if sessions.confirm_by_login(self.actor, person):
                self.presence_confirmed()
        except StorageError as exc:  # read-only mode: records can still be read
            self.log.warning(f"start_session: {exc}")
            self.session_id, self.on_roster = None, True
        if not self.cli_lang and person.language:
            set_language(person.language)
        self.last_key_at = self.clock.now()
        self.switch_mode("shift")
        if not self.on_roster:
            self.notify(
                _("You are not on the roster of this shift: recorded as a deviation"),
                severity="warning",
                markup=False,
                timeout=8,
            )
        if person.must_change_pin:
            from dutydesk.screens.dialogs import ChangePinDialog

            self.push_screen(ChangePinDialog(forced=True))
        self.refresh_bindings()

    def save_drafts(self) -> None:
        """Ask every screen of every stack that keeps drafts to save its draft now."""
        for stack in list(self._screen_stacks.values()):
            for screen in list(stack):
                save = getattr(screen, "save_draft", None)
                if callable(save):
                    try:
                        save()
                    except Exception as exc:  # a draft must never block the lock
                        from dutydesk.errorlog import log_exception

                        log_exception(exc, f"saving the draft of {type(screen).__name__}")

    def keep_draft(self, actor: Actor, form: str, data: dict[str, Any]) -> None:
        """Hold a draft in memory that the database refused (read-only mode, busy)."""
        self.pending_drafts[(actor.staff_id, form)] = (actor, dict(data))

    def pending_draft(self, actor: Actor, form: str) -> dict[str, Any] | None:
        kept = self.pending_drafts.get((actor.staff_id, form))
        return dict(kept[1]) if kept else None

    def forget_draft(self, actor: Actor, form: str) -> None:
        self.pending_drafts.pop((actor.staff_id, form), None)

    def flush_drafts(self) -> None:
        """Write the drafts held in memory; stop at the first refusal (try next minute)."""
        from dutydesk.domain import drafts

        for key, (actor, data) in list(self.pending_drafts.items()):
            drafts.save(actor, key[1], data)
            self.pending_drafts.pop(key, None)

    def lock(self, reason: str = "lock") -> None:
        """Save drafts, end the session, forget the person's screens, show the lock screen."""
        if self.staff is None:
            return
        from dutydesk.domain import sessions  # deferred for start-up speed

        # The lock always happens, even when the database cannot be written or the
        # site server is away: a session left open at an empty booth is worse than
        # a logout the audit trail misses (the banner already says why).
        try:
            self.save_drafts()
        except DutyDeskError as exc:
            self.log.warning(f"save_drafts: {exc}")
        if self.session_id is not None:
            try:
                sessions.end_session(self.actor, self.session_id, reason)
            except DutyDeskError as exc:
                self.log.warning(f"end_session: {exc}")
        self.staff = None
        self.session_id = None
        try:
            language = self.kiosk_language()
        except DutyDeskError:
            language = current_language()
        set_language(language)
        self.switch_mode("lock")
        reset = getattr(self.screen, "reset", None)
        if callable(reset):
            reset()
        for mode in SCREENS:
            if mode in self._screen_stacks:
                self.remove_mode(mode)
                self.add_mode(mode, partial(self.make_screen, mode))
        self.refresh_bindings()

    def action_lock(self) -> None:
        self.lock("lock")

    def action_goto(self, mode: str) -> None:
        if self.staff is None or mode not in SCREENS:
            return
        self.switch_mode(mode)
        self.refresh_bindings()

    def action_help(self) -> None:
        from dutydesk.screens.help import HelpScreen

        target = self.screen
        keys = [
            (self.get_key_display(a.binding), a.binding.description)
            for a in target.active_bindings.values()
            if a.binding.description and a.enabled and _is_ours(a.node, a.binding)
        ]
        # The screen's own keys always, even those not usable this moment (u, r…).
        for node, _map in target._binding_chain:
            if node is self:
                continue
            for cls in type(node).__mro__:
                if not cls.__module__.startswith("dutydesk"):
                    continue
                for b in cls.__dict__.get("BINDINGS", []):
                    if isinstance(b, Binding) and b.description and b.show:
                        for key in b.key.split(","):
                            pair = (self.get_key_display(Binding(key, "")), b.description)
                            if pair not in keys:
                                keys.append(pair)
        rules = list(getattr(target, "RULES", []))
        self.push_screen(HelpScreen(keys, rules))

    def action_request_quit(self) -> None:
        """Ctrl+Q: quitting the kiosk needs a supervisor PIN (counts toward lockout)."""
        if not self.ready:  # the database is still opening: asked once it is
            self.when_ready(self.action_request_quit)
            return
        if self.desk is None:  # no site yet: nobody to ask
            self.exit(0)
            return
        if isinstance(self.screen, ModalScreen) and type(self.screen).__name__ == "QuitDialog":
            return
        from dutydesk.screens.dialogs import QuitDialog

        self.push_screen(QuitDialog(), self._quit_answered)

    def _quit_answered(self, ok: bool | None) -> None:
        if not ok:
            return
        if self.staff is not None:
            self.save_drafts()
            if self.session_id is not None:
                from dutydesk.domain import sessions  # deferred for start-up speed

                sessions.end_session(self.actor, self.session_id, "quit")
        self.exit(0)

    def action_command_palette(self) -> None:
        """Ctrl+P, with the placeholder in the current language."""
        from textual.command import CommandPalette

        if self.staff is None or CommandPalette.is_open(self):  # type: ignore[arg-type]
            return
        from dutydesk.screens.commands import KioskPalette  # "No matches found" translated

        self.push_screen(
            KioskPalette(placeholder=_("Search for screens and actions…"), id="--command-palette")
        )

    def action_toggle_language(self) -> None:
        """Switch zh ↔ en; kept as the person's language when logged in."""
        lang = "en" if current_language() == "zh" else "zh"
        set_language(lang)
        if self.staff is not None:
            from dutydesk.domain import staff as staff_rules  # deferred for start-up speed

            staff_rules.set_language(self.actor, lang)
            self.staff = staff_rules.get(self.staff.id)
        for stack in self._screen_stacks.values():
            for screen in stack:
                relabel = getattr(screen, "refresh_language", None)
                if callable(relabel):
                    relabel()
        self.refresh_bindings()

    def action_change_pin(self) -> None:
        if self.staff is None:
            return
        from dutydesk.screens.dialogs import ChangePinDialog

        self.push_screen(ChangePinDialog(forced=False))

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the desk card prints them: F1, Ctrl+Q, Esc, Enter."""
        if binding.key_display:
            return binding.key_display
        names = {
            "ctrl": "Ctrl",
            "shift": "Shift",
            "escape": "Esc",
            "enter": "Enter",
            "space": "Space",
            "tab": "Tab",
            "pageup": "PgUp",
            "pagedown": "PgDn",
            "delete": "Del",
        }
        key = binding.key.split(",")[0]
        parts = key.split("+")
        if len(parts) == 1 and len(key) == 1:
            return key  # a letter key of a screen: o, n, /
        return "+".join(names.get(p, p.upper()) for p in parts)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries (English) replaced by the kiosk's, in both languages."""
        from dutydesk.screens.commands import ACTIONS, both

        for title, help_text, action in ACTIONS:
            yield SystemCommand(both(title), _(help_text), partial(self.run_action, action))
