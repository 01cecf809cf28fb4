"""A plain kiosk start is read without argparse, exactly as argparse reads it; anything
else (help, a subcommand, a bad value, an abbreviation) is left to argparse."""

from __future__ import annotations

from typing import Any

import pytest

from dutydesk import cli
from dutydesk.i18n import set_language


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "/tmp/x.db"],
        ["--db", "/tmp/x.db", "--desk", "security"],
        ["--db=/tmp/x.db", "--desk=security", "--lang", "en", "--lock-after", "60"],
        ["--lang=zh_CN", "--lock-after=5", "--db", "a.db", "--db", "b.db"],
    ],
)
def test_a_plain_kiosk_start_reads_as_argparse_reads_it(argv: list[str]) -> None:
    quick = cli.quick_kiosk_options(argv)
    assert quick is not None
    assert quick == cli.kiosk_options(cli.build_parser(load_commands=False).parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["status"],
        ["--db"],
        ["--lang", "fr"],
        ["--lock-after", "0"],
        ["--lock-after", "soon"],
        ["--lock", "60"],
        ["--db", "--desk", "x"],
        ["--db="],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert cli.quick_kiosk_options(argv) is None


def test_the_version_option_is_described_in_chinese(capsys: Any) -> None:
    set_language("zh")
    try:
        with pytest.raises(SystemExit):
            cli.main(["--lang", "zh", "--help"])
    finally:
        set_language("en")
    out = capsys.readouterr().out
    assert "show program's version number" not in out
    assert "显示版本号并退出" in out
