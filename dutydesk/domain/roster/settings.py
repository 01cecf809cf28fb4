"""The site's roster limits (rest, nights in a row) and each shift's staffing (CS9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.site import StaffingInfo, staffing
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import ShiftTemplate, Site

DEFAULT_MIN_REST_HOURS = 8.0
DEFAULT_MAX_CONSECUTIVE_NIGHTS = 6
_SETTINGS_KEY = "roster"


@dataclass(frozen=True)
class RosterRules:
    """The site's limits for the roster warnings (``Site.settings["roster"]``)."""

    min_rest_hours: float = DEFAULT_MIN_REST_HOURS
    max_consecutive_nights: int = DEFAULT_MAX_CONSECUTIVE_NIGHTS

    @property
    def min_rest(self) -> dt.timedelta:
        return dt.timedelta(hours=self.min_rest_hours)


def roster_rules() -> RosterRules:
    """The site's roster limits; defaults 8 h rest and 6 nights in a row."""
    site = Site.select(Site.settings).first()
    stored = (site.settings or {}).get(_SETTINGS_KEY, {}) if site else {}
    return RosterRules(
        float(stored.get("min_rest_hours", DEFAULT_MIN_REST_HOURS)),
        int(stored.get("max_consecutive_nights", DEFAULT_MAX_CONSECUTIVE_NIGHTS)),
    )


def set_roster_rules(
    actor: Actor, *, min_rest_hours: float, max_consecutive_nights: int
) -> RosterRules:
    """Change the site's roster limits — supervisors only, audited."""
    if not 0 <= min_rest_hours <= 48:
        raise ValidationError(
            N_("The minimum rest must be between 0 and 48 hours"), field="min_rest_hours"
        )
    if not 1 <= max_consecutive_nights <= 31:
        raise ValidationError(
            N_("Consecutive nights must be between 1 and 31"), field="max_consecutive_nights"
        )
    with write():
        actor.require_role()
        site = Site.select().first()
        if site is None:
            raise NotFound(N_("This database holds no site yet"))
        settings = dict(site.settings or {})
        old = settings.get(_SETTINGS_KEY, {})
        new = {"min_rest_hours": min_rest_hours, "max_consecutive_nights": max_consecutive_nights}
        settings[_SETTINGS_KEY] = new
        site.settings = settings
        site.save()
        audit.record(actor, "roster.rules", "site", site.id, old=old, new=new)
    return RosterRules(min_rest_hours, max_consecutive_nights)


@dataclass(frozen=True)
class ShiftStaffing(StaffingInfo):
    """A desk's active shift and how many people it needs (CS9), named in the language
    shown."""

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


def shift_staffing(desk_id: int) -> list[ShiftStaffing]:
    """The desk's active shifts in pattern order, with their staffing."""
    return [ShiftStaffing(**asdict(s)) for s in staffing(desk_id)]


def set_required_staff(
    actor: Actor, desk_id: int, code: str, *, required: int, holiday_required: int
) -> None:
    """How many people a desk's shift needs, on ordinary days and on holidays (CS9)."""
    if required < 0 or holiday_required < 0:
        raise ValidationError(N_("The number of staff cannot be negative"), field="required")
    with write():
        actor.require_role()
        change_shift_template(
            actor,
            desk_id,
            code,
            "shift_template.staffing",
            {"required": "required_staff", "holiday_required": "holiday_required_staff"},
            {"required": required, "holiday_required": holiday_required},
        )


def change_shift_template(
    actor: Actor,
    desk_id: int,
    code: str,
    action: str,
    columns: Mapping[str, str],
    new: Mapping[str, object],
) -> None:
    """Set columns of the desk's shift ``code`` and audit it as ``action``; call it
    inside ``write()``. ``columns`` maps the audit's names to the template's
    columns, ``new`` holds the values by the audit's names."""
    row = ShiftTemplate.get_or_none((ShiftTemplate.desk == desk_id) & (ShiftTemplate.code == code))
    if row is None:
        raise NotFound(N_("No shift {code} at this desk"), code=code)
    old = {name: getattr(row, column) for name, column in columns.items()}
    for name, column in columns.items():
        setattr(row, column, new[name])
    row.save()
    audit.record(actor, action, "shift_template", row.id, old=old, new=dict(new))


def warning_margin(rules: RosterRules) -> dt.timedelta:
    """How far around a range entries matter: a short rest, a run of nights."""
    return dt.timedelta(days=max(2, rules.max_consecutive_nights + 1))
