"""The import contract of dutydesk: no module imports itself round a circle, and
imports go down the layers only (UI -> tools -> domain/render -> data -> base).

The graph is read from the source (:mod:`tests.helpers.import_graph`): imports
at the top of a module and inside functions both count (an import moved into a
function still ties the two modules together); ``if TYPE_CHECKING:`` imports do
not (they never run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.import_graph import cycles, import_graph, layer_of, layer_violations

ROOT = Path(__file__).resolve().parents[2]

# Top first: a module may import its own layer and the layers below, never above.
LAYERS: list[tuple[str, list[str]]] = [
    (
        "UI",
        [
            "dutydesk.__main__",
            "dutydesk.cli",
            "dutydesk.commands",
            "dutydesk.bench",
            "dutydesk.kiosk",
            "dutydesk.app",
            "dutydesk.app_faults",
            "dutydesk.app_keys",
            "dutydesk.app_live",
            "dutydesk.app_memory",
            "dutydesk.screens",
            "dutydesk.widgets",
        ],
    ),
    # Whole-site tools the commands drive: they write through the models directly.
    ("tools", ["dutydesk.demo", "dutydesk.transfer"]),
    ("domain", ["dutydesk.domain", "dutydesk.render"]),
    (
        "data",
        [
            "dutydesk.models",
            "dutydesk.fields",
            "dutydesk.db",
            "dutydesk.migrations",
            "dutydesk.backends",
            "dutydesk.sqlite_extras",
            "dutydesk.dbfaults",
        ],
    ),
    (
        "base",
        [
            "dutydesk.config",
            "dutydesk.clock",
            "dutydesk.errors",
            "dutydesk.errorlog",
            "dutydesk.i18n",
            "dutydesk.oserrors",
        ],
    ),
]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, "dutydesk")


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    """No modules import each other round a circle, at the top or inside a function."""
    found = cycles(graph)
    assert found == [], f"modules importing each other round a circle: {found}"


def test_imports_go_down_the_layers(graph: dict[str, set[str]]) -> None:
    assert layer_violations(graph, LAYERS) == []


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    unplaced = [m for m in graph if layer_of(m, LAYERS) is None]
    assert unplaced == ["dutydesk"]  # the package itself: only __version__
    assert len(graph) > 100  # the whole package was read


# -- the checker itself, on a small package with a circle and a wrong-way import --

FIXTURE = {
    "pkg/__init__.py": "",
    "pkg/ui/__init__.py": "",
    "pkg/ui/screen.py": "from pkg.domain import rules\n",
    "pkg/domain/__init__.py": "",
    # rules -> alerts at the top, alerts -> rules inside a function: a circle.
    "pkg/domain/rules.py": "from pkg.domain.alerts import ring\n",
    "pkg/domain/alerts.py": ("def ring():\n    from pkg.domain import rules\n    return rules\n"),
    # The domain reaching up into the UI: a layer violation.
    "pkg/domain/bad.py": "import pkg.ui.screen\n",
    # Imports only for the type checker are neither.
    "pkg/domain/typed.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg.ui import screen\n"
        "else:\n    from pkg.domain import rules\n"
    ),
    "pkg/ui/typed.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.ui import typed\n",
    "pkg/models.py": "from .domain import rules  # relative, and upwards\n",
}
FIXTURE_LAYERS = [("ui", ["pkg.ui"]), ("domain", ["pkg.domain"]), ("data", ["pkg.models"])]


def test_the_checker_finds_a_cycle_and_a_layer_violation(tmp_path: Path) -> None:
    for name, text in FIXTURE.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path, "pkg")
    assert cycles(graph) == [("pkg.domain.alerts", "pkg.domain.rules")]
    assert layer_violations(graph, FIXTURE_LAYERS) == [
        "pkg.domain.bad (domain) imports pkg.ui.screen (ui)",
        "pkg.models (data) imports pkg.domain (domain)",
        "pkg.models (data) imports pkg.domain.rules (domain)",
    ]
    assert "pkg.ui.screen" not in graph["pkg.domain.typed"]
    assert "pkg.domain.rules" in graph["pkg.domain.typed"]  # the else branch runs
    assert graph["pkg.ui.typed"] == set()


def test_the_checker_finds_a_longer_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [("a", "b", "c")]
