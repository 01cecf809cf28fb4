"""The DutyDesk Textual app (stub; the kiosk issue fills it in)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from dutydesk.clock import Clock


def stylesheet_path() -> Path:
    """``screens.tcss``: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).parent
    for candidate in (here / "screens.tcss", here.parent / "screens.tcss"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("screens.tcss")


class DutyDeskApp(App[int]):
    CSS_PATH = str(stylesheet_path())

    def __init__(self, *, clock: Clock, desk_code: str | None, cli_lang: str | None,
                 lock_after: int) -> None:
        super().__init__()
        self.clock = clock
        self.desk_code = desk_code
        self.cli_lang = cli_lang
        self.lock_after = lock_after

    def compose(self) -> ComposeResult:
        yield Static("DutyDesk")
