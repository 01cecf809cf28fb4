"""What the list-and-detail screens (incidents, repair requests, logs, reports and
search) share: the screen around their paged table
(:class:`dutydesk.widgets.tables.PagedTable`), the read-only page of one record,
and the days of a list's filter."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from dutydesk.errors import ValidationError
from dutydesk.i18n import N_
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.banner import AlertBanner
from dutydesk.widgets.deskbar import DeskBar
from dutydesk.widgets.form import FormField, FormKeyBar
from dutydesk.widgets.tables import PagedTable

ItemT = TypeVar("ItemT")


class ReloadingScreen(DeskScreen):
    """A desk screen that loads again whenever it comes back (from a form, a record,
    another F-key): :meth:`reload` runs on a resume that follows a suspend."""

    # Only after a suspend: Textual posts ScreenResume twice when a mode's screen is
    # first shown, and on_mount loads it already.
    _suspended = False

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._suspended and self.loaded_once():
            self._suspended = False
            self.reload()

    def loaded_once(self) -> bool:
        """Whether the first load has happened (a screen may wait for it)."""
        return True

    def reload(self) -> None:
        raise NotImplementedError


class ListScreen(ReloadingScreen, Generic[ItemT]):
    """A desk screen around one :class:`PagedTable` of ``ItemT`` rows: the table has
    the focus from the start (the screen's own keys work at once), the page loads
    once the table is laid out, and again whenever the screen comes back (from a
    form, a record, another F-key)."""

    @property
    def table(self) -> PagedTable[ItemT]:
        return self.query_one(PagedTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.call_after_refresh(self.reload)

    @property
    def desk(self) -> Any:
        """The desk this kiosk serves; None until the site is set up."""
        return getattr(self.app, "desk", None)

    def reload(self) -> None:
        """Load the page the table is on, of this desk (none before there is one)."""
        desk = self.desk
        if desk is not None and self.is_mounted:
            self.load(desk.id, str(self.kiosk.clock.tz))

    def load(self, desk_id: int, tz: str) -> None:
        """Fill the table with the page it is on: :meth:`PagedTable.begin`, rows,
        :meth:`PagedTable.loaded`."""

    def refresh_language(self) -> None:
        """Ctrl+T: the bars, the headers and the cells again in the new language."""
        self.reload()

    def first_page(self) -> None:
        """Back to the list's first page, loaded."""
        self.table.first_page()
        self.reload()

    def selected(self) -> ItemT | None:
        """The item under the cursor."""
        return self.table.selected()


class DetailScreen(Screen[None]):
    """One record, read-only: its title, its details scrolling, and the keys of the
    subclass (Esc goes back). ``NAME`` names the parts: ``#<NAME>-title`` and
    ``#<NAME>-<BODY>``."""

    NAME: ClassVar[str] = "record"
    BODY: ClassVar[str] = "details"
    # The details take the focus (their scroll keys work at once).
    FOCUS_DETAILS: ClassVar[bool] = False

    def compose(self) -> ComposeResult:
        yield DeskBar()
        yield AlertBanner()  # read-only mode, a wrong clock: on every screen
        yield Static(id=f"{self.NAME}-title")
        with VerticalScroll():
            yield Static(id=f"{self.NAME}-{self.BODY}", markup=False)
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.reload()
        if self.FOCUS_DETAILS:
            self.query_one(VerticalScroll).focus()

    def title_text(self) -> Text:
        return Text()

    def details(self) -> Text:
        return Text()

    def reload(self) -> None:
        """Show the record (again: after a key changed it)."""
        self.query_one(f"#{self.NAME}-title", Static).update(self.title_text())
        self.query_one(f"#{self.NAME}-{self.BODY}", Static).update(self.details())
        self.refresh_bindings()

    def refresh_language(self) -> None:
        """Ctrl+T: the record and its banner again in the new language."""
        self.reload()
        self.refresh_live()

    @property
    def kiosk(self) -> Any:
        """The DutyDesk app (typed loosely, as :attr:`DeskScreen.kiosk`)."""
        return self.app

    @property
    def tz(self) -> str:
        return str(self.kiosk.clock.tz)

    def action_back(self) -> None:
        self.dismiss(None)

    def refresh_live(self) -> None:
        for bar in self.query(DeskBar):
            bar.refresh()
        for banner in self.query(AlertBanner):
            banner.refresh_alerts()


# --- a list's filter: from day, to day --------------------------------------------------

DAY_FIELDS: tuple[FormField, ...] = (
    FormField("day_from", N_("From day"), placeholder="YYYY-MM-DD"),
    FormField("day_to", N_("To day"), placeholder="YYYY-MM-DD"),
)


def parse_day(text: str, field: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` filter day; empty gives None."""
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(N_("Enter the day as YYYY-MM-DD"), field=field) from None


def parse_days(values: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The filter's first and last day (either may be open), the last not before the first."""
    start = parse_day(values["day_from"], "day_from")
    end = parse_day(values["day_to"], "day_to")
    if start and end and end < start:
        raise ValidationError(N_("The last day must not be before the first"), field="day_to")
    return start, end
