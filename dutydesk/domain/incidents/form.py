"""The incident form (SE-4): what it holds, its drafts, and every check of its fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import arrow

from dutydesk.domain import bounds
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import blank, moment, required, typed
from dutydesk.domain.incidents._helpers import (
    Check,
    _choice,
    _desk_kind,
    _from_draft,
    _run,
    _to_draft,
)
from dutydesk.domain.incidents.category_tree import _find_category, seed_categories
from dutydesk.domain.incidents.enums import SEVERITIES, STATUSES, IncidentStatus, Severity
from dutydesk.domain.incidents.notifications import (
    NotificationFields,
    _as_notification,
    _notification_checks,
)
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import Checkpoint


@dataclass
class IncidentFields:
    """What the incident form holds (also the shape of its draft)."""

    place: str = ""
    category: str = ""
    subcategory: str = ""
    description: str = ""
    occurred_at: arrow.Arrow | None = None  # None: now
    people_count: int | str | None = 0
    people_involved: str = ""  # who: names, descriptions (SE-4)
    characteristics: str = ""
    actions: str = ""
    result: str = ""
    status: str = IncidentStatus.OPEN
    severity: str = Severity.NORMAL
    checkpoint_id: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> IncidentFields:
        """From a form dict or a draft (:meth:`to_draft`); unknown keys are ignored."""
        return cls(**_from_draft(cls, data, "occurred_at"))

    def to_draft(self) -> dict[str, Any]:
        """Plain JSON values for :mod:`dutydesk.domain.drafts`."""
        return _to_draft(self, "occurred_at")


def _as_fields(value: IncidentFields | Mapping[str, Any]) -> IncidentFields:
    return value if isinstance(value, IncidentFields) else IncidentFields.from_mapping(value)


def fields_from_checkpoint(actor: Actor, checkpoint_id: int, note: str = "") -> IncidentFields:
    """The form opened from a problem found on patrol or an equipment fault (EN-8.3.2):
    place and checkpoint filled in, the patrol note as what happened."""
    cp: Checkpoint | None = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
    if cp is None:
        raise NotFound(N_("No such checkpoint"))
    return IncidentFields(
        place=_checkpoint_place(cp), checkpoint_id=cp.id, description=note, occurred_at=actor.now()
    )


def _checkpoint_place(cp: Checkpoint) -> str:
    name = pick(cp.name, cp.name_en)
    return f"{cp.area} {name}".strip() if cp.area and cp.area not in name else name


def desk_areas(desk_id: int) -> list[str]:
    """The areas of the desk's checkpoints, offered as places on the form (free text ok)."""
    rows = (
        Checkpoint.select(Checkpoint.area)
        .where((Checkpoint.desk == desk_id) & (Checkpoint.area != ""))
        .distinct()
        .order_by(Checkpoint.area)
    )
    return [str(a) for (a,) in rows.tuples()]


@dataclass(frozen=True)
class _Valid:
    occurred_at: arrow.Arrow
    place: str
    category: str
    subcategory: str
    people_count: int
    description: str
    status: IncidentStatus
    severity: Severity
    checkpoint_id: int | None


def _people_count(value: Any) -> int:
    return bounds.people(value, "people_count")


def _checks(actor: Actor, desk_kind: str, f: IncidentFields) -> Iterable[Check]:
    """Each field check in form order; a check raises ValidationError or returns a value."""
    yield lambda: moment(
        actor, f.occurred_at, "occurred_at", N_("The time it happened cannot be in the future")
    )
    yield lambda: required(f.place, "place", N_("Enter the place"))
    yield lambda: _category(desk_kind, f.category, f.subcategory)
    yield lambda: _people_count(f.people_count)
    yield lambda: required(f.description, "description", N_("Describe what happened"))
    yield lambda: bounds.text(f.place, "place")
    yield lambda: bounds.text(f.description, "description")
    yield lambda: bounds.text(f.characteristics, "characteristics")
    yield lambda: bounds.text(f.actions, "actions")
    yield lambda: bounds.text(f.result, "result")
    yield lambda: _choice(f.status, STATUSES, "status", N_("Choose a status from the list"))
    yield lambda: _choice(f.severity, SEVERITIES, "severity", N_("Choose a severity from the list"))
    yield (
        lambda: (
            required(f.result, "result", N_("Enter the result before closing the incident"))
            if f.status == IncidentStatus.RESOLVED
            else None
        )
    )


def _category(desk_kind: str, code: Any, sub: Any) -> None:
    if blank(code):
        raise ValidationError(N_("Choose the nature of the incident"), field="category")
    top = _find_category(desk_kind, typed(code))
    if top is None or top.parent_id is not None or not top.active:
        raise ValidationError(N_("Choose a nature from the list"), field="category")
    if not blank(sub):
        child = _find_category(desk_kind, typed(sub))
        if child is None or child.parent_id != top.id or not child.active:
            raise ValidationError(
                N_("Choose a detail of this nature from the list"), field="subcategory"
            )


def check_incident(
    actor: Actor,
    incident: IncidentFields | Mapping[str, Any],
    notifications: Sequence[NotificationFields | Mapping[str, Any]] = (),
) -> list[ValidationError]:
    """Every field problem of the form at once (the message goes beside each field).

    Notification fields are named ``notifications.<n>.<field>``. Empty: it can be
    saved as far as its fields go (the CS6 rule is checked on saving).
    """
    desk_id, _staff = actor.require_login()
    seed_categories(actor)
    f = _as_fields(incident)
    problems = _run(_checks(actor, _desk_kind(desk_id), f))
    occurred = f.occurred_at if isinstance(f.occurred_at, arrow.Arrow) else None
    for i, n in enumerate(notifications):
        problems += _run(
            _notification_checks(actor, _as_notification(n), occurred, f"notifications.{i}.")
        )
    return problems


def _validated(
    actor: Actor, f: IncidentFields, notifications: Sequence[NotificationFields]
) -> _Valid:
    problems = check_incident(actor, f, notifications)
    if problems:
        raise problems[0]
    if f.checkpoint_id is not None:
        cp = Checkpoint.get_or_none(Checkpoint.id == f.checkpoint_id)
        if cp is None:
            raise ValidationError(N_("No such checkpoint"), field="checkpoint_id")
    return _Valid(
        occurred_at=f.occurred_at or actor.now(),
        place=typed(f.place),
        category=typed(f.category),
        subcategory=typed(f.subcategory),
        people_count=_people_count(f.people_count),
        description=typed(f.description),
        status=IncidentStatus(f.status),
        severity=Severity(f.severity),
        checkpoint_id=f.checkpoint_id,
    )
