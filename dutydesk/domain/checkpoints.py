"""Files of patrol checkpoints: a desk's list imported from and exported to TOML or CSV.

A bad file is refused as a whole, naming the line and field of the first problem.
The checkpoints themselves — kinds, validation, queries, changes (CS4, CS5, SG-6,
SG-10, EN-8.3.3) — are :mod:`dutydesk.domain.patrols.checkpoints`; their public
names are re-exported here, so ``from dutydesk.domain import checkpoints`` gives
the whole checkpoint API.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.patrols.checkpoints import (
    KINDS,
    SWITCH_STATES,
    CheckpointInfo,
    CheckpointSpec,
    add_checkpoint,
    area_of,
    get,
    info,
    list_checkpoints,
    range_text,
    save_by_code,
    set_active,
    spec_values,
    update_checkpoint,
    validate,
)
from dutydesk.domain.patrols.states import CheckpointKind, number_text
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, gettext
from dutydesk.models import Checkpoint, Desk

__all__ = [
    "COLUMNS",
    "FORMATS",
    "KINDS",
    "REQUIRED_COLUMNS",
    "SWITCH_STATES",
    "CheckpointInfo",
    "CheckpointKind",
    "CheckpointSpec",
    "ImportResult",
    "LineError",
    "add_checkpoint",
    "area_of",
    "export_csv",
    "export_text",
    "export_toml",
    "format_of",
    "get",
    "import_file",
    "import_specs",
    "info",
    "list_checkpoints",
    "parse",
    "parse_csv",
    "parse_toml",
    "range_text",
    "set_active",
    "update_checkpoint",
    "validate",
]

FORMATS = ("toml", "csv")

# The columns of the CSV file and the keys of a TOML [[checkpoint]] table, in order.
COLUMNS = (
    "code",
    "name",
    "name_en",
    "area",
    "position",
    "kind",
    "expected_state",
    "due_time",
    "unit",
    "range_min",
    "range_max",
    "expected_count",
    "active",
)
REQUIRED_COLUMNS = ("code", "name", "kind")


class LineError(ValidationError):
    """A problem in an imported file, at a line and field; nothing was imported.

    The problem is a msgid of its own, translated when the error is shown.
    """

    def __init__(self, line: int, field: str, problem: str, **problem_values: Any) -> None:
        text = problem.format(**problem_values) if problem_values else problem
        super().__init__(
            N_("line {line}, field {column}: {problem}"),
            field=field,
            line=line,
            column=field,
            problem=text,
        )
        self.line = line
        self.problem_msgid = problem
        self.problem_values = problem_values

    def translated(self) -> str:
        problem = gettext(self.problem_msgid)
        if self.problem_values:
            problem = problem.format(**self.problem_values)
        return gettext(self.msgid).format(line=self.line, column=self.field, problem=problem)


def _line_error(line: int, field: str, problem: str, **values: Any) -> LineError:
    return LineError(line, field, problem, **values)


def _convert(field: str, raw: Any, line: int) -> Any:
    """One file value converted to the spec's type; a ValidationError naming the line."""
    if field in ("range_min", "range_max"):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, bool):
            raise _line_error(line, field, N_("not a number"))
        if isinstance(raw, int | float):
            value = float(raw)
        else:
            try:
                value = float(str(raw).strip())
            except ValueError:
                raise _line_error(line, field, N_("not a number")) from None
        if not math.isfinite(value):
            raise _line_error(line, field, N_("not a number"))
        return value
    if field in ("position", "expected_count"):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return 0 if field == "position" else None
        if isinstance(raw, bool):
            raise _line_error(line, field, N_("not a whole number"))
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        text = str(raw).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise _line_error(line, field, N_("not a whole number"))
        return int(text)
    if field == "active":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower() if raw is not None else ""
        if text in ("", "1", "true", "yes", "y", "是"):
            return True
        if text in ("0", "false", "no", "n", "否"):
            return False
        raise _line_error(line, field, N_("not true or false"))
    if raw is None:
        return ""
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise _line_error(line, field, N_("not text"))
    return str(raw)


def _spec_from(record: dict[str, Any], line_of: dict[str, int], line: int) -> CheckpointSpec:
    values: dict[str, Any] = {}
    for field in COLUMNS:
        if field in record:
            values[field] = _convert(field, record[field], line_of.get(field, line))
    for field in REQUIRED_COLUMNS:
        if field not in values or not str(values[field]).strip():
            raise _line_error(line_of.get(field, line), field, N_("missing"))
    try:
        return validate(CheckpointSpec(**values))
    except ValidationError as exc:
        field = exc.field or "?"
        raise _line_error(line_of.get(field, line), field, exc.msgid, **exc.values) from None


def parse_csv(text: str) -> list[tuple[int, CheckpointSpec]]:
    """Checkpoints from CSV text with a header line; errors name the line and field."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _line_error(1, "code", N_("the file is empty")) from None
    except csv.Error as exc:
        raise _line_error(1, "?", str(exc)) from None
    names = [h.strip().lower() for h in header]
    for name in names:
        if name not in COLUMNS:
            raise _line_error(1, name or "?", N_("unknown column"))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            raise _line_error(1, name, N_("missing column"))
    specs: list[tuple[int, CheckpointSpec]] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _line_error(start, "?", str(exc)) from None
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            raise _line_error(start, "?", N_("more cells than columns"))
        record = dict(zip(names, row, strict=False))
        specs.append((start, _spec_from(record, {}, start)))
    return specs


_TABLE = re.compile(r"^\s*\[\[\s*checkpoint\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_TOML_LINE = re.compile(r"at line (\d+)")


def parse_toml(text: str) -> list[tuple[int, CheckpointSpec]]:
    """Checkpoints from ``[[checkpoint]]`` tables; errors name the line and field."""
    text = text.lstrip("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise _line_error(
            int(found.group(1)) if found else 1, "?", str(exc).split(" (at ")[0]
        ) from None
    extra = [k for k in data if k != "checkpoint"]
    lines = text.splitlines()
    if extra:
        at = next((i for i, ln in enumerate(lines, 1) if extra[0] in ln), 1)
        raise _line_error(at, extra[0], N_("unknown key; write [[checkpoint]] tables"))
    tables = data.get("checkpoint", [])
    if not isinstance(tables, list):
        raise _line_error(1, "checkpoint", N_("write [[checkpoint]] tables"))
    # tomllib gives no positions: find each table's header line and its keys' lines.
    starts = [i for i, ln in enumerate(lines, 1) if _TABLE.match(ln)]
    specs: list[tuple[int, CheckpointSpec]] = []
    for n, table in enumerate(tables):
        start = starts[n] if n < len(starts) else 1
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines) + 1
        line_of: dict[str, int] = {}
        for i in range(start + 1, stop):
            found = _KEY.match(lines[i - 1])
            if found:
                line_of.setdefault(found.group(1).strip('"'), i)
        for key in table:
            if key not in COLUMNS:
                raise _line_error(line_of.get(key, start), key, N_("unknown key"))
        specs.append((start, _spec_from(table, line_of, start)))
    return specs


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """``toml`` or ``csv``: the one asked for, else the file's extension."""
    if fmt:
        if fmt not in FORMATS:
            raise ValidationError(
                N_("Unknown file format {fmt}; choose toml or csv"), field="format", fmt=fmt
            )
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(
            N_("Cannot tell the format of {path}: name it .toml or .csv"),
            field="file",
            path=str(path),
        )
    return suffix


def parse(text: str, fmt: str) -> list[CheckpointSpec]:
    """Every checkpoint of a file's text, checked; a duplicate code is an error too."""
    found = parse_toml(text) if fmt == "toml" else parse_csv(text)
    seen: set[str] = set()
    for line, spec in found:
        if spec.code in seen:
            raise _line_error(line, "code", N_("{code} appears twice in the file"), code=spec.code)
        seen.add(spec.code)
    return [spec for _, spec in found]


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


def import_specs(
    actor: Actor,
    desk_id: int,
    specs: list[CheckpointSpec],
    *,
    source: str = "",
    require_supervisor_role: bool = True,
) -> ImportResult:
    """Add or update the desk's checkpoints by code, all in one transaction.

    Checkpoints not in the file are left as they are. ``require_supervisor_role``
    is False only for the command line, which runs with the database file's
    owner's rights (the audit event says so).
    """
    if Desk.get_or_none(Desk.id == desk_id) is None:
        raise NotFound(N_("No such desk"))
    added = updated = unchanged = 0
    with write():
        if require_supervisor_role:
            actor.require_role()
        for spec in specs:
            before = Checkpoint.get_or_none(
                (Checkpoint.desk == desk_id) & (Checkpoint.code == spec.code)
            )
            old = spec_values(info(before).spec()) if before else None
            _, is_new = save_by_code(actor, desk_id, spec)
            if is_new:
                added += 1
            elif old != spec_values(spec):
                updated += 1
            else:
                unchanged += 1
        audit.record(
            actor,
            "checkpoint.import",
            "desk",
            desk_id,
            new={"source": source, "added": added, "updated": updated},
        )
    return ImportResult(added, updated, unchanged)


def import_file(
    actor: Actor,
    desk_id: int,
    path: str | Path,
    fmt: str | None = None,
    *,
    require_supervisor_role: bool = True,
) -> ImportResult:
    """Import a TOML or CSV file; nothing is imported when any line is wrong."""
    kind = format_of(path, fmt)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            N_("The file {path} is not UTF-8 text"), field="file", path=str(path)
        ) from None
    specs = parse(text, kind)
    return import_specs(
        actor, desk_id, specs, source=str(path), require_supervisor_role=require_supervisor_role
    )


def export_toml(specs: list[CheckpointSpec], title: str = "") -> str:
    """The checkpoints as TOML (``[[checkpoint]]`` tables), written by tomli-w: its
    strings are escaped by the library that knows TOML, not by hand."""
    out = []
    if title:
        out.append(f"# {title}")
    out.append("# DutyDesk checkpoints: `dutydesk checkpoints import FILE --desk CODE`")
    defaults = CheckpointSpec(code="", name="", kind="")
    for spec in specs:
        table: dict[str, Any] = {}
        for field in COLUMNS:
            value = getattr(spec, field)
            if field not in REQUIRED_COLUMNS and value == getattr(defaults, field):
                continue
            if value is None:
                continue
            table[field] = value
        out.append("")
        out.append(tomli_w.dumps({"checkpoint": [table]}).rstrip("\n"))
    return "\n".join(out) + "\n"


def export_csv(specs: list[CheckpointSpec]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for spec in specs:
        row = []
        for field in COLUMNS:
            value = getattr(spec, field)
            if value is None:
                row.append("")
            elif isinstance(value, bool):
                row.append("true" if value else "false")
            elif isinstance(value, float):
                row.append(number_text(value))
            else:
                row.append(str(value))
        writer.writerow(row)
    return buf.getvalue()


def export_text(desk_id: int, fmt: str) -> str:
    """The desk's checkpoints (inactive ones too) as TOML or CSV text."""
    desk = Desk.get_or_none(Desk.id == desk_id)
    if desk is None:
        raise NotFound(N_("No such desk"))
    specs = [c.spec() for c in list_checkpoints(desk_id, include_inactive=True)]
    if fmt == "csv":
        return export_csv(specs)
    return export_toml(specs, title=f"{desk.code}: {desk.name}")
