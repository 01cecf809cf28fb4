"""F2, the home screen: the current shift at this desk at a glance.

Carried-over items come first (CS-R2); then the shift and its time left, who is
rostered and who is logged in, patrol progress (SE-3), open incidents, overdue
written reports (CS6) and the latest duty-log entries (CS3). After the planned
end without a signed handover the app shows a standing "relief overdue"
warning (CS-R4); the shift never closes by itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from dutydesk.domain import overview, shifts
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.dialogs import ReasonDialog
from dutydesk.widgets.literal import clean, literal


def duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return _("{h} h {m} min", h=minutes // 60, m=minutes % 60)


def people(rows: list[overview.Person], *, mark_roster: bool = False) -> Text:
    text = Text()
    if not rows:
        text.append(_("nobody"), style="dim")
    for i, p in enumerate(rows):
        if i:
            text.append(", ")
        text.append(f"{clean(p.staff_no)} ", style="bold")
        text.append(clean(p.name))
        if p.terminals > 1:  # one person logged in on several kiosks of the desk
            text.append(" (" + _("on {n} terminals", n=p.terminals) + ")", style="dim")
        if mark_roster and not p.on_roster:
            text.append(" (" + _("not on roster") + ")", style="bold yellow")
    return text


class Panel(Static):
    """One titled box of the home screen (content is always literal Text)."""

    def __init__(self, title_msgid: str, panel_id: str) -> None:
        super().__init__("", id=panel_id, classes="panel", markup=False)
        self.title_msgid = title_msgid

    def on_mount(self) -> None:
        self.border_title = _(self.title_msgid)


class ShiftScreen(DeskScreen):
    """The shift at this desk: home (F2)."""

    BINDINGS = [
        Binding(
            "o",
            "open_shift",
            N_("Open shift (no handover)"),
            id="open_shift",
            tooltip=N_("Open the shift on now, with a reason, where no handover is possible"),
        ),
    ]
    RULES: ClassVar[Rules] = [
        ("CS-R2", N_("Finish what the previous shift left unfinished: carried-over items first")),
        ("CS-R4", N_("When the shift ends and the relief has not come, do not leave")),
        ("CS3", N_("The duty record: who, when, what happened, how it was handled")),
        ("SE-3", N_("Work to the roster; patrol on time")),
        ("CS6", N_("A major incident's written report is due the next day")),
        ("SG-5", N_("Night shifts: confirm your presence with your PIN")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: overview.ShiftOverview | None = None
        self._minute: Any = None
        self._shown: dict[str, Text] = {}  # what each panel shows (unchanged: not redrawn)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="shift-body"):
            yield Static("", id="shift-head", markup=False)
            with Grid(id="shift-panels"):
                yield Panel(N_("Carried over from the previous shift"), "panel-carried")
                yield Panel(N_("Swap requests to decide (F7)"), "panel-swaps")
                yield Panel(N_("People"), "panel-people")
                yield Panel(N_("Patrol"), "panel-patrol")
                yield Panel(N_("Open incidents"), "panel-incidents")
                yield Panel(N_("Overdue written reports"), "panel-reports")
                yield Panel(N_("Latest duty log"), "panel-log")

    def on_screen_resume(self) -> None:
        self.reload()

    def refresh_language(self) -> None:
        for panel in self.query(Panel):
            panel.border_title = _(panel.title_msgid)
        self.reload()

    def refresh_live(self) -> None:
        super().refresh_live()
        app: Any = self.app
        minute = app.clock.now().floor("minute")
        if minute != self._minute:
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_shift":
            return self.data is not None and (
                self.data.shift is None or not self.data.shift.is_open
            )
        return True

    def reload(self) -> None:
        """Read the overview again and redraw every panel."""
        app: Any = self.app
        if app.desk is None or not self.is_mounted:
            return
        self._minute = app.clock.now().floor("minute")
        data = overview.shift_overview(app.actor)
        self.data = data
        self._panel("shift-head", self._head(data))
        self._panel("panel-carried", self._carried(data))
        self._panel("panel-people", self._people(data))
        self._panel("panel-patrol", self._patrol(data))
        self._panel("panel-incidents", self._incidents(data))
        self._panel("panel-reports", self._reports(data))
        self._panel("panel-log", self._log(data))
        self._panel("panel-swaps", self._swaps(data))
        self.query_one("#panel-swaps").display = bool(data.swap_requests)  # supervisors only
        self.query_one("#panel-carried").set_class(bool(data.carried_over), "-alert")
        self.query_one("#panel-reports").set_class(bool(data.overdue_reports), "-alert")
        self.refresh_bindings()

    def _panel(self, panel_id: str, content: Text) -> None:
        # An update lays the screen out again; the minute's reload mostly finds the
        # same text, so only what changed is redrawn.
        if self._shown.get(panel_id) != content:
            self._shown[panel_id] = content
            self.query_one(f"#{panel_id}", Static).update(content)

    def _head(self, d: overview.ShiftOverview) -> Text:
        text = Text()
        text.append(clean(pick(d.desk_name, d.desk_name_en)), style="bold")
        if d.location:
            text.append(" · " + clean(d.location))
        text.append("\n")
        s = d.shift
        if s is None:
            text.append(_("No shift of this desk is on now"))
            self._drafts(text, d)
            return text
        text.append(clean(pick(s.name_zh, s.name_en)), style="bold")
        text.append(f"  {s.start.format('HH:mm')}–{s.end.format('HH:mm')}  ")
        now = self.kiosk.clock.now()
        if now >= s.end:  # past its planned end: say since when, with the date
            text.append(
                _(
                    "overdue since {time} ({date})",
                    time=s.end.format("HH:mm"),
                    date=s.end.format("YYYY-MM-DD"),
                ),
                style="bold red",
            )
        else:
            text.append(_("{left} left", left=duration(s.time_left)), style="bold")
        if s.clock_before_start:  # the PC clock was put back: say so, not "749 h left"
            text.append("  ")
            text.append(
                _("the clock reads before this shift's start: check the PC clock"),
                style="bold yellow",
            )
        text.append("  ")
        if s.is_open:
            text.append(_("open"), style="green")
            if s.open_reason:
                text.append("  " + _("opened without handover:") + " ")
                text.append(literal(s.open_reason, one_line=True, limit=60))
        else:
            text.append(_("not opened yet: o opens it with a reason"), style="bold yellow")
        self._waiting_for_me(text, d)
        self._drafts(text, d)
        return text

    @staticmethod
    def _drafts(text: Text, d: overview.ShiftOverview) -> None:
        """The person's half-typed forms wait for them (drafts); say where."""
        for draft in d.drafts:
            text.append("\n")
            text.append(
                _("Unsaved draft: {form} — {keys}", form=draft.name(), keys=draft.reach()),
                style="bold yellow",
            )

    @staticmethod
    def _waiting_for_me(text: Text, d: overview.ShiftOverview) -> None:
        """CS8: a colleague's exchange or cover waits for this person's acceptance on F7."""
        if not d.swaps_for_me:
            return
        text.append("\n")
        if d.swaps_for_me == 1:
            text.append(_("1 swap request waits for you — F7"), style="bold yellow")
        else:
            text.append(
                _("{n} swap requests wait for you — F7", n=d.swaps_for_me), style="bold yellow"
            )

    def _swaps(self, d: overview.ShiftOverview) -> Text:
        """Undecided swap requests on the supervisor's shift screen (CS8)."""
        from dutydesk.screens.roster import STATE_LABELS, state_key, swap_summary

        text = Text()
        for i, r in enumerate(d.swap_requests):
            if i:
                text.append("\n")
            key = state_key(r, None)
            text.append(_(STATE_LABELS.get(key, key)) + " ", style="bold")
            text.append(literal(swap_summary(r), one_line=True, limit=200))
        return text

    def _carried(self, d: overview.ShiftOverview) -> Text:
        text = Text()
        if not d.carried_over:
            text.append(_("nothing carried over"), style="dim")
        for i, item in enumerate(d.carried_over):
            if i:
                text.append("\n")
            text.append("• ")
            text.append(literal(item, one_line=True, limit=200))
        return text

    def _people(self, d: overview.ShiftOverview) -> Text:
        text = Text()
        text.append(_("Rostered:") + " ", style="bold")
        text.append(people(d.rostered))
        text.append("\n")
        text.append(_("Logged in:") + " ", style="bold")
        text.append(people(d.logged_in, mark_roster=True))
        if d.missed_presence:
            text.append("\n")
            text.append(_("Missed presence checks: {n}", n=d.missed_presence), style="bold red")
        return text

    def _patrol(self, d: overview.ShiftOverview) -> Text:
        p = d.patrol
        if p is None:
            return Text(_("no rounds for this shift"), style="dim")
        text = Text(_("{done} of {total} rounds done", done=p.done, total=p.total))
        if p.next_due is not None:
            text.append("\n" + _("next due {time}", time=p.next_due.format("HH:mm")))
        if p.overdue:
            text.append("\n")
            text.append(_("{n} overdue", n=p.overdue), style="bold red")
        if p.missed:
            text.append("\n")
            text.append(_("{n} missed (SE-3)", n=p.missed), style="bold red")
        return text

    def _incidents(self, d: overview.ShiftOverview) -> Text:
        from dutydesk.domain.incidents import STATUS_LABELS  # the F4 list's own words

        text = Text()
        if not d.open_incidents:
            text.append(_("none"), style="dim")
        for i, inc in enumerate(d.open_incidents):
            if i:
                text.append("\n")
            text.append(inc.occurred_at.format("MM-DD HH:mm") + " ")
            text.append(
                _(STATUS_LABELS.get(inc.status, inc.status)) + " ",
                style="bold red" if inc.severity == "major" else "bold",
            )
            text.append(literal(f"{inc.place}: {inc.description}", one_line=True, limit=120))
        return text

    def _reports(self, d: overview.ShiftOverview) -> Text:
        text = Text()
        if not d.overdue_reports:
            text.append(_("none"), style="dim")
        for i, r in enumerate(d.overdue_reports):
            if i:
                text.append("\n")
            text.append(
                _("due {time}", time=r.due_at.format("MM-DD HH:mm")) + " ", style="bold red"
            )
            text.append(literal(r.place, one_line=True, limit=60))
        return text

    def _log(self, d: overview.ShiftOverview) -> Text:
        text = Text()
        if not d.latest_log:
            text.append(_("no entries yet"), style="dim")
        for i, e in enumerate(d.latest_log):
            if i:
                text.append("\n")
            text.append(e.occurred_at.format("HH:mm") + " ", style="bold")
            text.append(literal(e.author, one_line=True, limit=20))
            text.append(": ")
            text.append(literal(e.text, one_line=True, limit=200))
        return text

    def action_open_shift(self) -> None:
        self.app.push_screen(
            ReasonDialog(
                N_("Open shift without handover"),
                _("Say why no handover is possible (e.g. first shift, outgoing absent)."),
            ),
            self._open_with_reason,
        )

    def _open_with_reason(self, reason: str | None) -> None:
        if not reason:
            return
        app: Any = self.app
        try:
            shifts.open_without_handover(app.actor, reason)
        except DutyDeskError as exc:
            app.notify(exc.translated(), severity="error", markup=False)
        self.reload()
