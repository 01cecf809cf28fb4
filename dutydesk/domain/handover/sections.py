"""The shift's record a handover shows and signs: :class:`HandoverSections`.

One shape for everyone who reads or writes it: the domain builds it from the
shift (:func:`dutydesk.domain.handover.content.build_sections`), the signed
content stores it as plain JSON (:meth:`HandoverSections.to_plain`), and the
screen, the CLI, the printed record and the demo read it back with
:meth:`HandoverSections.from_plain`. Instants are kept as the UTC ISO text the
canonical JSON holds, so what is shown is exactly what was hashed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dutydesk.domain import canonical


@dataclass(frozen=True)
class DutyLine:
    """A duty-log entry of the shift (corrected entries are left out)."""

    id: int
    at: str
    kind: str
    text: str
    result: str
    by: str  # the author's staff number


@dataclass(frozen=True)
class SkippedCheck:
    checkpoint: str
    note: str


@dataclass(frozen=True)
class RoundLine:
    """A patrol round of the shift, with the checks skipped and those never checked."""

    id: int
    name: str
    due_at: str
    state: str
    reason: str
    skipped: tuple[SkippedCheck, ...] = ()
    missed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadingLine:
    """A reading out of range."""

    id: int
    text: str
    at: str
    note: str


@dataclass(frozen=True)
class ToolLine:
    """A line of the tools-and-keys register (EN-8.3.6)."""

    name: str
    quantity: int


@dataclass(frozen=True)
class KeyLine:
    """A key lent out."""

    id: int
    key: str
    borrower: str
    out_at: str


def _rows(data: Mapping[str, Any], key: str) -> Sequence[Mapping[str, Any]]:
    rows = data.get(key)
    return rows if isinstance(rows, list | tuple) else []


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class HandoverSections:
    """The shift's record: duty log, patrols, readings, register, keys out."""

    duty_log: tuple[DutyLine, ...] = ()
    patrol: tuple[RoundLine, ...] = ()
    readings: tuple[ReadingLine, ...] = ()
    tools: tuple[ToolLine, ...] = ()
    keys_out: tuple[KeyLine, ...] = ()

    def to_plain(self) -> dict[str, Any]:
        """The JSON form stored in a signed handover's content (canonical round trip)."""
        plain: dict[str, Any] = json.loads(canonical.dumps(dataclasses.asdict(self)))
        return plain

    @classmethod
    def from_plain(cls, data: Mapping[str, Any] | None) -> HandoverSections:
        """Read the JSON form back; a missing part (an older record) reads as empty."""
        if not data:
            return cls()
        return cls(
            duty_log=tuple(
                DutyLine(
                    int(e.get("id") or 0),
                    _text(e, "at"),
                    _text(e, "kind"),
                    _text(e, "text"),
                    _text(e, "result"),
                    _text(e, "by"),
                )
                for e in _rows(data, "duty_log")
            ),
            patrol=tuple(
                RoundLine(
                    int(r.get("id") or 0),
                    _text(r, "name"),
                    _text(r, "due_at"),
                    _text(r, "state"),
                    _text(r, "reason"),
                    tuple(
                        SkippedCheck(_text(s, "checkpoint"), _text(s, "note"))
                        for s in _rows(r, "skipped")
                    ),
                    tuple(str(m) for m in _rows(r, "missed")),
                )
                for r in _rows(data, "patrol")
            ),
            readings=tuple(
                ReadingLine(
                    int(r.get("id") or 0), _text(r, "text"), _text(r, "at"), _text(r, "note")
                )
                for r in _rows(data, "readings")
            ),
            tools=tuple(
                ToolLine(_text(t, "name"), int(t.get("quantity") or 0))
                for t in _rows(data, "tools")
            ),
            keys_out=tuple(
                KeyLine(
                    int(k.get("id") or 0),
                    _text(k, "key"),
                    _text(k, "borrower"),
                    _text(k, "out_at"),
                )
                for k in _rows(data, "keys_out")
            ),
        )
