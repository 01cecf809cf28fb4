"""Every ``dutydesk … --help`` the README lists works (exit 0, its own usage line), and
the README's screenshot is the committed SVG the app drew."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dutydesk import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
HELP_LINES = re.findall(r"^(dutydesk(?: [a-z-]+)* --help)\b", README, flags=re.MULTILINE)


def test_the_readme_lists_the_commands() -> None:
    listed = {line.split()[1] for line in HELP_LINES}
    assert {"handover", "roster", "checkpoints", "holidays", "verify", "init"} <= listed


@pytest.mark.parametrize("line", HELP_LINES)
def test_each_help_in_the_readme_runs(line: str, capsys: Any) -> None:
    argv = ["--lang", "en", *line.split()[1:]]
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: dutydesk {argv[2]}")


def test_the_screenshot_is_committed_and_drawn_by_textual() -> None:
    assert "docs/screenshot-f2.svg" in README
    svg = (ROOT / "docs" / "screenshot-f2.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Generated with Rich" in svg  # Textual's screenshot
    assert "Carried&#160;over" in svg and "Patrol" in svg  # the demo's F2
