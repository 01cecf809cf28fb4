"""User text is data (issue 3 §10): every input of every F6 form takes markup, ESC
sequences, 10,000 characters, emoji and mixed Chinese, stores them byte for byte
and shows them literally — no markup, no links, no control codes, no crash."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text

from dutydesk.app import DutyDeskApp
from dutydesk.domain import logs
from dutydesk.screens.logs import FORMS, LogTable
from dutydesk.widgets.literal import clean
from tests.conftest import PIN
from tests.ui.conftest import SIZE, login, screen_text, type_text

TYPED = ["[bold]x", "[link=https://x]a[/link]", "[/]"]
PASTED = ["\x1b[31mred", "0123456789" * 1000, "🚒 fire truck", "值班 mixed 中文 text"]

TEXT_INPUTS = [
    (kind, f.name) for kind, fields in FORMS.items() for f in fields if f.kind in ("text", "area")
]


def _focus_index(kind: str, name: str) -> int:
    return [f.name for f in FORMS[kind]].index(name)


async def _move(pilot: Any, kind: str, here: str, there: str) -> None:
    steps = _focus_index(kind, there) - _focus_index(kind, here)
    for _ in range(abs(steps)):
        await pilot.press("tab" if steps > 0 else "shift+tab")


async def _enter(pilot: Any, app: Any, value: str) -> None:
    if value in TYPED:
        await type_text(pilot, value)
    else:  # a paste, as the terminal delivers it (Ctrl+V from the clipboard)
        app.copy_to_clipboard(value)
        await pilot.press("ctrl+v")


def _stored(entry: logs.LogEntry, name: str) -> str:
    return str(entry.values[name])


@pytest.mark.parametrize(("kind", "name"), TEXT_INPUTS, ids=[f"{k}-{n}" for k, n in TEXT_INPUTS])
async def test_hostile_text_in_every_input(site, kind, name):
    desk = site.engineering if kind == "switching" else site.security
    staff_no = "E01" if kind == "switching" else "G01"
    app = DutyDeskApp(clock=site.clock, desk_code=desk.code, cli_lang="en", lock_after=180)
    digit = str(logs.kinds_for_desk(desk.kind).index(kind) + 1)
    main = logs.main_field(kind)
    required = [
        f.name for f in FORMS[kind] if f.required and f.kind in ("text", "area") and f.name != name
    ]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, staff_no, PIN)
        await pilot.press("f6", digit)
        await pilot.pause()
        for value in TYPED + PASTED:
            await pilot.press("n")
            await pilot.pause()
            here = main
            for other in required:
                if other == "operator":
                    continue  # prefilled with this person
                await _move(pilot, kind, here, other)
                await type_text(pilot, "x")
                here = other
            await _move(pilot, kind, here, name)
            if name == "operator":
                await pilot.press("ctrl+u")  # replace the prefilled name
            await _enter(pilot, app, value)
            await pilot.press("ctrl+s")
            await pilot.pause()
            newest = logs.list_entries(kind, desk_id=desk.id, limit=1).entries[0]
            assert _stored(newest, name) == value  # byte for byte
            # The list shows it literally: a Text, never parsed as markup.
            table = app.screen.query_one(LogTable)
            cell = table.get_cell(str(newest.id), name)
            assert isinstance(cell, Text)
            assert cell.plain == clean(value)[: len(cell.plain) - 1] + "…" or (
                cell.plain == clean(value)
            )
            assert not cell.spans
            # Opened, the entry shows the text as typed (control codes made visible).
            await pilot.press("enter")
            await pilot.pause()
            shown = screen_text(app)
            assert clean(value)[:20] in shown
            assert "\x1b" not in shown
            await pilot.press("escape")
            await pilot.pause()
