"""dutydesk.domain never imports textual: the rules run without a screen."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import dutydesk.domain
    names = sorted(m.name for m in pkgutil.iter_modules(dutydesk.domain.__path__))
    for name in names:
        importlib.import_module(f"dutydesk.domain.{name}")
    # Packages of the domain (reports) and the renderers are plain Python too.
    import dutydesk.domain.reports, dutydesk.render
    for pkg in (dutydesk.domain.reports, dutydesk.render):
        for m in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{m.name}")
    ui = sorted(m for m in sys.modules
                if m.split(".")[0] in ("textual", "dutydesk")
                and (m.split(".")[0] == "textual" or m.startswith(("dutydesk.screens",
                     "dutydesk.widgets", "dutydesk.app"))))
    print(json.dumps({"modules": names, "ui": ui}))
    """
)


def test_domain_imports_no_textual():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    domain = ROOT / "dutydesk" / "domain"
    on_disk = sorted(
        [p.stem for p in domain.glob("*.py") if p.stem != "__init__"]
        + [p.name for p in domain.iterdir() if (p / "__init__.py").exists()]
    )
    assert found["modules"] == on_disk  # every module was imported
    assert {"patterns", "shifts", "staff", "audit", "site", "pins"} <= set(on_disk)
    assert found["ui"] == [], f"the domain pulls in UI modules: {found['ui']}"


def test_screens_never_touch_the_database_directly():
    """One direction (ARCHITECTURE.md, "Layers"): screens and widgets call dutydesk.domain; only the
    domain (and the demo builder, db, migrations) import peewee or the models."""
    import ast

    offenders = []
    ui_files = [ROOT / "dutydesk" / "app.py"]
    for folder in ("screens", "widgets"):
        ui_files += sorted((ROOT / "dutydesk" / folder).rglob("*.py"))  # packages too
    for path in ui_files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] in ("peewee", "playhouse") or name.startswith(
                    ("dutydesk.models", "dutydesk.db")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert len(ui_files) > 10
    assert any(p.parent.name == "roster" for p in ui_files)  # inside the screen packages
    assert offenders == []
