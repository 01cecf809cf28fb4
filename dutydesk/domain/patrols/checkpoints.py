"""Patrol checkpoints of a desk: what is checked, where, and how (CS4, CS5, SG-6, SG-10,
EN-8.3.3).

A checkpoint has a kind:

- ``condition``: OK or a problem (condition, cleanliness, staff at work; CS4);
- ``switch``: the expected state (on / off), optionally at a clock time (CS5, SG-6);
- ``reading``: a number with a unit and a normal range (EN-8.3.3, EN-8.3.4);
- ``count``: the number of items expected present (fire extinguishers; SG-10).

Only a supervisor adds, edits or deactivates checkpoints; each change is audited.
Checkpoints are never deleted: past checks refer to them. Files of checkpoints
(TOML, CSV) are read and written by :mod:`dutydesk.domain.checkpoints`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from dutydesk.db import write
from dutydesk.domain import audit, bounds
from dutydesk.domain.context import Actor
from dutydesk.domain.patrols.states import CheckpointKind, number_text
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import Checkpoint

KINDS = tuple(CheckpointKind)
SWITCH_STATES = ("on", "off")


@dataclass(frozen=True)
class CheckpointSpec:
    """What a supervisor types (or a file holds) for one checkpoint."""

    code: str
    name: str
    kind: str
    name_en: str = ""
    area: str = ""  # "building / floor / zone"
    position: int = 0
    expected_state: str = ""
    due_time: str = ""
    unit: str = ""
    range_min: float | None = None
    range_max: float | None = None
    expected_count: int | None = None
    active: bool = True


@dataclass(frozen=True)
class CheckpointInfo:
    id: int
    desk_id: int
    code: str
    name: str
    name_en: str
    area: str
    position: int
    kind: CheckpointKind
    expected_state: str
    due_time: str
    unit: str
    range_min: float | None
    range_max: float | None
    expected_count: int | None
    active: bool

    @property
    def display_name(self) -> str:
        return pick(self.name, self.name_en)

    @property
    def place(self) -> str:
        """Where it is, for an incident form: "area · name"."""
        return f"{self.area} · {self.display_name}" if self.area else self.display_name

    @property
    def range_text(self) -> str:
        """ "0–85 °C", "≥ 30 %", "≤ 0.6 MPa"; empty without a range."""
        return range_text(self.range_min, self.range_max, self.unit)

    def spec(self) -> CheckpointSpec:
        return CheckpointSpec(**{f.name: getattr(self, f.name) for f in fields(CheckpointSpec)})


def range_text(low: float | None, high: float | None, unit: str = "") -> str:
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}{suffix}"
    if low is not None:
        return f"≥ {number_text(low)}{suffix}"
    if high is not None:
        return f"≤ {number_text(high)}{suffix}"
    return ""


def area_of(building: str = "", floor: str = "", zone: str = "") -> str:
    """Compose an area from its parts: "A栋 / 3F / 东区"."""
    return " / ".join(p.strip() for p in (building, floor, zone) if p and p.strip())


def info(c: Checkpoint) -> CheckpointInfo:
    return CheckpointInfo(
        c.id,
        c.desk_id,
        c.code,
        c.name,
        c.name_en,
        c.area,
        c.position,
        CheckpointKind(c.kind),
        c.expected_state,
        c.due_time,
        c.unit,
        c.range_min,
        c.range_max,
        c.expected_count,
        c.active,
    )


checkpoint_info = info


# --- validation ---------------------------------------------------------------------


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate(spec: CheckpointSpec) -> CheckpointSpec:
    """The spec cleaned up, or :class:`ValidationError` naming the field."""
    code, name = spec.code.strip(), spec.name.strip()
    if not code:
        raise ValidationError(N_("A checkpoint needs a code"), field="code")
    if any(ch.isspace() for ch in code):
        raise ValidationError(
            N_("A checkpoint code has no spaces: {code}"), field="code", code=code
        )
    if not name:
        raise ValidationError(N_("A checkpoint needs a name"), field="name")
    bounds.name(code, "code")
    bounds.name(name, "name")
    bounds.name(spec.name_en.strip(), "name_en")
    try:
        kind = CheckpointKind(spec.kind.strip().lower())
    except ValueError:
        raise ValidationError(
            N_("Unknown kind {kind}; choose one of: {choices}"),
            field="kind",
            kind=spec.kind,
            choices=", ".join(KINDS),
        ) from None
    state = spec.expected_state.strip().lower()
    due = spec.due_time.strip()
    unit = spec.unit.strip()
    low, high, count = spec.range_min, spec.range_max, spec.expected_count

    def only_for(field: str, kinds: str) -> ValidationError:
        return ValidationError(
            N_("{column} is only for {kinds} checkpoints"),
            field=field,
            column=field,
            kinds=kinds,
        )

    if kind == CheckpointKind.SWITCH:
        if state not in SWITCH_STATES:
            raise ValidationError(
                N_("A switch checkpoint expects the state on or off"), field="expected_state"
            )
        if due and not _HHMM.match(due):
            raise ValidationError(
                N_("Not a time of day (HH:MM): {text}"), field="due_time", text=due
            )
    else:
        if state:
            raise only_for("expected_state", CheckpointKind.SWITCH)
        if due:
            raise only_for("due_time", CheckpointKind.SWITCH)
    if kind == CheckpointKind.READING:
        for field, value in (("range_min", low), ("range_max", high)):
            if value is not None and not math.isfinite(value):
                raise ValidationError(N_("not a number"), field=field)
            if value is not None:
                bounds.reading(value, field)
        if low is not None and high is not None and low > high:
            raise ValidationError(N_("The range minimum is above the maximum"), field="range_max")
    elif low is not None or high is not None:
        raise only_for("range_min" if low is not None else "range_max", CheckpointKind.READING)
    if kind == CheckpointKind.COUNT:
        if count is None:
            raise ValidationError(
                N_("A count checkpoint needs the number expected"), field="expected_count"
            )
        if count < 0:
            raise ValidationError(
                N_("The number expected cannot be negative"), field="expected_count"
            )
        bounds.whole(count, "expected_count", 0, bounds.PEOPLE_MAX)
    elif count is not None:
        raise only_for("expected_count", CheckpointKind.COUNT)
    if unit and kind not in (CheckpointKind.READING, CheckpointKind.COUNT):
        raise only_for("unit", "reading or count")
    return replace(
        spec,
        code=code,
        name=name,
        name_en=spec.name_en.strip(),
        area=spec.area.strip(),
        kind=kind,
        expected_state=state,
        due_time=due,
        unit=unit,
    )


# --- queries ------------------------------------------------------------------------


def list_checkpoints(desk_id: int, include_inactive: bool = False) -> list[CheckpointInfo]:
    """The desk's checkpoints in walking order."""
    q = Checkpoint.select().where(Checkpoint.desk == desk_id)
    if not include_inactive:
        q = q.where(Checkpoint.active == True)  # noqa: E712
    return [info(c) for c in q.order_by(Checkpoint.position, Checkpoint.code)]


def _row(checkpoint_id: int) -> Any:
    row = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
    if row is None:
        raise NotFound(N_("No such checkpoint"))
    return row


def get(checkpoint_id: int) -> CheckpointInfo:
    return info(_row(checkpoint_id))


# --- changes ------------------------------------------------------------------------


def _values(spec: CheckpointSpec) -> dict[str, Any]:
    return {f.name: getattr(spec, f.name) for f in fields(CheckpointSpec)}


def _save(actor: Actor, desk_id: int, spec: CheckpointSpec) -> tuple[Checkpoint, bool]:
    """Insert or update by code (inside the caller's transaction); True when new."""
    row = Checkpoint.get_or_none((Checkpoint.desk == desk_id) & (Checkpoint.code == spec.code))
    new = _values(spec)
    if row is None:
        row = Checkpoint.create(desk=desk_id, **new)
        audit.record(actor, "checkpoint.create", "checkpoint", row.id, new=new)
        return row, True
    old = _values(info(row).spec())
    if old != new:
        for key, value in new.items():
            setattr(row, key, value)
        row.save()
        audit.record_change(actor, "checkpoint.update", "checkpoint", row.id, old, new)
    return row, False


def add_checkpoint(actor: Actor, desk_id: int, spec: CheckpointSpec) -> CheckpointInfo:
    """A new checkpoint at the desk (supervisor only); its code must be new there."""
    spec = validate(spec)
    with write():
        actor.require_role()
        if (
            Checkpoint.select()
            .where((Checkpoint.desk == desk_id) & (Checkpoint.code == spec.code))
            .exists()
        ):
            raise ValidationError(
                N_("Checkpoint code {code} is taken at this desk"), field="code", code=spec.code
            )
        row, _ = _save(actor, desk_id, spec)
    return info(row)


def update_checkpoint(actor: Actor, checkpoint_id: int, spec: CheckpointSpec) -> CheckpointInfo:
    """Edit a checkpoint (supervisor only). Past checks keep what they recorded."""
    spec = validate(spec)
    with write():
        actor.require_role()
        row = _row(checkpoint_id)
        if (
            spec.code != row.code
            and Checkpoint.select()
            .where((Checkpoint.desk == row.desk_id) & (Checkpoint.code == spec.code))
            .exists()
        ):
            raise ValidationError(
                N_("Checkpoint code {code} is taken at this desk"), field="code", code=spec.code
            )
        old = _values(info(row).spec())
        new = _values(spec)
        for key, value in new.items():
            setattr(row, key, value)
        row.save()
        audit.record_change(actor, "checkpoint.update", "checkpoint", row.id, old, new)
    return info(row)


def set_row_active(actor: Actor, row: Any, active: bool, table: str) -> None:
    """Deactivate or reactivate a checkpoint or a schedule row (inside the caller's
    transaction); audited as ``<table>.active`` when it changes."""
    if row.active == active:
        return
    row.active = active
    row.save()
    audit.record(
        actor, f"{table}.active", table, row.id, old={"active": not active}, new={"active": active}
    )


def set_active(actor: Actor, checkpoint_id: int, active: bool) -> None:
    """Deactivate (no longer in new rounds) or reactivate a checkpoint."""
    with write():
        actor.require_role()
        set_row_active(actor, _row(checkpoint_id), active, "checkpoint")
