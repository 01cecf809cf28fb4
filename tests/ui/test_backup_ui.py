"""The kiosk's background backups: after a signed handover (never blocking it) and the
check of the live chain against the newest backup at start, shown to the supervisor."""

from __future__ import annotations

from pathlib import Path

from dutydesk.db import write
from dutydesk.domain import backup, handover
from dutydesk.models import AuditEvent, Site
from tests.helpers.site import PIN
from tests.helpers.tamper import drop_triggers, rehash_from
from tests.helpers.ui import SIZE, login, make_app, screen_text


def _set_folder(folder: Path) -> None:
    with write():
        s = Site.get()
        s.settings = {**(s.settings or {}), "backup_dir": str(folder), "backup_same_disk": True}
        s.save()


async def test_backup_after_a_signed_handover_runs_in_a_worker(site, tmp_path):
    folder = tmp_path / "auto"
    _set_folder(folder)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        assert app._after_sign in handover.AFTER_SIGN
        # What handover.sign calls after its commit.
        for listener in list(handover.AFTER_SIGN):
            listener(app.actor, 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        files = backup.backups_in(folder)
        assert len(files) == 1 and backup.full_verify(files[0]) == []
    assert app._after_sign not in handover.AFTER_SIGN
    last = backup.last_backup()
    assert last is not None and last.ok


async def test_rewritten_history_is_an_alert_for_the_supervisor(db, site, tmp_path):
    folder = tmp_path / "b"
    _set_folder(folder)
    backup.make_backup(folder, same_disk=True)
    drop_triggers(db)
    db.execute_sql("UPDATE audit_event SET staff_no = 'X99' WHERE seq = 3")
    rehash_from(db, 3)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app._backup_mismatch is not None
        await login(pilot, "G01", PIN)
        app.check_alerts()
        assert not any("differs from the newest backup" in a for a in app.alerts)
        await pilot.press("f12")
        await pilot.pause()
        await login(pilot, "S01", PIN)
        app.check_alerts()
        await pilot.press("f2")
        await pilot.pause()
        assert any("Audit event 3 differs from the newest backup" in a for a in app.alerts)
        assert "Audit event 3 differs" in screen_text(app)


async def test_missing_backup_is_a_standing_warning_for_the_supervisor(site, tmp_path):
    site.clock.advance(hours=27)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "S01", PIN)
        app.check_alerts()
        assert "No backup has been made yet" in app.warnings


async def test_daily_backup_at_its_time_in_the_background(site, tmp_path):
    folder = tmp_path / "daily"
    _set_folder(folder)
    with write():
        s = Site.get()
        s.settings = {**s.settings, "backup_time": "10:30"}
        s.save()
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        app.check_alerts()  # 10:00: not yet
        await app.workers.wait_for_complete()
        assert backup.backups_in(folder) == []
        site.clock.set("2026-12-01 10:31")
        app.check_alerts()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(backup.backups_in(folder)) == 1
        app.check_alerts()  # once a day
        await app.workers.wait_for_complete()
        assert len(backup.backups_in(folder)) == 1
    made = AuditEvent.select().where(AuditEvent.action == "backup.create").get()
    assert made.new["reason"] == "daily"
