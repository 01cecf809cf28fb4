"""The frame of the F9 sections beyond staff (supervisor only, CS8).

Each section is a list (:class:`SectionScreen`): ``n`` adds (a form), Enter edits
the selected row (the form prefilled), ``d`` deactivates / reactivates it (or
removes it, for holidays and contacts). Digits switch section (1 is the staff
list), Esc goes back to it. Everything is saved by the domain, which checks the
supervisor role and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.dialogs import ConfirmDialog, FormScreen
from dutydesk.widgets.form_fields import FormField
from dutydesk.widgets.literal import clean
from dutydesk.widgets.tables import SteadyTable

# Section number → title msgid. 1 is the staff list (staff.py).
SECTION_TITLES: dict[int, str] = {
    1: N_("Staff"),
    2: N_("Checkpoints"),
    3: N_("Patrol schedules"),
    4: N_("Incident natures"),
    5: N_("Contacts"),
    6: N_("Holidays"),
    7: N_("Shift staffing"),
    8: N_("Shift times"),
    9: N_("Site and desks"),
}
# The same, short, for the one line naming them all (fits 80 columns).
SECTION_TABS: dict[int, str] = {
    1: N_("Staff"),
    2: N_("Checkpoints"),
    3: N_("Schedules"),
    4: N_("Natures"),
    5: N_("Contacts"),
    6: N_("Holidays"),
    7: N_("Staffing"),
    8: N_("Times"),
    9: N_("Site"),
}


def confirm_then_apply(
    screen: Screen[Any],
    question: str,
    apply: Callable[[], Any],
    after: Callable[[], None],
    done: str = "",
) -> None:
    """Ask ``question``; on yes ``apply`` (a refusal is notified, ``done`` said on
    success); then ``after`` (the list reloads) whatever the answer led to."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            apply()
        except DutyDeskError as exc:
            screen.app.notify(exc.translated(), severity="error", markup=False)
        else:
            if done:
                screen.app.notify(done, markup=False)
        after()

    screen.app.push_screen(ConfirmDialog(question), answered)


def sections_line(current: int) -> str:
    """``1 Staff  2 Checkpoints …`` with the current one in brackets."""
    parts = []
    for n, title in SECTION_TABS.items():
        label = f"{n} {_(title)}"
        parts.append(f"[{label}]" if n == current else label)
    return " ".join(parts)


# Every F9 section serves CS8: only a supervisor changes it, and changes are audited.
CS8_RULE: tuple[str, str] = ("CS8", N_("Only a supervisor approves; changes are audited"))


def parse_number(text: str, field: str, *, whole: bool = False) -> Any:
    """A typed number (None when empty); ValidationError naming ``field`` otherwise."""
    text = str(text).strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        msgid = N_("Type a whole number") if whole else N_("Type a number")
        raise ValidationError(msgid, field=field) from None


def number_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).replace("，", ",").split(",") if p.strip())


def required_whole(text: str, field: str) -> int:
    """A whole number that must be filled in; ValidationError naming ``field``."""
    value = parse_number(text, field, whole=True)
    if value is None:
        raise ValidationError(N_("Fill this in"), field=field)
    return int(value)


def status_text(active: bool) -> Text:
    return Text(_("active")) if active else Text(_("inactive"), style="dim")


class SectionForm(FormScreen[Any]):
    """The add / edit form of an F9 section (wider labels: see screens.tcss)."""

    def on_mount(self) -> None:
        # Tab goes only to fields a person can see and type in: the scrolling box
        # around them is no stop of its own (it still scrolls to the focused field).
        for box in self.query(VerticalScroll):
            box.can_focus = False

    def show_error(self, field: str | None, message: str) -> None:
        """A one-field form (a site setting) shows every refusal next to its field,
        whatever name the domain gives it (``lock_after``, ``backup_dir``…)."""
        if field is not None and len(self.fields) == 1:
            field = self.fields[0].name
        super().show_error(field, message)


class SectionTable(SteadyTable):
    """A section's list; Enter edits the selected row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.edit", N_("Edit"), id="admin2.edit"),
    ]
    """Keys of a section's list: Enter edits."""


class SectionScreen(DeskScreen):
    """One F9 section: a list with add / edit / (de)activate, for supervisors only.

    A subclass with a ``NUMBER`` is entered in :data:`SECTIONS` as it is defined."""

    NUMBER: ClassVar[int] = 0
    CAN_ADD: ClassVar[bool] = True
    CAN_TOGGLE: ClassVar[bool] = True
    REMOVES: ClassVar[bool] = False  # d removes the row (instead of deactivating it)
    RULES: ClassVar[Rules] = [CS8_RULE]

    BINDINGS: ClassVar[list[BindingType]] = [
        *DeskScreen.BINDINGS,
        Binding("n", "add", N_("Add"), id="admin2.add"),
        Binding("d", "deactivate", N_("Deactivate / reactivate"), id="admin2.toggle"),
        Binding("d", "remove", N_("Remove"), id="admin2.remove"),
        Binding("escape", "back", N_("Back"), id="admin2.back"),
        *[
            Binding(str(n), f"section({n})", N_("Section"), show=False, id=f"admin2.section{n}")
            for n in SECTION_TITLES
        ],
    ]
    """Keys of a section: add, edit (Enter on the list), deactivate / remove, back, 1–7."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.NUMBER:
            SECTIONS[cls.NUMBER] = cls

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="admin2-body"):
            yield Static("", classes="admin2-sections", markup=False)
            yield Static("", classes="admin2-note", markup=False)
            yield SectionTable(classes="admin2-table", cursor_type="row", zebra_stripes=True)

    # --- common -----------------------------------------------------------------------

    @property
    def is_supervisor(self) -> bool:
        app: Any = self.app
        return app.staff is not None and app.staff.is_supervisor

    @property
    def actor(self) -> Any:
        app: Any = self.app
        return app.actor

    @property
    def desk(self) -> Any:
        app: Any = self.app
        return app.desk

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.reload()

    def refresh_language(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return self.is_supervisor and self.CAN_ADD
        if action == "deactivate":
            return self.is_supervisor and self.CAN_TOGGLE and not self.REMOVES
        if action == "remove":
            return self.is_supervisor and self.CAN_TOGGLE and self.REMOVES
        if action == "edit":
            return self.is_supervisor
        return True

    def note(self) -> str:
        keys = [_("Enter edit")]
        if self.CAN_ADD:
            keys.insert(0, _("n add"))

        if self.CAN_TOGGLE:
            keys.append(_("d remove") if self.REMOVES else _("d deactivate / reactivate"))
        keys.append(_("Esc back"))
        return _(SECTION_TITLES[self.NUMBER]) + ": " + ", ".join(keys)

    def reload(self) -> None:
        if not self.is_mounted:
            return
        self.query_one(".admin2-sections", Static).update(sections_line(self.NUMBER))
        note = self.query_one(".admin2-note", Static)
        table = self.query_one(SectionTable)
        table.clear(columns=True)
        self._keys = []
        if not self.is_supervisor or self.desk is None:
            note.update(_("This section is for supervisors."))
            table.display = False
            return
        note.update(self.note())
        table.display = True
        table.add_columns(*[_(c) for c in self.columns()])
        for key, cells in self.rows():
            table.add_row(*cells, key=key)
            self._keys.append(key)
        table.focus()
        self.refresh_bindings()

    def selected(self) -> str | None:
        table = self.query_one(SectionTable)
        if table.row_count == 0:
            return None
        value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(value) if value is not None else None

    def open_form(
        self,
        title: str,
        fields: list[FormField],
        values: dict[str, Any],
        submit: Callable[[dict[str, Any]], Any],
    ) -> None:
        form = SectionForm(form_id=None, title=title, fields=fields, values=values, submit=submit)
        self.app.push_screen(form, lambda _result: self.reload())

    def confirm(self, question: str, apply: Callable[[], Any]) -> None:
        confirm_then_apply(self, question, apply, self.reload)

    # --- actions ----------------------------------------------------------------------

    def action_section(self, number: int) -> None:
        if number == self.NUMBER:
            return
        if number == 1:
            self.dismiss(None)
            return
        self.app.switch_screen(SECTIONS[number]())

    def action_back(self) -> None:
        self.dismiss(None)

    def action_add(self) -> None:
        if self.is_supervisor:
            self.add()

    def action_edit(self) -> None:
        key = self.selected()
        if key is not None and self.is_supervisor:
            self.edit(key)

    def action_deactivate(self) -> None:
        key = self.selected()
        if key is not None and self.is_supervisor:
            self.toggle(key)

    def action_remove(self) -> None:
        self.action_deactivate()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # --- per section ------------------------------------------------------------------

    def columns(self) -> list[str]:
        return []

    def rows(self) -> list[tuple[str, list[Any]]]:
        return []

    def add(self) -> None:
        pass

    def edit(self, key: str) -> None:
        pass

    # d on a section whose rows are deactivated and reactivated: the two questions
    # (msgids), and per section the row's record, the names the questions take
    # and the change itself.
    TOGGLE_QUESTIONS: ClassVar[tuple[str, str]] = ("", "")

    def record(self, key: str) -> Any | None:
        return None

    def question_values(self, info: Any) -> dict[str, str]:
        return {}

    def set_active(self, info: Any, active: bool) -> Any:
        return None

    def toggle(self, key: str) -> None:
        """Ask to deactivate (or reactivate) the row's record, then change it."""
        info = self.record(key)
        if info is None:
            return
        msgid = self.TOGGLE_QUESTIONS[0] if info.active else self.TOGGLE_QUESTIONS[1]
        shown = {k: clean(v) for k, v in self.question_values(info).items()}
        self.confirm(_(msgid, **shown), lambda: self.set_active(info, not info.active))


# Section number → its screen, filled as the section classes are defined (2–9).
SECTIONS: dict[int, type[SectionScreen]] = {}
