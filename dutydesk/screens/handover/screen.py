"""F5: the two-party handover (交接班), one step at a time, keys only.

The outgoing (the person logged in) starts it; the screen shows the record built
from the shift (duty log, patrols, readings, tools register, keys out, notes),
the blockers with their rule ids and what to do (EN-8.6), then walks the
incoming through identification (EN-8.5.1), the takeover checklist
(EN-8.4.1–4), one key per open item (EN-8.5.2), the read-back count and both
signatures. After signing the incoming is the person at the keyboard: the
outgoing's session ends, the incoming's starts and F2 shows the new shift.

Every step asks the domain (:mod:`dutydesk.domain.handover`) and redraws from
its ``view``; the screen keeps no handover state of its own. User text is shown
literally (never as markup).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from dutydesk.domain import handover, overview, shifts
from dutydesk.domain import staff as staff_rules
from dutydesk.domain.handover import BlockerText, HandoverState, HandoverView, RefType, Step
from dutydesk.domain.handover.kinds import ENDED_UNSIGNED
from dutydesk.domain.reports import handover as handover_records
from dutydesk.domain.site import site_timezone
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.dialogs.handover import (
    IdentifyDialog,
    NotesDialog,
    ReadBackDialog,
    SignDialog,
    SignedDialog,
    with_rule,
)
from dutydesk.screens.handover.rows import Heading, Row
from dutydesk.screens.handover.text import (
    blocker_text,
    ended_text,
    head_text,
    item_text,
    record_text,
    step_box,
    steps_text,
)
from dutydesk.widgets.form import PromptDialog
from dutydesk.widgets.literal import clean, literal


class HandoverScreen(DeskScreen):
    """The handover of the desk's open shift (F5)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", N_("Start handover"), id="handover.start"),
        Binding("s", "sign", N_("Both sign"), id="handover.sign"),
        Binding("i", "identify", N_("Incoming identifies"), id="handover.identify"),
        Binding("y", "answer(True)", N_("Yes"), id="handover.yes"),
        Binding("n", "answer(False)", N_("No"), id="handover.no"),
        Binding("a,space,enter", "acknowledge", N_("Acknowledge item"), id="handover.ack"),
        Binding("c", "read_back", N_("Type the count"), id="handover.count"),
        Binding("e", "reason", N_("Reason"), id="handover.reason"),
        Binding("k", "skip_round", N_("Skip round"), id="handover.skip"),
        Binding("t", "notes", N_("Notes"), id="handover.notes"),
        Binding("u", "check_again", N_("Check again"), id="handover.refresh"),
        Binding("r", "refuse", N_("Refuse"), id="handover.refuse"),
        Binding("x", "abort", N_("Stop handover"), id="handover.abort"),
        Binding("up", "move(-1)", N_("Previous"), show=False, id="handover.up"),
        Binding("down", "move(1)", N_("Next"), show=False, id="handover.down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="handover.pgup"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="handover.pgdn"),
    ]
    """The keys of the handover; only those that work at the current step are shown."""

    RULES: ClassVar[Rules] = [
        ("EN-8.5.1", N_("Face to face on the same terminal; both sign with staff number and PIN")),
        (
            "EN-8.4.1",
            N_(
                "Takeover checklist: report heard, logs read, register counted, "
                "rooms and equipment checked"
            ),
        ),
        ("EN-8.5.2", N_("Every open item is acknowledged one by one, then read back")),
        (
            "EN-8.6.1",
            N_(
                "No handover while rounds are unexplained or records unsaved; "
                "the incoming may refuse"
            ),
        ),
        ("EN-8.6.2", N_("No handover while an incident is being handled")),
        ("EN-8.6.3", N_("An incident during the handover stops it")),
        ("CS-R6", N_("Each problem passed on says why it is not resolved")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.v: HandoverView | None = None
        self.message = ""
        self._signature: tuple[str, ...] = ()
        self._rebuilding = False
        self._minute: Any = None

    # --- layout --------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ho-steps", markup=False)
        yield Static("", id="ho-now", markup=False)
        yield Static("", id="ho-msg", markup=False)
        with VerticalScroll(id="ho-body", can_focus=False):
            yield Static("", id="ho-head", classes="ho-text", markup=False)
            yield Vertical(id="ho-rows")
            yield Static("", id="ho-record", classes="ho-text", markup=False)

    def on_mount(self) -> None:
        self.reload(sync=True)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.reload(sync=True)

    def refresh_language(self) -> None:
        self._signature = ()
        self.reload()

    def refresh_live(self) -> None:
        super().refresh_live()
        minute = self.kiosk.clock.now().floor("minute")
        if self._minute is not None and minute != self._minute:
            self.reload(sync=True)  # rounds fall due, records change: blockers again

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        self.refresh_bindings()

    # --- reading the domain ------------------------------------------------------------

    @property
    def tz(self) -> str:
        return site_timezone()

    def _actor(self) -> Any:
        return self.kiosk.actor

    def reload(self, sync: bool = False) -> None:
        """Ask the domain again and redraw. ``sync``: re-read the records into the items."""
        app = self.kiosk
        if app.desk is None or app.staff is None or not self.is_mounted:
            return
        now = app.clock.now()
        self._minute = now.floor("minute")
        hid = handover.latest(app.desk.id)
        v = handover.view(hid, now) if hid is not None else None
        if v is not None and v.state == HandoverState.DRAFT and sync:
            try:
                v = handover.refresh(self._actor(), v.id)
            except DutyDeskError as exc:  # an incident stopped it (EN-8.6.3)
                self.message = with_rule(exc)
                v = handover.view(v.id, now)
        self.v = v
        self._draw()
        self.refresh_bindings()

    @property
    def live(self) -> bool:
        return self.v is not None and self.v.state == HandoverState.DRAFT

    @property
    def step(self) -> str:
        return self.v.step if self.live and self.v else "start"

    def _is_outgoing(self) -> bool:
        staff = self.kiosk.staff
        return self.v is not None and staff is not None and staff.id == self.v.outgoing.id

    def _open_shift(self) -> overview.ShiftLine | None:
        line = overview.shift_glance(self._actor())
        return line if line is not None and line.is_open else None

    # --- drawing -----------------------------------------------------------------------

    def _draw(self) -> None:
        self.query_one("#ho-steps", Static).update(steps_text(self.step, self.live))
        now_box = self.query_one("#ho-now", Static)
        text, tone = self._now()
        now_box.update(text)
        for cls in ("-blocked", "-stopped", "-ready"):
            now_box.set_class(tone == cls, cls)
        self.query_one("#ho-msg", Static).update(literal(self.message) if self.message else "")
        self.query_one("#ho-msg").display = bool(self.message)
        desk_id = self.kiosk.desk.id
        last = handover_records.last_signed(desk_id)
        last_id = last.id if last is not None else None
        self.query_one("#ho-head", Static).update(head_text(self.v, self.live, last_id, self.tz))
        self._draw_rows()
        record = record_text(self.v, self.tz) if self.live and self.v is not None else Text()
        self.query_one("#ho-record", Static).update(record)

    def _now(self) -> tuple[Text, str]:
        """The box that says, in big words, where the handover stands and what to do."""
        v = self.v
        text = Text()
        if not self.live:
            shift = self._open_shift()
            if (
                v is not None
                and v.state in ENDED_UNSIGNED
                and shift is not None
                and (v.outgoing_shift_id == shift.shift_id)
            ):
                return ended_text(v), "-stopped"
            if shift is None:
                text.append(_("No shift is open at this desk: there is nothing to hand over."))
                return text, ""
            name = clean(pick(shift.name_zh, shift.name_en))
            text.append(
                _(
                    "Handover of the {shift} shift {start}–{end}",
                    shift=name,
                    start=shift.start.format("HH:mm"),
                    end=shift.end.format("HH:mm"),
                )
            )
            text.append("\n")
            opens = shift.end.shift(
                minutes=-shifts.desk_of(self.kiosk.desk.id).handover_window_minutes
            )
            if self.kiosk.clock.now() < opens:
                text.append(
                    _(
                        "Press s to start. The handover opens at {time}; "
                        "earlier, s asks for a reason.",
                        time=opens.format("HH:mm"),
                    ),
                    style="yellow",
                )
            else:
                text.append(_("Press s to start the handover."), style="green")
            return text, ""
        assert v is not None
        return step_box(v)

    # --- rows: blockers and items ---------------------------------------------------------

    def _rows(self) -> list[Heading | Row]:
        v = self.v
        if not self.live or v is None:
            return []
        out: list[Heading | Row] = []
        if v.blockers:
            out.append(Heading(_("Blockers: signing is impossible while any applies")))
            for i, b in enumerate(v.blockers):
                out.append(Row(blocker_text(b), f"b:{b.ref_type}:{b.ref_id}:{i}", blocker=b))
        shown = [i for i in v.items if not i.resolved]
        out.append(
            Heading(_("Items the incoming acknowledges ({n}); ⇒ = carried over", n=len(shown)))
        )
        if not shown:
            out.append(Heading(_("none")))
        for item in shown:
            out.append(Row(item_text(item), f"i:{item.id}", item=item))
        return out

    def _draw_rows(self) -> None:
        """Update the rows in place when the same ones are shown, else rebuild them."""
        focused = self.focused
        keep = focused.key if isinstance(focused, Row) else None
        rows = self._rows()
        signature = tuple(r.key if isinstance(r, Row) else "h" for r in rows)
        if self._rebuilding or signature != self._signature:
            self._signature = signature
            if not self._rebuilding:
                self._rebuilding = True
                self.call_later(self._rebuild, keep)
            return
        container = self.query_one("#ho-rows", Vertical)
        for widget, new in zip(container.children, rows, strict=False):
            if isinstance(widget, Row) and isinstance(new, Row):
                widget.blocker, widget.item = new.blocker, new.item
                widget.body = new.body
                widget.update(new.body)
            elif isinstance(widget, Heading) and isinstance(new, Heading):
                widget.update(new.body)
        self._focus_first(keep)

    async def _rebuild(self, keep: str | None) -> None:
        """Replace the rows (from the latest view), then put the cursor back."""
        container = self.query_one("#ho-rows", Vertical)
        await container.remove_children()
        rows = self._rows()
        self._signature = tuple(r.key if isinstance(r, Row) else "h" for r in rows)
        if rows:
            await container.mount(*rows)
        self._rebuilding = False
        self._focus_first(keep)
        self.refresh_bindings()

    def _row_widgets(self) -> list[Row]:
        return [w for w in self.query(Row) if w.is_attached and w.parent is not None]

    def _focus_first(self, keep: str | None) -> None:
        """Put the cursor where the step needs it: the next item to acknowledge, the
        first blocker, or back on the row it was on."""
        rows = self._row_widgets()
        if not rows:
            return
        step = self.step
        target: Row | None = None
        if step == Step.ACKNOWLEDGE:
            target = next((r for r in rows if r.item and not r.item.acknowledged), None)
        if target is None and keep is not None:
            target = next((r for r in rows if r.key == keep), None)
        if target is None and step == Step.BLOCKERS:
            target = next((r for r in rows if r.blocker), None)
        if target is None and isinstance(self.focused, Row) and self.focused in rows:
            return
        if target is None:
            target = rows[0]
        first = target is rows[0]
        if self.focused is not target:
            target.focus(scroll_visible=not first)
        if first:  # keep the people and the section title in view
            body = self.query_one("#ho-body", VerticalScroll)
            self.call_after_refresh(body.scroll_home, animate=False)

    def _selected(self) -> Row | None:
        return self.focused if isinstance(self.focused, Row) else None

    # --- the record ---------------------------------------------------------------------

    # --- which keys work now --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        v = self.v
        live = self.live
        step = self.step
        row = self._selected()
        if action == "start":
            return not live
        if action == "sign":
            return live and step == Step.SIGN
        if action == "identify":
            return live and step == Step.IDENTIFY
        if action == "answer":
            return live and step == Step.CHECKLIST
        if action == "acknowledge":
            return (
                live
                and step == Step.ACKNOWLEDGE
                and row is not None
                and row.item is not None
                and not row.item.acknowledged
            )
        if action == "read_back":
            return live and step == Step.READ_BACK
        if action == "reason":
            if not live or not self._is_outgoing() or row is None:
                return False
            if row.blocker is not None:
                return row.blocker.ref_type == RefType.ITEM
            return (
                row.item is not None
                and row.item.carries
                and (row.item.kind in handover.REASON_KINDS)
            )
        if action == "skip_round":
            return (
                live
                and row is not None
                and row.blocker is not None
                and (row.blocker.ref_type == RefType.ROUND)
            )
        if action in ("notes", "abort"):
            return live and self._is_outgoing()
        if action == "check_again":
            return live
        if action == "refuse":
            return live and v is not None and v.incoming is not None
        return True

    # --- doing ---------------------------------------------------------------------------

    def _do(self, fn: Any, *args: Any, **kwargs: Any) -> bool:
        """Call a domain function; an error is shown in the box at the top. Redraws."""
        try:
            fn(*args, **kwargs)
        except DutyDeskError as exc:
            self.message = with_rule(exc)
            self.app.bell()
            self.reload()
            return False
        self.message = ""
        self.reload()
        return True

    async def _ask(self, question: str, value: str = "") -> str | None:
        """One line of text from the person at the keyboard (``None``: Esc). From a worker."""
        answer: str | None = await self.app.push_screen_wait(PromptDialog(question, value))
        return answer or None

    def _after_dialog(self) -> None:
        self.message = ""
        self.reload()

    def action_move(self, delta: int) -> None:
        rows = self._row_widgets()
        if not rows:
            self.query_one("#ho-body", VerticalScroll).scroll_relative(y=delta * 2)
            return
        row = self._selected()
        i = rows.index(row) + delta if row in rows else 0
        rows[max(0, min(i, len(rows) - 1))].focus()

    def action_page(self, delta: int) -> None:
        body = self.query_one("#ho-body", VerticalScroll)
        if delta < 0:
            body.scroll_page_up()
        else:
            body.scroll_page_down()

    @work(exclusive=True, group="handover-step")
    async def action_start(self) -> None:
        actor = self._actor()
        early = ""
        try:
            handover.start(actor)
        except ValidationError as exc:
            if exc.field != "early_reason":
                self.message = with_rule(exc)
            else:
                question = exc.translated() + "\n" + _("Reason for handing over early:")
                early = await self._ask(question) or ""
        except DutyDeskError as exc:
            self.message = with_rule(exc)
        else:
            self.message = ""
        self._signature = ()
        if early:
            self._do(handover.start, self._actor(), early_reason=early)
            return
        self.reload()

    @work(exclusive=True, group="handover-step")
    async def action_notes(self) -> None:
        if self.v is not None:
            await self.app.push_screen_wait(NotesDialog(self.v.id, self.v.notes))
            self._after_dialog()

    @work(exclusive=True, group="handover-step")
    async def action_reason(self) -> None:
        row = self._selected()
        if row is None or self.v is None:
            return
        item_id = row.item.id if row.item else row.blocker.ref_id if row.blocker else None
        item = next((i for i in self.v.items if i.id == item_id), None)
        if item is None:
            return
        hid = self.v.id
        question = _("Why is this not resolved (CS-R6)?") + "\n" + clean(item.text)
        reason = await self._ask(question, item.reason)
        if reason:
            self._do(handover.set_reason, self._actor(), hid, item.id, reason)

    @work(exclusive=True, group="handover-step")
    async def action_skip_round(self) -> None:
        row = self._selected()
        if self.v is None or row is None or row.blocker is None or row.blocker.ref_id is None:
            return
        hid, round_id = self.v.id, row.blocker.ref_id
        if row.blocker.msgid == BlockerText.ROUND_IN_PROGRESS:
            question = _("Why are the remaining checks of the round due {time} skipped?")
        else:
            question = _("Why is the round due {time} skipped?")
        reason = await self._ask(question.format(**row.blocker.values))
        if reason:
            # Through the handover: should it end unsigned, the round comes back.
            self._do(handover.skip_round, self._actor(), hid, round_id, reason)

    def action_check_again(self) -> None:
        self.message = ""
        self.reload(sync=True)

    async def _end(self, question: str, end: Any) -> None:
        """Ask why, then end the handover with ``end`` (stop or refuse) and the reason."""
        if self.v is None:
            return
        hid = self.v.id
        reason = await self._ask(question)
        if reason:
            self._do(end, self._actor(), hid, reason)

    @work(exclusive=True, group="handover-step")
    async def action_abort(self) -> None:
        await self._end(_("Why is the handover stopped?"), handover.abort)

    @work(exclusive=True, group="handover-step")
    async def action_identify(self) -> None:
        if self.v is not None:
            await self.app.push_screen_wait(IdentifyDialog(self.v.id))
            self._after_dialog()

    @work(exclusive=True, group="handover-step")
    async def action_answer(self, ok: bool) -> None:
        v = self.v
        if v is None:
            return
        todo = [c for c in v.checks if not c.answered]
        if not todo:
            return
        check = todo[0]
        if ok:
            self._do(handover.answer_check, self._actor(), v.id, check.key, True)
            return
        question = _(
            "{question}: what is wrong? (it becomes an item carried over)",
            question=_(check.question),
        )
        note = await self._ask(question)
        if note:
            self._do(handover.answer_check, self._actor(), v.id, check.key, False, note)

    def action_acknowledge(self) -> None:
        row = self._selected()
        if self.v is None or row is None or row.item is None:
            return
        self._do(handover.acknowledge, self._actor(), self.v.id, row.item.id)

    @work(exclusive=True, group="handover-step")
    async def action_read_back(self) -> None:
        if self.v is not None:
            await self.app.push_screen_wait(ReadBackDialog(self.v.id))
            self._after_dialog()

    @work(exclusive=True, group="handover-step")
    async def action_refuse(self) -> None:
        question = _("Incoming: why do you refuse to take over (EN-8.6.1)?")
        await self._end(question, handover.refuse)

    @work(exclusive=True, group="handover-step")
    async def action_sign(self) -> None:
        if self.v is None:
            return
        v: HandoverView | None = await self.app.push_screen_wait(SignDialog(self.v.id))
        if v is None or v.state != HandoverState.SIGNED or v.incoming is None:
            self._after_dialog()
            return
        # Signed: the incoming is now the person at the keyboard (EN-8.5.1). The
        # outgoing's session ends as at a lock (their screens are forgotten); the
        # incoming's session starts as at a login, on F2.
        app = self.kiosk
        incoming = staff_rules.get(v.incoming.id)
        app.lock("handover")
        app.login(incoming)
        app.push_screen(SignedDialog(v))
