"""Chinese and English: every marked string has Chinese, the shipped .mo is fresh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dutydesk import i18n
from dutydesk.errors import ConfigError
from dutydesk.i18n import _, build, normalise, set_language

ROOT = Path(__file__).resolve().parents[2]


def test_compiled_catalogue_is_fresh():
    """``python -m dutydesk.i18n.build --check``: the committed .mo matches the .po files."""
    out = subprocess.run(
        [sys.executable, "-m", "dutydesk.i18n.build", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr + out.stdout


def test_every_marked_string_has_chinese():
    gaps = build.missing()
    listing = "\n".join(f"{where[0]}: {msgid!r}" for msgid, where in sorted(gaps.items()))
    assert not gaps, f"{len(gaps)} strings without Chinese:\n{listing}"


def test_marked_strings_are_found():
    found = build.marked_strings()
    assert "Type your PIN" in found
    assert "A PIN is 4 to 8 digits" in found


def test_chinese_for_a_core_message():
    set_language("zh")
    assert _("No desk {code}; this site has: {desks}", code="x", desks="a, b") == (
        "没有值班台 x；本站点有：a, b"
    )
    err = ConfigError("Unknown time zone: {tz}", tz="Mars/Base")
    assert "Mars/Base" in err.translated() and "Unknown" not in err.translated()
    set_language("en")
    assert err.translated() == "Unknown time zone: Mars/Base"


def test_placeholders_survive_translation():
    """A translation that drops or renames a {name} would raise KeyError or lose data."""
    cat = build.merged_catalogue()
    import re

    bad = []
    for msg in cat:
        if not msg.id or not msg.string or isinstance(msg.id, tuple):
            continue
        names = set(re.findall(r"\{(\w*)\}", msg.id))
        if names != set(re.findall(r"\{(\w*)\}", msg.string)):
            bad.append(msg.id)
    assert bad == []


@pytest.mark.parametrize(
    ("given", "lang"),
    [
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("en_GB", "en"),
        ("C", "en"),
        ("POSIX", "en"),
        ("fr_FR", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise(given, lang):
    assert normalise(given) == lang


def test_language_from_env(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.language_from_env() is None
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.language_from_env() == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert i18n.language_from_env() == "en"


def test_unknown_language_refused():
    with pytest.raises(ValueError):
        set_language("fr")
    assert i18n.current_language() == "en"


def test_pick_chooses_the_stored_name():
    set_language("zh")
    assert i18n.pick("保安亭", "Security booth") == "保安亭"
    set_language("en")
    assert i18n.pick("保安亭", "Security booth") == "Security booth"
    assert i18n.pick("保安亭", "") == "保安亭"


def test_no_f_string_is_marked_for_translation():
    """``_(f"...")`` can never match a catalogue entry: use ``_("... {name}", name=...)``."""
    import ast

    bad = []
    for path in sorted((ROOT / "dutydesk").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "gettext", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []
