"""The DutyDesk Textual app: the stylesheet, the screens behind the F-keys, global keys.

Each F-key screen is a Textual *mode* with its own screen stack, created the
first time it is shown after a login. Locking (F12, Ctrl+L, idle) saves every
screen's draft, ends the session and removes those modes, so the next person
never sees the previous person's screens; their drafts wait in the database.
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

import arrow
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from dutydesk.clock import Clock
from dutydesk.domain import sessions
from dutydesk.domain import site as site_rules
from dutydesk.domain import staff as staff_rules
from dutydesk.domain.context import Actor
from dutydesk.domain.site import DeskInfo
from dutydesk.domain.staff import StaffInfo
from dutydesk.i18n import N_, _, current_language, set_language


def stylesheet_path() -> Path:
    """``screens.tcss``: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).parent
    for candidate in (here / "screens.tcss", here.parent / "screens.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("screens.tcss")


# mode → (module, class, title msgid, F-key); modules are imported on first use.
SCREENS: dict[str, tuple[str, str, str, str]] = {
    "shift": ("dutydesk.screens.shift", "ShiftScreen", N_("Shift"), "f2"),
    "patrol": ("dutydesk.screens.patrol", "PatrolScreen", N_("Patrol"), "f3"),
    "incidents": ("dutydesk.screens.incidents", "IncidentsScreen", N_("Incidents"), "f4"),
    "handover": ("dutydesk.screens.handover", "HandoverScreen", N_("Handover"), "f5"),
    "logs": ("dutydesk.screens.logs", "LogsScreen", N_("Logs"), "f6"),
    "roster": ("dutydesk.screens.roster", "RosterScreen", N_("Roster"), "f7"),
    "reports": ("dutydesk.screens.reports", "ReportsScreen", N_("Reports"), "f8"),
    "admin": ("dutydesk.screens.admin", "AdminScreen", N_("Admin"), "f9"),
}


def _kiosk_commands() -> Any:
    """The palette's provider, imported when the palette first opens (issue 8: the
    lock screen starts without textual.command)."""
    from dutydesk.screens.commands import KioskCommands

    return KioskCommands


def _styled_now(screen: Screen[Any]) -> Screen[Any]:
    """Mark a new mode screen as styled by the current stylesheet (it is, as it mounts).

    Speed (issue 8): otherwise Textual re-parses every CSS source and restyles the
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


def _is_ours(node: Any, binding: Binding) -> bool:
    """Was ``binding`` declared by a DutyDesk class (not Textual's built-in scroll keys)?"""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("dutydesk"):
            continue
        for declared in cls.__dict__.get("BINDINGS", []):
            if isinstance(declared, Binding) and declared.action == binding.action:
                return True
    return False


# Alert kinds (msgid with named values) that wait for F10.
AlertKey = tuple[str, str]


class DutyDeskApp(App[int]):
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
        self, *, clock: Clock, desk_code: str | None, cli_lang: str | None, lock_after: int
    ) -> None:
        # The stylesheet path is resolved per instance too: tests may run from anywhere.
        super().__init__(css_path=str(stylesheet_path()))
        self.clock = clock
        self.desk_code = desk_code
        self.cli_lang = cli_lang
        self.lock_after = lock_after
        self.desk: DeskInfo | None = None
        self.staff: StaffInfo | None = None
        self.session_id: int | None = None
        self.on_roster = True
        self.last_key_at: arrow.Arrow = clock.now()
        self._alerts: dict[AlertKey, tuple[str, dict[str, Any]]] = {}
        self._acknowledged: set[AlertKey] = set()
        self._warnings: dict[str, tuple[str, dict[str, Any]]] = {}
        self._last_check_minute: arrow.Arrow | None = None
        self._keys_held: deque[events.Key] = deque()
        self._key_in_flight = False
        self._key_waits = 0
        self._quiet_rounds = 0
        self._key_round = 0
        self.presence_due: sessions.PresenceDue | None = None
        for mode in SCREENS:
            self.add_mode(mode, partial(self.make_screen, mode))
        if desk_code is not None:
            self.desk = site_rules.find_desk(desk_code)

    # --- state -------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        """Who is acting where: this desk, the logged-in person (None when locked)."""
        return Actor(
            self.clock, self.desk.id if self.desk else None, self.staff.id if self.staff else None
        )

    @property
    def alerts(self) -> list[str]:
        return [_(msgid, **values) for msgid, values in self._alerts.values()]

    @property
    def warnings(self) -> list[str]:
        return [_(msgid, **values) for msgid, values in self._warnings.values()]

    def kiosk_language(self) -> str:
        """The language the lock screen starts in (``--lang``, else the site's)."""
        from dutydesk.kiosk import choose_language

        site_lang = site_rules.get_site().language if site_rules.site_exists() else None
        return choose_language(self.cli_lang, site_lang)

    # --- start-up ---------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.desk is None and site_rules.site_exists():
            self.desk = site_rules.get_site().desks[0]
        if self.desk is None:
            self.switch_mode("wizard")
        else:
            sessions.end_stale_sessions(self.actor)
            self.switch_mode("lock")
        self.set_interval(1.0, self._idle_tick, name="idle-tick")

    def site_created(self, info: site_rules.SiteInfo) -> None:
        """The set-up wizard finished: the first desk, then the lock screen."""
        from dutydesk.clock import SystemClock

        if isinstance(self.clock, SystemClock):
            self.clock.tz = info.tz
        self.desk = info.desks[0]
        self.switch_mode("lock")
        self.remove_mode("wizard")

    def make_screen(self, mode: str) -> Screen[Any]:
        """The screen of ``mode``, imported on first use. Should it fail to open, the
        person sees a plain "could not be opened — tell the supervisor" panel and the
        error is logged: an F-key never crashes the kiosk in the middle of a shift."""
        from dutydesk.screens.placeholder import PlaceholderScreen

        module_name, class_name, title, _key = SCREENS[mode]
        try:
            screen: Screen[Any] = getattr(importlib.import_module(module_name), class_name)()
        except Exception as exc:
            self.log.error(f"{module_name}.{class_name}: {exc!r}")
            return PlaceholderScreen(title)
        return _styled_now(screen)

    # --- keys and the idle tick --------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_at = self.clock.now()
            if not event.is_forwarded and not getattr(event, "_replayed", False):
                # Keys typed fast (a typist, a barcode scanner): one at a time. A key
                # that opens a form is handled by the list's own queue; without this,
                # the keys behind it would reach the list, not the form, and be lost.
                if self._key_in_flight or self._keys_held:
                    self._keys_held.append(event)
                    return
                self._key_in_flight = True
                self.call_after_refresh(self._key_landed)
        await super().on_event(event)

    def _key_landed(self) -> None:
        """The last key is being handled: once every queue of the screen's focus chain
        has run dry (what it posted, e.g. Enter's Submitted, included) and any screen it
        opened is mounted, the next key held back goes."""
        screen = self.screen
        if not screen.is_mounted:
            self.call_after_refresh(self._key_landed)
            return
        pumps: list[Any] = [screen]
        if screen.focused is not None:
            pumps = list(dict.fromkeys([*screen.focused.ancestors_with_self, screen]))
        pumps = [p for p in pumps if p is not self]
        self._key_waits = len(pumps)
        self._key_round += 1
        # A widget removed meanwhile never answers: the keyboard must not stay stuck.
        self.set_timer(0.5, partial(self._unstick, self._key_round))
        for pump in pumps:
            if not pump.call_later(self._pump_drained, pumps):
                self._key_waits -= 1
        if self._key_waits <= 0:  # every one of them closed: look again after a refresh
            self.call_after_refresh(self._key_landed)

    def _unstick(self, round_: int) -> None:
        if self._key_in_flight and round_ == self._key_round and self._key_waits > 0:
            self._key_waits = 0
            self._quiet_rounds = 2
            self._pump_drained([self.screen])

    def _pump_drained(self, pumps: list[Any]) -> None:
        self._key_waits = max(self._key_waits - 1, 0)
        if self._key_waits > 0:
            return
        busy = [self, *pumps]  # the app's own queue too
        if self.screen is not pumps[-1] or any(not p._message_queue.empty() for p in busy):
            self._quiet_rounds = 0
        elif self._quiet_rounds < 2:
            self._quiet_rounds += 1
        if self._quiet_rounds < 2:  # a handler may still be running: one more round
            self.call_after_refresh(self._key_landed)
            return
        self._quiet_rounds = 0
        self._key_in_flight = False
        if self._keys_held:
            key = self._keys_held.popleft()
            key._replayed = True  # type: ignore[attr-defined]
            self._key_in_flight = True
            self.post_message(key)
            self.call_after_refresh(self._key_landed)

    def _idle_tick(self) -> None:
        """Every second: idle lock, alerts, the live clock. Time from ``self.clock``."""
        now = self.clock.now()
        if self.staff is not None and (now - self.last_key_at).total_seconds() >= self.lock_after:
            self.lock("idle")
            return
        minute = now.floor("minute")
        if minute != self._last_check_minute:
            self._last_check_minute = minute
            self.check_alerts()
        refresh = getattr(self.screen, "refresh_live", None)
        if callable(refresh):
            refresh()

    def check_alerts(self) -> None:
        """Presence checks (SG-5), relief overdue (CS-R4), overdue rounds and reports."""
        if self.desk is None:
            return
        from dutydesk.domain import overview  # at first use: a faster start (issue 8)

        actor = self.actor
        state = sessions.presence_tick(actor)
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
        overview.note_overdue_rounds(actor)  # SE-3: logged once, F3 open or not
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
        seen = [k for k in self._alerts if k[0] != "presence"]
        if seen and self.desk is not None:
            from dutydesk.domain import overview

            overview.acknowledge_alerts(self.actor, seen)  # recorded (KEYMAP F10)
        self._acknowledged.update(seen)
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
        self.staff = person
        info = sessions.start_session(self.actor)
        self.session_id, self.on_roster = info.id, info.on_roster
        if sessions.confirm_by_login(self.actor, person):
            self.presence_confirmed()
        if not self.cli_lang and person.language:
            set_language(person.language)
        self.last_key_at = self.clock.now()
        self.switch_mode("shift")
        if not info.on_roster:
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
                        self.log.error(f"save_draft of {screen!r}: {exc!r}")

    def lock(self, reason: str = "lock") -> None:
        """Save drafts, end the session, forget the person's screens, show the lock screen."""
        if self.staff is None:
            return
        self.save_drafts()
        if self.session_id is not None:
            sessions.end_session(self.actor, self.session_id, reason)
        self.staff = None
        self.session_id = None
        set_language(self.kiosk_language())
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
