"""The phone log's Number field takes a phone number only, as the repair form does:
the form refuses letters with the message next to the field, and nothing is stored."""

from __future__ import annotations

from dutydesk.models import PhoneCall
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text, wait_until

PHONE_MESSAGE = "A phone number has only digits, spaces and + - ( )"


async def test_phone_log_refuses_letters_in_the_number(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "G01", PIN)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "page 1" in screen_text(app), "the logs list")
        await pilot.press("2", "n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FormScreen", "the form")
        await type_text(pilot, "Lift stuck")  # the cursor starts in the content
        await pilot.press("shift+tab")
        await type_text(pilot, "abc!!")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: PHONE_MESSAGE in screen_text(app), "the phone message")
        assert type(app.screen).__name__ == "FormScreen"  # the form stays open
        # The message sits next to the Number field.
        lines = screen_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if PHONE_MESSAGE in line)
        assert any("abc!!" in line for line in lines[max(0, at - 2) : at + 1])
        for _ in range(5):
            await pilot.press("backspace")
        await type_text(pilot, "+86 138-0000")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: PhoneCall.select().count() == 1, "the call saved")
    assert PhoneCall.get().number == "+86 138-0000"
