"""F3: the patrol checklist of the current shift, and the equipment operation log.

The top table lists the shift's rounds (due time in the site's zone, tolerance,
state); the lower one the checks of the selected round in walking order. A
round is walked at the kiosk as the issue describes it: Enter starts it (the
time is the clock's), then one key per check — ``o`` OK, ``x`` problem (a note,
then the offer of an incident), ``r`` a reading or count, ``s`` skip with a
reason, ``u`` undo while the round is open — and ``f`` finishes it. There is
deliberately no "mark all OK" (SE-3, CS4). A finished round's marks are final:
``c`` makes a linked correction with a reason.

``l`` opens the equipment operation log (EN-8.3.4): every reading of the desk
by time and checkpoint, out-of-range values marked, paged from the database
with PgDn / PgUp, and the 30-day trend of the selected checkpoint.

The rules live in :mod:`dutydesk.domain.patrols`; this module only shows and asks.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Select, Sparkline, Static

from dutydesk.domain import patrols, shifts
from dutydesk.domain.checkpoints import CheckpointInfo
from dutydesk.domain.patrols import CheckInfo, LogCursor, LogRow, MarkResult, RoundInfo
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, pgettext
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.widgets.form import ConfirmDialog, FormKeyBar, PromptDialog
from dutydesk.widgets.literal import literal

KIND_LABELS = {
    "condition": N_("condition"),
    "switch": N_("switch"),
    "reading": N_("reading"),
    "count": N_("count"),
}
SWITCH_LABELS = {"on": N_("on"), "off": N_("off")}
STATE_STYLES = {
    patrols.UPCOMING: "",
    patrols.DUE: "bold yellow",
    patrols.OVERDUE: "bold red",
    patrols.IN_PROGRESS: "bold cyan",
    patrols.DONE: "green",
    patrols.DONE_LATE: "yellow",
    patrols.SKIPPED: "dim",
    patrols.MISSED: "bold red",
}
VALUE_KINDS = (patrols.READING, patrols.COUNT)
NOT_STARTED = (patrols.UPCOMING, patrols.DUE, patrols.OVERDUE)
TREND_DAYS = 30


def relabel(screen: Any, key: str, description: str) -> None:
    """Give ``key``'s binding on ``screen`` another description (a msgid)."""
    # The map's lists are shared with the class: replace the list, never edit it.
    bindings = screen._bindings.key_to_bindings
    if bindings.get(key) and bindings[key][0].description != description:
        bindings[key] = [replace(b, description=description) for b in bindings[key]]


def num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def expected_text(cp: CheckpointInfo) -> str:
    """What the check expects: a range with unit, a count, a switch state at a time."""
    if cp.kind == patrols.READING:
        return cp.range_text
    if cp.kind == patrols.COUNT:
        if cp.expected_count is None:
            return ""
        return f"{cp.expected_count} {cp.unit}".strip()
    if cp.kind == "switch" and cp.expected_state:
        state = _(SWITCH_LABELS.get(cp.expected_state, cp.expected_state))
        return _("{state} at {time}", state=state, time=cp.due_time) if cp.due_time else state
    return ""


def mark_text(check: CheckInfo, limit: int = 0) -> Text:
    """The check's mark as the list shows it; notes and reasons are shown literally."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if check.result is None:
        text.append("·", style="dim")
        return text
    if check.result == patrols.OK:
        text.append("✓ " + _("OK"), style="green")
    elif check.result == patrols.PROBLEM:
        text.append("✗ ", style="bold red")
        text.append(literal(check.note, one_line=True, limit=max(1, limit - 2)))
    elif check.result == patrols.SKIP:
        text.append("– " + _("skipped") + ": ", style="dim")
        text.append(literal(check.note, one_line=True, limit=max(1, limit - text.cell_len)))
    elif check.value is not None:
        text.append(f"{num(check.value)} {check.checkpoint.unit}".rstrip(), style="bold")
        if check.out_of_range:
            text.append(" ⚠ " + _(out_of_range_word(check)), style="bold red")
    if check.corrected_by_id is not None:
        text.append(" (" + _("corrected") + ")", style="italic")
    return text


def out_of_range_word(check: CheckInfo) -> str:
    """A short flag for the list: too high, too low, or (a count) not as expected."""
    cp, value = check.checkpoint, check.value
    if value is not None and cp.kind == patrols.READING:
        if cp.range_max is not None and value > cp.range_max:
            return N_("too high")
        if cp.range_min is not None and value < cp.range_min:
            return N_("too low")
    if cp.kind == patrols.COUNT:
        return N_("not as expected")
    return N_("out of range")


def incident_opener() -> Callable[..., Any] | None:
    """The incident form's entry point for a patrol problem, once the incidents
    screen provides it: ``open_incident_from_checkpoint(screen, checkpoint_id,
    description)``. Until then problems go to the duty log (SE-4, CS3)."""
    try:
        module = importlib.import_module("dutydesk.screens.incidents")
    except ModuleNotFoundError:
        return None
    opener = getattr(module, "open_incident_from_checkpoint", None)
    return opener if callable(opener) else None


# --- the two tables ---------------------------------------------------------------------


class ScreenKeysTable(DataTable[Any]):
    """A table whose own keys run its screen's actions, asking its own screen (not the
    dialog on top) whether they work, so a covered key bar never shows stale keys."""

    FORWARDED: ClassVar[tuple[str, ...]] = ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.FORWARDED:
            return self.screen.check_action(action, parameters)
        return True

    async def run_forwarded(self, action: str) -> None:
        await self.app.run_action(action, self.screen)


class RoundTable(ScreenKeysTable):
    """The shift's rounds; Enter starts the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", N_("First"), show=False, id="patrol.rounds.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id="patrol.rounds.last"),
        Binding(
            "enter",
            "start_round",
            N_("Start round"),
            id="patrol.start",
            tooltip=N_("Start the selected round now"),
        ),
    ]
    """Keys of the rounds list: start the selected round."""

    FORWARDED = ("start_round",)

    async def action_start_round(self) -> None:
        await self.run_forwarded("start_round")


class CheckTable(ScreenKeysTable):
    """The checks of the selected round in walking order; Enter starts the round too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", N_("First"), show=False, id="patrol.checks.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id="patrol.checks.last"),
        Binding(
            "enter",
            "start_round",
            N_("Start round"),
            id="patrol.start_checks",
            tooltip=N_("Start the selected round now"),
        ),
    ]
    """Keys of the checks list: start the round shown."""

    FORWARDED = ("start_round",)

    async def action_start_round(self) -> None:
        await self.run_forwarded("start_round")


class PatrolScreen(DeskScreen):
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
    """Keys of the patrol checklist (KEYMAP "Patrol checklist") and of its rounds."""

    def __init__(self) -> None:
        super().__init__()
        self.shift_id: int | None = None
        self.rounds: list[RoundInfo] = []
        self.checks: list[CheckInfo] = []
        self.round_id: int | None = None
        self._ensured: set[int] = set()
        self._minute: Any = None
        self._first_load = True
        # Reload on a resume only after a suspend: Textual posts ScreenResume twice
        # when a mode's screen is first shown, and on_mount loads it already.
        self._suspended = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="patrol-body"):
            yield Static("", id="patrol-head", markup=False)
            yield Static("", id="patrol-message", markup=False)
            yield RoundTable(id="round-table", cursor_type="row", zebra_stripes=True)
            yield CheckTable(id="check-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="check-detail", markup=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._suspended:
            self._suspended = False
            self.reload()

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

    def _hhmm(self, instant: Any) -> str:
        return instant.to(self.tz).format("HH:mm") if instant is not None else ""

    def reload(self) -> None:
        """Read the open shift's rounds (generating them the first time) and redraw."""
        app = self.kiosk
        if app.desk is None or not self.is_mounted:
            return
        now = app.clock.now()
        self._minute = now.floor("minute")
        shift = shifts.open_shift_of(app.desk.id)
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
        progress = patrols.progress(shift.id, self.kiosk.clock.now())
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
        table.clear(columns=True)
        table.add_column(pgettext("patrol round", "Due"), key="due")
        table.add_column(_("±min"), key="tol")
        table.add_column(_("State"), key="state")
        table.add_column(_("Checks"), key="checks")
        table.add_column(_("Started"), key="started")
        table.add_column(_("Round"), key="name")
        width = max(12, self.size.width - 48)
        for r in self.rounds:
            state = Text(_(patrols.STATE_LABELS[r.state]), style=STATE_STYLES.get(r.state, ""))
            name = literal(r.schedule_name, one_line=True, limit=width)
            if r.state == patrols.SKIPPED and r.skip_reason:
                name = literal(f"{r.schedule_name} — {r.skip_reason}", one_line=True, limit=width)
            table.add_row(
                self._hhmm(r.due_at),
                f"±{r.tolerance_minutes}",
                state,
                f"{r.checks_marked}/{r.checks_total}",
                self._hhmm(r.started_at)
                if r.state != patrols.UPCOMING  # else when Enter will start it
                else Text(_("from {time}", time=self._hhmm(r.window_start)), style="italic"),
                name,
                key=str(r.id),
            )
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
        table.clear(columns=True)
        # Fixed widths that fill the table: the mark (with its note) gets what is left,
        # so nothing runs off the right edge at 80 columns and wider screens show more.
        room = (table.size.width or self.size.width - 2) - 2 - 2 * 6  # scrollbar, padding
        widths = {
            "pos": 2,
            "name": max(14, room // 4),
            "area": max(9, room // 7),
            "kind": 9,
            "expected": max(11, room // 7),
        }
        widths["mark"] = max(12, room - sum(widths.values()))
        headers = {
            "pos": "#",
            "name": _("Checkpoint"),
            "area": _("Area"),
            "kind": _("Kind"),
            "expected": _("Expected"),
            "mark": _("Mark"),
        }
        for key, header in headers.items():
            table.add_column(header, key=key, width=widths[key])
        # Numbered 1..N in walking order, whatever the stored positions start at.
        for number, check in enumerate(self.checks, start=1):
            cp = check.checkpoint
            table.add_row(
                str(number),
                literal(cp.display_name, one_line=True, limit=widths["name"]),
                literal(cp.area, one_line=True, limit=widths["area"]),
                _(KIND_LABELS.get(cp.kind, cp.kind)),
                literal(expected_text(cp), one_line=True, limit=widths["expected"]),
                mark_text(check, widths["mark"]),
                key=str(check.id),
            )
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
        self.query_one("#check-detail", Static).update(text)

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
                return kind not in VALUE_KINDS
            if action == "reading":
                return kind in VALUE_KINDS
            return True
        if action == "skip":
            if r is None:
                return False
            if r.is_open:
                relabel(self, "s", N_("Skip check"))
                return check is not None and not check.marked
            relabel(self, "s", N_("Skip round"))
            return r.state in NOT_STARTED
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

    def _offer_incident(self, result: MarkResult) -> None:
        offer = result.incident
        assert offer is not None
        opener = incident_opener()
        if opener is None:
            self.notify(
                _("Noted. The problem goes to the duty log when the round is finished."),
                markup=False,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                opener(self, offer.checkpoint_id, offer.description)

        question = _("Open an incident at {place}?", place=offer.place)
        self.app.push_screen(ConfirmDialog(question), answered)

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

    def action_extra_round(self) -> None:
        """Choose a route, then start an unscheduled round of it at once."""
        from dutydesk.screens.roster import PickDialog

        app = self.kiosk
        if self.shift_id is None or app.desk is None:
            return
        shift_id = self.shift_id
        choices = [(str(x.id), x.display_name) for x in patrols.list_schedules(app.desk.id)]
        if not choices:
            self.notify(_("This desk has no patrol routes yet"), markup=False)
            return

        def chosen(schedule_id: str | None) -> None:
            if schedule_id is None:
                return
            r = self._try(lambda: patrols.add_extra_round(app.actor, shift_id, int(schedule_id)))
            if r is None:
                return
            self.round_id = r.id
            self.reload()
            self.action_start_round()

        self.app.push_screen(PickDialog(_("Extra round: which route?"), choices), chosen)

    def action_mark_ok(self) -> None:
        check = self._open_check()
        if check is not None:
            self._after_mark(
                self._try(lambda: patrols.mark_ok(self.kiosk.actor, check.id)), check.id
            )

    def action_mark_problem(self) -> None:
        check = self._open_check()
        if check is None:
            return

        def noted(note: str | None) -> None:
            if note is not None:
                result = self._try(lambda: patrols.mark_problem(self.kiosk.actor, check.id, note))
                self._after_mark(result, check.id)

        question = _("What is wrong at {place}?", place=check.checkpoint.place)
        self.app.push_screen(PromptDialog(question), noted)

    def action_reading(self) -> None:
        check = self._open_check()
        if check is not None:
            self.app.push_screen(
                ReadingDialog(check), lambda result: self._after_mark(result, check.id)
            )

    def action_skip(self) -> None:
        r, check = self.round, self.check
        if r is None:
            return
        if r.is_open and check is not None:
            question = _("Why is {name} skipped?", name=check.checkpoint.display_name)

            def skip_check(reason: str | None) -> None:
                if reason is not None:
                    result = self._try(
                        lambda: patrols.skip_check(self.kiosk.actor, check.id, reason)
                    )
                    self._after_mark(result, check.id)

            self.app.push_screen(PromptDialog(question), skip_check)
            return

        def skip_round(reason: str | None) -> None:
            if reason is not None and self._try(
                lambda: patrols.skip_round(self.kiosk.actor, r.id, reason)
            ):
                self.notify(_("Round skipped"), markup=False)
            self.reload()

        question = _("Why is the round due at {time} skipped?", time=self._hhmm(r.due_at))
        self.app.push_screen(PromptDialog(question), skip_round)

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

    def action_correct(self) -> None:
        check = self.check
        if check is not None:
            self.app.push_screen(CorrectionDialog(check), lambda _r: self.reload())

    def action_operation_log(self) -> None:
        self.app.push_screen(OperationLogScreen())


# --- dialogs ---------------------------------------------------------------------------


class MarkDialog(ModalScreen[Any]):
    """A small box of labelled inputs for one check; each input has its message line.

    Enter moves to the next input and saves on the last; Ctrl+S saves; Esc cancels.
    A refusal from the domain is shown next to the input it names and everything
    typed stays as it was.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="mark.save", tooltip=N_("Save the mark")),
        Binding("escape", "cancel", N_("Back"), id="mark.back", tooltip=N_("Back, nothing saved")),
    ]
    """Keys of a mark dialog: save, back."""

    # (input id, label msgid) in reading order; the domain's field names are the ids.
    INPUTS: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, check: CheckInfo) -> None:
        super().__init__()
        self.check = check

    def inputs(self) -> list[tuple[str, str]]:
        return self.INPUTS

    def title_text(self) -> Text:
        return Text()

    def side_text(self, field: str) -> Text:
        return Text()

    def make_input(self, field: str) -> Any:
        return Input(id=field)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text(), classes="mark-title")
            for field, label in self.inputs():
                with Horizontal(classes="mark-row", id=f"row-{field}"):
                    yield Label(_(label), classes="mark-label")
                    yield self.make_input(field)
                    yield Static(self.side_text(field), classes="mark-side", id=f"side-{field}")
                yield Static("", markup=False, id=f"error-{field}", classes="mark-error -empty")
            yield Static("", markup=False, id="error-", classes="mark-error -empty")
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.query_one(f"#{self.inputs()[0][0]}").focus()

    def value(self, field: str) -> str:
        widget = self.query_one(f"#{field}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        return self.query_one(f"#{field}", Input).value

    def clear_errors(self) -> None:
        for widget in self.query(".mark-error").results(Static):
            widget.update("")
            widget.add_class("-empty")

    def show_error(self, field: str | None, message: str) -> None:
        ids = [f for f, _label in self.inputs()]
        target = field if field in ids else ""
        error = self.query_one(f"#error-{target}", Static)
        error.update(message)
        error.remove_class("-empty")
        if target:
            self.query_one(f"#{target}").focus()
        self.app.bell()

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f for f, _label in self.inputs() if self.query_one(f"#row-{f}").display]
        current = event.input.id or ""
        if current in ids and ids.index(current) < len(ids) - 1 and self.enter_moves_on(current):
            self.query_one(f"#{ids[ids.index(current) + 1]}").focus()
            return
        self.action_save()

    def enter_moves_on(self, field: str) -> bool:
        return True

    def save(self) -> Any:
        raise NotImplementedError

    def action_save(self) -> None:
        self.clear_errors()
        try:
            result = self.save()
        except DutyDeskError as exc:
            self.show_error(exc.field, exc.translated())
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReadingDialog(MarkDialog):
    """``r``: a reading (or a count) with its unit, the previous shift's value beside it.

    Enter on an in-range value saves at once; out of range, the value is flagged
    and the note is asked for (EN-8.3.3). A value that is not a number or has the
    wrong unit is refused next to the field, as typed.
    """

    INPUTS: ClassVar[list[tuple[str, str]]] = [("value", N_("Value")), ("note", N_("Note"))]

    def title_text(self) -> Text:
        cp = self.check.checkpoint
        text = Text()
        text.append(_("Reading") + ": ", style="bold")
        text.append(literal(cp.place, one_line=True, limit=50))
        expected = expected_text(cp)
        if expected:
            text.append("\n" + _("normal: {range}", range=expected))
        return text

    def make_input(self, field: str) -> Any:
        if field == "value":
            unit = self.check.checkpoint.unit
            return Input(id="value", placeholder=_("number, e.g. 72 {unit}", unit=unit).strip())
        return Input(id="note", placeholder=_("needed when out of range"))

    def side_text(self, field: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if field == "value":
            text.append(self.check.checkpoint.unit + "  ")
            p = self.check.previous
            if p is None:
                text.append(_("no previous value"), style="dim")
            else:
                text.append(_("previous:") + " ")
                text.append(f"{num(p.value)} {p.unit}".rstrip(), style="bold")
                if p.out_of_range:
                    text.append(" ⚠", style="bold red")
        return text

    @on(Input.Changed, "#value")
    def _flag(self, event: Input.Changed) -> None:
        """Flag an out-of-range value while it is typed (nothing is saved yet)."""
        try:
            reading = patrols.check_reading(self.check.id, event.value)
        except DutyDeskError:
            reading = None
        line = self.query_one("#error-value", Static)
        if reading is not None and reading.out_of_range:
            expected = expected_text(self.check.checkpoint)
            if self.check.checkpoint.kind == patrols.COUNT:
                flag = _("not as expected ({range}): add a note", range=expected)
            else:
                flag = _("out of range {range}: add a note", range=expected)
            line.update(Text("⚠ " + flag, style="bold red"))
            line.remove_class("-empty")
        else:
            line.update("")
            line.add_class("-empty")

    def enter_moves_on(self, field: str) -> bool:
        """Enter on the value saves unless the value is out of range (then the note)."""
        if field != "value":
            return True
        try:
            reading = patrols.check_reading(self.check.id, self.value("value"))
        except DutyDeskError:
            return False  # save() shows the refusal next to the field
        return reading.out_of_range and not self.value("note").strip()

    def save(self) -> MarkResult:
        app: Any = self.app
        return patrols.mark_reading(
            app.actor, self.check.id, self.value("value"), self.value("note")
        )


class CorrectionDialog(MarkDialog):
    """``c``: a linked correction of a finished round's check, with a reason (never an edit)."""

    def __init__(self, check: CheckInfo) -> None:
        super().__init__(check)
        self.takes_value = check.checkpoint.kind in VALUE_KINDS
        inputs = [("reason", N_("Reason")), ("result", N_("New mark"))]
        if self.takes_value:
            inputs.append(("value", N_("Value")))
        inputs.append(("note", N_("Note")))
        self._inputs = inputs

    def inputs(self) -> list[tuple[str, str]]:
        return self._inputs

    def title_text(self) -> Text:
        cp = self.check.checkpoint
        text = Text()
        text.append(_("Correct") + ": ", style="bold")
        text.append(literal(cp.place, one_line=True, limit=50))
        text.append("\n" + _("now:") + " ")
        text.append(mark_text(self.check, 40))
        return text

    def make_input(self, field: str) -> Any:
        if field == "result":
            choices: list[tuple[str, str]] = [(patrols.PROBLEM, N_("problem"))]
            if self.takes_value:
                choices.insert(0, (self.check.checkpoint.kind, N_("value")))
            else:
                choices.insert(0, (patrols.OK, N_("OK")))
            return Select(
                [(_(label), code) for code, label in choices],
                id="result",
                value=choices[0][0],
                allow_blank=False,
                compact=True,
            )
        if field == "value":
            return Input(id="value", placeholder=self.check.checkpoint.unit)
        return Input(id=field)

    def save(self) -> MarkResult:
        app: Any = self.app
        result = self.value("result")
        return patrols.correct_check(
            app.actor,
            self.check.id,
            result,
            reason=self.value("reason"),
            text=self.value("value") if self.takes_value else None,
            note=self.value("note"),
        )


# --- the equipment operation log (EN-8.3.4) ------------------------------------------


class ReadingsTable(ScreenKeysTable):
    """Readings newest first; PgDn / PgUp load the older / newer page from the database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", N_("First"), show=False, id="oplog.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id="oplog.last"),
        Binding(
            "pagedown",
            "next_page",
            N_("Older"),
            id="oplog.next_page",
            tooltip=N_("The next page of older readings"),
        ),
        Binding(
            "pageup",
            "prev_page",
            N_("Newer"),
            id="oplog.prev_page",
            tooltip=N_("The previous page of newer readings"),
        ),
    ]
    """Keys of the readings list: page through the log."""

    FORWARDED = ("next_page", "prev_page")

    async def action_next_page(self) -> None:
        await self.run_forwarded("next_page")

    async def action_prev_page(self) -> None:
        await self.run_forwarded("prev_page")


class OperationLogScreen(DeskScreen):
    """机电设备运行日志: the desk's readings by time and checkpoint, and one checkpoint's trend."""

    RULES: ClassVar[Rules] = [
        ("EN-8.3.4", N_("The equipment operation log: readings with units and ranges")),
        ("EN-8.3.3", N_("Patrol equipment on schedule, with parameter readings")),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "k",
            "only_checkpoint",
            N_("This checkpoint only"),
            id="oplog.only",
            tooltip=N_("Show only the readings of the selected checkpoint"),
        ),
        Binding(
            "a",
            "all_checkpoints",
            N_("All checkpoints"),
            id="oplog.all",
            tooltip=N_("Show the readings of every checkpoint"),
        ),
        Binding("escape", "back", N_("Back"), id="oplog.back", tooltip=N_("Back to the patrol")),
    ]
    """Keys of the operation log: one checkpoint or all, back."""

    def __init__(self) -> None:
        super().__init__()
        self._pages: list[LogCursor | None] = [None]
        self._next: LogCursor | None = None
        self.rows: list[LogRow] = []
        self.checkpoint_id: int | None = None  # filter
        self._trend_of: int | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="oplog-body"):
            yield Static("", id="oplog-head", markup=False)
            yield ReadingsTable(id="oplog-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="oplog-trend-label", markup=False)
            yield Sparkline([], id="oplog-trend")

    def on_mount(self) -> None:
        self.query_one(ReadingsTable).focus()
        self.call_after_refresh(self.reload)

    def refresh_language(self) -> None:
        self.reload(keep_page=True)

    def _page_size(self) -> int:
        height = self.query_one(ReadingsTable).size.height
        return max(5, height - 1) if height > 2 else 10

    def reload(self, keep_page: bool = False) -> None:
        """Load one page (never the whole log: a keyset cursor per page)."""
        app = self.kiosk
        if app.desk is None or not self.is_mounted:
            return
        if not keep_page:
            self._pages = [None]
        tz = str(app.clock.tz)
        page = patrols.operation_log(
            app.desk.id, self._pages[-1], checkpoint_id=self.checkpoint_id, limit=self._page_size()
        )
        self._next = page.next_cursor
        self.rows = page.rows
        table = self.query_one(ReadingsTable)
        table.clear(columns=True)
        room = (table.size.width or self.size.width - 2) - 2 - 2 * 6  # scrollbar, padding
        widths = {"time": 11, "name": max(12, room // 5), "value": 12, "range": 13, "by": 4}
        widths["note"] = max(8, room - sum(widths.values()))
        headers = {
            "time": _("Time"),
            "name": _("Checkpoint"),
            "value": _("Value"),
            "range": _("Normal"),
            "by": _("By"),
            "note": _("Note"),
        }
        for key, header in headers.items():
            table.add_column(header, key=key, width=widths[key])
        for row in self.rows:
            value = Text(f"{num(row.value)} {row.unit}".rstrip(), style="bold")
            if row.out_of_range:
                value.append(" ⚠")
                value.stylize("bold red")
            if row.superseded:
                value.stylize("strike dim")
            table.add_row(
                row.marked_at.to(tz).format("MM-DD HH:mm"),
                literal(row.name, one_line=True, limit=widths["name"]),
                value,
                row.range_text,
                literal(row.marked_by, one_line=True, limit=widths["by"]),
                literal(row.note, one_line=True, limit=widths["note"]),
                key=str(row.check_id),
            )
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(_("Equipment operation log"), style="bold")
        head.append("  " + _("page {n}", n=len(self._pages)))
        head.append("  ⚠ " + _("out of range"), style="bold red")
        if self.checkpoint_id is not None and self.rows:
            head.append("  ")
            head.append(literal(self.rows[0].name, one_line=True, limit=30))
        if not self.rows:
            head.append("  " + _("no readings yet"), style="dim")
        self.query_one("#oplog-head", Static).update(head)
        self._show_trend()
        self.refresh_bindings()

    def selected(self) -> LogRow | None:
        row = self.query_one(ReadingsTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self._show_trend()
        self.refresh_bindings()

    def _show_trend(self) -> None:
        """The selected checkpoint's values over the last 30 days, as a sparkline."""
        row = self.selected()
        label = self.query_one("#oplog-trend-label", Static)
        spark = self.query_one(Sparkline)
        if row is None:
            label.update("")
            spark.data = []
            self._trend_of = None
            return
        if row.checkpoint_id == self._trend_of:
            return
        self._trend_of = row.checkpoint_id
        points = patrols.trend(row.checkpoint_id, self.kiosk.clock.now(), TREND_DAYS)
        values = [p.value for p in points]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(_("Trend, {days} days", days=TREND_DAYS) + ": ", style="bold")
        text.append(literal(row.name, one_line=True, limit=30))
        if values:
            out = sum(1 for p in points if p.out_of_range)
            text.append(
                "  "
                + _(
                    "readings: {n}, {low}–{high} {unit}",
                    n=len(values),
                    low=num(min(values)),
                    high=num(max(values)),
                    unit=row.unit,
                ).rstrip()
            )
            if out:
                text.append("  " + _("{n} out of range", n=out), style="bold red")
        label.update(text)
        spark.data = values

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self._next is not None
        if action == "prev_page":
            return len(self._pages) > 1
        if action == "only_checkpoint":
            return self.checkpoint_id is None and self.is_mounted and self.selected() is not None
        if action == "all_checkpoints":
            return self.checkpoint_id is not None
        return True

    def action_next_page(self) -> None:
        if self._next is not None:
            self._pages.append(self._next)
            self.reload(keep_page=True)

    def action_prev_page(self) -> None:
        if len(self._pages) > 1:
            self._pages.pop()
            self.reload(keep_page=True)

    def action_only_checkpoint(self) -> None:
        row = self.selected()
        if row is not None:
            self.checkpoint_id = row.checkpoint_id
            self.reload()

    def action_all_checkpoints(self) -> None:
        self.checkpoint_id = None
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
