"""What a screen may ask of the kiosk app: :class:`KioskContext`.

Screens reach the app through :attr:`dutydesk.screens.base.DeskScreen.kiosk`, typed
as this Protocol, so mypy checks every use; this module never imports the app
(the app imports the screens, not the other way round).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.screen import Screen

    from dutydesk.clock import Clock
    from dutydesk.domain.context import Actor
    from dutydesk.domain.site import DeskInfo
    from dutydesk.domain.staff import StaffInfo


ResultT = TypeVar("ResultT")


class KioskContext(Protocol):
    """The kiosk as the screens behind the F-keys see it.

    Those screens exist only while someone is logged in at a desk (locking removes
    them), so for them ``desk`` and ``staff`` are set. The lock screen and the set-up
    wizard, which run without a person, ask the app itself.
    """

    @property
    def clock(self) -> Clock:
        """The site's clock (``now()`` in the site's zone)."""
        ...

    @property
    def actor(self) -> Actor:
        """Who acts where: this desk and the person logged in."""
        ...

    @property
    def desk(self) -> DeskInfo:
        """The desk this kiosk serves."""
        ...

    @property
    def staff(self) -> StaffInfo:
        """The person logged in."""
        ...

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Callable[[Any], object] | None = None,
        wait_for_dismiss: bool = False,
    ) -> Any:
        """Show a dialog or screen over the current one (Textual's ``push_screen``)."""
        ...

    async def push_screen_wait(self, screen: Screen[ResultT]) -> ResultT:
        """Show a dialog and wait for its result; only from a worker (``@work``)."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A short note in the corner (Textual's ``notify``)."""
        ...

    def bell(self) -> None: ...

    def login(self, person: StaffInfo) -> None:
        """Start ``person``'s session and show the shift screen."""
        ...

    def lock(self, reason: str = "lock") -> None:
        """Save drafts, end the session, show the lock screen."""
        ...
