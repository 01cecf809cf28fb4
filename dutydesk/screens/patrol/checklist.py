"""F3: the patrol checklist of the current shift.

The top table lists the shift's rounds (due time in the site's zone, tolerance,
state); the lower one the checks of the selected round in walking order. A
round is walked at the kiosk: Enter starts it (the time is the clock's), then
one key per check — ``o`` OK, ``x`` problem (a note, then the offer of an
incident), ``r`` a reading or count, ``s`` skip with a reason, ``u`` undo while
the round is open — and ``f`` finishes it. There is deliberately no "mark all
OK" (SE-3, CS4). A finished round's marks are final: ``c`` makes a linked
correction with a reason. ``l`` opens the equipment operation log.

The rules live in :mod:`dutydesk.domain.patrols`; this module only shows and asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import arrow
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from dutydesk.domain import patrols, shifts
from dutydesk.domain.patrols import CheckInfo, MarkResult, RoundInfo
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import Rules
from dutydesk.screens.dialogs.patrol import CorrectionDialog, ReadingDialog
from dutydesk.screens.dialogs.pick import PickDialog
from dutydesk.screens.incidents import open_incident_from_checkpoint
from dutydesk.screens.listing import ReloadingScreen
from dutydesk.screens.patrol.operation_log import OperationLogScreen
from dutydesk.screens.patrol.tables import CheckTable, RoundTable, hhmm, relabel
from dutydesk.widgets.form import ConfirmDialog, PromptDialog
from dutydesk.widgets.literal import literal
from dutydesk.widgets.patrol_marks import STATE_STYLES, expected_text, num

T = TypeVar("T")


class PatrolScreen(ReloadingScreen):
    """F3: this shift's rounds and the checks of the selected one."""

    RULES: ClassVar[Rules] = [
        ("SE-3", N_("Work to the roster; patrol on time")),
        ("SG-6", N_("Irregular rounds still cover every checkpoint")),
        ("CS4", N_("Inspect condition, cleanliness and staff at work")),
        ("CS5", N_("Switch landscape lighting on and off at the set times")),
        ("SG-10", N_("Patrol windows, switches and fire equipment")),
        ("EN-8.3.3", N_("Patrol equipment on schedule, with parameter readings")),
        ("EN-8.3.4", N_("The equipment operation log: readings with units and ranges")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "mark_ok", N_("OK"), id="patrol.ok", tooltip=N_("Mark the selected check OK")),
        Binding(
            "x",
            "mark_problem",
            N_("Problem"),
            id="patrol.problem",
            tooltip=N_("Mark it as a problem, with a note"),
        ),
        Binding(
            "r",
            "reading",
            N_("Reading"),
            id="patrol.reading",
            tooltip=N_("Enter a reading (number with unit)"),
        ),
        Binding("s", "skip", N_("Skip"), id="patrol.skip", tooltip=N_("Skip, with a reason")),
        Binding(
            "u",
            "undo",
            N_("Undo"),
            id="patrol.undo",
            tooltip=N_("Undo the last mark made in this round"),
        ),
        Binding(
            "f",
            "finish",
            N_("Finish round"),
            id="patrol.finish",
            tooltip=N_("Finish the round: its marks become final"),
        ),
        Binding(
            "c",
            "correct",
            N_("Correct"),
            id="patrol.correct",
            tooltip=N_("Correct a check of a finished round, with a reason"),
        ),
        Binding(
            "e",
            "extra_round",
            N_("Extra round"),
            id="patrol.extra",
            tooltip=N_("Walk a route now, outside the schedule (临时巡查)"),
        ),
        Binding(
            "l",
            "operation_log",
            N_("Operation log"),
            id="patrol.log",
            tooltip=N_("Readings of this desk by time and checkpoint"),
        ),
    ]
    """Keys of the patrol checklist (docs/keys.md, "Patrol checklist") and of its rounds."""

    def __init__(self) -> None:
        super().__init__()
        self.shift_id: int | None = None
        self.rounds: list[RoundInfo] = []
        self.checks: list[CheckInfo] = []
        self.round_id: int | None = None
        self._ensured: set[int] = set()
        self._minute: Any = None
        self._first_load = True
        self._back = asyncio.Event()  # set when this screen is shown again

    def compose_body(self) -> ComposeResult:
        with Vertical(id="patrol-body"):
            yield Static("", id="patrol-head", markup=False)
            yield Static("", id="patrol-message", markup=False)
            yield RoundTable(id="round-table", cursor_type="row", zebra_stripes=True)
            yield CheckTable(id="check-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="check-detail", markup=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload)

    def on_screen_resume(self) -> None:
        # Textual then calls ReloadingScreen's handler too, which reloads.
        self._back.set()

    def refresh_live(self) -> None:
        super().refresh_live()
        minute = self.kiosk.clock.now().floor("minute")
        if self._minute is not None and minute != self._minute:
            self.reload()  # states move with the clock: due → overdue → missed

    def refresh_language(self) -> None:
        self.reload()

    # --- loading ------------------------------------------------------------------------

    @property
    def tz(self) -> str:
        return str(self.kiosk.clock.tz)

    def _hhmm(self, instant: arrow.Arrow | None) -> str:
        return hhmm(instant, self.tz)

    def reload(self) -> None:
        """Read the open shift's rounds (generating them the first time) and redraw."""
        app = self.kiosk
        if app.desk is None or not self.is_mounted:
            return
        now = app.clock.now()
        self._minute = now.floor("minute")
        shift = shifts.current_shift(app.desk.id)
        rounds_table = self.query_one(RoundTable)
        checks_table = self.query_one(CheckTable)
        message = self.query_one("#patrol-message", Static)
        if shift is None:
            self.shift_id, self.rounds, self.checks, self.round_id = None, [], [], None
            self.query_one("#patrol-head", Static).update(Text(_("Patrol"), style="bold"))
            message.update(
                _(
                    "No shift is open at this desk. Open it on F2 (without a "
                    "handover) or take it over on F5; its rounds then show here."
                )
            )
            message.display = True
            for widget in (rounds_table, checks_table, self.query_one("#check-detail")):
                widget.display = False
            self.refresh_bindings()
            return
        message.display = False
        rounds_table.display = checks_table.display = True
        self.query_one("#check-detail").display = True
        self.shift_id = shift.id
        if shift.id not in self._ensured:
            patrols.ensure_rounds(shift.id, app.actor)
            self._ensured.add(shift.id)
        patrols.note_overdue(app.actor, shift.id)  # SE-3: an overdue round is logged once
        self.rounds = patrols.rounds_of_shift(shift.id, now)
        if self.round_id not in {r.id for r in self.rounds}:
            self.round_id = self._default_round()
        self._fill_rounds()
        self._head(shift)
        self._load_checks()
        if self._first_load or self.focused is None:
            self._first_load = False
            busy = self.round is not None and self.round.is_open
            (checks_table if busy else rounds_table).focus()

    def _default_round(self) -> int | None:
        """The round to show first: one in progress, else the first to start, else the last."""
        for wanted in ((patrols.IN_PROGRESS,), (patrols.OVERDUE, patrols.DUE), (patrols.UPCOMING,)):
            for r in self.rounds:
                if r.state in wanted:
                    return r.id
        return self.rounds[-1].id if self.rounds else None

    def _head(self, shift: Any) -> None:
        # The same count, with the same arguments, as F2's (overview._patrol).
        progress = patrols.progress(shift.id, self.kiosk.clock.now(), shift.planned_end)
        text = Text(no_wrap=False)
        text.append(_("Patrol"), style="bold")
        text.append(f"  {self._hhmm(shift.planned_start)}–{self._hhmm(shift.planned_end)}  ")
        text.append(_("{done} of {total} rounds done", done=progress.done, total=progress.total))
        if progress.next_due is not None:
            text.append("  " + _("next due {time}", time=self._hhmm(progress.next_due)))
        if progress.overdue_count:
            text.append("  ")
            text.append(_("{n} overdue", n=progress.overdue_count), style="bold red")
        if not self.rounds:
            text.append("\n" + _("No patrol rounds are scheduled for this shift."), style="dim")
        self.query_one("#patrol-head", Static).update(text)

    def _fill_rounds(self) -> None:
        table = self.query_one(RoundTable)
        table.show(self.rounds, self.tz, name_width=max(12, self.size.width - 48))
        index = next((i for i, r in enumerate(self.rounds) if r.id == self.round_id), 0)
        if self.rounds:
            table.move_cursor(row=index, animate=False)

    def _load_checks(self, keep: int | None = None) -> None:
        """The selected round's checks; the cursor stays on ``keep`` (a check id) or the
        check it was on, else the first check still to mark."""
        table = self.query_one(CheckTable)
        previous_id = keep
        if previous_id is None and self.checks and 0 <= table.cursor_row < len(self.checks):
            previous_id = self.checks[table.cursor_row].id
        self.checks = patrols.round_checks(self.round_id) if self.round_id is not None else []
        table.show(self.checks, room=(table.size.width or self.size.width - 2))
        ids = [c.id for c in self.checks]
        if previous_id in ids:
            index = ids.index(previous_id)
        else:
            index = next((i for i, c in enumerate(self.checks) if not c.marked), 0)
        if self.checks:
            table.move_cursor(row=index, animate=False)
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        """The selected check in full: place, previous shift's value, note or reason."""
        check = self.check
        text = Text()
        r = self.round
        if r is not None:
            text.append(_("Round due {time}", time=self._hhmm(r.due_at)) + ": ", style="bold")
            text.append(_(patrols.STATE_LABELS[r.state]), style=STATE_STYLES.get(r.state, ""))
            if r.is_open:
                left = r.checks_total - r.checks_marked
                text.append(
                    "  " + _("checks left to mark: {n}", n=left)
                    if left
                    else "  " + _("all marked: f finishes the round")
                )
            elif r.state in (patrols.DUE, patrols.OVERDUE):
                text.append("  " + _("Enter starts it"))
        if check is not None:
            cp = check.checkpoint
            text.append("\n")
            text.append(literal(cp.place, one_line=True, limit=60))
            if check.out_of_range:
                text.append("  ")
                text.append(
                    "⚠ " + _("out of range {range}", range=expected_text(cp)), style="bold red"
                )
            if check.previous is not None:
                p = check.previous
                text.append("  " + _("previous shift:") + " ")
                text.append(f"{num(p.value)} {p.unit}".rstrip(), style="bold")
                text.append(f" ({p.marked_at.to(self.tz).format('MM-DD HH:mm')})")
            if check.note:
                text.append("  " + _("note:") + " ")
                text.append(literal(check.note, one_line=True, limit=80))
            if check.corrected_by_id is not None and check.correction_reason:
                text.append("  " + _("corrected:") + " ")
                text.append(literal(check.correction_reason, one_line=True, limit=60))
        detail = self.query_one("#check-detail", Static)
        detail.update(text)
        # The detail may now take more lines (a correction's reason) and the checks
        # table fewer: once laid out again, the cursor's row is scrolled back into view.
        detail.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        table = self.query_one(CheckTable)
        if self.checks and 0 <= table.cursor_row < len(self.checks):
            table.move_cursor(row=table.cursor_row, animate=False)

    # --- selection ------------------------------------------------------------------------

    @property
    def round(self) -> RoundInfo | None:
        return next((r for r in self.rounds if r.id == self.round_id), None)

    @property
    def check(self) -> CheckInfo | None:
        if not self.is_mounted or not self.checks:
            return None
        row = self.query_one(CheckTable).cursor_row
        return self.checks[row] if 0 <= row < len(self.checks) else None

    @on(DataTable.RowHighlighted, "RoundTable")
    def _round_moved(self) -> None:
        row = self.query_one(RoundTable).cursor_row
        if 0 <= row < len(self.rounds) and self.rounds[row].id != self.round_id:
            self.round_id = self.rounds[row].id
            self._load_checks()

    @on(DataTable.RowHighlighted, "CheckTable")
    def _check_moved(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    # --- which keys work now ------------------------------------------------------------

    def _open_check(self) -> CheckInfo | None:
        """The selected check, if its round is in progress (marks can change)."""
        r = self.round
        return self.check if r is not None and r.is_open else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        r, check = self.round, self.check
        if action == "start_round":
            busy = any(x.is_open for x in self.rounds)
            return r is not None and r.state in (patrols.DUE, patrols.OVERDUE) and not busy
        if action in ("mark_ok", "mark_problem", "reading"):
            open_check = self._open_check()
            if open_check is None or open_check.marked:
                return False
            kind = open_check.checkpoint.kind
            if action == "mark_ok":
                return kind not in patrols.VALUE_KINDS
            if action == "reading":
                return kind in patrols.VALUE_KINDS
            return True
        if action == "skip":
            if r is None:
                return False
            if r.is_open:
                relabel(self, "s", N_("Skip check"))
                return check is not None and not check.marked
            relabel(self, "s", N_("Skip round"))
            return r.state in patrols.NOT_STARTED
        if action == "undo":  # the round's last mark, wherever the cursor is
            return r is not None and r.is_open and any(c.marked for c in self.checks)
        if action == "finish":
            return r is not None and r.is_open and all(c.marked for c in self.checks)
        if action == "correct":
            return (
                r is not None
                and r.state in (patrols.DONE, patrols.DONE_LATE)
                and (check is not None)
            )
        if action == "operation_log":
            return self.kiosk.desk is not None
        if action == "extra_round":
            return self.shift_id is not None and not any(x.is_open for x in self.rounds)
        return True

    # --- doing ----------------------------------------------------------------------------

    def _try(self, call: Callable[[], Any]) -> Any:
        """Run a domain call; a refusal is shown as a message and nothing changes."""
        try:
            return call()
        except DutyDeskError as exc:
            self.notify(exc.translated(), severity="error", markup=False)
            return None

    def _after_mark(self, result: MarkResult | None, check_id: int) -> None:
        """Redraw, move to the next check still to mark, offer an incident for a problem."""
        if result is None:
            self.reload()
            return
        if self.shift_id is None:
            return
        self.rounds = patrols.rounds_of_shift(self.shift_id, self.kiosk.clock.now())
        self._fill_rounds()
        ids = [c.id for c in self.checks]
        after = ids[ids.index(check_id) + 1 :] if check_id in ids else []
        fresh = {c.id: c for c in patrols.round_checks(self.round_id)} if self.round_id else {}
        nxt = next((i for i in after if i in fresh and not fresh[i].marked), None)
        if nxt is None:
            nxt = next((c.id for c in fresh.values() if not c.marked), check_id)
        self._load_checks(keep=nxt)
        if result.incident is not None:
            self._offer_incident(result)

    @work
    async def _offer_incident(self, result: MarkResult) -> None:
        """Offer the incident form for a problem or an out-of-range value (EN-8.3.2);
        declined, the note still goes to the duty log when the round is finished."""
        offer = result.incident
        assert offer is not None
        question = _("Open an incident at {place}?", place=offer.place)
        if await self._answer(ConfirmDialog(question)):
            open_incident_from_checkpoint(self, offer.checkpoint_id, offer.description)

    def action_start_round(self) -> None:
        r = self.round
        if r is None:
            return
        if self._try(lambda: patrols.start_round(self.kiosk.actor, r.id)) is not None:
            self.notify(
                _("Round started at {time}", time=self._hhmm(self.kiosk.clock.now())), markup=False
            )
            self.reload()
            self.query_one(CheckTable).focus()

    @work
    async def action_extra_round(self) -> None:
        """Choose a route, then start an unscheduled round of it at once."""
        app = self.kiosk
        if self.shift_id is None or app.desk is None:
            return
        shift_id = self.shift_id
        choices = [(str(x.id), x.display_name) for x in patrols.list_schedules(app.desk.id)]
        if not choices:
            self.notify(_("This desk has no patrol routes yet"), markup=False)
            return
        schedule_id = await self._answer(PickDialog(_("Extra round: which route?"), choices))
        if schedule_id is None:
            return
        r = self._try(lambda: patrols.add_extra_round(app.actor, shift_id, int(schedule_id)))
        if r is None:
            return
        self.round_id = r.id
        self.reload()
        self.action_start_round()

    def action_mark_ok(self) -> None:
        check = self._open_check()
        if check is not None:
            self._after_mark(
                self._try(lambda: patrols.mark_ok(self.kiosk.actor, check.id)), check.id
            )

    async def _answer(self, dialog: ModalScreen[T]) -> T:
        """Show ``dialog`` and wait for its answer; returns once this screen is back
        on top, so what follows redraws the screen the person sees."""
        self._back.clear()
        answer = await self.app.push_screen_wait(dialog)
        await self._back.wait()
        return answer

    async def _ask(self, question: str) -> str | None:
        """A line of text from the person at the desk, or None (Esc)."""
        return await self._answer(PromptDialog(question))

    @work
    async def action_mark_problem(self) -> None:
        check = self._open_check()
        if check is None:
            return
        note = await self._ask(_("What is wrong at {place}?", place=check.checkpoint.place))
        if note is not None:
            result = self._try(lambda: patrols.mark_problem(self.kiosk.actor, check.id, note))
            self._after_mark(result, check.id)

    @work
    async def action_reading(self) -> None:
        check = self._open_check()
        if check is not None:
            self._after_mark(await self._answer(ReadingDialog(check)), check.id)

    @work
    async def action_skip(self) -> None:
        r, check = self.round, self.check
        if r is None:
            return
        if r.is_open and check is not None:
            name = check.checkpoint.display_name
            reason = await self._ask(_("Why is {name} skipped?", name=name))
            if reason is not None:
                result = self._try(lambda: patrols.skip_check(self.kiosk.actor, check.id, reason))
                self._after_mark(result, check.id)
            return
        why = await self._ask(
            _("Why is the round due at {time} skipped?", time=self._hhmm(r.due_at))
        )
        if why is not None and self._try(lambda: patrols.skip_round(self.kiosk.actor, r.id, why)):
            self.notify(_("Round skipped"), markup=False)
        self.reload()

    def action_undo(self) -> None:
        """Take back the last mark made in the open round; the cursor goes back to it."""
        r = self.round
        if r is None or not r.is_open:
            return
        check_id = patrols.last_marked(r.id)
        if check_id is not None and self._try(
            lambda: patrols.undo_check(self.kiosk.actor, check_id)
        ):
            self.notify(_("Mark taken back"), markup=False)
            self.reload()
            self._load_checks(keep=check_id)

    def action_finish(self) -> None:
        r = self.round
        if r is None:
            return
        done = self._try(lambda: patrols.finish_round(self.kiosk.actor, r.id))
        if done is not None:
            self.notify(
                _("Round finished: {state}", state=_(patrols.STATE_LABELS[done.round.state])),
                markup=False,
            )
            if done.duty_log_ids:
                self.notify(
                    _("Written to the duty log: {n}", n=len(done.duty_log_ids)),
                    markup=False,
                )
        self.reload()
        self.query_one(RoundTable).focus()

    @work
    async def action_correct(self) -> None:
        check = self.check
        if check is not None:
            await self._answer(CorrectionDialog(check))
            self.reload()

    def action_operation_log(self) -> None:
        self.app.push_screen(OperationLogScreen())
