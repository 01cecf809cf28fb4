"""``dutydesk roster …`` and ``dutydesk holidays …`` actions start no kiosk: their help
offers the common options (--db, --desk, --lang) and never the kiosk's --lock-after."""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk import cli


@pytest.mark.parametrize(
    "argv",
    [
        ("roster", "export"),
        ("roster", "warnings"),
        ("holidays", "import"),
        ("holidays", "list"),
    ],
)
def test_action_help_has_common_options_but_not_lock_after(capsys: Any, argv: tuple[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--lang", "en", *argv, "--help"])
    assert exit_.value.code in (0, None)
    out = capsys.readouterr().out
    assert "--lock-after" not in out
    assert "--db" in out and "--desk" in out and "--lang" in out


def test_options_after_a_roster_action_still_work(capsys: Any) -> None:
    """``roster warnings … --db X``: the option after the action is taken (a missing
    file is reported, not a usage error)."""
    code = cli.main(
        [
            "roster",
            "warnings",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-07",
            "--db",
            "/nonexistent/x.db",
        ]
    )
    assert code != 2
