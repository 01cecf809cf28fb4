"""The DutyDesk Textual app: the stylesheet, the screens behind the F-keys, global keys.

Each F-key screen is a Textual *mode* with its own screen stack, created the
first time it is shown after a login. Locking (F12, Ctrl+L, idle) saves every
screen's draft, ends the session and removes those modes, so the next person
never sees the previous person's screens; their drafts wait in the database.

Its other jobs live beside it, as mixins: :mod:`dutydesk.app_keys` (keys one at a
time, never stuck), :mod:`dutydesk.app_faults` (the one place a fault ends) and
:mod:`dutydesk.app_live` (ticks, alerts, the site server's connection, backups).

Over 600 lines on purpose: what is left here is the App class itself (its
bindings, modes, login and lock), which Textual wants in one class.
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
from dutydesk.app_live import AlertKey, LiveDesk
from dutydesk.app_memory import fix_styles_cache_leak, tune_collector
from dutydesk.config import DeskGlance, Opened, choose_language
from dutydesk.errors import DutyDeskError, StorageError
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


class DutyDeskApp(LiveDesk, FaultPanel, App[int]):
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
        # One meaning everywhere (docs/keys.md): Ctrl+T switches the language.
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
    """Keys that work everywhere once logged in (docs/keys.md)."""

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
        fix_styles_cache_leak()
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
        tune_collector()

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

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._first_screen:
            super().delay_update(delay)

    # --- faults -------------------------------------------------------------------------

    # --- backups in the background (never blocking a handover) -------------------------

    def site_created(self, info: site_rules.SiteInfo) -> None:
        """The set-up wizard finished: the first desk, then the lock screen."""
        from dutydesk.clock import SystemClock

        if isinstance(self.clock, SystemClock):
            self.clock.tz = info.tz
        self.desk = info.desks[0]
        self.switch_mode("lock")
        self.remove_mode("wizard")
        self._start_backup_watch()
        tune_collector()

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
