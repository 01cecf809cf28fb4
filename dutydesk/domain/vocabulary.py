"""The stored words several features share: a shift's state, a duty-log row's kind,
a handover's state.

A leaf module (it imports nothing of DutyDesk), so that any feature can name these
states without importing the feature that owns them: patrols write duty-log lines
and check the shift is open; the EN-8.6.3 stop of a handover names its states.
The owning modules (``shifts``, ``logs``, ``handover``) re-export them. The values
are the strings stored in the database.
"""

from __future__ import annotations

from enum import StrEnum


class ShiftState(StrEnum):
    """The state of a shift row (the values are the stored strings)."""

    OPEN = "open"
    CLOSED = "closed"


class DutyKind(StrEnum):
    """What a duty-log row (``DutyLogEntry.kind``) records; the values are the database's."""

    DUTY = "duty"
    ABSENCE = "absence"
    DISCIPLINE = "discipline"
    INCIDENT = "incident"  # the line an incident writes (SE-4)
    SYSTEM = "system"


class HandoverState(StrEnum):
    """Where a handover stands (``handover.state``)."""

    DRAFT = "draft"  # in progress
    ABORTED = "aborted"  # stopped by the outgoing or by an incident (EN-8.6.3)
    REFUSED = "refused"  # the incoming refused to take over (EN-8.6.1)
    SIGNED = "signed"  # both signed: from then on the database refuses any change
