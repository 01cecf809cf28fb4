"""F9 sections 2 and 3: the desk's checkpoints and its patrol schedules."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text

from dutydesk.domain import checkpoints as cp_rules
from dutydesk.domain import patrols as patrol_rules
from dutydesk.domain.checkpoints import CheckpointSpec
from dutydesk.domain.patrols import ScheduleSpec
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.admin.base import (
    CS8_RULE,
    SectionScreen,
    number_text,
    parse_number,
    split_list,
    status_text,
)
from dutydesk.screens.base import Rules
from dutydesk.widgets.form_fields import FormField
from dutydesk.widgets.literal import clean, literal

# --- 2 checkpoints -----

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
        position=parse_number(values["position"], "position", whole=True) or 0,
        expected_state=str(values["expected_state"]),
        due_time=str(values["due_time"]),
        unit=str(values["unit"]),
        range_min=parse_number(values["range_min"], "range_min"),
        range_max=parse_number(values["range_max"], "range_max"),
        expected_count=parse_number(values["expected_count"], "expected_count", whole=True),
        active=active,
    )


class CheckpointsSection(SectionScreen):
    """The desk's checkpoints (CS4, CS5, SG-10, EN-8.3.3)."""

    NUMBER = 2
    RULES: ClassVar[Rules] = [("CS4", N_("Checkpoints: what is checked, where and how")), CS8_RULE]

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
                        status_text(c.active),
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
            "range_min": number_text(info.range_min),
            "range_max": number_text(info.range_max),
            "expected_count": number_text(info.expected_count),
        }

        def submit(values: dict[str, Any]) -> Any:
            spec = checkpoint_spec(values, active=info.active)
            return cp_rules.update_checkpoint(self.actor, info.id, spec)

        self.open_form(
            _("Checkpoint {code}", code=clean(info.code)), CHECKPOINT_FIELDS, values, submit
        )

    TOGGLE_QUESTIONS = (
        N_("Deactivate checkpoint {code}? New rounds leave it out."),
        N_("Reactivate checkpoint {code}?"),
    )

    def record(self, key: str) -> cp_rules.CheckpointInfo:
        return cp_rules.get(int(key))

    def question_values(self, info: cp_rules.CheckpointInfo) -> dict[str, str]:
        return {"code": info.code}

    def set_active(self, info: cp_rules.CheckpointInfo, active: bool) -> Any:
        return cp_rules.set_active(self.actor, info.id, active)


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
    RULES: ClassVar[Rules] = [("SG-6", N_("Patrol times: fixed, interval or irregular")), CS8_RULE]

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
                when = _("every {hours} h", hours=number_text(s.interval_hours))
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
                        status_text(s.active),
                    ],
                )
            )
        return out

    def _spec(self, values: dict[str, Any]) -> ScheduleSpec:
        by_code = {code: cid for cid, code in self._codes().items()}
        route: list[int] = []
        for code in split_list(values["route"]):
            if code not in by_code:
                raise ValidationError(
                    N_("No checkpoint {code} at this desk"), field="route", code=code
                )
            route.append(by_code[code])
        return ScheduleSpec(
            name=str(values["name"]),
            kind=str(values["kind"]),
            name_en=str(values["name_en"]),
            interval_hours=parse_number(values["interval_hours"], "interval_hours"),
            times=split_list(values["times"]),
            rounds_per_shift=parse_number(
                values["rounds_per_shift"], "rounds_per_shift", whole=True
            ),
            tolerance_minutes=parse_number(
                values["tolerance_minutes"], "tolerance_minutes", whole=True
            ),
            shift_codes=split_list(values["shift_codes"]),
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
            "interval_hours": number_text(info.interval_hours),
            "times": ", ".join(info.times),
            "rounds_per_shift": number_text(info.rounds_per_shift),
            "tolerance_minutes": number_text(info.tolerance_minutes),
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

    TOGGLE_QUESTIONS = (
        N_("Deactivate patrol schedule {name}? No new rounds are planned."),
        N_("Reactivate patrol schedule {name}?"),
    )

    def record(self, key: str) -> patrol_rules.ScheduleInfo | None:
        return self._info(key)

    def question_values(self, info: patrol_rules.ScheduleInfo) -> dict[str, str]:
        return {"name": info.display_name}

    def set_active(self, info: patrol_rules.ScheduleInfo, active: bool) -> Any:
        return patrol_rules.set_schedule_active(self.actor, info.id, active)
