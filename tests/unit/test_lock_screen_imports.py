"""The lock screen is painted before Peewee, arrow, the models and the duty rules
load: the modules on its path must not import them (they load in a thread after
the first paint). Checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ON_THE_PATH = [
    "dutydesk.cli",
    "dutydesk.config",
    "dutydesk.kiosk",
    "dutydesk.app",
    "dutydesk.app_keys",
    "dutydesk.app_faults",
    "dutydesk.app_live",
    "dutydesk.screens.lock",
    "dutydesk.screens.registry",
    "dutydesk.screens.context",
]
LATER = [
    "peewee",
    "arrow",
    "argparse",
    "zoneinfo",
    "dutydesk.models",
    "dutydesk.db",
    "dutydesk.domain",
]


def test_the_lock_screens_path_imports_none_of_the_later_modules():
    code = (
        "import importlib, json, sys\n"
        f"for name in {ON_THE_PATH!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps([m for m in {LATER!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
