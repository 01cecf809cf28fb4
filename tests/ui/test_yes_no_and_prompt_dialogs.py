"""The one yes/no and the one-line prompt of the dialogs package: typed results,
Enter on the yes/no presses the focused button (No unless asked otherwise), an
empty required answer is refused beside the field; the old import paths still work."""

from __future__ import annotations

from typing import Any

from dutydesk.screens import dialogs
from dutydesk.screens.dialogs import ConfirmDialog, PromptDialog
from dutydesk.widgets import form
from tests.helpers.ui import SIZE, make_app, screen_text, type_text


def test_old_import_paths_name_the_same_dialogs():
    assert form.ConfirmDialog is dialogs.ConfirmDialog
    assert form.PromptDialog is dialogs.PromptDialog
    assert form.FormScreen is dialogs.FormScreen


async def _answer(site: Any, dialog: Any, *keys: str, text: str = "") -> list[Any]:
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
    return got


async def test_enter_on_the_yes_no_answers_no_by_default(site):
    assert await _answer(site, ConfirmDialog("Remove it?"), "enter") == [False]
    assert await _answer(site, ConfirmDialog("Remove it?", default=True), "enter") == [True]


async def test_y_n_and_esc_answer_the_yes_no(site):
    assert await _answer(site, ConfirmDialog("Remove it?"), "y") == [True]
    assert await _answer(site, ConfirmDialog("Remove it?"), "escape") == [False]


async def test_prompt_gives_the_text_or_none(site):
    assert await _answer(site, PromptDialog("Why?"), "enter", text="gate stuck") == ["gate stuck"]
    assert await _answer(site, PromptDialog("Why?"), "escape") == [None]
    assert await _answer(site, PromptDialog("Why?", required=False), "enter") == [""]


async def test_an_empty_required_prompt_is_refused_beside_the_field(site):
    app = make_app(site)
    got: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(PromptDialog("Why?"), got.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog) and "Fill this in" in screen_text(app)
        await type_text(pilot, "late")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert got == ["late"]
