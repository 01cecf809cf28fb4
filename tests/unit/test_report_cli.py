"""``dutydesk report …`` and ``dutydesk handover list|show`` on a small site."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest

from dutydesk.cli import main
from dutydesk.commands.handover import render
from dutydesk.models import AuditEvent, Handover
from tests.helpers.report_site import build
from tests.helpers.site import PIN


@pytest.fixture
def rs(site):
    return build(site, PIN)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_day_record_to_a_file_is_audited(rs, db_path, tmp_path, capsys):
    target = tmp_path / "day.html"
    code, _out, err = _run(
        capsys, "report", "day", "--db", str(db_path), "--desk", "security",
        "--date", "2026-12-01", "--lang", "zh", "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "值班记录表" in page
    event = AuditEvent.select().where(AuditEvent.action == "report.made").get()
    assert event.staff_no == "cli" and event.staff_id is None
    assert event.new["report"] == "day" and event.new["range"] == "2026-12-01"
    assert event.new["path"] == str(target.resolve())
    # Again without --force: refused, the file untouched.
    code, _out, err = _run(
        capsys, "report", "day", "--db", str(db_path), "--desk", "security", "-o", str(target)
    )
    assert code == 2 and "--force" in err and len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == page
    code, _out, _err = _run(
        capsys, "report", "day", "--db", str(db_path), "--desk", "security",
        "--date", "2026-12-01", "-o", str(target), "--force", "--format", "txt",
    )  # fmt: skip
    assert code == 0 and "Gate opened at 07:58" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, words",
    [
        (("day", "--desk", "security", "--date", "2026-02-30"), "Not a date"),
        (("day", "--desk", "nowhere"), "nowhere"),
        (("month", "--from", "2026-12-05", "--to", "2026-12-01"), "before it starts"),
        (("month", "--month", "2026-13"), "Not a month"),
        (("export", "--from", "2026-12-01"), "--to"),
        (("month", "--format", "xlsx"), "-o FILE"),
        (("handover", "999"), "No handover 999"),
        (("day", "--desk", "security", "--from", "2026-12-01", "--to", "2026-12-02"), "--date"),
        (("day", "--desk", "security", "-o", "/nonexistent/folder/day.html"), "no such folder"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(rs, db_path, capsys, args, words):
    code, out, err = _run(capsys, "report", *args, "--db", str(db_path))
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and words in err


def test_month_xlsx_of_the_site(rs, db_path, tmp_path, capsys):
    target = tmp_path / "month.xlsx"
    code, _out, err = _run(
        capsys, "report", "month", "--db", str(db_path), "--month", "2026-12", "-o", str(target)
    )
    assert code == 0, err
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    rows = [[c.value for c in r] for r in wb["incidents_by_nature"].iter_rows()]
    assert rows[1:] == [["Dispute", 3], ["Fire or smoke", 2], ["Intrusion", 1]]


def test_handover_incident_patrol_export_to_stdout(rs, db_path, capsys):
    code, out, _err = _run(capsys, "report", "handover", str(rs.handover_id), "--db", str(db_path))
    assert code == 0 and "Guard Wang" in out and "Guard Zhao" in out
    code, out, _err = _run(
        capsys, "report", "incident", str(rs.incidents["B"]), "--db", str(db_path)
    )
    assert code == 0 and "Bin room fire, put out." in out
    code, out, _err = _run(
        capsys, "report", "patrol", "--db", str(db_path), "--desk", "security",
        "--date", "2026-12-01", "--format", "csv",
    )  # fmt: skip
    assert code == 0 and out.startswith("\ufeff") and "Fire alarm at Block 3" in out
    code, out, _err = _run(
        capsys, "report", "export", "--db", str(db_path), "--from", "2026-12-01",
        "--to", "2026-12-01", "--format", "csv",
    )  # fmt: skip
    assert code == 0 and "'=cmd|' /C calc'!A0" in out


def test_handover_list_shows_the_numbers(rs, db_path, capsys):
    code, out, _err = _run(
        capsys, "handover", "list", "--db", str(db_path), "--desk", "security",
        "--from", "2026-12-01", "--to", "2026-12-02",
    )  # fmt: skip
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith(str(rs.handover_id) + " "))
    assert "Guard Wang" in line and "Guard Zhao" in line and "signed" in line
    code, out, _err = _run(capsys, "handover", "list", "--db", str(db_path), "--to", "2026-11-30")
    assert code == 0 and "(no handovers)" in out


def test_handover_show_prints_the_duty_log_in_time_order(rs):
    h = Handover.get_by_id(rs.handover_id)
    content = h.content
    log = content["context"]["sections"]["duty_log"]
    assert len(log) >= 3
    random.Random(4).shuffle(log)  # as stored out of order
    lines = render(content, h.content_hash).splitlines()
    start = lines.index(next(x for x in lines if x.startswith("1. Duty log")))
    times = [x[2:7] for x in lines[start + 2 : start + 2 + len(log)]]
    assert times == sorted(times)
