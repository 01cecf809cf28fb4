"""F2 tells a person who logs in that a half-typed form of theirs waits."""

from __future__ import annotations

from dutydesk.domain.overview import draft_line
from dutydesk.i18n import set_language
from dutydesk.models import Draft
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

NOTICE = {
    "en": "Unsaved draft: Duty log: new entry — F6 → 1 → n",
    "zh": "未保存的草稿：值班记录：新记录 — 按 F6 → 1 → n",
}


async def test_shift_screen_names_the_draft_and_its_keys_in_both_languages(site):
    app = make_app(site, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f2")
        await pilot.pause()
        assert "Unsaved draft" not in screen_text(app)  # nothing typed yet
        await pilot.press("f6", "n")
        await pilot.pause()
        await type_text(pilot, "Half an entry")
        await pilot.press("f12")  # lock: the draft is kept
        await pilot.pause()
        assert Draft.get().form == "logs.new.duty"

        # Another person at the kiosk is not told about G01's draft.
        await login(pilot, "G02", PIN)
        await pilot.press("f2")
        await pilot.pause()
        assert "Unsaved draft" not in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()

        await login(pilot, "G01", PIN)
        await pilot.press("f2")
        await pilot.pause()
        assert NOTICE["en"] in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()

        await pilot.press("ctrl+t")  # the lock screen switches the language
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f2")
        await pilot.pause()
        assert NOTICE["zh"] in screen_text(app)

        # The keys it names lead back to the restored form.
        await pilot.press("f6", "1", "n")
        await pilot.pause()
        assert "Half an entry" in screen_text(app)


def test_every_form_id_has_a_readable_name_and_keys():
    set_language("en")
    cases = {
        "logs.new.phone": ("Phone log: new entry", "F6 → 2 → n"),
        "logs.correct.duty.7": ("Duty log: correction of entry #7", "F6 → 1 → entry #7 → c"),
        "incidents.new": ("New incident", "F4 → n"),
        "incidents.report.3": ("Written report of incident 3", "F4 → incident 3 → w"),
        "repairs.new": ("New repair request", "F6 → 8 → n"),
        "roster.rotation": ("Generate a rotation", "F7 → g"),
    }
    for form, (name, keys) in cases.items():
        line = draft_line(form, "security")
        assert (line.name(), line.reach()) == (name, keys), form
    # Switching operations are the 7th log only at an engineering desk.
    assert draft_line("logs.new.switching", "engineering").reach() == "F6 → 7 → n"
    # An id nobody mapped yet still shows, literally, rather than breaking F2.
    assert draft_line("other.{x}", "security").name() == "other.{x}"
