"""The seam between the duty rules and the database engine.

Everything that differs between SQLite and PostgreSQL lives behind the small
:class:`Backend` interface, one module per engine (:mod:`.sqlite`,
:mod:`.postgres`). The domain asks :func:`of` (or :func:`current`) for the
back end of the database it runs on and never checks which one it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import peewee as pw

# The search index's shapes live in .search_shapes, shared with the engine modules
# (which import them from there, not from this package: no import circle).
from dutydesk.backends.search_shapes import PREFIX as PREFIX
from dutydesk.backends.search_shapes import RANK_WINDOW as RANK_WINDOW
from dutydesk.backends.search_shapes import Phrases as Phrases
from dutydesk.backends.search_shapes import SearchFilter as SearchFilter
from dutydesk.backends.search_shapes import SearchRow as SearchRow
from dutydesk.backends.search_shapes import split_prefix as split_prefix


class Backend(Protocol):
    """What the rest of DutyDesk needs from a database engine."""

    name: str

    def open(
        self,
        target: str,
        *,
        create: bool,
        check_fs: Callable[[Path], None],
        read_only: bool = False,
    ) -> pw.Database:
        """Connect to ``target`` with the engine's settings (one-line ConfigError if not)."""
        ...

    def install(self, db: pw.Database) -> None:
        """Create the guards (signed records, audit trail) and the search index; idempotent."""
        ...

    def missing_guards(self, db: pw.Database) -> list[str]:
        """Names of the immutability triggers that should exist but do not."""
        ...

    def index_names(self, db: pw.Database) -> set[str]:
        """Names of the indexes that exist."""
        ...

    def lock_chain(self, db: pw.Database) -> None:
        """Inside a write: make this transaction the only one appending to the audit chain."""
        ...

    def change_token(self, db: pw.Database) -> Any:
        """A value that changes when anything was committed since it was last taken
        (by this or another connection); cheap enough to ask every second."""
        ...

    def after_copy(self, db: pw.Database, models: Sequence[Any]) -> None:
        """After rows were copied in with their ids: new rows get ids above them."""
        ...

    def search_add(self, db: pw.Database, rows: Sequence[SearchRow]) -> None: ...

    def search_remove(self, db: pw.Database, rows: Sequence[SearchRow]) -> None: ...

    def search_clear(self, db: pw.Database) -> None: ...

    def search_optimize(self, db: pw.Database) -> None: ...

    def search(
        self,
        db: pw.Database,
        phrases: Phrases,
        where: SearchFilter,
        *,
        limit: int,
        offset: int,
        newest_first: bool,
    ) -> list[tuple[int, float]]:
        """``(search_doc id, score)`` of one page of hits, best (lowest score) first."""
        ...

    def search_count(
        self,
        db: pw.Database,
        phrases: Phrases,
        where: SearchFilter,
        *,
        cap: int,
    ) -> int: ...


# A common word matches most of ten years of records: only the newest this-many
# matches are ranked, on both engines alike (so both find and count the same).


def is_postgres_target(target: str) -> bool:
    return target.split("://", 1)[0].lower() in ("postgres", "postgresql") and "://" in target


def _named(name: str) -> Backend:
    # Imported on first use: a SQLite kiosk never loads the PostgreSQL module.
    if name == "postgresql":
        from dutydesk.backends.postgres import BACKEND as pg

        return pg
    from dutydesk.backends.sqlite import BACKEND as lite

    return lite


def for_target(target: str) -> Backend:
    """The back end a database path or URL names."""
    return _named("postgresql" if is_postgres_target(target) else "sqlite")


def of(db: pw.Database | pw.DatabaseProxy) -> Backend:
    """The back end of an open database."""
    if isinstance(db, pw.DatabaseProxy):
        db = db.obj
    return _named("postgresql" if isinstance(db, pw.PostgresqlDatabase) else "sqlite")


def current() -> Backend:
    """The back end of the database the models are bound to."""
    from dutydesk.models import database_proxy

    return of(database_proxy)
