"""Chinese and English through gettext.

Message ids are the English text. The Chinese catalogues live as several
``.po`` files under ``catalogues/zh_CN/`` (one per area of the app, so that
work on different screens does not collide); ``python -m dutydesk.i18n.build``
merges them into the one compiled ``locale/zh_CN/LC_MESSAGES/dutydesk.mo`` that
ships in the wheel. A test fails when a string in the code has no Chinese, or
when the ``.mo`` is stale.

Mark strings with ``_("...")`` where they are shown at once and with
``N_("...")`` where they are defined ahead of time (and translate them with
``_()`` when shown).
"""

from __future__ import annotations

import gettext as _gettext
import os
import struct
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "dutydesk"

_translations: dict[str, _gettext.NullTranslations] = {}
_current = "zh"


class Catalogue(_gettext.NullTranslations):
    """A compiled ``.mo`` catalogue whose messages are decoded when first asked for.

    Speed: :class:`gettext.GNUTranslations` decodes every message (about 2,000) when
    it is opened, which the kiosk's lock screen paid before its first paint; here
    opening only indexes the original strings, as bytes. Answers are the same
    (a test compares them for every message).
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        data = path.read_bytes()
        order = "<" if data[:4] == struct.pack("<I", 0x950412DE) else ">"
        _magic, _revision, count, originals, translations = struct.unpack(order + "5I", data[:20])
        pairs = struct.iter_unpack(order + "2I", data[originals : originals + 8 * count])
        self._data = data
        self._index = {data[start : start + size]: i for i, (size, start) in enumerate(pairs)}
        self._targets = data[translations : translations + 8 * count]
        self._order = order
        self._found: dict[bytes, str | None] = {}
        self._plural = self._plural_rule()

    def _text(self, key: bytes) -> str | None:
        if key not in self._found:
            i = self._index.get(key)
            if i is None:
                self._found[key] = None
            else:
                size, start = struct.unpack_from(self._order + "2I", self._targets, 8 * i)
                self._found[key] = self._data[start : start + size].decode("utf-8")
        return self._found[key]

    def _plural_rule(self) -> Callable[[int], int]:
        header = self._text(b"") or ""
        for line in header.splitlines():
            name, _sep, value = line.partition(":")
            if name.strip().lower() == "plural-forms":
                return _gettext.c2py(value.split(";")[1].split("plural=")[1])
        return lambda n: int(n != 1)

    def gettext(self, message: str) -> str:
        found = self._text(message.encode("utf-8"))
        return message if found is None else found

    def pgettext(self, context: str, message: str) -> str:
        found = self._text(f"{context}\x04{message}".encode())
        return message if found is None else found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._text(f"{msgid1}\x00{msgid2}".encode())
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found.split("\x00")[self._plural(n)]

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = self._text(f"{context}\x04{msgid1}\x00{msgid2}".encode())
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found.split("\x00")[self._plural(n)]


def _load(lang: str) -> _gettext.NullTranslations:
    if lang not in _translations:
        if lang == "zh":
            _translations[lang] = Catalogue(LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo")
        else:
            _translations[lang] = _gettext.NullTranslations()
    return _translations[lang]


def normalise(lang: str | None) -> str | None:
    """Map ``zh_CN.UTF-8``, ``zh-Hans``, ``en_GB`` … to ``zh`` or ``en``; else None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("-", "_")
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en") or code in ("c", "posix", "c.utf_8", "c.utf8"):
        return "en"
    return None


def language_from_env() -> str | None:
    """The language LANG / LC_ALL / LC_MESSAGES asks for, if it is one of ours."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = normalise(os.environ.get(var, "").split(".")[0])
        if found:
            return found
    return None


def set_language(lang: str) -> None:
    """Switch the whole process to ``zh`` or ``en``."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _load(lang)
    _current = lang


def current_language() -> str:
    return _current


def gettext(msgid: str) -> str:
    """Translate ``msgid`` into the current language."""
    return _load(_current).gettext(msgid)


def pgettext(context: str, msgid: str, /, **values: object) -> str:
    """Translate ``msgid`` as meant in ``context`` (one English word, two Chinese ones:
    "Due" of a patrol round is 应巡时间, of a written report 应交时间), then fill
    ``{names}`` from ``values``."""
    text = _load(_current).pgettext(context, msgid)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int) -> str:
    return _load(_current).ngettext(singular, plural, n)


def _(msgid: str, /, **values: object) -> str:
    """Translate now, then fill ``{names}`` from ``values``."""
    text = gettext(msgid)
    return text.format(**values) if values else text


def N_(msgid: str) -> str:  # upper-case N_: the gettext convention
    """Mark a string for translation without translating it yet."""
    return msgid


def pick(zh: str, en: str) -> str:
    """Choose between two stored names (data, not code strings) by the current language."""
    return zh if _current == "zh" or not en else en
