"""F9 sections 6 to 8: holidays, shift staffing, shift times from a date on."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text

from dutydesk.domain import holidays as holiday_rules
from dutydesk.domain import roster as roster_rules
from dutydesk.domain import site as site_rules
from dutydesk.domain import site_settings as settings_rules
from dutydesk.domain.site import StaffingInfo
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.screens.admin.base import CS8_RULE, SectionScreen, required_whole
from dutydesk.screens.base import Rules
from dutydesk.widgets.form_fields import FormField
from dutydesk.widgets.literal import clean, literal

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
    RULES: ClassVar[Rules] = [("CS9", N_("Holidays need the holiday number of staff")), CS8_RULE]

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
        CS8_RULE,
    ]

    def columns(self) -> list[str]:
        return [N_("Code"), N_("Shift"), N_("Time"), N_("Staff needed"), N_("On holidays")]

    def _templates(self) -> list[StaffingInfo]:
        return site_rules.staffing(self.desk.id)

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
            required = required_whole(values["required"], "required")
            holiday = required_whole(values["holiday_required"], "holiday_required")
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
    RULES: ClassVar[Rules] = [("SE-1", N_("The shifts cover the day without a gap")), CS8_RULE]

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
