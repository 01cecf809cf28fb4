"""Checkpoint files: TOML and CSV import and export, refused as a whole when wrong.

A bad file is refused as a whole, naming the line and field.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dutydesk.domain import checkpoints as cps
from dutydesk.errors import RuleViolation, ValidationError
from dutydesk.i18n import set_language
from dutydesk.models import AuditEvent, Checkpoint

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

DUTYDESK = str(Path(sys.executable).parent / "dutydesk")

GOOD_CSV = '''\
code,name,name_en,area,position,kind,expected_state,due_time,unit,range_min,range_max,expected_count,active
T1,1号变压器温度,Transformer 1,B1 / 配电房,1,reading,,,°C,0,85,,true
V1,进线电压,Supply voltage,B1 / 配电房,2,reading,,,V,353.4,406.6,,true
P1,水泵出口压力,Pump pressure,B2 / 泵房,3,reading,,,MPa,0.3,0.6,,
F1,柴油储量,Fuel,B2 / 发电机房,4,reading,,,%,30,,,
L1,景观灯,Landscape lights,室外 / 花园,5,switch,on,18:30,,,,,true
E1,3F 灭火器,"Extinguishers, 3F",A栋 / 3F,6,count,,,具,,,4,yes
C1,"大堂 ""清洁""",Lobby,A栋 / 1F / 大堂,7,condition,,,,,,,no
'''

GOOD_TOML = """\
# engineering
[[checkpoint]]
code = "T1"
name = "1号变压器温度"
kind = "reading"
unit = "°C"
range_min = 0
range_max = 85

[[checkpoint]]
code = "L1"
name = "景观灯"
kind = "switch"
expected_state = "off"
due_time = "23:00"
"""


def _count(desk_id: int) -> int:
    return Checkpoint.select().where(Checkpoint.desk == desk_id).count()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_reads_every_kind(site, tmp_path):
    path = _write(tmp_path, "eng.csv", GOOD_CSV)
    result = cps.import_file(site.actor("S01", site.engineering), site.engineering.id, path)
    assert (result.added, result.updated) == (7, 0)
    got = {c.code: c for c in cps.list_checkpoints(site.engineering.id, include_inactive=True)}
    assert got["T1"].range_text == "0–85 °C"
    assert got["F1"].range_text == "≥ 30 %"
    assert got["L1"].expected_state == "on" and got["L1"].due_time == "18:30"
    assert got["E1"].expected_count == 4 and got["E1"].name_en == "Extinguishers, 3F"
    assert got["C1"].name == '大堂 "清洁"' and not got["C1"].active
    assert AuditEvent.select().where(AuditEvent.action == "checkpoint.import").count() == 1


def test_csv_error_names_line_and_field_and_imports_nothing(site, tmp_path):
    lines = GOOD_CSV.splitlines()
    lines.insert(6, "X9,bad,,,9,reading,,,°C,0,eighty,,")  # the new line 7
    path = _write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as err:
        cps.import_file(site.actor("S01", site.engineering), site.engineering.id, path)
    assert str(err.value) == "line 7, field range_max: not a number"
    assert err.value.field == "range_max"
    assert _count(site.engineering.id) == 0


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("X,x,,,1,gauge,,,,,,,", "line 2, field kind: Unknown kind gauge"),
        ("X,x,,,one,condition,,,,,,,", "line 2, field position: not a whole number"),
        ("X,x,,,1,reading,,,°C,90,85,,", "line 2, field range_max: The range minimum is above"),
        ("X,x,,,1,switch,maybe,,,,,,", "line 2, field expected_state: A switch checkpoint"),
        ("X,x,,,1,switch,on,25:00,,,,,", "line 2, field due_time: Not a time of day"),
        ("X,x,,,1,count,,,,,,,", "line 2, field expected_count: A count checkpoint needs"),
        ("X,x,,,1,condition,,,,0,,,", "line 2, field range_min: range_min is only for reading"),
        (",x,,,1,condition,,,,,,,", "line 2, field code: missing"),
        ("X,x,,,1,condition,,,,,,,sometimes", "line 2, field active: not true or false"),
        ("X,x,,,1,condition,,,,,,,,extra", "line 2, field ?: more cells than columns"),
    ],
)
def test_csv_errors_name_the_line_and_field(site, row, expected):
    header = GOOD_CSV.splitlines()[0]
    with pytest.raises(ValidationError, match=expected.replace("?", r"\?")):
        cps.parse("\n".join([header, row]), "csv")


def test_csv_header_problems_and_duplicates(site):
    with pytest.raises(ValidationError, match="line 1, field colour: unknown column"):
        cps.parse("code,name,kind,colour\n", "csv")
    with pytest.raises(ValidationError, match="line 1, field kind: missing column"):
        cps.parse("code,name\n", "csv")
    text = "code,name,kind\nA,a,condition\n\nA,b,condition\n"
    with pytest.raises(ValidationError, match="line 4, field code: A appears twice"):
        cps.parse(text, "csv")


def test_toml_errors_name_the_line_of_the_key(site, tmp_path):
    bad = GOOD_TOML.replace("range_max = 85", 'range_max = "high"')
    path = _write(tmp_path, "bad.toml", bad)
    with pytest.raises(ValidationError) as err:
        cps.import_file(site.actor("S01", site.engineering), site.engineering.id, path)
    assert str(err.value) == "line 8, field range_max: not a number"
    assert _count(site.engineering.id) == 0
    with pytest.raises(ValidationError, match="line 14, field expected_state: A switch"):
        cps.parse(GOOD_TOML.replace('"off"', '"dim"'), "toml")
    with pytest.raises(ValidationError, match="line 5, field colour: unknown key"):
        cps.parse(GOOD_TOML.replace('kind = "reading"', 'colour = "red"\nkind = "reading"'), "toml")
    with pytest.raises(ValidationError, match="line 10, field name: missing"):
        cps.parse(GOOD_TOML.replace('name = "景观灯"\n', ""), "toml")


def test_toml_syntax_error_names_the_line(site):
    with pytest.raises(ValidationError, match=r"^line 4, field \?"):
        cps.parse(GOOD_TOML.replace('name = "1号变压器温度"', "name = 1号"), "toml")


def test_error_message_in_chinese(site):
    header = GOOD_CSV.splitlines()[0]
    with pytest.raises(ValidationError) as err:
        cps.parse(f"{header}\nX,x,,,1,reading,,,°C,0,abc,,", "csv")
    set_language("zh")
    assert err.value.translated() == "第 2 行，字段 range_max：不是数字"


def test_import_needs_a_supervisor_and_updates_by_code(site, tmp_path):
    path = _write(tmp_path, "eng.toml", GOOD_TOML)

    with pytest.raises(RuleViolation):
        cps.import_file(site.actor("E01", site.engineering), site.engineering.id, path)
    cps.import_file(site.actor("S01", site.engineering), site.engineering.id, path)
    again = cps.import_file(
        site.actor("S01", site.engineering),
        site.engineering.id,
        _write(tmp_path, "v2.toml", GOOD_TOML.replace("85", "90")),
    )
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    t1 = next(c for c in cps.list_checkpoints(site.engineering.id) if c.code == "T1")
    assert t1.range_max == 90


@pytest.mark.parametrize("fmt", ["toml", "csv"])
def test_export_then_import_round_trip(site, tmp_path, fmt):
    boss = site.actor("S01", site.engineering)
    cps.import_file(boss, site.engineering.id, _write(tmp_path, "eng.csv", GOOD_CSV))
    exported = cps.export_text(site.engineering.id, fmt)
    path = _write(tmp_path, f"out.{fmt}", exported)
    cps.import_file(site.actor("S01", site.service), site.service.id, path)
    strip = lambda cs: [c.spec() for c in cs]  # noqa: E731
    assert strip(cps.list_checkpoints(site.service.id, include_inactive=True)) == strip(
        cps.list_checkpoints(site.engineering.id, include_inactive=True)
    )
    if fmt == "toml":
        assert 'name = "大堂 \\"清洁\\""' in exported


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DUTYDESK, *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        timeout=60,
    )


def test_cli_import_and_export(site, db_target, tmp_path):
    good = _write(tmp_path, "eng.csv", GOOD_CSV)
    out = _cli(
        "checkpoints",
        "import",
        str(good),
        "--db",
        str(db_target),
        "--desk",
        "engineering",
        "--lang",
        "en",
    )
    assert out.returncode == 0, out.stderr
    assert "7 added" in out.stdout
    assert _count(site.engineering.id) == 7

    exported = _cli("checkpoints", "export", "--db", str(db_target), "--desk", "engineering")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count("[[checkpoint]]") == 7
    target = tmp_path / "copy.csv"
    written = _cli(
        "--db", str(db_target), "checkpoints", "export", str(target), "--desk", "engineering"
    )
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("code,name,")

    bad = _write(tmp_path, "bad.csv", GOOD_CSV.replace("353.4,406.6", "353.4,abc"))
    refused = _cli(
        "checkpoints",
        "import",
        str(bad),
        "--db",
        str(db_target),
        "--desk",
        "service",
        "--lang",
        "en",
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == "dutydesk: line 3, field range_max: not a number"
    assert _count(site.service.id) == 0
