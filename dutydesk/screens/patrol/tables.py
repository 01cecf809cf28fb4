"""The tables of the F3 screens: their own keys run their screen's actions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from dutydesk.i18n import N_


def relabel(screen: Any, key: str, description: str) -> None:
    """Give ``key``'s binding on ``screen`` another description (a msgid)."""
    # The map's lists are shared with the class: replace the list, never edit it.
    bindings = screen._bindings.key_to_bindings
    if bindings.get(key) and bindings[key][0].description != description:
        bindings[key] = [replace(b, description=description) for b in bindings[key]]


class ScreenKeysTable(DataTable[Any]):
    """A table whose own keys run its screen's actions, asking its own screen (not the
    dialog on top) whether they work, so a covered key bar never shows stale keys."""

    FORWARDED: ClassVar[tuple[str, ...]] = ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.FORWARDED:
            return self.screen.check_action(action, parameters)
        return True

    async def run_forwarded(self, action: str) -> None:
        await self.app.run_action(action, self.screen)


def _list_keys(list_id: str, start_id: str) -> list[BindingType]:
    """Home / End of a list of the checklist, and Enter that starts the round."""
    return [
        Binding("home", "scroll_top", N_("First"), show=False, id=f"{list_id}.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id=f"{list_id}.last"),
        Binding(
            "enter",
            "start_round",
            N_("Start round"),
            id=start_id,
            tooltip=N_("Start the selected round now"),
        ),
    ]


class StartRoundTable(ScreenKeysTable):
    """A list of the checklist whose Enter starts the selected round."""

    FORWARDED = ("start_round",)

    async def action_start_round(self) -> None:
        await self.run_forwarded("start_round")


class RoundTable(StartRoundTable):
    """The shift's rounds; Enter starts the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = _list_keys("patrol.rounds", "patrol.start")
    """Keys of the rounds list: start the selected round."""


class CheckTable(StartRoundTable):
    """The checks of the selected round in walking order; Enter starts the round too."""

    BINDINGS: ClassVar[list[BindingType]] = _list_keys("patrol.checks", "patrol.start_checks")
    """Keys of the checks list: start the round shown."""


class ReadingsTable(ScreenKeysTable):
    """Readings newest first; PgDn / PgUp load the older / newer page from the database."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", N_("First"), show=False, id="oplog.first"),
        Binding("end", "scroll_bottom", N_("Last"), show=False, id="oplog.last"),
        Binding(
            "pagedown",
            "next_page",
            N_("Older"),
            id="oplog.next_page",
            tooltip=N_("The next page of older readings"),
        ),
        Binding(
            "pageup",
            "prev_page",
            N_("Newer"),
            id="oplog.prev_page",
            tooltip=N_("The previous page of newer readings"),
        ),
    ]
    """Keys of the readings list: page through the log."""

    FORWARDED = ("next_page", "prev_page")

    async def action_next_page(self) -> None:
        await self.run_forwarded("next_page")

    async def action_prev_page(self) -> None:
        await self.run_forwarded("prev_page")
