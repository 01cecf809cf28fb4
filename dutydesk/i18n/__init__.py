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
from pathlib import Path

LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "dutydesk"

_translations: dict[str, _gettext.NullTranslations] = {}
_current = "zh"


def _load(lang: str) -> _gettext.NullTranslations:
    if lang not in _translations:
        if lang == "zh":
            _translations[lang] = _gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=["zh_CN"]
            )
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
