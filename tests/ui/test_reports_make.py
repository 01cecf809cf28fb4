"""F8 ``4``: making the printed records with keys only, at 80×24 (CS3, CS6, EN-8.7.1).

A supervisor makes the month's report of the desk (the charts drawn on screen)
and finds the file in the reports folder; a guard makes their own desk's day
record but not the monthly report."""

from __future__ import annotations

import pytest

from dutydesk.models import AuditEvent
from tests.helpers.report_site import build
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text


@pytest.fixture
def folder(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.setenv("DUTYDESK_REPORTS_DIR", str(out))
    return out


async def test_supervisor_makes_the_monthly_report_with_keys(site, folder):
    build(site, PIN)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "S01", PIN)
        await pilot.press("f8", "4")
        await pilot.pause()
        text = screen_text(app)
        assert "Which report: Duty record" in text and "2026-12-10" in text
        await pilot.press("r", "r", "r")  # day → handover → patrol → month
        await pilot.pause()
        text = screen_text(app)
        assert "Monthly duty report" in text and "2026-12" in text
        assert "Incidents by nature" in text  # the terminal chart
        assert "Dispute" in text
        await pilot.press("pagedown", "pagedown")  # the preview scrolls
        await pilot.pause()
        assert "Monthly duty report" not in screen_text(app).split("Format: html")[1]
        await pilot.press("pageup", "pageup")
        await pilot.press("ctrl+s")
        await pilot.pause()
        files = sorted(p.name for p in folder.iterdir())
        assert files == ["month-security-2026-12-01_2026-12-31.html"]
        page = (folder / files[0]).read_text(encoding="utf-8")
        assert "Monthly duty report" in page and "<svg" in page
        assert "Written:" in screen_text(app)
        # The same again: a new file beside it, never over it.
        await pilot.press("f", "ctrl+s")
        await pilot.pause()
    assert sorted(p.name for p in folder.iterdir()) == [
        "month-security-2026-12-01_2026-12-31.html",
        "month-security-2026-12-01_2026-12-31.txt",
    ]
    events = list(AuditEvent.select().where(AuditEvent.action == "report.made"))
    assert [e.new["report"] for e in events] == ["month", "month"]
    assert all(e.staff_id == site.staff["S01"].id for e in events)


async def test_guard_makes_the_day_record_but_not_the_month(site, folder):
    build(site, PIN)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G01", PIN)
        await pilot.press("f8", "4")
        for _ in range(9):  # back to 1 Dec
            await pilot.press("left")
        await pilot.pause()
        text = screen_text(app)
        assert "2026-12-01" in text
        await pilot.press("d")  # a guard has only their own desk
        await pilot.pause()
        assert "Security booth" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [p.name for p in folder.iterdir()] == ["day-security-2026-12-01.html"]
        await pilot.press("r", "r", "r")  # the month
        await pilot.pause()
        assert "Only supervisors and leaders" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [p.name for p in folder.iterdir()] == ["day-security-2026-12-01.html"]


async def test_f5_shows_the_number_of_the_last_signed_handover(site):
    rs = build(site, PIN)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await login(pilot, "G02", PIN)
        await pilot.press("f5")
        await pilot.pause()
        assert f"No. {rs.handover_id}" in screen_text(app)
