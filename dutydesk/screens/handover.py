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

import arrow
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TextArea

from dutydesk.domain import handover, overview, patrols, shifts
from dutydesk.domain import staff as staff_rules
from dutydesk.domain.handover import Blocker, HandoverView, ItemView, Person
from dutydesk.domain.reports import handover as handover_records
from dutydesk.domain.site import site_timezone
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.base import DeskDialog, DeskScreen, Rules
from dutydesk.screens.dialogs import FormDialog
from dutydesk.widgets.form import PromptDialog
from dutydesk.widgets.keybar import KeyBar
from dutydesk.widgets.literal import clean, literal

# The walk as the step line shows it: (view.step, short title).
STEPS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start")),
    ("blockers", N_("Blockers")),
    ("identify", N_("Incoming")),
    ("checklist", N_("Checklist")),
    ("acknowledge", N_("Items")),
    ("read_back", N_("Count")),
    ("sign", N_("Sign")),
)

ROUND_STATES: dict[str, str] = {
    "upcoming": N_("upcoming"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "done_late": N_("done late"),
    "skipped": N_("skipped"),
    "missed": N_("missed"),
}

# What to do about each kind of blocker (by its message id).
REMEDIES: dict[str, str] = {
    "Incident being handled: {what}": N_(
        "Finish handling it on F4 and mark it resolved, then press u here."
    ),
    "Switching operation in progress: {what}": N_(
        "Finish the operation on F6 (o on it), then press u here."
    ),
    "Patrol round due {time} is neither done nor skipped with a reason": N_(
        "Walk it on F3, or press k to skip it with a reason."
    ),
    "Patrol round due {time} is in progress: finish it or skip the rest": N_(
        "Finish it on F3, or press k to skip its remaining checks with a reason."
    ),
    "Unsaved draft: {form}": N_("Open that form, then save it (Ctrl+S) or drop it (Esc)."),
    "Say why this is not resolved: {what}": N_("Press e and type why it is not resolved."),
}


def _with_rule(exc: DutyDeskError) -> str:
    """The error in the user's language, with the rule that says so."""
    text = exc.translated()
    return f"{text} ({exc.rule})" if exc.rule else text


def _local(value: Any, tz: str, fmt: str = "HH:mm") -> str:
    """An instant (arrow or the ISO text of a stored record) as local time."""
    if value is None or value == "":
        return ""
    at = value if isinstance(value, arrow.Arrow) else arrow.get(value)
    return at.to(tz).format(fmt)


def _person(p: Person | None) -> str:
    return f"{clean(p.staff_no)} {clean(p.name)}" if p else ""


class Row(Static, can_focus=True):
    """One selectable line of the handover: a blocker or an item (↑↓ move, keys act)."""

    DEFAULT_CSS = """
    Row { height: auto; padding: 0 1; }
    Row:focus { background: $accent 35%; text-style: bold; }
    """

    # Here, not on the screen: the scrolling body would take ↑↓ first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move(-1)", N_("Previous"), show=False, id="handover.row_up"),
        Binding("down", "screen.move(1)", N_("Next"), show=False, id="handover.row_down"),
    ]

    def __init__(
        self, content: Text, key: str, blocker: Blocker | None = None, item: ItemView | None = None
    ) -> None:
        super().__init__(content, markup=False)
        self.body = content
        self.key = key
        self.blocker = blocker
        self.item = item


class Heading(Static):
    """A section title inside the handover body."""

    DEFAULT_CSS = """
    Heading { height: auto; margin: 1 0 0 0; padding: 0 1; text-style: bold; color: $accent; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)
        self.body = text


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
        if v is not None and v.state == "draft" and sync:
            try:
                v = handover.refresh(self._actor(), v.id)
            except DutyDeskError as exc:  # an incident stopped it (EN-8.6.3)
                self.message = _with_rule(exc)
                v = handover.view(v.id, now)
        self.v = v
        self._draw()
        self.refresh_bindings()

    @property
    def live(self) -> bool:
        return self.v is not None and self.v.state == "draft"

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
        self.query_one("#ho-steps", Static).update(self._steps())
        now_box = self.query_one("#ho-now", Static)
        text, tone = self._now()
        now_box.update(text)
        for cls in ("-blocked", "-stopped", "-ready"):
            now_box.set_class(tone == cls, cls)
        self.query_one("#ho-msg", Static).update(literal(self.message) if self.message else "")
        self.query_one("#ho-msg").display = bool(self.message)
        self.query_one("#ho-head", Static).update(self._head())
        self._draw_rows()
        self.query_one("#ho-record", Static).update(self._record())

    def _steps(self) -> Text:
        current = self.step
        names = [s for s, _t in STEPS]
        at = names.index(current) if current in names else -1
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, (key, title) in enumerate(STEPS):
            if i:
                text.append(" › ", style="dim")
            label = f"{i + 1} {_(title)}"
            if key == current and self.live:
                text.append(f" {label} ", style="reverse bold")
            elif self.live and i < at:
                text.append(label, style="green")
            else:
                text.append(label, style="dim" if self.live else "")
        return text

    def _now(self) -> tuple[Text, str]:
        """The box that says, in big words, where the handover stands and what to do."""
        v = self.v
        text = Text()
        if not self.live:
            shift = self._open_shift()
            if (
                v is not None
                and v.state in ("aborted", "refused")
                and shift is not None
                and (v.outgoing_shift_id == shift.shift_id)
            ):
                return self._ended(v), "-stopped"
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
        step = v.step
        if step == "blockers":
            text.append(_("Step 2 · Signing is blocked ({n})", n=len(v.blockers)), style="red")
            text.append(
                "\n"
                + _(
                    "Clear each blocker below (what to do is under it), "
                    "then press u to check again."
                )
            )
            return text, "-blocked"
        if step == "identify":
            text.append(_("Step 3 · The incoming person identifies"))
            text.append(
                "\n"
                + _(
                    "Incoming: press i and type your staff number and PIN. "
                    "The outgoing stays here (EN-8.5.1)."
                )
            )
            return text, ""
        if step == "checklist":
            todo = [c for c in v.checks if not c.answered]
            check = todo[0]
            number = len(v.checks) - len(todo) + 1
            text.append(
                _(
                    "Step 4 · Takeover checklist, question {k} of {n} ({rule})",
                    k=number,
                    n=len(v.checks),
                    rule=check.rule,
                )
            )
            text.append("\n")
            text.append(_(check.question) + "?", style="bold reverse")
            text.append("\n" + _("y = yes     n = no (then say what is wrong)"))
            return text, ""
        if step == "acknowledge":
            left = len(v.open_to_acknowledge)
            text.append(_("Step 5 · Acknowledge each item ({n} left)", n=left))
            text.append(
                "\n" + _("↑↓ selects an item; a, Space or Enter acknowledges it. One key per item.")
            )
            return text, ""
        if step == "read_back":
            text.append(_("Step 6 · Read back"))
            text.append(
                "\n"
                + _(
                    "Count the items marked ⇒ (carried over to your shift), "
                    "press c and type the number."
                )
            )
            return text, ""
        text.append(_("Step 7 · Both sign"), style="green")
        text.append(
            "\n" + _("Press s: the outgoing, then the incoming, types staff number and PIN.")
        )
        return text, "-ready"

    def _ended(self, v: HandoverView) -> Text:
        text = Text()
        if v.state == "refused":
            text.append(
                _("{who} refused to take over (EN-8.6.1)", who=_person(v.incoming)), style="red"
            )
            text.append("\n" + _("Reason:") + " ")
            text.append(literal(v.end_reason, one_line=True, limit=200))
            text.append(
                "\n"
                + _(
                    "{who} stays on duty. When the reason is dealt with, "
                    "press s to start a new handover.",
                    who=_person(v.outgoing),
                )
            )
            return text
        text.append(_("The handover was stopped"), style="red")
        text.append("\n" + _("Reason:") + " ")
        if v.abort_rule == "EN-8.6.3" and v.abort_incident_id is not None:
            text.append(
                _(
                    "incident {id} was opened during the handover (EN-8.6.3)",
                    id=v.abort_incident_id,
                )
            )
        else:
            text.append(literal(v.end_reason, one_line=True, limit=200))
        text.append("\n" + _("Press s to start it again when the incident allows."))
        return text

    def _head(self) -> Text:
        v = self.v
        text = Text()
        if v is None:
            return text
        # Its number finds the printed record: dutydesk report handover N (EN-8.7.1).
        last = handover_records.last_signed(self.kiosk.desk.id)
        if last is not None and (self.live or v.state != "signed"):
            text.append(_("Last signed handover: No. {id}", id=last.id) + "\n", style="bold")
        if not self.live:
            if v.state == "signed":
                text.append(_("No. {id}", id=v.id) + "  ", style="bold")
                text.append(
                    _(
                        "Last handover signed {time}: {out} → {inc}; chain head {head}",
                        time=_local(v.signed_at, self.tz, "MM-DD HH:mm"),
                        out=_person(v.outgoing),
                        inc=_person(v.incoming),
                        head=v.chain_head,
                    )
                )
            return text
        text.append(_("Outgoing:") + " ", style="bold")
        text.append(_person(v.outgoing))
        text.append("  " + _("started {time}", time=_local(v.started_at, self.tz)))
        if v.early_reason:
            text.append("  " + _("early:") + " ")
            text.append(literal(v.early_reason, one_line=True, limit=60))
        text.append("\n")
        text.append(_("Incoming:") + " ", style="bold")
        if v.incoming is None:
            text.append(_("not identified yet"), style="dim")
        else:
            text.append(_person(v.incoming))
        return text

    # --- rows: blockers and items ---------------------------------------------------------

    def _rows(self) -> list[Heading | Row]:
        v = self.v
        if not self.live or v is None:
            return []
        out: list[Heading | Row] = []
        if v.blockers:
            out.append(Heading(_("Blockers: signing is impossible while any applies")))
            for i, b in enumerate(v.blockers):
                out.append(Row(self._blocker_text(b), f"b:{b.ref_type}:{b.ref_id}:{i}", blocker=b))
        shown = [i for i in v.items if not i.resolved]
        out.append(
            Heading(_("Items the incoming acknowledges ({n}); ⇒ = carried over", n=len(shown)))
        )
        if not shown:
            out.append(Heading(_("none")))
        for item in shown:
            out.append(Row(self._item_text(item), f"i:{item.id}", item=item))
        return out

    def _blocker_text(self, b: Blocker) -> Text:
        text = Text()
        text.append("⛔ ", style="red")
        text.append(b.rule, style="bold red")
        text.append("  ")
        text.append(literal(b.text(), one_line=True, limit=300))
        remedy = REMEDIES.get(b.msgid)
        if remedy:
            text.append("\n   → " + _(remedy), style="italic")
        return text

    def _item_text(self, item: ItemView) -> Text:
        text = Text()
        if item.acknowledged:
            text.append("✓ ", style="bold green")
        else:
            text.append("○ ", style="bold yellow")
        text.append(item.label(), style="bold")
        text.append(": ")
        text.append(literal(item.text, one_line=True, limit=200))
        if item.carries:
            text.append("  ⇒", style="bold")
        if item.reason.strip():
            text.append("\n   " + _("Reason:") + " ", style="italic")
            text.append(literal(item.reason, one_line=True, limit=200))
        elif item.needs_reason:
            text.append("\n   " + _("Reason needed (CS-R6): e types it"), style="bold red")
        return text

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
        if step == "acknowledge":
            target = next((r for r in rows if r.item and not r.item.acknowledged), None)
        if target is None and keep is not None:
            target = next((r for r in rows if r.key == keep), None)
        if target is None and step == "blockers":
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

    def _record(self) -> Text:
        v = self.v
        text = Text()
        if not self.live or v is None:
            return text
        tz = self.tz
        if v.incoming is not None:
            text.append("\n" + _("Takeover checklist") + "\n", style="bold")
            for c in v.checks:
                if not c.answered:
                    text.append("  · ", style="dim")
                elif c.ok:
                    text.append("  ✓ " + _("yes") + "  ", style="green")
                else:
                    text.append("  ✗ " + _("no") + "  ", style="bold red")
                text.append(f"{_(c.question)} ({c.rule})")
                if c.note:
                    text.append(": ")
                    text.append(literal(c.note, one_line=True, limit=120))
                text.append("\n")
        text.append("\n" + _("Notes of the outgoing (t edits)") + "\n", style="bold")
        if v.notes.strip():
            text.append(literal(v.notes, limit=2000))
            text.append("\n")
        else:
            text.append("  " + _("none") + "\n", style="dim")
        s = v.sections
        text.append(
            "\n" + _("Duty-log entries of the shift: {n}", n=len(s.duty_log)) + "\n",
            style="bold",
        )
        for e in s.duty_log[-8:]:
            text.append(f"  {_local(e.at, tz)} {clean(e.by)} ")
            text.append(literal(e.text, one_line=True, limit=90))
            text.append("\n")
        text.append("\n" + _("Patrol rounds: {n}", n=len(s.patrol)) + "\n", style="bold")
        for r in s.patrol:
            style = "red" if r.state in ("missed", "overdue") else ""
            text.append(f"  {_local(r.due_at, tz)} ")
            text.append(literal(r.name, one_line=True, limit=40))
            text.append(" " + _(ROUND_STATES.get(r.state, r.state)), style=style)
            if r.reason:
                text.append(": ")
                text.append(literal(r.reason, one_line=True, limit=80))
            for sk in r.skipped:
                text.append("\n    " + _("skipped:") + " ")
                text.append(literal(f"{sk.checkpoint} {sk.note}", one_line=True, limit=90))
            if r.missed:
                text.append("\n    " + _("not checked:") + " ", style="red")
                text.append(literal(", ".join(r.missed), one_line=True, limit=90))
            text.append("\n")
        text.append("\n" + _("Readings out of range: {n}", n=len(s.readings)) + "\n", style="bold")
        for rd in s.readings:
            text.append(f"  {_local(rd.at, tz)} ")
            text.append(literal(f"{rd.text} {rd.note}", one_line=True, limit=100))
            text.append("\n")
        text.append("\n" + _("Tools and keys register (EN-8.3.6)") + "\n", style="bold")
        if not s.tools:
            text.append("  " + _("none") + "\n", style="dim")
        for t in s.tools:
            text.append("  ")
            text.append(literal(f"{t.name} × {t.quantity}", one_line=True, limit=90))
            text.append("\n")
        text.append("\n" + _("Keys lent out: {n}", n=len(s.keys_out)) + "\n", style="bold")
        for k in s.keys_out:
            text.append(f"  {_local(k.out_at, tz)} ")
            text.append(literal(f"{k.key} → {k.borrower}", one_line=True, limit=90))
            text.append("\n")
        return text

    # --- which keys work now --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        v = self.v
        live = self.live
        step = self.step
        row = self._selected()
        if action == "start":
            return not live
        if action == "sign":
            return live and step == "sign"
        if action == "identify":
            return live and step == "identify"
        if action == "answer":
            return live and step == "checklist"
        if action == "acknowledge":
            return (
                live
                and step == "acknowledge"
                and row is not None
                and row.item is not None
                and not row.item.acknowledged
            )
        if action == "read_back":
            return live and step == "read_back"
        if action == "reason":
            if not live or not self._is_outgoing() or row is None:
                return False
            if row.blocker is not None:
                return row.blocker.ref_type == "handover_item"
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
                and (row.blocker.ref_type == "patrol_round")
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
            self.message = _with_rule(exc)
            self.app.bell()
            self.reload()
            return False
        self.message = ""
        self.reload()
        return True

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

    def action_start(self) -> None:
        actor = self._actor()
        try:
            handover.start(actor)
        except ValidationError as exc:
            if exc.field == "early_reason":
                self.app.push_screen(
                    PromptDialog(exc.translated() + "\n" + _("Reason for handing over early:")),
                    self._start_early,
                )
                return
            self.message = _with_rule(exc)
        except DutyDeskError as exc:
            self.message = _with_rule(exc)
        else:
            self.message = ""
        self._signature = ()
        self.reload()

    def _start_early(self, reason: str | None) -> None:
        if reason:
            self._signature = ()
            self._do(handover.start, self._actor(), early_reason=reason)

    def action_notes(self) -> None:
        if self.v is not None:
            self.app.push_screen(NotesDialog(self.v.id, self.v.notes), self._after_dialog)

    def action_reason(self) -> None:
        row = self._selected()
        if row is None or self.v is None:
            return
        item_id = row.item.id if row.item else row.blocker.ref_id if row.blocker else None
        item = next((i for i in self.v.items if i.id == item_id), None)
        if item is None:
            return
        hid = self.v.id

        def save(reason: str | None) -> None:
            if reason:
                self._do(handover.set_reason, self._actor(), hid, item.id, reason)

        question = _("Why is this not resolved (CS-R6)?") + "\n" + clean(item.text)
        self.app.push_screen(PromptDialog(question, item.reason), save)

    def action_skip_round(self) -> None:
        row = self._selected()
        if row is None or row.blocker is None or row.blocker.ref_id is None:
            return
        round_id = row.blocker.ref_id

        def skip(reason: str | None) -> None:
            if reason:
                self._do(patrols.skip_round, self._actor(), round_id, reason)

        if "in progress" in row.blocker.msgid:
            question = _("Why are the remaining checks of the round due {time} skipped?")
        else:
            question = _("Why is the round due {time} skipped?")
        self.app.push_screen(PromptDialog(question.format(**row.blocker.values)), skip)

    def action_check_again(self) -> None:
        self.message = ""
        self.reload(sync=True)

    def action_abort(self) -> None:
        if self.v is None:
            return
        hid = self.v.id

        def stop(reason: str | None) -> None:
            if reason:
                self._do(handover.abort, self._actor(), hid, reason)

        self.app.push_screen(PromptDialog(_("Why is the handover stopped?")), stop)

    def action_identify(self) -> None:
        if self.v is not None:
            self.app.push_screen(IdentifyDialog(self.v.id), self._after_dialog)

    def action_answer(self, ok: bool) -> None:
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

        def answered(note: str | None) -> None:
            if note:
                self._do(handover.answer_check, self._actor(), v.id, check.key, False, note)

        question = _(
            "{question}: what is wrong? (it becomes an item carried over)",
            question=_(check.question),
        )
        self.app.push_screen(PromptDialog(question), answered)

    def action_acknowledge(self) -> None:
        row = self._selected()
        if self.v is None or row is None or row.item is None:
            return
        self._do(handover.acknowledge, self._actor(), self.v.id, row.item.id)

    def action_read_back(self) -> None:
        if self.v is not None:
            self.app.push_screen(ReadBackDialog(self.v.id), self._after_dialog)

    def action_refuse(self) -> None:
        if self.v is None:
            return
        hid = self.v.id

        def refused(reason: str | None) -> None:
            if reason:
                self._do(handover.refuse, self._actor(), hid, reason)

        self.app.push_screen(
            PromptDialog(_("Incoming: why do you refuse to take over (EN-8.6.1)?")), refused
        )

    def action_sign(self) -> None:
        if self.v is not None:
            self.app.push_screen(SignDialog(self.v.id), self._signed)

    def _after_dialog(self, _result: Any = None) -> None:
        self.message = ""
        self.reload()

    def _signed(self, v: HandoverView | None) -> None:
        """Signed: the incoming is now the person at the keyboard (EN-8.5.1)."""
        if v is None or v.state != "signed" or v.incoming is None:
            self._after_dialog()
            return
        app = self.kiosk
        incoming = staff_rules.get(v.incoming.id)
        # The outgoing's session ends as at a lock (their screens are forgotten);
        # the incoming's session starts as at a login, on F2.
        app.lock("handover")
        app.login(incoming)
        app.push_screen(SignedDialog(v))


# --- dialogs ------------------------------------------------------------------------------


class _HandoverForm(FormDialog):
    """A form dialog of one handover step: errors with their rule id; a handover
    stopped meanwhile (an incident, EN-8.6.3) closes it."""

    def __init__(self, handover_id: int) -> None:
        super().__init__()
        self.handover_id = handover_id

    def step(self) -> Any:
        raise NotImplementedError

    def submit(self) -> None:
        try:
            result = self.step()
        except DutyDeskError as exc:
            app: Any = self.app
            if handover.view(self.handover_id, app.clock.now()).state != "draft":
                app.notify(_with_rule(exc), severity="error", markup=False, timeout=10)
                self.dismiss(None)
                return
            self.show_error(_with_rule(exc), exc.field)
            return
        self.dismiss(result)


class IdentifyDialog(_HandoverForm):
    """The incoming identifies on the same terminal (EN-8.5.1)."""

    TITLE_MSGID = N_("Incoming: who takes over?")
    FIELD_MAP: ClassVar[dict[str, str]] = {"staff_no": "incoming-staff", "pin": "incoming-pin"}

    def intro(self) -> str:
        return _("The incoming person types their own staff number and PIN.")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("incoming-staff", N_("Staff number"), False, ""),
            ("incoming-pin", N_("PIN"), True, ""),
        ]

    def step(self) -> Any:
        app: Any = self.app
        return handover.identify_incoming(
            app.actor, self.handover_id, self.value("incoming-staff"), self.value("incoming-pin")
        )


class ReadBackDialog(_HandoverForm):
    """The incoming types the number of items carried over (EN-8.5.2)."""

    TITLE_MSGID = N_("Read back")
    FIELD_MAP: ClassVar[dict[str, str]] = {"count": "read-back"}

    def intro(self) -> str:
        return _("How many items are carried over to your shift (marked ⇒)?")

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [("read-back", N_("Number of items carried over"), False, "")]

    def step(self) -> Any:
        app: Any = self.app
        typed = self.value("read-back").strip()
        if not typed.isdigit():
            raise ValidationError(N_("Type the number with digits"), field="count")
        handover.confirm_read_back(app.actor, self.handover_id, int(typed))
        return True


class SignDialog(_HandoverForm):
    """Both sign now: each re-enters staff number and PIN (EN-8.5.1)."""

    TITLE_MSGID = N_("Sign the handover")
    FIELD_MAP: ClassVar[dict[str, str]] = {
        "outgoing_staff_no": "out-staff",
        "outgoing_pin": "out-pin",
        "incoming_staff_no": "in-staff",
        "incoming_pin": "in-pin",
    }

    def intro(self) -> str:
        return _(
            "Each of you types your own staff number and PIN now: this is your "
            "signature on the record shown."
        )

    def fields(self) -> list[tuple[str, str, bool, str]]:
        return [
            ("out-staff", N_("Outgoing (hands over): staff number"), False, ""),
            ("out-pin", N_("Outgoing: PIN"), True, ""),
            ("in-staff", N_("Incoming (takes over): staff number"), False, ""),
            ("in-pin", N_("Incoming: PIN"), True, ""),
        ]

    def step(self) -> Any:
        app: Any = self.app
        return handover.sign(
            app.actor,
            self.handover_id,
            outgoing_no=self.value("out-staff"),
            outgoing_pin=self.value("out-pin"),
            incoming_no=self.value("in-staff"),
            incoming_pin=self.value("in-pin"),
        )

    def show_error(self, message: str, field: str | None = None) -> None:
        side = (field or "").split("_")[0]
        if side == "outgoing":
            message = _("Outgoing:") + " " + message
        elif side == "incoming":
            message = _("Incoming:") + " " + message
        super().show_error(message, field)


class NotesDialog(DeskDialog):
    """The outgoing's notes on the record (EN-8.5.3): Ctrl+S saves, Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="notes.save"),
        Binding("escape", "cancel", N_("Back"), id="notes.back"),
    ]

    def __init__(self, handover_id: int, notes: str) -> None:
        super().__init__()
        self.handover_id = handover_id
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                _("Notes for the incoming (EN-8.5.3)"), classes="dialog-title", markup=False
            )
            yield TextArea(
                self.notes,
                id="notes-text",
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
            )
            yield Static("", id="dialog-error", classes="field-error", markup=False)
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        app: Any = self.app
        try:
            handover.set_notes(app.actor, self.handover_id, self.query_one(TextArea).text)
        except DutyDeskError as exc:
            self.query_one("#dialog-error", Static).update(literal(_with_rule(exc)))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SignedDialog(DeskDialog):
    """The signed record in short, with the audit chain's head to write down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", N_("Continue"), id="signed.close"),
    ]

    def __init__(self, v: HandoverView) -> None:
        super().__init__()
        self.v = v

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="signed-box"):
            yield Static(_("Handover signed"), classes="dialog-title", markup=False)
            yield Static(self._summary(), id="signed-summary")
            yield KeyBar()

    def _summary(self) -> Text:
        v = self.v
        tz = site_timezone()
        text = Text()
        text.append(_("Handed over:") + " ", style="bold")
        text.append(f"{_person(v.outgoing)}  {_local(v.signed_at, tz, 'YYYY-MM-DD HH:mm')}\n")
        text.append(_("Taken over:") + " ", style="bold")
        text.append(f"{_person(v.incoming)}  {_local(v.signed_at, tz, 'YYYY-MM-DD HH:mm')}\n")
        text.append(_("Items carried over: {n}", n=v.carry_count) + "\n")
        text.append(_("Audit chain head: {head}", head=v.chain_head) + "\n", style="bold")
        text.append(_("Content SHA-256: {hash}", hash=v.content_hash[:16] + "…") + "\n")
        text.append(_("Print it: dutydesk handover show {id}", id=v.id) + "\n")
        text.append(
            _("{who} is now on duty; F2 shows the shift.", who=_person(v.incoming)), style="green"
        )
        return text

    def action_close(self) -> None:
        self.dismiss(None)
