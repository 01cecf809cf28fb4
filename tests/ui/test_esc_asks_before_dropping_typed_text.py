"""Esc in a dialog with text typed asks "Drop what you typed?" first (docs/keys.md:
a form with unsaved input asks before it closes); an empty one closes at once, and
a staff-number-and-PIN prompt never asks."""

from __future__ import annotations

from typing import Any

from dutydesk.screens.dialogs import ConfirmDialog, PromptDialog, QuitDialog
from dutydesk.screens.dialogs.handover import NotesDialog
from tests.helpers.ui import SIZE, make_app, type_text


async def _drive(site: Any, dialog: Any, *keys: str, text: str = "") -> tuple[list[Any], Any]:
    got: list[Any] = []
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(dialog, got.append)
        await pilot.pause()
        if text:
            await type_text(pilot, text)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        top = type(app.screen)
    return got, top


async def test_esc_after_typing_asks_and_no_keeps_the_text(site):
    got, top = await _drive(site, PromptDialog("Why?"), "escape", text="gate stuck")
    assert got == [] and top is ConfirmDialog  # asked, nothing dropped yet
    got, top = await _drive(site, PromptDialog("Why?"), "escape", "n", "enter", text="gate stuck")
    assert got == ["gate stuck"]  # "No": back in the prompt with the text, Enter gives it


async def test_esc_after_typing_then_yes_drops_it(site):
    got, _top = await _drive(site, PromptDialog("Why?"), "escape", "y", text="gate stuck")
    assert got == [None]


async def test_esc_on_an_empty_prompt_closes_at_once(site):
    got, _top = await _drive(site, PromptDialog("Why?"), "escape")
    assert got == [None]


async def test_a_staff_number_and_pin_prompt_closes_without_asking(site):
    got, _top = await _drive(site, QuitDialog(), "escape", text="S01")
    assert got == [None]


async def test_handover_notes_typed_then_esc_ask_first(site):
    got, top = await _drive(site, NotesDialog(0, "Gate 2 lamp out"), "escape", text=" again")
    assert got == [] and top is ConfirmDialog
    got, _top = await _drive(site, NotesDialog(0, "Gate 2 lamp out"), "escape")
    assert got == [None]  # nothing changed: back at once
