"""Moving a whole site between databases (``dutydesk migrate --from … --to …``).

SQLite file → PostgreSQL site server when a site outgrows one PC, and back
(PostgreSQL → SQLite file) for an offline copy. Every table is copied row by
row with its ids, in dependency order, inside one transaction on the target
(all or nothing) while the source is held by a write transaction (no kiosk
writes half-way through). Then the target's sequences are set past the copied
ids, the search index is rebuilt from the copied documents, and the target is
checked: ``verify`` passes, every table has as many rows as the source, and the
audit chain ends in the same head.

Signed handovers are guarded against new items and signatures, so they are
inserted in a transient state and marked signed once their items and
signatures are in, within the same transaction; nothing outside it ever sees
the difference, and the guards stay on throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from dutydesk import backends
from dutydesk import models as m
from dutydesk.db import open_database, redact
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_

BATCH = 500
_COPYING = "migrating"  # the transient state of a signed handover during the copy


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


@dataclass
class TransferReport:
    counts: list[TableCount]
    source_head: str
    target_head: str
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(c.target for c in self.counts)

    @property
    def mismatched(self) -> list[TableCount]:
        return [c for c in self.counts if c.source != c.target]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.mismatched and self.source_head == self.target_head


def _models() -> list[Any]:
    """The tables to copy, parents first (the schema version is the target's own)."""
    ordered = pw.sort_models(m.ALL_MODELS)  # type: ignore[attr-defined]
    return [model for model in ordered if model is not m.SchemaVersion]


def _holds_records(db: pw.Database) -> str | None:
    """The site name (or a table name) if ``db`` already holds anything."""
    site = m.Site.select(m.Site.name).bind(db).first()
    if site is not None:
        return str(site.name)
    for model in _models():
        if model.select().bind(db).exists():
            return str(model._meta.table_name)
    return None


def site_name(target: str) -> str | None:
    """The name of the site in the database at ``target`` (None: no site yet)."""
    db = open_database(target)
    try:
        site = m.Site.select(m.Site.name).first()
        return str(site.name) if site else None
    finally:
        db.close()


def _batches(db: pw.Database, model: Any) -> Iterator[list[tuple[Any, ...]]]:
    pk = model._meta.primary_key
    fields = model._meta.sorted_fields
    last: Any = None
    while True:
        query = model.select(*fields).order_by(pk).limit(BATCH)
        if last is not None:
            query = query.where(pk > last)
        rows = list(query.bind(db).tuples())
        if not rows:
            return
        yield rows
        last = rows[-1][[f.name for f in fields].index(pk.name)]


def _copy_table(src: pw.Database, dst: pw.Database, model: Any) -> None:
    fields = model._meta.sorted_fields
    # A row may point at a later row of its own table (a category's parent):
    # such links are set once every row is in.
    self_links = [
        i
        for i, f in enumerate(fields)
        if isinstance(f, pw.ForeignKeyField) and f.rel_model is model
    ]
    names = [f.name for f in fields]  # (a Field's == builds SQL: compare names)
    state = names.index("state") if model is m.Handover else None
    pk_index = names.index(model._meta.primary_key.name)
    links: list[tuple[Any, int, Any]] = []
    for rows in _batches(src, model):
        out = []
        for row in rows:
            values = list(row)
            for i in self_links:
                if values[i] is not None:
                    links.append((values[pk_index], i, values[i]))
                    values[i] = None
            if state is not None and values[state] == "signed":
                values[state] = _COPYING
            out.append(values)
        model.insert_many(out, fields=fields).bind(dst).execute()
    for row_id, i, target_id in links:
        model.update({fields[i]: target_id}).where(model._meta.primary_key == row_id).bind(
            dst
        ).execute()


def _reindex(dst: pw.Database) -> None:
    from dutydesk.domain.search import token_string

    index = backends.of(dst)
    for rows in _batches(dst, m.SearchDoc):
        fields = m.SearchDoc._meta.sorted_fields
        doc = {f.name: i for i, f in enumerate(fields)}
        index.search_add(
            dst,
            [
                (r[doc["id"]], token_string(r[doc["body"]]), r[doc["kind"]], r[doc["desk_id"]])
                for r in rows
            ],
        )
    index.search_optimize(dst)


def _head(db: pw.Database) -> str:
    last = m.AuditEvent.select(m.AuditEvent.seq, m.AuditEvent.hash).order_by(
        m.AuditEvent.seq.desc()
    )
    row = last.bind(db).first()
    return f"{row.seq}:{row.hash}" if row else "0"


def _verify(db: pw.Database) -> list[str]:
    from dutydesk.domain.verify import verify

    m.database_proxy.initialize(db)
    return [p.text() for p in verify().problems]


def transfer(
    source: str, target: str, progress: Callable[[str, int], None] | None = None
) -> TransferReport:
    """Copy the site at ``source`` into the empty database ``target``; then check it."""
    if source == target:
        raise ConfigError(N_("The source and the target are the same database"))
    src = open_database(source, create=False)
    dst = open_database(target)
    try:
        from dutydesk.migrations import current_version

        if current_version(src) != current_version(dst):
            raise ConfigError(N_("The source and the target have different schema versions"))
        if m.Site.select().bind(src).first() is None:
            raise ConfigError(N_("No site in {path}"), path=redact(source))
        found = _holds_records(dst)
        if found is not None:
            raise ConfigError(
                N_("{path} already holds records ({what}); a site moves only into an empty one"),
                path=redact(target),
                what=found,
            )
        models = _models()
        # The source's write lock: no kiosk writes while it is copied.
        with src.atomic(), dst.atomic():
            for model in models:
                _copy_table(src, dst, model)
                if progress is not None:
                    progress(model._meta.table_name, model.select().bind(dst).count())
            m.Handover.update(state="signed").where(m.Handover.state == _COPYING).bind(
                dst
            ).execute()
            backends.of(dst).after_copy(dst, models)
            _reindex(dst)
            counts = [
                TableCount(
                    model._meta.table_name,
                    model.select().bind(src).count(),
                    model.select().bind(dst).count(),
                )
                for model in models
            ]
            source_head = _head(src)
        report = TransferReport(counts, source_head, _head(dst))
        report.problems = _verify(dst)
        return report
    finally:
        src.close()
