"""F9 sections beyond staff: checkpoints, patrol schedules, incident natures, contacts,
holidays and shift staffing (supervisor only, CS8).

Each section is a list (``SectionScreen``): ``n`` adds (a form), Enter edits the
selected row (the form prefilled), ``d`` deactivates / reactivates it (or removes
it, for holidays and contacts). Digits switch section (1 is the staff list), Esc
goes back to it. Checkpoints, schedules and staffing are the kiosk's desk's;
natures are those of the desk's kind; contacts and holidays are site-wide.
Everything is saved by the domain, which checks the supervisor role and audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from dutydesk.domain import checkpoints as cp_rules
from dutydesk.domain import holidays as holiday_rules
from dutydesk.domain import incidents as incident_rules
from dutydesk.domain import patrols as patrol_rules
from dutydesk.domain import roster as roster_rules
from dutydesk.domain import site_settings as settings_rules
from dutydesk.domain.checkpoints import CheckpointSpec
from dutydesk.domain.patrols import ScheduleSpec
from dutydesk.domain.site import DeskSpec
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.screens.dialogs import ConfirmDialog
from dutydesk.widgets.form import FormField, FormScreen
from dutydesk.widgets.literal import clean, literal

# Section number → (class name in this module, title msgid). 1 is the staff list (admin.py).
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

CHECKPOINT_KINDS = {
    "condition": N_("condition"),
    "switch": N_("switch"),
    "reading": N_("reading"),
    "count": N_("count"),
}
SCHEDULE_KINDS = {
    "interval": N_("interval"),
    "fixed": N_("fixed times"),
    "irregular": N_("irregular"),
}


def sections_line(current: int) -> str:
    """``1 Staff  2 Checkpoints …`` with the current one in brackets."""
    parts = []
    for n, title in SECTION_TABS.items():
        label = f"{n} {_(title)}"
        parts.append(f"[{label}]" if n == current else label)
    return " ".join(parts)


def _number(text: str, field: str, *, whole: bool = False) -> Any:
    """A typed number (None when empty); ValidationError naming ``field`` otherwise."""
    text = str(text).strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        msgid = N_("Type a whole number") if whole else N_("Type a number")
        raise ValidationError(msgid, field=field) from None


def _num_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).replace("，", ",").split(",") if p.strip())


def _status(active: bool) -> Text:
    return Text(_("active")) if active else Text(_("inactive"), style="dim")


class SectionForm(FormScreen):
    """The add / edit form of an F9 section (wider labels: see screens.tcss)."""


class SectionTable(DataTable[Any]):
    """A section's list; Enter edits the selected row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.edit", N_("Edit"), id="admin2.edit"),
    ]
    """Keys of a section's list: Enter edits."""


class SectionScreen(DeskScreen):
    """One F9 section: a list with add / edit / (de)activate, for supervisors only."""

    NUMBER: ClassVar[int] = 0
    CAN_ADD: ClassVar[bool] = True
    CAN_TOGGLE: ClassVar[bool] = True
    REMOVES: ClassVar[bool] = False  # d removes the row (instead of deactivating it)
    RULES: ClassVar[Rules] = [("CS8", N_("Only a supervisor approves; changes are audited"))]

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
        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                apply()
            except DutyDeskError as exc:
                self.app.notify(exc.translated(), severity="error", markup=False)
            self.reload()

        self.app.push_screen(ConfirmDialog(question), answered)

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

    def toggle(self, key: str) -> None:
        pass


# --- 2 checkpoints -----

CHECKPOINT_FIELDS: list[FormField] = [
    FormField("code", N_("Code"), required=True),
    FormField("name", N_("Checkpoint name"), required=True),
    FormField("name_en", N_("English name")),
    FormField("area", N_("Building / floor / zone")),
    FormField("position", N_("Order in the round")),
    FormField("kind", N_("Kind"), "choice", required=True, choices=tuple(CHECKPOINT_KINDS.items())),
    FormField(
        "expected_state",
        N_("Expected state (switch)"),
        "choice",
        choices=(("on", N_("on")), ("off", N_("off"))),
    ),
    FormField("due_time", N_("At (HH:MM, switch)")),
    FormField("unit", N_("Unit (reading, count)")),
    FormField("range_min", N_("Normal from (reading)")),
    FormField("range_max", N_("Normal to (reading)")),
    FormField("expected_count", N_("Number expected (count)")),
]


def checkpoint_spec(values: dict[str, Any], active: bool = True) -> CheckpointSpec:
    """The form's values as a spec (numbers parsed; the domain validates the rest)."""
    return CheckpointSpec(
        code=str(values["code"]),
        name=str(values["name"]),
        kind=str(values["kind"]),
        name_en=str(values["name_en"]),
        area=str(values["area"]),
        position=_number(values["position"], "position", whole=True) or 0,
        expected_state=str(values["expected_state"]),
        due_time=str(values["due_time"]),
        unit=str(values["unit"]),
        range_min=_number(values["range_min"], "range_min"),
        range_max=_number(values["range_max"], "range_max"),
        expected_count=_number(values["expected_count"], "expected_count", whole=True),
        active=active,
    )


class CheckpointsSection(SectionScreen):
    """The desk's checkpoints (CS4, CS5, SG-10, EN-8.3.3)."""

    NUMBER = 2
    RULES: ClassVar[Rules] = [
        ("CS4", N_("Checkpoints: what is checked, where and how")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        # Name and area share a column so that the list fits 80 columns.
        return [N_("Code"), N_("Checkpoint name"), N_("Kind"), N_("Expected"), N_("Status")]

    def rows(self) -> list[tuple[str, list[Any]]]:
        out: list[tuple[str, list[Any]]] = []
        for c in cp_rules.list_checkpoints(self.desk.id, include_inactive=True):
            if c.kind == "switch":
                expect = f"{_(c.expected_state)} {c.due_time}".strip()
            elif c.kind == "reading":
                expect = cp_rules.range_text(c.range_min, c.range_max, c.unit)
            elif c.kind == "count":
                expect = f"{c.expected_count} {c.unit}".strip()
            else:
                expect = ""
            out.append(
                (
                    str(c.id),
                    [
                        literal(c.code, one_line=True, limit=10),
                        literal(
                            " · ".join(p for p in (pick(c.name, c.name_en), c.area) if p),
                            one_line=True,
                            # 28 fits 80 columns; a wider terminal shows more of it.
                            limit=max(28, self.app.size.width - 52),
                        ),
                        Text(_(CHECKPOINT_KINDS.get(c.kind, c.kind))),
                        literal(expect, one_line=True, limit=14),
                        _status(c.active),
                    ],
                )
            )
        return out

    def add(self) -> None:
        desk_id = self.desk.id

        def submit(values: dict[str, Any]) -> Any:
            return cp_rules.add_checkpoint(self.actor, desk_id, checkpoint_spec(values))

        self.open_form(_("New checkpoint"), CHECKPOINT_FIELDS, {"kind": "condition"}, submit)

    def edit(self, key: str) -> None:
        info = cp_rules.get(int(key))
        values = {
            "code": info.code,
            "name": info.name,
            "name_en": info.name_en,
            "area": info.area,
            "position": str(info.position),
            "kind": info.kind,
            "expected_state": info.expected_state,
            "due_time": info.due_time,
            "unit": info.unit,
            "range_min": _num_text(info.range_min),
            "range_max": _num_text(info.range_max),
            "expected_count": _num_text(info.expected_count),
        }

        def submit(values: dict[str, Any]) -> Any:
            spec = checkpoint_spec(values, active=info.active)
            return cp_rules.update_checkpoint(self.actor, info.id, spec)

        self.open_form(
            _("Checkpoint {code}", code=clean(info.code)), CHECKPOINT_FIELDS, values, submit
        )

    def toggle(self, key: str) -> None:
        info = cp_rules.get(int(key))
        question = (
            _("Deactivate checkpoint {code}? New rounds leave it out.", code=clean(info.code))
            if info.active
            else _("Reactivate checkpoint {code}?", code=clean(info.code))
        )
        self.confirm(question, lambda: cp_rules.set_active(self.actor, info.id, not info.active))


# --- 3 patrol schedules -----

SCHEDULE_FIELDS: list[FormField] = [
    FormField("name", N_("Schedule name"), required=True),
    FormField("name_en", N_("English name")),
    FormField("kind", N_("Kind"), "choice", required=True, choices=tuple(SCHEDULE_KINDS.items())),
    FormField("interval_hours", N_("Every how many hours (interval)")),
    FormField("times", N_("Clock times (fixed)"), placeholder="08:00, 14:00"),
    FormField("rounds_per_shift", N_("Rounds per shift (irregular)")),
    FormField("tolerance_minutes", N_("Tolerance, min (empty: desk's)")),
    FormField("shift_codes", N_("Shift codes (empty: all)")),
    FormField("route", N_("Route: checkpoint codes in order")),
]


class SchedulesSection(SectionScreen):
    """The desk's patrol schedules: interval, fixed times, or irregular (SG-6)."""

    NUMBER = 3
    RULES: ClassVar[Rules] = [
        ("SG-6", N_("Patrol times: fixed, interval or irregular")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        return [
            N_("Schedule name"),
            N_("Kind"),
            N_("When"),
            N_("Shifts"),
            N_("Route"),
            N_("Status"),
        ]

    def _codes(self) -> dict[int, str]:
        return {
            c.id: c.code for c in cp_rules.list_checkpoints(self.desk.id, include_inactive=True)
        }

    def rows(self) -> list[tuple[str, list[Any]]]:
        codes = self._codes()
        out: list[tuple[str, list[Any]]] = []
        for s in patrol_rules.list_schedules(self.desk.id, include_inactive=True):
            if s.kind == "interval":
                when = _("every {hours} h", hours=_num_text(s.interval_hours))
            elif s.kind == "fixed":
                when = ", ".join(s.times)
            else:
                when = _("{count} per shift", count=s.rounds_per_shift)
            route = ", ".join(codes.get(i, "?") for i in s.route)
            out.append(
                (
                    str(s.id),
                    [
                        literal(s.display_name, one_line=True, limit=16),
                        Text(_(SCHEDULE_KINDS.get(s.kind, s.kind))),
                        literal(when, one_line=True, limit=14),
                        literal(", ".join(s.shift_codes) or _("all"), one_line=True, limit=8),
                        literal(route, one_line=True, limit=12),
                        _status(s.active),
                    ],
                )
            )
        return out

    def _spec(self, values: dict[str, Any]) -> ScheduleSpec:
        by_code = {code: cid for cid, code in self._codes().items()}
        route: list[int] = []
        for code in _split(values["route"]):
            if code not in by_code:
                raise ValidationError(
                    N_("No checkpoint {code} at this desk"), field="route", code=code
                )
            route.append(by_code[code])
        return ScheduleSpec(
            name=str(values["name"]),
            kind=str(values["kind"]),
            name_en=str(values["name_en"]),
            interval_hours=_number(values["interval_hours"], "interval_hours"),
            times=_split(values["times"]),
            rounds_per_shift=_number(values["rounds_per_shift"], "rounds_per_shift", whole=True),
            tolerance_minutes=_number(values["tolerance_minutes"], "tolerance_minutes", whole=True),
            shift_codes=_split(values["shift_codes"]),
            route=tuple(route),
        )

    def add(self) -> None:
        desk_id = self.desk.id

        def submit(values: dict[str, Any]) -> Any:
            return patrol_rules.add_schedule(self.actor, desk_id, self._spec(values))

        self.open_form(_("New patrol schedule"), SCHEDULE_FIELDS, {"kind": "interval"}, submit)

    def _info(self, key: str) -> patrol_rules.ScheduleInfo | None:
        for s in patrol_rules.list_schedules(self.desk.id, include_inactive=True):
            if str(s.id) == key:
                return s
        return None

    def edit(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        codes = self._codes()
        values = {
            "name": info.name,
            "name_en": info.name_en,
            "kind": info.kind,
            "interval_hours": _num_text(info.interval_hours),
            "times": ", ".join(info.times),
            "rounds_per_shift": _num_text(info.rounds_per_shift),
            "tolerance_minutes": _num_text(info.tolerance_minutes),
            "shift_codes": ", ".join(info.shift_codes),
            "route": ", ".join(codes.get(i, "") for i in info.route),
        }

        def submit(values: dict[str, Any]) -> Any:
            return patrol_rules.update_schedule(self.actor, info.id, self._spec(values))

        self.open_form(
            _("Patrol schedule {name}", name=clean(info.display_name)),
            SCHEDULE_FIELDS,
            values,
            submit,
        )

    def toggle(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        name = clean(info.display_name)
        question = (
            _("Deactivate patrol schedule {name}? No new rounds are planned.", name=name)
            if info.active
            else _("Reactivate patrol schedule {name}?", name=name)
        )
        self.confirm(
            question,
            lambda: patrol_rules.set_schedule_active(self.actor, info.id, not info.active),
        )


# --- 4 incident natures -----

NOTIFY_CHOICES = tuple(
    (r, incident_rules.NOTIFY_ROLE_LABELS[r]) for r in incident_rules.NOTIFY_ROLES
)


class CategoriesSection(SectionScreen):
    """The incident natures (and their details) of the desk's kind."""

    NUMBER = 4
    RULES: ClassVar[Rules] = [
        ("CS6", N_("Who is told of an incident of each nature")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        return [N_("Code"), N_("Chinese name"), N_("English name"), N_("Who is told"), N_("Status")]

    def _all(self) -> list[incident_rules.CategoryInfo]:
        return incident_rules.categories(self.actor, self.desk.kind, include_inactive=True)

    def rows(self) -> list[tuple[str, list[Any]]]:
        out: list[tuple[str, list[Any]]] = []
        for c in self._all():
            indent = "  " if c.parent_code else ""
            role = incident_rules.NOTIFY_ROLE_LABELS.get(c.notify_role, "")
            out.append(
                (
                    str(c.id),
                    [
                        literal(indent + c.code, one_line=True, limit=20),
                        literal(c.name_zh, one_line=True, limit=16),
                        literal(c.name_en, one_line=True, limit=20),
                        Text(_(role) if role else ""),
                        _status(c.active),
                    ],
                )
            )
        return out

    def add(self) -> None:
        kind = self.desk.kind
        parents = tuple((c.code, c.name) for c in self._all() if not c.parent_code and c.active)
        fields = [
            FormField("name_zh", N_("Chinese name"), required=True),
            FormField("name_en", N_("English name")),
            FormField(
                "parent_code", N_("Detail of (empty: a new nature)"), "choice", choices=parents
            ),
            FormField("notify_role", N_("Who is told"), "choice", choices=NOTIFY_CHOICES),
        ]

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.add_category(
                self.actor,
                kind,
                str(values["name_zh"]),
                str(values["name_en"]),
                parent_code=str(values["parent_code"]),
                notify_role=str(values["notify_role"]),
            )

        self.open_form(_("New incident nature"), fields, {}, submit)

    def _info(self, key: str) -> incident_rules.CategoryInfo | None:
        return next((c for c in self._all() if str(c.id) == key), None)

    def edit(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        fields = [
            FormField("name_zh", N_("Chinese name"), required=True),
            FormField("name_en", N_("English name")),
            FormField("notify_role", N_("Who is told"), "choice", choices=NOTIFY_CHOICES),
        ]
        values = {"name_zh": info.name_zh, "name_en": info.name_en, "notify_role": info.notify_role}

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.update_category(
                self.actor,
                info.id,
                name_zh=str(values["name_zh"]),
                name_en=str(values["name_en"]),
                notify_role=str(values["notify_role"]),
            )

        self.open_form(_("Incident nature {code}", code=clean(info.code)), fields, values, submit)

    def toggle(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        name = clean(info.name)
        question = (
            _("Deactivate {name}? It is no longer offered for new incidents.", name=name)
            if info.active
            else _("Reactivate {name}?", name=name)
        )
        self.confirm(
            question,
            lambda: incident_rules.update_category(self.actor, info.id, active=not info.active),
        )


# --- 5 contacts -----

CONTACT_FIELDS: list[FormField] = [
    FormField("role", N_("Who"), "choice", required=True, choices=NOTIFY_CHOICES),
    FormField("name", N_("Name")),
    FormField("phone", N_("Phone")),
]


class ContactsSection(SectionScreen):
    """The site's contact list, offered when notifications are recorded (CS6)."""

    NUMBER = 5
    REMOVES = True
    RULES: ClassVar[Rules] = [
        ("CS6", N_("Who is told of an incident of each nature")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        return [N_("Who"), N_("Name"), N_("Phone")]

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                str(c.id),
                [
                    Text(c.role_label),
                    literal(c.name, one_line=True, limit=30),
                    literal(c.phone, one_line=True, limit=20),
                ],
            )
            for c in incident_rules.contacts(self.actor)
        ]

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.save_contact(
                self.actor, str(values["role"]), str(values["name"]), str(values["phone"])
            )

        self.open_form(_("New contact"), CONTACT_FIELDS, {}, submit)

    def _info(self, key: str) -> incident_rules.ContactInfo | None:
        return next((c for c in incident_rules.contacts(self.actor) if str(c.id) == key), None)

    def edit(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.save_contact(
                self.actor,
                str(values["role"]),
                str(values["name"]),
                str(values["phone"]),
                contact_id=info.id,
            )

        values = {"role": info.role, "name": info.name, "phone": info.phone}
        self.open_form(_("Contact"), CONTACT_FIELDS, values, submit)

    def toggle(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        question = _(
            "Remove {who} {name} from the contact list?",
            who=info.role_label,
            name=clean(info.name),
        )
        self.confirm(question, lambda: incident_rules.remove_contact(self.actor, info.id))


# --- 6 holidays -----

HOLIDAY_FIELDS: list[FormField] = [
    FormField("day", N_("Date (YYYY-MM-DD)"), required=True, placeholder="YYYY-MM-DD"),
    FormField("name", N_("Holiday name"), required=True),
]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(N_("Enter the date as YYYY-MM-DD"), field="day") from None


class HolidaysSection(SectionScreen):
    """The site's holiday calendar: holidays need reinforced duty (CS9)."""

    NUMBER = 6
    REMOVES = True
    RULES: ClassVar[Rules] = [
        ("CS9", N_("Holidays need the holiday number of staff")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        return [N_("Date"), N_("Weekday"), N_("Holiday name")]

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                h.day.isoformat(),
                [
                    Text(h.day.isoformat()),
                    Text(_(WEEKDAYS[h.day.weekday()])),
                    literal(h.name, one_line=True, limit=40),
                ],
            )
            for h in holiday_rules.list_holidays()
        ]

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Any:
            return holiday_rules.add_holiday(self.actor, _day(values["day"]), str(values["name"]))

        self.open_form(
            _("New holiday"),
            HOLIDAY_FIELDS,
            {},
            submit,
        )

    def edit(self, key: str) -> None:
        old_day = dt.date.fromisoformat(key)
        name = holiday_rules.holiday_name(old_day) or ""

        def submit(values: dict[str, Any]) -> Any:
            day = _day(values["day"])
            info = holiday_rules.add_holiday(self.actor, day, str(values["name"]))
            if day != old_day:
                holiday_rules.remove_holiday(self.actor, old_day)
            return info

        values = {"day": key, "name": name}
        self.open_form(_("Holiday {day}", day=key), HOLIDAY_FIELDS, values, submit)

    def toggle(self, key: str) -> None:
        day = dt.date.fromisoformat(key)
        self.confirm(
            _("Remove the holiday on {day}?", day=key),
            lambda: holiday_rules.remove_holiday(self.actor, day),
        )


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


# --- 7 shift staffing -----

STAFFING_FIELDS: list[FormField] = [
    FormField("required", N_("Staff needed"), required=True),
    FormField("holiday_required", N_("Staff needed on holidays"), required=True),
]


class StaffingSection(SectionScreen):
    """How many people each of the desk's shifts needs, usually and on holidays (CS1, CS9)."""

    NUMBER = 7
    CAN_ADD = False
    CAN_TOGGLE = False
    RULES: ClassVar[Rules] = [
        ("CS1", N_("Every shift has its required number of staff")),
        ("CS9", N_("Holidays need the holiday number of staff")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def columns(self) -> list[str]:
        return [N_("Code"), N_("Shift"), N_("Time"), N_("Staff needed"), N_("On holidays")]

    def _templates(self) -> list[Any]:
        return roster_rules.ShiftCalendar().active_templates(self.desk.id)

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                t.code,
                [
                    literal(t.code, one_line=True, limit=10),
                    literal(pick(t.name_zh, t.name_en), one_line=True, limit=20),
                    Text(f"{t.start_time}–{t.end_time}"),
                    Text(str(t.required_staff)),
                    Text(str(t.holiday_required_staff)),
                ],
            )
            for t in self._templates()
        ]

    def edit(self, key: str) -> None:
        t = next((t for t in self._templates() if t.code == key), None)
        if t is None:
            return
        desk_id = self.desk.id
        values = {
            "required": str(t.required_staff),
            "holiday_required": str(t.holiday_required_staff),
        }

        def submit(values: dict[str, Any]) -> Any:
            required = _number(values["required"], "required", whole=True)
            holiday = _number(values["holiday_required"], "holiday_required", whole=True)
            if required is None:
                raise ValidationError(N_("Fill this in"), field="required")
            if holiday is None:
                raise ValidationError(N_("Fill this in"), field="holiday_required")
            roster_rules.set_required_staff(
                self.actor, desk_id, t.code, required=required, holiday_required=holiday
            )
            return True

        self.open_form(
            _("Staff for shift {name}", name=clean(pick(t.name_zh, t.name_en))),
            STAFFING_FIELDS,
            values,
            submit,
        )


# --- 8 shift times from a date on (site settings) -----

SHIFT_TIME_FIELDS: list[FormField] = [
    FormField("start", N_("Starts at (HH:MM)"), required=True),
    FormField("end", N_("Ends at (HH:MM)"), required=True),
    FormField("from_date", N_("From business date (YYYY-MM-DD)"), required=True),
]


class ShiftTimesSection(SectionScreen):
    """The desk's shift times, changed from a business date on; shifts already opened
    keep theirs, and a change that would overlap the open shift or leave a gap after
    it is refused with the reason (SE-1)."""

    NUMBER = 8
    CAN_ADD = False
    CAN_TOGGLE = False
    RULES: ClassVar[Rules] = [
        ("SE-1", N_("The shifts cover the day without a gap")),
        ("CS8", N_("Only a supervisor approves; changes are audited")),
    ]

    def note(self) -> str:
        return _("Shift times: Enter changes the selected shift from a date on, Esc back")

    def columns(self) -> list[str]:
        return [N_("Code"), N_("Shift"), N_("Today"), N_("Changes")]

    def _today(self) -> dt.date:
        return settings_rules.today(self.actor)

    def rows(self) -> list[tuple[str, list[Any]]]:
        out = []
        for t in settings_rules.shift_times(self.desk.id, self._today()):
            later = (
                f"{t.next_change[0].isoformat()}: {t.next_change[1]}–{t.next_change[2]}"
                if t.next_change
                else ""
            )
            out.append(
                (
                    t.code,
                    [
                        literal(t.code, one_line=True, limit=10),
                        literal(pick(t.name_zh, t.name_en), one_line=True, limit=16),
                        Text(f"{t.start}–{t.end}"),
                        Text(later),
                    ],
                )
            )
        return out

    def edit(self, key: str) -> None:
        shown = {t.code: t for t in settings_rules.shift_times(self.desk.id, self._today())}
        t = shown.get(key)
        if t is None:
            return
        desk_id = self.desk.id
        tomorrow = self._today() + dt.timedelta(days=1)
        values = {"start": t.start, "end": t.end, "from_date": tomorrow.isoformat()}

        def submit(values: dict[str, Any]) -> Any:
            day = settings_rules.parse_day(str(values["from_date"]))
            gaps = settings_rules.change_shift_times(
                self.actor, desk_id, key, str(values["start"]), str(values["end"]), day
            )
            for msgid in gaps:
                self.app.notify(_(msgid), severity="warning", markup=False)
            return True

        self.open_form(
            _("Times of shift {name}", name=clean(pick(t.name_zh, t.name_en))),
            SHIFT_TIME_FIELDS,
            values,
            submit,
        )


# --- 9 site settings and desks -----

PRESET_CHOICES = tuple(
    (name, name) for name in ("security-3", "security-2", "engineering", "service")
)
DESK_FIELDS: list[FormField] = [
    FormField("code", N_("Desk code"), required=True),
    FormField("preset", N_("Shift pattern"), "choice", required=True, choices=PRESET_CHOICES),
    FormField("name", N_("Desk name"), required=True),
    FormField("location", N_("Location")),
]

# Setting key → (label msgid, form field).
SITE_SETTINGS: dict[str, tuple[str, FormField]] = {
    "tz": (N_("Time zone"), FormField("value", N_("IANA time zone"), required=True)),
    "language": (
        N_("Site language"),
        FormField(
            "value",
            N_("Site language"),
            "choice",
            required=True,
            choices=(("zh", N_("Chinese")), ("en", N_("English"))),
        ),
    ),
    "lock": (N_("Idle lock (seconds)"), FormField("value", N_("Seconds"), required=True)),
    "window": (
        N_("Handover window (minutes)"),
        FormField("value", N_("Minutes"), required=True),
    ),
    "backup_dir": (N_("Backup folder"), FormField("value", N_("Folder"))),
    "backup_time": (N_("Daily backup at"), FormField("value", N_("HH:MM (empty: none)"))),
}


class SiteSection(SectionScreen):
    """Site-wide settings (zone, language, idle lock, handover window, backups) and the
    desks: ``n`` adds a desk, ``d`` retires the selected desk, Enter changes a setting."""

    NUMBER = 9
    RULES: ClassVar[Rules] = [("CS8", N_("Only a supervisor approves; changes are audited"))]

    def note(self) -> str:
        return _("Site: Enter change, n add desk, d retire desk, Esc back")

    def columns(self) -> list[str]:
        return [N_("Setting"), N_("Value")]

    def _values(self) -> dict[str, str]:
        now = settings_rules.current()
        return {
            "tz": now.tz,
            "language": now.language,
            "lock": str(now.lock_after_seconds),
            "window": str(now.handover_window_minutes),
            "backup_dir": now.backup_dir,
            "backup_time": now.backup_time,
        }

    def rows(self) -> list[tuple[str, list[Any]]]:
        values = self._values()
        out: list[tuple[str, list[Any]]] = [
            (key, [Text(_(label)), literal(values[key], one_line=True, limit=50)])
            for key, (label, _f) in SITE_SETTINGS.items()
        ]
        for d in settings_rules.desks():
            state = _("retired") if d.retired else _("active")
            out.append(
                (
                    f"desk:{d.code}",
                    [
                        Text(_("Desk {code}", code=clean(d.code))),
                        literal(f"{d.name} {d.location} ({d.preset}, {state})", one_line=True),
                    ],
                )
            )
        return out

    def edit(self, key: str) -> None:
        if key not in SITE_SETTINGS:
            return
        label, field = SITE_SETTINGS[key]
        actor = self.actor

        def submit(values: dict[str, Any]) -> Any:
            value = str(values.get("value") or "").strip()
            if key == "tz":
                settings_rules.set_timezone(actor, value)
            elif key == "language":
                settings_rules.set_language(actor, value)
            elif key == "lock":
                seconds = _required_whole(value)
                settings_rules.set_lock_after(actor, seconds)
                app: Any = self.app
                app.lock_after = seconds  # this kiosk at once; the others at their start
            elif key == "window":
                settings_rules.set_handover_window(actor, _required_whole(value))
            elif key == "backup_dir":
                settings_rules.set_backup(actor, folder=value)
            elif key == "backup_time":
                settings_rules.set_backup(actor, time=value)
            return True

        self.open_form(_(label), [field], {"value": self._values()[key]}, submit)

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Any:
            spec = DeskSpec(
                str(values["code"]),
                str(values["name"]),
                str(values["preset"]),
                str(values.get("location") or ""),
            )
            return settings_rules.add_desk(self.actor, spec)

        self.open_form(_("New desk"), DESK_FIELDS, {"preset": "security-3"}, submit)

    def toggle(self, key: str) -> None:
        if not key.startswith("desk:"):
            return
        code = key.split(":", 1)[1]
        self.confirm(
            _("Retire the desk {code}? No new shifts there; its records stay.", code=code),
            lambda: settings_rules.retire_desk(self.actor, code),
        )


def _required_whole(text: str) -> int:
    value = _number(text, "value", whole=True)
    if value is None:
        raise ValidationError(N_("Fill this in"), field="value")
    return int(value)


SECTIONS: dict[int, type[SectionScreen]] = {
    2: CheckpointsSection,
    3: SchedulesSection,
    4: CategoriesSection,
    5: ContactsSection,
    6: HolidaysSection,
    7: StaffingSection,
    8: ShiftTimesSection,
    9: SiteSection,
}
