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


def test_every_rule_id_cited_in_the_code_is_explained() -> None:
    explained = _explained_ids()
    cited: set[str] = set()
    for path in (ROOT / "dutydesk").rglob("*.py"):
        cited.update(RULE_ID.findall(path.read_text(encoding="utf-8")))
    # A section heading such as "EN-8.6" stands for its rules.
    unexplained = {
        rid
        for rid in cited
        if rid not in explained and not any(e.startswith(rid + ".") for e in explained)
    }
    assert unexplained == set()


def test_readme_and_docs_do_not_send_readers_outside_the_repository() -> None:
    for name in ("README.md", "ARCHITECTURE.md", "docs/rules.md", "docs/keys.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "shared/" not in text, name
