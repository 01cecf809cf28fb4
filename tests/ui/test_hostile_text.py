"""User text is data: every input of every F6 form takes markup, ESC
sequences, 10,000 characters, emoji and mixed Chinese, stores them byte for byte
and shows them literally — no markup, no links, no control codes, no crash.

One app run per form: each hostile string goes into ALL text inputs of the form that
take it (one save per string). Values beyond an input's bounds (a name over 64
characters or with control codes, a text over 4,000) are refused with a message
instead: tests/unit/test_bounds.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Static

from dutydesk.app import DutyDeskApp
from dutydesk.domain import bounds, formkit, logs
from dutydesk.errors import ValidationError
from dutydesk.screens.logs import FORMS, LogTable
from dutydesk.widgets.literal import clean
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, screen_text

TYPED = ["[bold]x", "[link=https://x]a[/link]", "[/]"]
PASTED = ["\x1b[31mred", "0123456789" * 1000, "🚒 fire truck", "值班 mixed 中文 text"]

TEXT_INPUTS = [
    (kind, f.name) for kind, fields in FORMS.items() for f in fields if f.kind in ("text", "area")
]


def _focus_index(kind: str, name: str) -> int:
    return [f.name for f in FORMS[kind]].index(name)


async def _move(pilot: Any, kind: str, here: str, there: str) -> None:
    steps = _focus_index(kind, there) - _focus_index(kind, here)
    if steps:
        await pilot.press(*["tab" if steps > 0 else "shift+tab"] * abs(steps))


async def _type(pilot: Any, text: str) -> None:
    """Type ``text`` key by key, the keys arriving back to back as from a fast typist:
    the same key events Pilot.press sends (same key names), but one wait at the end
    instead of ~50 ms after every key, which made this file take minutes."""
    for ch in text:
        pilot.app.post_message(events.Key(_character_to_key(ch), ch))
    await pilot.pause()


async def _enter(pilot: Any, app: Any, value: str) -> None:
    if value in TYPED:
        await _type(pilot, value)
    else:  # a paste, as the terminal delivers it (Ctrl+V from the clipboard)
        app.copy_to_clipboard(value)
        await pilot.press("ctrl+v")


def _stored(entry: logs.LogEntry, name: str) -> str:
    return str(entry.values[name])


def _inputs(kind: str) -> list[str]:
    return [name for k, name in TEXT_INPUTS if k == kind]


def _takes(name: str, value: str) -> bool:
    """Is ``value`` within the bounds of input ``name``? (A phone number takes only
    digits and + - ( ), so hostile text never reaches that field.)"""
    try:
        bounds.text(value, name)
        if name == "number":
            formkit.phone(value, name)
    except ValidationError:
        return False
    return True


# The inputs a new entry cannot be saved without.
REQUIRED = {
    "phone": {"content"},
    "visitor": {"name"},
    "absence": {"reason"},
    "key": {"key_name", "borrower"},
    "switching": {"what", "operator"},
    "discipline": {"names", "text"},
    "duty": {"text"},
}


# Switching operations exist only at an engineering desk; the other logs at the guard's.
DESKS = {
    "security": ("G01", [k for k in FORMS if k != "switching" and _inputs(k)]),
    "engineering": ("E01", ["switching"]),
}


@pytest.mark.parametrize("desk_name", list(DESKS))
async def test_hostile_text_in_every_input(site, desk_name):
    desk = getattr(site, desk_name)
    staff_no, kinds = DESKS[desk_name]
    app = DutyDeskApp(clock=site.clock, desk_code=desk.code, cli_lang="en", lock_after=180)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, staff_no, PIN)
        await pilot.press("f6")
        await pilot.pause()
        for kind in kinds:
            await pilot.press(str(logs.kinds_for_desk(desk.kind).index(kind) + 1))
            await pilot.pause()
            for value in TYPED + PASTED:
                await _save_everywhere(pilot, app, desk.id, kind, value)


async def _save_everywhere(pilot: Any, app: Any, desk_id: int, kind: str, value: str) -> None:
    """A new ``kind`` entry with ``value`` in every text input: stored byte for byte,
    shown literally in the list and in the opened entry."""
    names = [name for name in _inputs(kind) if _takes(name, value)]
    if not REQUIRED.get(kind, set()) <= set(names):
        return  # the form cannot take this value where it must have one
    labels = {f.name: f.label for f in FORMS[kind]}
    await pilot.press("n")
    await pilot.pause()
    here = logs.main_field(kind)
    for name in names:
        await _move(pilot, kind, here, name)
        here = name
        if name == "operator":
            await pilot.press("ctrl+u")  # replace the prefilled name
        await _enter(pilot, app, value)
    await pilot.press("ctrl+s")
    await pilot.pause()
    newest = logs.list_entries(kind, desk_id=desk_id, limit=1).entries[0]
    table = app.screen.query_one(LogTable)
    for name in names:
        where = f"{kind}.{name} {value[:30]!r}"
        assert _stored(newest, name) == value, where  # byte for byte
        # The list shows it literally: a Text, never parsed as markup.
        cell = table.get_cell(str(newest.id), name)
        assert isinstance(cell, Text)
        assert cell.plain == clean(value)[: len(cell.plain) - 1] + "…" or (
            cell.plain == clean(value)
        ), where
        assert not cell.spans, where
    # Opened, the entry shows the text as typed (control codes made visible).
    await pilot.press("enter")
    await pilot.pause()
    details = app.screen.query_one("#entry-details", Static).content
    assert isinstance(details, Text)
    shown = screen_text(app)
    assert clean(value)[:20] in shown
    assert "\x1b" not in shown
    for name in names:
        where = f"{kind}.{name} {value[:30]!r}"
        head = f"{labels[name]}: "
        at = details.plain.index(head + clean(value)) + len(head)
        # No style inside the value: only the labels are bold.
        end = at + len(clean(value))
        assert not [s for s in details.spans if s.start < end and s.end > at], where
        if len(value) < 40:  # short enough to be on screen in full, in every input
            assert head + clean(value) in shown, where
    await pilot.press("escape")
    await pilot.pause()
