"""The one place a fault ends in the kiosk app: logged, shown as a plain panel, the
kiosk goes on (a mixin of :class:`dutydesk.app.DutyDeskApp`).

Whatever a message handler, a timer, a worker, compose or render raises once the
kiosk is up comes to :meth:`FaultPanel.report_error`: the full story to the error
log (no local variables, no PIN), a plain panel to the person.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from dutydesk.errors import ConnectionLost
from dutydesk.i18n import N_, _
from dutydesk.screens.registry import OTHER_TITLES, SCREENS


def _is_database_error(error: BaseException) -> bool:
    """Raised by the database driver? Then the write's transaction was rolled back.

    Told by the class's module, since the UI never imports the database layers.
    """
    roots = ("sqlite3", "peewee", "psycopg", "psycopg2")
    return any(cls.__module__.split(".")[0] in roots for cls in type(error).__mro__)


def _kiosk_of(pump: MessagePump) -> FaultPanel | None:
    """The DutyDesk app ``pump`` belongs to; None for another app or none at all."""
    try:
        app = pump.app
    except Exception:  # shutting down: no app to ask
        return None
    return app if isinstance(app, FaultPanel) else None


def guard_message_dispatch() -> None:
    """Route what any handler raises in a DutyDesk app to :meth:`FaultPanel.report_error`.

    Textual hands an exception from a message handler (a key's action, an
    ``@on`` handler, ``on_mount``…) to ``App._handle_exception`` and then stops
    that widget's or screen's message loop for good: the kiosk would show a
    traceback and exit, or keep running with a dead screen. Catching it around
    the dispatch of each message keeps every loop alive. Installed once; apps
    other than DutyDesk's keep Textual's behaviour.
    """
    original = MessagePump._dispatch_message
    if getattr(original, "_dutydesk_guard", False):
        return

    async def guarded(self: MessagePump, message: Message) -> None:
        try:
            await original(self, message)
        except Exception as error:
            app = _kiosk_of(self)
            if app is None or not app.kiosk_started:
                raise
            app.report_error(error, f"{type(self).__name__} handling {type(message).__name__}")

    guarded._dutydesk_guard = True  # type: ignore[attr-defined]
    MessagePump._dispatch_message = guarded  # type: ignore[method-assign]


class FaultPanel(App[int]):
    """Faults end here; the app sets ``kiosk_started`` once its first screen is up."""

    kiosk_started: bool
    _broken_modes: set[str]  # screens cut off by a lost site server: built again

    def _init_fault_panel(self) -> None:
        self._reporting = False
        self._last_fault: tuple[tuple[str, str, str], float] | None = None

    def report_error(self, error: BaseException, where: str) -> None:
        """The one place a fault ends: the full story to the error log (no locals, no
        PIN), a plain panel to the person; the kiosk goes on running."""
        if isinstance(error, ConnectionLost):
            # A site server that went away in the middle of a key's work ends that
            # work, not the kiosk: the "no connection" banner follows at the next tick.
            if self.current_mode in SCREENS:
                self._broken_modes.add(self.current_mode)  # built again once it is back
            self.notify(error.translated(), severity="error", markup=False)
            return
        from dutydesk.errorlog import log_exception, log_file

        # The same fault again within seconds (a tick or a render failing over and over)
        # is counted on the panel, not written again: the first entry tells it all.
        fault = (type(error).__name__, str(error), where)
        now = time.monotonic()
        if (
            self._last_fault is None
            or self._last_fault[0] != fault
            or now - self._last_fault[1] > 5
        ):
            log_exception(error, where)
            self._last_fault = (fault, now)
        if self._exit or self._closing or self._reporting or not self.screen_stack:
            return  # closing (no screen left to show a panel on), or already showing one
        self._reporting = True
        try:
            from dutydesk.screens.error_panel import ErrorPanel

            top = self.screen
            if isinstance(top, ErrorPanel):
                top.again()
                return
            mode = self.current_mode
            title = SCREENS[mode][2] if mode in SCREENS else OTHER_TITLES.get(mode, N_("Shift"))
            self.push_screen(ErrorPanel(title, _is_database_error(error), str(log_file())))
            self.bell()
        except Exception as panel_error:  # the panel itself failed: the log has both
            log_exception(panel_error, "showing the error panel")
        finally:
            self._reporting = False

    def _handle_exception(self, error: Exception) -> None:
        """Textual's own last resort (timers, workers, compose, rendering) comes here too.

        Textual would print a traceback with local variables (a PIN among them) and
        exit. Once the kiosk is up, the fault goes to :meth:`report_error` instead;
        before that there is no screen to show a panel on, so the kiosk stops with
        one plain line (and the log).
        """
        from textual.worker import WorkerFailed

        cause: BaseException = error.error if isinstance(error, WorkerFailed) else error
        if self.kiosk_started:
            where = "a worker" if isinstance(error, WorkerFailed) else "a timer, compose or render"
            self.report_error(cause, where)
            return
        from dutydesk.errorlog import log_exception, log_file

        log_exception(cause, "kiosk start-up")
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it, so a test sees the fault
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(
            Text(_("DutyDesk stopped because of an error; details in {log}", log=log_file()))
        )
        self._close_messages_no_wait()
