"""Renderers: HTML that parses and prints on A4, CSV with BOM and guarded formulas,
XLSX that openpyxl reads back, text at most 80 cells wide with Chinese."""

from __future__ import annotations

import csv
import io

import html5lib
import openpyxl
import pytest
from rich.cells import cell_len

from dutydesk.commands.roster import render_html as roster_html
from dutydesk.domain import reports, roster
from dutydesk.domain.reports import day, handover, incident, month, patrol
from dutydesk.domain.reports.export import export_records
from dutydesk.i18n import set_language
from dutydesk.render.document import Chart, Document, Section, Table
from dutydesk.render.html import css_string, render_html
from dutydesk.render.layout import document_for
from dutydesk.render.svg import render_svg
from dutydesk.render.tabular import BOM, guard, render_csv, render_xlsx
from dutydesk.render.text import render_text, wrap
from tests.helpers.report_site import DAY, build
from tests.helpers.site import PIN

HOSTILE = "=cmd|' /C calc'!A0"


@pytest.fixture
def rs(site):
    return build(site, PIN)


def _reports(rs):
    sec = rs.site.security.id
    now = rs.now()
    return {
        "day": day.day_record(sec, DAY, now),
        "handover": handover.handover_record(rs.handover_id, now),
        "incident": incident.incident_report(rs.incidents["B"], now),
        "patrol": patrol.patrol_record(sec, DAY, now),
        "month": month.month_report(sec, reports.month_period(2026, 12), now),
        "export": export_records(sec, reports.Period(DAY, DAY), now),
    }


def _parse(page: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def _text_of(tree) -> str:
    return " ".join(t.strip() for t in tree.itertext() if t.strip())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_parses_and_is_set_for_a4_print(rs, lang):
    set_language(lang)
    for kind, rep in _reports(rs).items():
        page = render_html(document_for(rep))
        tree = _parse(page)
        assert tree.get("lang") == ("zh-CN" if lang == "zh" else "en"), kind
        style = tree.find("head/style").text
        assert "size: A4" in style and "counter(pages)" in style and "@bottom-center" in style
        assert '"Noto Sans CJK SC"' in style and "Microsoft YaHei" in style
        for table in tree.iter("table"):
            if table.get("class") == "data":
                assert table.find("thead") is not None, kind


def test_html_holds_the_values_and_escapes_user_text(rs):
    set_language("zh")
    reps = _reports(rs)
    tree = _parse(render_html(document_for(reps["day"])))
    text = _text_of(tree)
    assert "值班记录表" in text
    assert "Gate opened at 07:58" in text and "Plumber Liu" in text
    assert HOSTILE in text  # shown literally, as text
    handover_text = _text_of(_parse(render_html(document_for(reps["handover"]))))
    assert "交接班记录" in handover_text
    assert "Guard Wang" in handover_text and "Guard Zhao" in handover_text
    assert reps["handover"].content_hash in handover_text
    page = render_html(document_for(reps["month"]))
    assert page.count("<svg") == 3  # by nature, per day, completion per route
    month_text = _text_of(_parse(page))
    assert "50.0%" in month_text and "15 分钟" in month_text


def test_markup_in_user_text_is_escaped():
    doc = Document(
        "x", "en", "<script>alert(1)</script>", "s", (("a", "</style><b>"),),
        (Section("t", (Table("n", ("c",), (("<i>x</i>",),)), Chart("<c>", (("<l>", 1.0),)))),),
    )  # fmt: skip
    page = render_html(doc)
    assert "<script>" not in page and "<i>x</i>" not in page and "<l>" not in page
    tree = _parse(page)
    assert "<i>x</i>" in _text_of(tree)


def test_css_strings_cannot_close_the_style_block():
    assert css_string('a"</style>') == '"a\\22 \\3c /style\\3e "'


def test_svg_chart_is_deterministic():
    chart = Chart("Incidents", (("火情", 3.0), ("Fight", 1.0)))
    assert render_svg(chart) == render_svg(chart)
    tree = _parse(
        f"<!DOCTYPE html><html><head><title>t</title></head><body>{render_svg(chart)}</body></html>"
    )
    rects = [r for r in tree.iter() if str(r.tag).endswith("rect")]
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == pytest.approx(3 * widths[1])


def test_csv_starts_with_bom_and_guards_formulas(rs):
    reps = _reports(rs)
    text = render_csv(document_for(reps["export"]))
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    cells = [c for row in rows for c in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "Gate opened at 07:58" in cells
    assert [guard(x) for x in ("-1", "+1", "@a", "\tx", "\rx", "ok")] == [
        "'-1", "'+1", "'@a", "'\tx", "'\rx", "ok",
    ]  # fmt: skip


def test_xlsx_opens_and_holds_the_values(rs):
    set_language("zh")
    data = render_xlsx(document_for(_reports(rs)["export"]))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert "incidents" in wb.sheetnames and "patrol_checks" in wb.sheetnames
    ws = wb["log_visitor"]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[header.index("name")] == "Plumber Liu"
    assert row[header.index("organisation")] == HOSTILE  # data, not a formula
    assert ws.cell(2, header.index("organisation") + 1).data_type == "s"
    assert wb["incidents"].max_row == 1 + 3
    month_wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(document_for(_reports(rs)["month"]))))
    sheet = month_wb["patrol_completion"]
    assert [c.value for c in sheet[2]][-1] == "50.0%"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_is_at_most_80_cells_wide(rs, lang):
    set_language(lang)
    for kind, rep in _reports(rs).items():
        text = render_text(document_for(rep))
        lines = text.splitlines()
        assert max(cell_len(line) for line in lines) <= 80, kind
        assert "\x1b" not in text
    assert "值班记录表" in render_text(document_for(_reports(rs)["day"])) or lang == "en"


def test_wrap_counts_chinese_as_two_cells():
    lines = wrap("值班" * 50, 80)
    assert [cell_len(line) for line in lines] == [80, 80, 40]


def test_roster_html_is_a_template_page_for_a4(site):
    import datetime as dt

    set_language("zh")
    grid = roster.roster_grid(site.security.id, dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    page = roster_html(grid)
    tree = _parse(page)
    assert tree.get("lang") == "zh-CN"
    style = tree.find("head/style").text
    assert "size: A4" in style and "counter(pages)" in style
    assert tree.find(".//table/thead") is not None
    assert len(tree.findall(".//tbody/tr")) == 7
