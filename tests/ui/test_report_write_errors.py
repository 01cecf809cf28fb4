"""F8 Ctrl+S when the reports folder cannot be written: a plain sentence in the
person's language naming the path and saying nothing was saved (80×24)."""

from __future__ import annotations

from dutydesk.models import AuditEvent
from tests.helpers.report_site import build
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app


async def test_reports_folder_replaced_by_a_file_is_named_and_nothing_saved(
    site, tmp_path, monkeypatch
):
    folder = tmp_path / "reports"
    folder.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DUTYDESK_REPORTS_DIR", str(folder))
    build(site, PIN)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f8", "4")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert f"{folder} is a file where a folder should be. Nothing was saved." in said
    assert not any("File exists" in text for text in said)
    assert folder.read_text(encoding="utf-8") == "not a folder"
    assert not AuditEvent.select().where(AuditEvent.action == "report.made").exists()
