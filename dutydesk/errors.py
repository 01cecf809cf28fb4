"""Errors the duty rules raise.

A message is an English gettext msgid plus named values; the UI and the
command line translate it into the user's language when they show it, so the
core never needs to know who is reading.
"""

from __future__ import annotations

from typing import Any


class DutyDeskError(Exception):
    """Base error: a message id, its values, and optionally a form field and a rule id."""

    def __init__(
        self, msgid: str, *, field: str | None = None, rule: str | None = None, **values: Any
    ) -> None:
        super().__init__(msgid.format(**values) if values else msgid)
        self.msgid = msgid
        self.values = values
        self.field = field
        self.rule = rule

    def translated(self) -> str:
        """The message in the current language."""
        from dutydesk.i18n import gettext

        text = gettext(self.msgid)
        return text.format(**self.values) if self.values else text


class ConfigError(DutyDeskError):
    """Bad command line, database location or site configuration."""


class ValidationError(DutyDeskError):
    """A form value is not acceptable; ``field`` names the input."""


class RuleViolation(DutyDeskError):
    """A duty rule forbids this; ``rule`` names it (see docs/rules.md)."""


class AuthError(DutyDeskError):
    """Wrong staff number or PIN, inactive staff, locked out."""


class NotFound(DutyDeskError):
    """The record asked for does not exist."""


class StorageError(DutyDeskError):
    """The database could not do what was asked; the cause is named (never a traceback).

    Raised by :func:`dutydesk.dbfaults.classify` from SQLite's errors, so the UI
    can say what happened without reading SQLite's English.
    """


class DatabaseBusy(StorageError):
    """Another desk holds the write lock: waiting longer may help."""


class DiskFull(StorageError):
    """The disk (or the database's size limit) is full: the kiosk goes read-only."""


class ReadOnlyDatabase(StorageError):
    """The database file cannot be written: the kiosk goes read-only."""


class DatabaseDamaged(StorageError):
    """The database file is damaged: nothing is written; restore the latest backup."""


class ConnectionLost(DutyDeskError):
    """The site database server cannot be reached; nothing was saved (PostgreSQL)."""
