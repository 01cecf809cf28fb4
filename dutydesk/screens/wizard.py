"""First run on an empty database: a keyboard-only set-up wizard.

Language, site name, time zone, desks from the built-in shift presets (SE-2,
SG-9, engineering and service duty), and the first supervisor with a PIN typed
twice. Then the lock screen of the first desk.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.strip import Strip
from textual.widgets import Input, Label, Select, SelectionList, Static

from dutydesk.domain import patterns
from dutydesk.domain import site as site_rules
from dutydesk.domain.context import Actor
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _, current_language, set_language
from dutydesk.screens.base import DeskScreen, Rules
from dutydesk.widgets.literal import literal

# preset → (desk code, Chinese name, English name msgid)
PRESET_DESKS: dict[str, tuple[str, str, str]] = {
    "security-3": ("security", "保安亭", N_("Security booth")),
    "security-2": ("gate", "门卫室", N_("Gate house")),
    "engineering": ("engineering", "工程值班室", N_("Engineering duty room")),
    "service": ("service", "客服中心", N_("Service centre")),
}

TEXT_FIELDS: list[tuple[str, str, bool]] = [
    ("site-name", N_("Site name"), False),
    ("tz", N_("Time zone"), False),
    ("boss-no", N_("First supervisor: staff number"), False),
    ("boss-name", N_("First supervisor: name"), False),
    ("boss-pin", N_("PIN"), True),
    ("boss-pin2", N_("PIN again"), True),
]


def preset_label(preset: str) -> str:
    _code, name_zh, name_en = PRESET_DESKS[preset]
    windows = " / ".join(f"{s.start}–{s.end}" for s in patterns.preset(preset))
    name = name_zh if current_language() == "zh" else _(name_en)
    return f"{name}  ({windows})"


class DeskPresetList(SelectionList[str]):
    """The desk presets, each reading 是/否 (Yes/No) in words and with an ``X`` only
    when chosen: Textual draws the same box for both states, told apart by colour."""

    def _word(self, value: str) -> str:
        return _("Yes") if value in self.selected else _("No")

    def on_mount(self) -> None:
        self._relabel()

    @on(SelectionList.SelectedChanged)
    def _relabel(self) -> None:
        for index in range(self.option_count):
            option = self.get_option_at_index(index)
            label = f"{self._word(option.value)}  {preset_label(option.value)}"
            if str(option.prompt) != label:
                self.replace_option_prompt_at_index(index, label)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset[1] + y
        if index >= self.option_count or len(segments) < 2:
            return strip
        chosen = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment("X" if chosen else " ", segments[1].style)
        return Strip(segments, strip.cell_length)


class WizardScreen(DeskScreen):
    """Set up the site; Tab between fields, Ctrl+S (or Enter on the last field) creates it."""

    BINDINGS = [
        Binding("ctrl+s", "create", N_("Create the site"), id="save"),
    ]
    RULES: ClassVar[Rules] = [
        ("SE-2", N_("Three shifts: early 07:30–16:00, middle 16:00–00:00, night 00:00–07:30")),
        ("SG-9", N_("Two shifts; hand over at the change")),
        ("CS2", N_("Duty is kept at a set place: each desk has a name and location")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {"tz": site_rules.local_timezone()}
        self.chosen: list[str] = ["security-3"]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="wizard-body"):
            yield Static(
                _("Welcome to DutyDesk. Set up this site (Tab: next field)."),
                classes="dialog-title",
            )
            yield Label(_("Language"), classes="field-label")
            yield Select(
                [("中文", "zh"), ("English", "en")],
                value=current_language(),
                allow_blank=False,
                id="language",
            )
            yield Label(_("Desks (Space: choose)"), classes="field-label")
            yield DeskPresetList(
                *[(preset_label(p), p, p in self.chosen) for p in PRESET_DESKS],
                id="desks",
            )
            for field_id, label, password in TEXT_FIELDS:
                yield Label(_(label), classes="field-label")
                yield Input(
                    value=self.values.get(field_id, ""),
                    password=password,
                    id=field_id,
                    classes="field-input",
                )
            yield Static("", id="wizard-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#language", Select).focus()

    def on_screen_resume(self) -> None:
        self.refresh_live()

    def _remember(self) -> None:
        for field_id, _label, _password in TEXT_FIELDS:
            self.values[field_id] = self.query_one(f"#{field_id}", Input).value
        self.chosen = list(self.query_one("#desks", SelectionList).selected)

    @on(Select.Changed, "#language")
    def _language_changed(self, event: Select.Changed) -> None:
        lang = str(event.value)
        if lang == current_language():
            return
        self._remember()
        set_language(lang)
        self.refresh(recompose=True)
        self.call_after_refresh(lambda: self.query_one("#language", Select).focus())
        self.app.refresh_bindings()

    def refresh_language(self) -> None:
        self._remember()
        self.refresh(recompose=True)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        ids = [f[0] for f in TEXT_FIELDS]
        if event.input.id == ids[-1]:
            self.action_create()
        else:
            self.focus_next()

    def _error(self, message: str, field: str | None = None) -> None:
        self.query_one("#wizard-error", Static).update(literal(message))
        self.app.bell()
        if field:
            with contextlib.suppress(Exception):
                self.query_one(f"#{field}").focus()

    def action_create(self) -> None:
        self._remember()
        v = self.values
        if not self.chosen:
            self._error(_("Choose at least one desk"), "desks")
            return
        if v["boss-pin"] != v["boss-pin2"]:
            self._error(_("The two PINs differ"), "boss-pin2")
            return
        specs = []
        for preset in PRESET_DESKS:
            if preset in self.chosen:
                code, name_zh, name_en = PRESET_DESKS[preset]
                specs.append(site_rules.DeskSpec(code, name_zh, preset, "", name_en))
        app: Any = self.app
        fields = {"name": "site-name", "supervisor": "boss-no", "pin": "boss-pin"}
        try:
            info = site_rules.create_site(
                Actor(app.clock, None),
                name=v["site-name"],
                tz=v["tz"].strip(),
                language=current_language(),
                desks=specs,
                supervisor_no=v["boss-no"],
                supervisor_name=v["boss-name"],
                supervisor_pin=v["boss-pin"],
            )
        except DutyDeskError as exc:
            field = fields.get(exc.field or "")
            if field is None and "time zone" in exc.msgid:
                field = "tz"
            self._error(exc.translated(), field or "boss-pin")
            return
        app.site_created(info)
