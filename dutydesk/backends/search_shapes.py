"""The search index's shapes, shared by :mod:`dutydesk.backends` and its engines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dutydesk import sqlite_extras

# One indexed record: (search_doc id, its token string, kind, desk id).
SearchRow = tuple[int, str, str, int | None]
# A query: every phrase must match; a phrase is tokens that follow each other. A
# last token ending in PREFIX ("deliv*") matches every token it begins (tokens
# never hold "*": the domain's tokenizer splits on it).
Phrases = Sequence[Sequence[str]]
PREFIX = "*"
RANK_WINDOW = sqlite_extras.RANK_WINDOW


@dataclass(frozen=True)
class SearchFilter:
    """Which records a search looks at: kinds, one desk, a time window (stored
    instants as text); None means any."""

    kinds: Sequence[str] | None = None
    desk_id: int | None = None
    since: str | None = None
    until: str | None = None


def split_prefix(token: str) -> tuple[str, bool]:
    """(the token without the prefix mark, whether it was a prefix)."""
    return (token[: -len(PREFIX)], True) if token.endswith(PREFIX) else (token, False)
