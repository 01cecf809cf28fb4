"""The pieces of the kiosk's forms: field descriptions, time fields, yes/no boxes.

:class:`FormField` describes one labelled input; ``parse_time`` / ``format_time``
read and show the time fields (``YYYY-MM-DD HH:MM`` or ``HH:MM`` in the site's
zone); :class:`YesNoCheckbox` reads 是/否 (Yes/No) in plain text. The full-screen
form built from them is :class:`dutydesk.screens.dialogs.form.FormScreen`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import arrow
from textual.content import Content
from textual.dom import NoScreen
from textual.widgets import Checkbox, Label

from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.widgets.keybar import KeyBar

# Seconds of quiet after a change before the draft is written.
DRAFT_DELAY = 1.0

DRAFT_KEPT = N_("Your draft is kept: press Ctrl+S to try again.")

TIME_FORMAT = "YYYY-MM-DD HH:mm"
# The forms a time field takes, parsed by arrow (M, D and H take one or two digits).
FULL_FORMAT = "YYYY-M-D H:mm"
SHORT_FORMAT = "H:mm"


@dataclass(frozen=True)
class FormField:
    """One labelled input of a form.

    ``kind``: ``text`` (one line), ``area`` (several lines), ``choice`` (a
    list; ``choices`` are ``(value, label msgid)`` pairs), ``check`` (yes/no)
    or ``time`` (``YYYY-MM-DD HH:MM`` or ``HH:MM`` in the site's zone).
    ``label`` is an English msgid, translated when shown.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""


def format_time(value: arrow.Arrow | None, tz: str) -> str:
    """An instant as the time fields show it: ``YYYY-MM-DD HH:MM`` in ``tz``."""
    return value.to(tz).format(TIME_FORMAT) if value is not None else ""


def parse_time(text: str, now: arrow.Arrow, field: str) -> arrow.Arrow | None:
    """A time field's text as an instant in ``now``'s zone; empty gives None.

    ``HH:MM`` means today; if that is more than a minute ahead, the desk means
    yesterday (an entry written just after midnight about 23:50).
    """
    flat = " ".join(text.replace("T", " ").split())
    if not flat:
        return None
    full = " " in flat
    try:
        parsed = arrow.get(flat, FULL_FORMAT if full else SHORT_FORMAT, tzinfo=now.tzinfo)
    except (ValueError, arrow.parser.ParserError):
        parsed = None
    # arrow finds a format inside longer text and rolls 24:00 over: the numbers
    # typed must be exactly the ones parsed.
    tokens = flat.replace("-", " ").replace(":", " ").split()
    typed = [int(x) for x in tokens] if all(x.isdigit() for x in tokens) else []
    if (
        parsed is not None
        and full
        and typed
        == [
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
        ]
    ):
        return parsed
    if parsed is not None and not full and typed == [parsed.hour, parsed.minute]:
        value = now.replace(hour=parsed.hour, minute=parsed.minute, second=0, microsecond=0)
        if value > now.shift(minutes=1):
            value = value.shift(days=-1)
        return value
    raise ValidationError(N_("Enter the time as YYYY-MM-DD HH:MM or HH:MM"), field=field)


class FormKeyBar(KeyBar):
    """The key bar of a screen that is dismissed soon after it changes its keys."""

    def update_keys(self) -> None:
        # A refresh queued just before the screen closed must not touch it afterwards.
        if self.is_attached and self.parent is not None:
            with contextlib.suppress(NoScreen):
                super().update_keys()


def widget_id(name: str) -> str:
    """The id of the input of form field ``name``."""
    return f"field-{name}"


class YesNoCheckbox(Checkbox):
    """A yes/no field whose state reads in plain text, not only in colour.

    Textual's Checkbox draws the same ``X`` ticked or not (only the colour changes),
    so on a monochrome terminal an unticked box reads as "yes". Here the box holds
    ``X`` only when ticked, and the label says 是/否 (Yes/No) and follows Space.
    """

    def __init__(self, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(self._word(value), value, id=id)

    @staticmethod
    def _word(value: bool) -> str:
        return _("Yes") if value else _("No")

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button

    def watch_value(self) -> None:
        super().watch_value()
        self.label = self._word(self.value)


class FieldLabel(Label):
    """The label in front of an input."""
