"""Keys are handled one at a time (a fast typist, a barcode scanner), but a key whose
end is never seen — a screen closed while the terminal was resized — must not hold
the keyboard for good: the kiosk would ignore every key, the lock screen's included."""

from __future__ import annotations

import time

from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, wait_until


async def test_a_key_whose_end_was_lost_does_not_hold_the_next_one(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        # As if the last key's end had never been seen, a while ago.
        app._key_in_flight = True
        app._key_since = time.monotonic() - 60
        await pilot.press("f4")
        await wait_until(pilot, lambda: app.current_mode == "incidents", "F4 to open")


async def test_keys_held_behind_a_lost_one_go_at_the_next_tick(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        app._key_in_flight = True
        app._key_since = time.monotonic()
        await pilot.press("f6")  # held behind the key in flight
        await pilot.pause()
        assert app.current_mode == "shift"
        app._key_since = time.monotonic() - 60  # …whose end is never seen
        app._idle_tick()  # the one-second tick lets the held key go
        await wait_until(pilot, lambda: app.current_mode == "logs", "F6 to open")
