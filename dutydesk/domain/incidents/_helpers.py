"""Small pieces the incident modules share: drafts, choices, the checks runner, finding
the incident's row and its desk's kind (the checks shared with other features are in
:mod:`dutydesk.domain.formkit`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import arrow

from dutydesk.domain import canonical
from dutydesk.domain.formkit import found, known_fields
from dutydesk.domain.patterns import DeskKind
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Desk, Incident

# A field check: raises ValidationError or returns the value it checked.
Check = Callable[[], object]


def _from_draft_instant(value: Any) -> Any:
    """A draft's canonical instant string back to arrow; anything else as it is."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return arrow.get(value)
        except (arrow.parser.ParserError, ValueError):
            return value
    return value


def _from_draft(cls: type, data: Mapping[str, Any], time_field: str) -> dict[str, Any]:
    """A form dataclass's values from a form dict or a draft: unknown keys dropped, the
    time field's canonical text back to arrow."""
    values = known_fields(cls, data)
    values[time_field] = _from_draft_instant(values.get(time_field))
    return values


def _to_draft(form: Any, time_field: str) -> dict[str, Any]:
    """Plain JSON values of a form dataclass for :mod:`dutydesk.domain.drafts`."""
    value = getattr(form, time_field)
    when = canonical.instant(value) if isinstance(value, arrow.Arrow) else value
    return {**asdict(form), time_field: when}


def _choice(value: Any, allowed: Sequence[str], field_name: str, msgid: str) -> str:
    if value not in allowed:
        raise ValidationError(msgid, field=field_name)
    return str(value)


def _run(checks: Iterable[Check]) -> list[ValidationError]:
    """Every check's problem, the first one per field."""
    problems: list[ValidationError] = []
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            if not any(p.field == exc.field for p in problems):
                problems.append(exc)
    return problems


def _desk_kind(desk_id: int) -> str:
    kind = Desk.select(Desk.kind).where(Desk.id == desk_id).scalar()
    return str(kind or DeskKind.SECURITY)


def _row(incident_id: int) -> Incident:
    row: Incident | None = Incident.get_or_none(Incident.id == incident_id)
    return found(row, N_("No such incident"))
