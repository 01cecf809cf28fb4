"""Keys one at a time, never stuck: the kiosk app's key queue (a mixin of
:class:`dutydesk.app.DutyDeskApp`).

Keys typed fast (a typist, a barcode scanner) are handed to the screen one at a
time: the next waits until every queue of the focused widget's chain has run dry
and any screen the key opened is mounted. A key whose end is never seen releases
the keyboard after ``KEY_STUCK_SECONDS``.
"""

from __future__ import annotations

import time
from collections import deque
from functools import partial
from typing import Any

from textual import events
from textual.app import App

# A key still "in flight" after this long is taken as handled (see hold_key).
KEY_STUCK_SECONDS = 1.5


class KeyQueue(App[int]):
    """The key queue's state and steps; the app calls :meth:`hold_key` for each key."""

    def _init_key_queue(self) -> None:
        self._keys_held: deque[events.Key] = deque()
        self._key_in_flight = False
        self._key_waits = 0
        self._quiet_rounds = 0
        self._key_round = 0
        self._key_since = 0.0  # time.monotonic() when the key in flight went in

    def hold_key(self, event: events.Key) -> bool:
        """True when ``event`` waits behind a key still being handled (it goes later)."""
        if event.is_forwarded or getattr(event, "_replayed", False):
            return False
        # Keys typed fast (a typist, a barcode scanner): one at a time. A key
        # that opens a form is handled by the list's own queue; without this,
        # the keys behind it would reach the list, not the form, and be lost.
        self._release_keys_if_stuck()
        if self._key_in_flight or self._keys_held:
            self._keys_held.append(event)
            return True
        self._key_in_flight = True
        self._key_since = time.monotonic()
        self.call_after_refresh(self._key_landed)
        return False

    def _key_landed(self) -> None:
        """The last key is being handled: once every queue of the screen's focus chain
        has run dry (what it posted, e.g. Enter's Submitted, included) and any screen it
        opened is mounted, the next key held back goes."""
        screen = self.screen
        if not screen.is_mounted:
            self.call_after_refresh(self._key_landed)
            return
        pumps: list[Any] = [screen]
        if screen.focused is not None:
            pumps = list(dict.fromkeys([*screen.focused.ancestors_with_self, screen]))
        pumps = [p for p in pumps if p is not self]
        self._key_waits = len(pumps)
        self._key_round += 1
        # A widget removed meanwhile never answers: the keyboard must not stay stuck.
        self.set_timer(0.5, partial(self._unstick, self._key_round))
        for pump in pumps:
            if not pump.call_later(self._pump_drained, pumps):
                self._key_waits -= 1
        if self._key_waits <= 0:  # every one of them closed: look again after a refresh
            self.call_after_refresh(self._key_landed)

    def _release_keys_if_stuck(self) -> None:
        """The last resort: a key whose end was never seen (a screen closed during a
        terminal resize, say) must not hold the keyboard for good. After
        ``KEY_STUCK_SECONDS`` the keys held back go, in order; checked on every key
        and by the one-second tick."""
        orphans = bool(self._keys_held) and not self._key_in_flight  # nothing would send them
        lost = self._key_in_flight and time.monotonic() - self._key_since >= KEY_STUCK_SECONDS
        if not (orphans or lost):
            return
        self._key_in_flight = False
        self._key_waits = 0
        self._quiet_rounds = 0
        self._key_round += 1  # callbacks of the lost round no longer count
        held = list(self._keys_held)
        self._keys_held.clear()
        for key in held:
            key._replayed = True  # type: ignore[attr-defined]
            self.post_message(key)

    def _unstick(self, round_: int) -> None:
        if self._key_in_flight and round_ == self._key_round and self._key_waits > 0:
            self._key_waits = 0
            self._quiet_rounds = 2
            self._pump_drained([self.screen])

    def _pump_drained(self, pumps: list[Any]) -> None:
        self._key_waits = max(self._key_waits - 1, 0)
        if self._key_waits > 0:
            return
        busy = [self, *pumps]  # the app's own queue too
        if time.monotonic() - self._key_since >= KEY_STUCK_SECONDS:
            # Queues that never run dry (a widget that keeps posting) must not hold the
            # keyboard either: after this long the key counts as handled.
            self._quiet_rounds = 2
        elif self.screen is not pumps[-1] or any(not p._message_queue.empty() for p in busy):
            self._quiet_rounds = 0
        elif self._quiet_rounds < 2:
            self._quiet_rounds += 1
        if self._quiet_rounds < 2:  # a handler may still be running: one more round
            self.call_after_refresh(self._key_landed)
            return
        self._quiet_rounds = 0
        self._key_in_flight = False
        if self._keys_held:
            key = self._keys_held.popleft()
            key._replayed = True  # type: ignore[attr-defined]
            self._key_in_flight = True
            self._key_since = time.monotonic()
            self.post_message(key)
            self.call_after_refresh(self._key_landed)
