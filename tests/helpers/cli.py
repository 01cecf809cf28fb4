"""The installed ``dutydesk`` command, and the ``init`` arguments of a test site."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def installed_command() -> str:
    """The installed console script, found like a shell would (the venv's bin first)."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("dutydesk", path=search)
    assert found, "the dutydesk command is not installed: pip install -e '.[test]'"
    return found


DUTYDESK = installed_command()


INIT = [
    "--name",
    "Test Gardens",
    "--tz",
    "Asia/Shanghai",
    "--site-lang",
    "en",
    "--add-desk",
    "security:security-3:保安亭:Main gate",
    "--add-desk",
    "engineering:engineering",
    "--add-desk",
    "service:service",
    "--supervisor",
    "S01",
    "--supervisor-name",
    "Sun",
    "--pin-env",
    "PIN_VAR",
]
