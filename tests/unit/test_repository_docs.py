"""The repository explains itself: every path ARCHITECTURE.md names exists, and every
rule id the code cites is explained in docs/rules.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A backticked path: starts with one of the repository's top folders, or is a
# top-level file.
PATH = re.compile(r"`((?:dutydesk|tests|docs)/[\w./-]*|[\w.-]+\.(?:md|toml|tcss))`")
RULE_ID = re.compile(r"\b(CS\d+(?:-\d+(?:\.\d+)*)?|CS-R\d+|EN-\d+(?:\.\d+)+|SE-\d+|SG-\d+)\b")


def named_paths(text: str) -> list[str]:
    return sorted(set(PATH.findall(text)))


def test_architecture_names_only_paths_that_exist() -> None:
    names = named_paths((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert len(names) > 20  # the page does name the layers' files
    missing = [n for n in names if not (ROOT / n.rstrip("/")).exists()]
    assert missing == []


def test_the_path_check_notices_a_missing_path() -> None:
    names = named_paths("see `dutydesk/domain/nowhere.py` and `dutydesk/db.py`")
    assert names == ["dutydesk/db.py", "dutydesk/domain/nowhere.py"]
    assert not (ROOT / names[1]).exists()


def _explained_ids() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    ids = set(RULE_ID.findall(text))
    # "EN-8.4.1–4" explains EN-8.4.1 … EN-8.4.4; "SG-1, SG-5" both.
    for base, first, last in re.findall(r"(EN-\d+\.\d+)\.(\d+)–(\d+)", text):
        ids.update(f"{base}.{n}" for n in range(int(first), int(last) + 1))
    return ids


# A rule id in a test's name: ``..._cs_r2``, ``_cs5_2_6``, ``_EN_8_6_2``, ``_se3``.
NAME_ID = re.compile(
    r"(?i)(?<![a-z0-9])(cs_r\d+|cs\d+(?:_\d+)*|en_\d+(?:_\d+)+|se_?\d+|sg_?\d+)(?![a-z0-9])"
)


def rule_id_of_name(part: str) -> str:
    """``cs_r2`` -> CS-R2, ``cs5_2_6`` -> CS5-2.6, ``en_8_6_2`` -> EN-8.6.2, ``se3`` -> SE-3."""
    part = part.lower()
    if part.startswith("cs_r"):
        return "CS-R" + part[4:]
    if part.startswith("cs"):
        head, _sep, rest = part[2:].partition("_")
        return f"CS{head}" + (f"-{rest.replace('_', '.')}" if rest else "")
    if part.startswith("en_"):
        return "EN-" + part[3:].replace("_", ".")
    return part[:2].upper() + "-" + part[2:].lstrip("_")


def cited_rule_ids() -> dict[str, set[str]]:
    """Rule id -> the files citing it: in the text of dutydesk/ and tests/ (comments,
    docstrings, help) and in the names of tests."""
    cited: dict[str, set[str]] = {}
    for folder in ("dutydesk", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            ids = set(RULE_ID.findall(text))
            for name in re.findall(r"def (test_\w+)", text):
                ids.update(rule_id_of_name(m) for m in NAME_ID.findall(name))
            for rid in ids:
                cited.setdefault(rid, set()).add(str(path.relative_to(ROOT)))
    return cited


def test_a_rule_id_in_a_test_name_is_read_as_the_id() -> None:
    assert [
        rule_id_of_name(m) for m in NAME_ID.findall("test_x_cs_r2_cs5_2_6_EN_8_6_2_se3_sg4")
    ] == [
        "CS-R2",
        "CS5-2.6",
        "EN-8.6.2",
        "SE-3",
        "SG-4",
    ]
    assert NAME_ID.findall("test_close_the_case_and_sees_it") == []


def test_every_rule_id_cited_in_the_code_and_the_tests_is_explained() -> None:
    explained = _explained_ids()
    cited = cited_rule_ids()
    assert {"EN-8.6.3", "CS-R2", "SE-3"} <= set(cited)
    assert any(path.startswith("tests/") for path in cited["CS5-2.6"])  # names are read
    # A section heading such as "EN-8.6" stands for its rules.
    unexplained = {
        rid: sorted(paths)
        for rid, paths in cited.items()
        if rid not in explained and not any(e.startswith(rid + ".") for e in explained)
    }
    assert unexplained == {}


def test_readme_and_docs_do_not_send_readers_outside_the_repository() -> None:
    for name in ("README.md", "ARCHITECTURE.md", "docs/rules.md", "docs/keys.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "shared/" not in text, name


# What a reader of the repository cannot look up: an issue number, or the keymap, rules
# and style documents that lived outside the repository (now docs/keys.md, docs/rules.md,
# ARCHITECTURE.md).
UNREADABLE = re.compile(
    r"(?i:(?<![a-z])issue[ _-]?#?\d+)|KEYMAP|shared/(?:RULES|KEYMAP)|\bRULES\.md|\bSTYLE\.md"
)


def test_code_and_tests_cite_nothing_a_reader_cannot_look_up() -> None:
    citing = set()
    for folder in ("dutydesk", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            if rel != "tests/unit/test_repository_docs.py" and UNREADABLE.search(
                path.read_text(encoding="utf-8")
            ):
                citing.add(rel)
    assert sorted(citing) == []


def test_the_citation_check_sees_issue_numbers_and_outside_documents() -> None:
    for text in (
        "# Issue 4 item 3: rounds",
        "test_issue7_swaps",
        "(KEYMAP F10)",
        "shared/RULES.md",
    ):
        assert UNREADABLE.search(text), text
    for text in ("EN-8.6.3: an incident aborts", "/mnt/shared/x.db", "see docs/rules.md"):
        assert not UNREADABLE.search(text), text


def test_the_docs_ship_in_the_sdist() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert {"docs", "README.md", "ARCHITECTURE.md"} <= set(include)
    assert (ROOT / "docs" / "rules.md").exists() and (ROOT / "docs" / "keys.md").exists()


# --- the tests explain themselves too --------------------------------------------------

HISTORY_NAME = re.compile(
    r"(^|_)(issue\d*|fix|fixes|fixed|acceptance|integration|regression|misc|bugs?)(_|$)", re.I
)


def test_test_files_are_named_by_behaviour_not_by_history() -> None:
    for stem in ("acceptance_fixes", "integration", "issue7", "ui_regression"):
        assert HISTORY_NAME.search(stem), stem
    for stem in ("pg_fixture", "smoke_fixture", "shift_screen_reminders"):
        assert not HISTORY_NAME.search(stem), stem
    named = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("test_*.py")
        if HISTORY_NAME.search(p.stem.removeprefix("test_"))
    )
    assert named == []


def test_no_test_module_imports_another_nor_a_conftest() -> None:
    """What tests share is in tests/helpers/; a test module or a conftest is never
    imported (pytest would collect the imported tests twice, fixtures stay implicit)."""
    import ast

    forbidden = re.compile(r"^tests(\.\w+)*\.(test_\w+|conftest)$")
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if forbidden.match(n)]
    assert offenders == []


def test_rules_name_only_modules_that_exist() -> None:
    """docs/rules.md says where each rule lives (paths inside dutydesk/)."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    named = sorted(set(re.findall(r"`((?:domain|commands)/[\w./]*|models\.py)`", text)))
    assert len(named) > 10
    assert [n for n in named if not (ROOT / "dutydesk" / n.rstrip("/")).exists()] == []
