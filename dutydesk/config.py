"""What the kiosk is started with, resolved once: the options, the database target,
the language, and a first look at the site and its desk.

Light on purpose: the kiosk's lock screen is painted from this module's answers
before Peewee, arrow, the models and the duty rules are loaded (they load right
after the first paint). Nothing here imports them; the site is read with the
standard library's ``sqlite3``, read-only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from dutydesk.errors import ConfigError, DutyDeskError
from dutydesk.i18n import N_, language_from_env, normalise

ENV_VAR = "DUTYDESK_DB"


class _Record:
    """A small record class: fields in ``__slots__``, keyword or positional, compared
    and shown by value. Speed: a dataclass writes and compiles its methods when its
    module is imported (~4 M instructions each, ~1 % of the lock screen's start)."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} fields")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated {name}")
            values[name] = value
        missing = [n for n in names if n not in values]
        if missing:
            raise TypeError(f"{type(self).__name__}: missing {', '.join(missing)}")
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class KioskOptions(_Record):
    """What the kiosk needs from the command line."""

    __slots__ = ("db", "desk", "lang", "lock_after")

    db: str | None
    desk: str | None
    lang: str | None
    lock_after: int | None


def choose_language(cli_lang: str | None, site_lang: str | None) -> str:
    """Precedence: ``--lang``, then (after login) the person's, then the site's, then LANG."""
    return cli_lang or site_lang or language_from_env() or "zh"


# --- where the database is -----------------------------------------------------------


def default_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``DUTYDESK_DB`` is given."""
    from platformdirs import user_data_path  # deferred for start-up speed

    return user_data_path("dutydesk", appauthor=False) / "dutydesk.db"


def explicit_target(target: str | None) -> bool:
    """Was the database named (``--db`` or ``DUTYDESK_DB``), not the default file?"""
    return bool(target) or bool(os.environ.get(ENV_VAR, "").strip())


def resolve_target(target: str | None) -> str:
    """The database target: the argument, else ``DUTYDESK_DB``, else the default file."""
    if target:
        return target
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    return str(default_path())


def redact(url: str) -> str:
    """A URL fit for an error message: never print a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return url


def is_postgres_target(target: str) -> bool:
    return target.split("://", 1)[0].lower() in ("postgres", "postgresql") and "://" in target


def sqlite_path_of(target: str) -> str:
    """The file path of a SQLite target (a plain path or a ``sqlite:///`` URL)."""
    if "://" not in target:
        return target
    scheme = target.split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql"):
        raise ConfigError(N_("This needs a SQLite file, not {url}"), url=redact(target))
    if scheme not in ("sqlite", "sqliteext"):
        raise ConfigError(N_("Unknown database URL: {url}"), url=redact(target))
    if not target.split("://", 1)[1].split("?", 1)[0].strip("/"):
        # playhouse reads "sqlite://" as an in-memory database: a kiosk would
        # lose the whole duty record at exit.
        raise ConfigError(N_("The database URL names no file: {url}"), url=redact(target))
    try:
        from playhouse.db_url import parse as parse_url  # deferred for start-up speed (URLs only)

        parsed = parse_url(target)
    except Exception as exc:  # playhouse raises plain exceptions on junk
        raise ConfigError(N_("Unknown database URL: {url}"), url=redact(target)) from exc
    database = parsed.get("database") or ""
    if not database:
        raise ConfigError(N_("The database URL names no file: {url}"), url=redact(target))
    return str(database)


# --- a first look at the site ------------------------------------------------------------


class DeskGlance(_Record):
    """The desk as the lock screen names it before the duty rules are loaded."""

    __slots__ = ("code", "name", "name_en", "location")  # noqa: RUF023 (the positional order)

    code: str
    name: str
    name_en: str
    location: str


class SiteGlance(_Record):
    """The site as read from its SQLite file without Peewee (read-only)."""

    __slots__ = ("tz", "language", "lock_after_seconds", "desks")  # noqa: RUF023 (the positional order)

    tz: str
    language: str | None
    lock_after_seconds: int
    desks: tuple[DeskGlance, ...]

    def desk(self, code: str | None) -> DeskGlance | None:
        """The desk the kiosk will serve (as :func:`dutydesk.domain.site.find_desk` picks
        it); None when that choice is an error the full start-up reports."""
        if code:
            return next((d for d in self.desks if d.code == code), None)
        return self.desks[0] if len(self.desks) == 1 else None


def _sqlite_file(db_option: str | None) -> str | None:
    """The existing SQLite file ``db_option`` names (None: a server, a URL, no file)."""
    try:
        target = resolve_target(db_option)
        if is_postgres_target(target):
            return None
        path = sqlite_path_of(target)
    except DutyDeskError:
        return None
    if path == ":memory:" or not os.path.isfile(os.path.expanduser(path)):
        return None
    return os.path.abspath(os.path.expanduser(path))


def glance(db_option: str | None) -> SiteGlance | None:
    """The site of an existing SQLite file, read without creating or changing anything;
    None when there is no such file or site, or it cannot be read."""
    path = _sqlite_file(db_option)
    if path is None:
        return None
    try:
        uri = Path(path).as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=2)) as con:
            site = con.execute(
                "SELECT id, tz, language, lock_after_seconds FROM site ORDER BY id LIMIT 1"
            ).fetchone()
            if site is None:
                return None
            desks = con.execute(
                "SELECT code, name, name_en, location FROM desk WHERE site_id = ? ORDER BY id",
                (site[0],),
            ).fetchall()
    except sqlite3.Error:
        return None
    return SiteGlance(
        tz=str(site[1]),
        language=normalise(site[2]) if site[2] else None,
        lock_after_seconds=int(site[3]),
        desks=tuple(
            DeskGlance(str(c), str(n), str(ne or ""), str(loc or "")) for c, n, ne, loc in desks
        ),
    )


def site_language(db_option: str | None) -> str | None:
    """The site's language, read without creating or changing anything (None when
    there is no database or site yet, or it cannot be read)."""
    found = glance(db_option)
    return found.language if found else None


class Opened(_Record):
    """The site the kiosk runs on, once the database is open (:mod:`dutydesk.kiosk`)."""

    __slots__ = ("desk_code", "tz", "site_lang", "lock_after")  # noqa: RUF023 (the positional order)

    desk_code: str | None
    tz: str
    site_lang: str | None
    lock_after: int
