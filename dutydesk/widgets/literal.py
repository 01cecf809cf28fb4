"""User text shown as typed: never markup, never links, never terminal control codes.

Names, notes and log entries are data. Rich ``Text`` is never parsed as markup;
control characters (ESC sequences, bells, C1 codes) are replaced by visible
symbols so they cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(text: str) -> str:
    """``text`` with control characters made visible (newlines and tabs kept)."""
    return _CONTROL.sub(_visible, text)


def literal(text: str, style: str = "", *, one_line: bool = False, limit: int = 0) -> Text:
    """A Rich ``Text`` that shows ``text`` literally.

    ``one_line`` folds newlines into spaces (for list rows); ``limit`` cuts very
    long text with an ellipsis (the full text stays in the database).
    """
    shown = clean(text)
    if one_line:
        shown = " ".join(shown.split())
    if limit and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return Text(shown, style=style, no_wrap=one_line, overflow="ellipsis" if one_line else "fold")
