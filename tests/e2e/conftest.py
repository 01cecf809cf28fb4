"""Fixtures of the end-to-end tests: a private tmux server."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.tmux import Tmux


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    term = Tmux(f"dutydesk-e2e-{os.getpid()}")
    yield term
    subprocess.run([*term.base, "kill-server"], capture_output=True)
