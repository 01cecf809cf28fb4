"""Rows written in bulk, each given by keyword and checked against its model.

History is written with ``executemany`` in large transactions, primary keys
computed here, so that ten years build in well under three minutes. A row is a
keyword dict (``bulk.add(desk=…, shift=…)``): a name that is not a field of the
model is refused at once (:func:`model_row`), and every row of one model names
the same fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

import arrow
import peewee as pw

from dutydesk import models as m
from dutydesk.fields import JSONField


def ts(d: dt.datetime) -> str:
    """A naive UTC datetime as stored by UTCField (fixed width, sorts as text)."""
    return d.isoformat(" ", "microseconds")


def utc(a: arrow.Arrow) -> dt.datetime:
    return a.to("UTC").naive


def iso(d: dt.datetime) -> str:
    """A naive UTC datetime in canonical form (as :func:`canonical.instant`)."""
    return d.isoformat("T", "microseconds") + "Z"


def model_row(model: type[m.BaseModel], values: Mapping[str, Any]) -> Mapping[str, Any]:
    """``values`` once each of its keys is known to be a field of ``model``;
    raises ValueError naming the keys that are not (a typo, a renamed column)."""
    fields = model._meta.fields
    unknown = sorted(k for k in values if k not in fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
    return values


class Bulk:
    """Rows of one model, queued and written in batches with one prepared INSERT.

    The statement is peewee's own one-row INSERT (so the SQL and its parameter
    style stay the database's), run with ``executemany``: building a many-row
    statement in Python costs ten times more than the database's work. The first
    row names the columns (checked by :func:`model_row`); every later row must
    name the same ones. Values are given already in their stored form (instants
    as UTC text; JSON fields go through the field's ``db_value``).
    """

    def __init__(
        self, db: pw.Database, model: type[m.BaseModel], first_id: int, size: int = 5000
    ) -> None:
        self.db = db
        self.model = model
        self.size = size
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = first_id
        self.count = 0
        self.parent: list[Bulk] = []  # flushed first (triggers look at them)
        self.columns: tuple[str, ...] = ()
        self.sql = ""
        self.tail: tuple[Any, ...] = ()
        self.json: list[int] = []
        self._keys: frozenset[str] = frozenset()
        self._pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] = lambda row: ()

    def _prepare(self, values: Mapping[str, Any]) -> None:
        """The INSERT for the columns the first row names."""
        if self.columns:
            raise ValueError(
                f"{self.model.__name__} row names {sorted(values)}, "
                f"the first one named {sorted(self.columns)}"
            )
        if "id" in values:
            raise ValueError(f"{self.model.__name__}: the id is given by the bulk writer")
        self.columns = tuple(model_row(self.model, values))
        self._keys = frozenset(self.columns)
        fields = [self.model._meta.fields[n] for n in ("id", *self.columns)]
        self.sql, params = self.model.insert_many(
            [tuple(None for _ in fields)], fields=fields
        ).sql()
        # Peewee appends the defaults of the fields not named; keep them for every row.
        self.tail = tuple(params[len(fields) :])
        self.json = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
        if len(self.columns) > 1:
            self._pick = itemgetter(*self.columns)
        else:
            self._pick = lambda row: (row[self.columns[0]],)

    def add(self, **values: Any) -> int:
        """Queue one row, given by field name; returns the id it will have."""
        if not self.columns or values.keys() != self._keys:
            self._prepare(values)
        rid = self.next_id
        self.next_id += 1
        row = (rid, *self._pick(values), *self.tail)
        if self.json:
            cells = list(row)
            for i in self.json:
                cells[i] = JSONField().db_value(cells[i])
            row = tuple(cells)
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()
        return rid

    def flush(self) -> None:
        for p in self.parent:
            p.flush()
        if self.rows:
            self.db.cursor().executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []
