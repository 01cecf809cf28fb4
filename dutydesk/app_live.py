"""The kiosk app's live side: the one-second tick (idle lock, the clock, other desks'
alerts), the minute tick (alerts, the clock check, drafts kept in memory), the
connection to a site server, backups in the background (a mixin of
:class:`dutydesk.app.DutyDeskApp`).

The duty rules are imported where they are used: they load after the lock
screen's first paint.
"""

from __future__ import annotations

import contextlib
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen

from dutydesk.app_keys import KeyQueue
from dutydesk.app_memory import collect_when_idle
from dutydesk.errors import ConnectionLost, DutyDeskError, StorageError
from dutydesk.i18n import N_, _

if TYPE_CHECKING:
    import arrow

    from dutydesk.clock import Clock
    from dutydesk.domain import overview, sessions
    from dutydesk.domain.context import Actor
    from dutydesk.domain.site import DeskInfo
    from dutydesk.domain.staff import StaffInfo

# While the site server is unreachable, try to reconnect this often (seconds).
RECONNECT_EVERY_S = 5

# Alert kinds (msgid with named values) that wait for F10.
AlertKey = tuple[str, str]


def _round_key(late: overview.OverdueRound) -> AlertKey:
    """An overdue round's alert: its due time (as F10's audit shows it) and its id,
    since two schedules' rounds can be due at the same minute."""
    return ("round", f"{late.due_at.format('YYYY-MM-DD HH:mm')} #{late.round_id}")


def _log_tick_failure(exc: BaseException, what: str = "minute tick") -> None:
    """Into the error log (no local variables, no PIN); the kiosk goes on."""
    from dutydesk.errorlog import log_exception

    log_exception(exc, what)


class LiveDesk(KeyQueue):
    """Alerts, warnings, ticks and background backups; the state is set up by the app."""

    clock: Clock
    desk: DeskInfo | None
    staff: StaffInfo | None
    ready: bool
    lock_after: int
    last_key_at: arrow.Arrow
    _offline_probe: arrow.Arrow
    _offline_since: arrow.Arrow | None
    _last_check_minute: arrow.Arrow | None
    _alerts: dict[AlertKey, tuple[str, dict[str, Any]]]
    _acknowledged: set[AlertKey]
    _warnings: dict[str, tuple[str, dict[str, Any]]]
    _site_alerts: dict[AlertKey, Any]
    _site_watch: Any
    _backup_mismatch: Any
    _broken_modes: set[str]
    clock_suspect: Any
    presence_due: sessions.PresenceDue | None
    pending_drafts: dict[tuple[int | None, str], tuple[Actor, dict[str, Any]]]
    _watching_signs = False

    def lock(self, reason: str = "lock") -> None:
        """Defined by the app: save drafts, end the session, show the lock screen."""
        raise NotImplementedError

    def make_screen(self, mode: str) -> Screen[Any]:
        """Defined by the app: the screen of an F-key mode."""
        raise NotImplementedError

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

    def _idle_tick(self) -> None:
        """Every second: idle lock, alerts, the live clock. Time from ``self.clock``."""
        self._release_keys_if_stuck()
        if not self.ready or not self.screen_stack:  # not open yet, or closing: no screens
            return
        collect_when_idle(time.monotonic() - self._key_since)
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
        for late in alarms.overdue_rounds:  # not started by the end of its window
            self.raise_alert(
                _round_key(late),
                N_("Patrol: {name} due at {time} is overdue, not started")
                if late.name
                else N_("Patrol round due at {time} is overdue"),
                name=late.name,
                time=late.due_at.format("HH:mm"),
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
        live = {_round_key(r) for r in alarms.overdue_rounds}
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

                overview.acknowledge_alerts(self.actor, own)  # recorded (docs/keys.md: F10)
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
