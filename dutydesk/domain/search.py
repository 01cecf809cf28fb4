"""Search (F8) across incidents, the duty log, the phone log and repair requests.

Chinese has no spaces, SQLite's unicode61 tokenizer keeps a whole Chinese run
as one token, and the trigram tokenizer finds nothing shorter than three
characters. So the text is turned into tokens here, in Python, the way Lucene's
CJK analyzer does it: English (and other non-CJK) words lowercased; each run of
Chinese characters as its overlapping character bigrams followed by its single
characters ("电梯故障" → 电梯 梯故 故障 电 梯 故 障). A query is tokenized the
same way: one Chinese character looks up the single-character token, two or
more look up their bigrams as a phrase, so "梯故" is found inside "电梯故障" but
"梯电" is not. Other words are found whole, except the last word of a query,
which also finds the words it begins (an FTS5 prefix query, ``"deliv"*``; fast
enough without a prefix index: a 3-letter prefix takes ~4 ms on ten years of
records). Every token is quoted: whatever the user types ('"', '*', '(',
NEAR, AND) is only ever a word to look for.

The index lives behind :mod:`dutydesk.backends` (FTS5 and bm25 on SQLite, a
GIN-indexed tsvector on PostgreSQL); this module owns the tokens, the
documents and the highlighting.
Records are indexed in the transaction that creates them (:func:`index_record`);
the demo builder loads rows in bulk and then calls :func:`index_many` or
:func:`reindex_all`. If :func:`tokens` ever changes, a migration must call
:func:`reindex_all` (the index can only un-index what it was given).

About 600 lines on purpose: the tokenizer, the index's upkeep and the query belong
together, since the index and the query must split text the same way.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import arrow
import peewee as pw

from dutydesk import backends
from dutydesk import sqlite_extras as sqlite_extras  # kept: screens read its RANK_WINDOW
from dutydesk.db import write
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import (
    Desk,
    DutyLogEntry,
    Incident,
    IncidentCategory,
    PhoneCall,
    RepairRequest,
    SearchDoc,
    database_proxy,
)


class SearchKind(StrEnum):
    """What can be searched (the values are the stored ``SearchDoc.kind`` strings)."""

    INCIDENT = "incident"
    DUTY = "duty"
    PHONE = "phone"
    REPAIR = "repair"


class SearchOrder(StrEnum):
    """How hits are ordered: by relevance (bm25) or newest first."""

    RANK = "rank"
    NEWEST = "newest"


# What can be searched, in the order the F8 screen offers them.
KINDS: tuple[str, ...] = tuple(SearchKind)
KIND_LABELS: dict[str, str] = {
    SearchKind.INCIDENT: N_("Incidents"),
    SearchKind.DUTY: N_("Duty log"),
    SearchKind.PHONE: N_("Phone log"),
    SearchKind.REPAIR: N_("Repair requests"),
}

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 72
_BATCH = 500

# Han (with extensions and compatibility ideographs), kana and hangul: the
# scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_RE = re.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[^\W_])+)")
# A non-CJK word char; a word match must not touch one on either side.
_WORDCHAR = rf"(?![{_CJK}])[^\W_]"


def _normalise(text: str) -> str:
    """Full-width to half-width, compatibility forms folded, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """The index tokens of ``text`` (see the module docstring)."""
    out: list[str] = []
    for m in _TOKEN_RE.finditer(_normalise(text)):
        run, word = m.group(1), m.group(2)
        if run:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            out.extend(run)
        else:
            out.append(word)
    return out


def token_string(text: str) -> str:
    """The tokens of ``text`` as the one string the full-text index stores."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query: a Chinese run (found anywhere), a word (whole), or the
    word being typed at the end of the query (``prefix``: any word it begins)."""

    text: str
    cjk: bool
    prefix: bool = False

    def phrase(self) -> list[str]:
        """The index tokens this term must match in a row (bigrams for 2+ CJK chars;
        a prefix marked for the back end)."""
        if self.cjk and len(self.text) > 1:
            return [self.text[i : i + 2] for i in range(len(self.text) - 1)]
        return [self.text + backends.PREFIX if self.prefix else self.text]

    def fts(self) -> str:
        """The term as a quoted FTS5 string (a phrase of bigrams for 2+ CJK chars;
        ``"deliv"*`` for a prefix)."""
        if self.cjk and len(self.text) > 1:
            body = " ".join(self.text[i : i + 2] for i in range(len(self.text) - 1))
        else:
            body = self.text
        return '"' + body.replace('"', '""') + '"' + ("*" if self.prefix else "")


def query_terms(query: str) -> list[QueryTerm]:
    """The words of a user's query; punctuation and FTS syntax are only separators.

    People type the beginning of a word: the last word of the query, when it is
    not Chinese and the query does not end with a space, also finds the words it
    begins ("deliv" finds "delivery", "delivered"). Words before it are whole.
    """
    terms: list[QueryTerm] = []
    text = _normalise(query[:MAX_QUERY_CHARS])
    for m in _TOKEN_RE.finditer(text):
        run, word = m.group(1), m.group(2)
        term = QueryTerm(run, True) if run else QueryTerm(word, False)
        if term not in terms:
            terms.append(term)
    if terms and not terms[-1].cjk and not text[-1:].isspace():
        terms[-1] = QueryTerm(terms[-1].text, False, prefix=True)
    return terms


def match_expression(query: str) -> str | None:
    """The FTS5 expression for a user's query (all terms must match); None if empty."""
    terms = query_terms(query)
    return " AND ".join(t.fts() for t in terms) if terms else None


# --- highlighting -----------------------------------------------------------------


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` normalised, and for each normalised char the index it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = _normalise(ch)
        parts.append(n)
        where.extend([i] * len(n))
    return "".join(parts), where


def highlight(text: str, query: str | Sequence[QueryTerm]) -> list[tuple[int, int]]:
    """Where the query's words are in ``text``: sorted, merged ``(start, end)`` offsets."""
    terms = query_terms(query) if isinstance(query, str) else list(query)
    if not terms or not text:
        return []
    norm, where = _normalised_with_map(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        if term.cjk:
            pattern = re.escape(term.text)
        elif term.prefix:  # the whole word it begins
            pattern = rf"(?<!{_WORDCHAR}){re.escape(term.text)}(?:{_WORDCHAR})*"
        else:
            pattern = rf"(?<!{_WORDCHAR}){re.escape(term.text)}(?!{_WORDCHAR})"
        for m in re.finditer(pattern, norm):
            found.append((where[m.start()], where[m.end() - 1] + 1))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(
    text: str, spans: Sequence[tuple[int, int]], width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt of ``text`` centred on the first match, with the spans moved
    into it (so the match shows however narrow the column).

    Line breaks and tabs become spaces; "…" marks text cut off at either end.
    """
    flat = re.sub(r"[\r\n\t\v\f]", " ", text)
    if len(flat) <= width:
        return flat, list(spans)
    first, first_end = spans[0] if spans else (0, 0)
    start = max(0, first - max(0, width - (first_end - first)) // 2)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    moved = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    ]
    return prefix + flat[start:end] + suffix, moved


# --- documents ----------------------------------------------------------------------


def _join(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, ""))


class _CategoryNames:
    """Category names (both languages) by (desk kind, code), so "火警" and "alarm"
    find an incident filed under fire alarm even when its text says neither."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], str] = {}
        self.desk_kind: dict[int, str] = {d.id: d.kind for d in Desk.select(Desk.id, Desk.kind)}
        for c in IncidentCategory.select():
            self.names[(c.desk_kind, c.code)] = _join(c.name_zh, c.name_en).replace("\n", " ")

    def of(self, desk_id: int, *codes: str) -> str:
        kind = self.desk_kind.get(desk_id, "")
        return _join(*(self.names.get((kind, code), code) for code in codes if code))


def _incident_text(r: dict[str, Any], cats: _CategoryNames) -> str:
    return _join(
        r["place"],
        cats.of(r["desk"], r["category"], r["subcategory"]),
        r.get("people_involved", ""),
        r["characteristics"],
        r["description"],
        r["actions"],
        r["result"],
    )


def _duty_text(r: dict[str, Any], cats: _CategoryNames) -> str:
    return _join(r["text"], r["result"], r["names"])


def _phone_text(r: dict[str, Any], cats: _CategoryNames) -> str:
    return _join(r["caller"], r["number"], r["content"], r["action"])


def _repair_text(r: dict[str, Any], cats: _CategoryNames) -> str:
    return _join(
        r["from_name"],
        r["from_unit"],
        r["from_phone"],
        r["place"],
        r["problem"],
        r["action"],
        r["reason"],
    )


@dataclass(frozen=True)
class _Source:
    model: Any  # a peewee model class
    at: str
    fields: tuple[str, ...]
    text: Callable[[dict[str, Any], _CategoryNames], str]
    # Rows not indexed: duty-log lines written by an incident repeat the incident.
    where: Callable[[], Any] | None = None


_SOURCES: dict[str, _Source] = {
    SearchKind.INCIDENT: _Source(
        Incident,
        "occurred_at",
        (
            "place",
            "category",
            "subcategory",
            "people_involved",
            "characteristics",
            "description",
            "actions",
            "result",
        ),
        _incident_text,
    ),
    SearchKind.DUTY: _Source(
        DutyLogEntry,
        "occurred_at",
        ("text", "result", "names"),
        _duty_text,
        lambda: DutyLogEntry.ref_type != "incident",
    ),
    SearchKind.PHONE: _Source(
        PhoneCall, "call_at", ("caller", "number", "content", "action"), _phone_text
    ),
    SearchKind.REPAIR: _Source(
        RepairRequest,
        "received_at",
        ("from_name", "from_unit", "from_phone", "place", "problem", "action", "reason"),
        _repair_text,
    ),
}


def _source(kind: str) -> _Source:
    try:
        return _SOURCES[kind]
    except KeyError:
        raise ValidationError(
            N_("Unknown kind of record: {kind}"), field="kind", kind=kind
        ) from None


def _select(kind: str) -> pw.ModelSelect:
    src = _source(kind)
    m = src.model
    cols = [m.id, m.desk, getattr(m, src.at), *(getattr(m, f) for f in src.fields)]
    q: pw.ModelSelect = m.select(*cols)
    if src.where is not None:
        q = q.where(src.where())
    return q


@dataclass(frozen=True)
class IndexRow:
    """One record's searchable text, where it was and when."""

    kind: str
    ref_id: int
    text: str
    desk_id: int | None = None
    at: arrow.Arrow | None = None


def document(kind: str, ref_id: int) -> IndexRow:
    """The searchable text of a stored record, composed as :func:`reindex_all` does."""
    src = _source(kind)
    row = _select(kind).where(src.model.id == ref_id).dicts().first()
    if row is None:
        raise NotFound(N_("No such record"))
    return IndexRow(kind, ref_id, src.text(row, _CategoryNames()), row["desk"], row[src.at])


def _db() -> pw.Database:
    db: pw.Database = database_proxy.obj
    return db


def _index() -> backends.Backend:
    """The full-text index of the database's engine (FTS5 on SQLite, GIN on PostgreSQL)."""
    return backends.of(database_proxy)


def index_record(
    kind: str,
    ref_id: int,
    text: str | None = None,
    *,
    desk_id: int | None = None,
    at: arrow.Arrow | None = None,
) -> None:
    """Index (or re-index) one record; call inside the write that creates or changes it.

    Without ``text`` the record is read back and composed as :func:`document`
    does (what creators of duty-log and phone entries should use); a missing
    ``desk_id`` or ``at`` is read from the record too.
    """
    if text is None or desk_id is None or at is None:
        doc = document(kind, ref_id)
        text = doc.text if text is None else text
        desk_id = doc.desk_id if desk_id is None else desk_id
        at = doc.at if at is None else at
    index_many([IndexRow(kind, ref_id, text, desk_id, at)])


def _batches(rows: Iterable[IndexRow], size: int = _BATCH) -> Iterator[list[IndexRow]]:
    batch: list[IndexRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _replace_existing(db: pw.Database, batch: list[IndexRow]) -> dict[tuple[str, int], int]:
    """Un-index the rows of ``batch`` already indexed; their kept search_doc ids."""
    kept: dict[tuple[str, int], int] = {}
    by_kind: dict[str, list[int]] = {}
    for r in batch:
        by_kind.setdefault(r.kind, []).append(r.ref_id)
    old: list[backends.SearchRow] = []
    for kind, ids in by_kind.items():
        for doc in SearchDoc.select().where((SearchDoc.kind == kind) & SearchDoc.ref_id.in_(ids)):
            kept[(kind, doc.ref_id)] = doc.id
            old.append((doc.id, token_string(doc.body), kind, doc.desk_id))
    if old:
        _index().search_remove(db, old)
    return kept


def index_many(rows: Iterable[IndexRow], *, fresh: bool = False) -> int:
    """Index many records at once (the demo builder's bulk load); returns how many.

    Records already indexed are replaced. ``fresh=True`` skips that check when
    the caller knows none of them is indexed yet (after :func:`reindex_all`'s wipe).
    """
    db = _db()
    count = 0
    with write():
        next_id = (SearchDoc.select(pw.fn.MAX(SearchDoc.id)).scalar() or 0) + 1
        for batch in _batches(rows):
            for r in batch:
                _source(r.kind)
            kept = {} if fresh else _replace_existing(db, batch)
            new_docs: list[dict[str, Any]] = []
            fts_rows: list[backends.SearchRow] = []
            for r in batch:
                doc_id = kept.get((r.kind, r.ref_id))
                if doc_id is None:
                    doc_id = next_id
                    next_id += 1
                    new_docs.append(
                        {
                            "id": doc_id,
                            "kind": r.kind,
                            "ref_id": r.ref_id,
                            "desk_id": r.desk_id,
                            "at": r.at,
                            "body": r.text,
                        }
                    )
                else:
                    SearchDoc.update(desk_id=r.desk_id, at=r.at, body=r.text).where(
                        SearchDoc.id == doc_id
                    ).execute()
                fts_rows.append((doc_id, token_string(r.text), r.kind, r.desk_id))
            if new_docs:
                SearchDoc.insert_many(new_docs).execute()
            _index().search_add(db, fts_rows)
            count += len(batch)
    return count


def remove_record(kind: str, ref_id: int) -> None:
    """Take a record out of the index (inside the caller's write)."""
    db = _db()
    with write():
        doc = SearchDoc.get_or_none((SearchDoc.kind == kind) & (SearchDoc.ref_id == ref_id))
        if doc is not None:
            _index().search_remove(db, [(doc.id, token_string(doc.body), kind, doc.desk_id)])
            doc.delete_instance()


def _all_rows(kind: str, cats: _CategoryNames) -> Iterator[IndexRow]:
    src = _source(kind)
    q = _select(kind).order_by(getattr(src.model, src.at), src.model.id).dicts()
    for r in q.iterator():
        yield IndexRow(kind, r["id"], src.text(r, cats), r["desk"], r[src.at])


def reindex_all() -> int:
    """Rebuild the whole index from the records; returns how many were indexed.

    Rows go in time order across all kinds, so index order is time order (the
    ranking window of a very common word is "the newest matches").
    """
    db = _db()
    with write():
        _index().search_clear(db)
        SearchDoc.delete().execute()
        cats = _CategoryNames()
        merged = heapq.merge(
            *(_all_rows(kind, cats) for kind in KINDS),
            key=lambda r: r.at.timestamp() if r.at is not None else 0.0,
        )
        count = index_many(merged, fresh=True)
    optimize()
    return count


def optimize() -> None:
    """Compact the index after a bulk load (queries get faster)."""
    _index().search_optimize(_db())


# --- searching ----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One record found: what it is, an excerpt and where the words are in it.

    ``spans`` are ``(start, end)`` offsets into ``snippet``; the screen styles
    them (the text itself is data, never markup).
    """

    kind: str
    ref_id: int
    desk_id: int | None
    at: arrow.Arrow | None
    snippet: str
    spans: tuple[tuple[int, int], ...]
    score: float


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, best first (or newest first)."""

    query: str
    hits: list[SearchHit]
    page: int
    page_size: int
    total: int  # matching records, counted up to RANK_WINDOW + 1
    has_more: bool

    @property
    def total_capped(self) -> bool:
        """More matches than are ranked: the screen says "5000+" and asks for more words."""
        return self.total > backends.RANK_WINDOW


def _db_instant(value: arrow.Arrow | None) -> str | None:
    return None if value is None else SearchDoc.at.db_value(value)


def search(
    query: str,
    *,
    kinds: Sequence[str] | None = None,
    desk_id: int | None = None,
    since: arrow.Arrow | None = None,
    until: arrow.Arrow | None = None,
    page: int = 0,
    page_size: int = 20,
    order: str = SearchOrder.RANK,
) -> SearchPage:
    """Find records with all the words of ``query``; ranked by bm25 (or newest first).

    ``kinds`` narrows to some of :data:`KINDS`; ``since``/``until`` bound the
    record's time (until exclusive). Among very many matches only the newest
    ``RANK_WINDOW`` are ranked and paged, which keeps every query fast.
    """
    page = max(0, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    if order not in tuple(SearchOrder):
        raise ValidationError(N_("Unknown order: {order}"), field="order", order=order)
    for kind in kinds or ():
        _source(kind)
    terms = query_terms(query)
    if not terms:
        return SearchPage(query, [], page, page_size, 0, False)
    phrases = [t.phrase() for t in terms]
    db = _db()
    where = backends.SearchFilter(
        kinds=list(kinds) if kinds else None,
        desk_id=desk_id,
        since=_db_instant(since),
        until=_db_instant(until),
    )
    found = _index().search(
        db,
        phrases,
        where,
        limit=page_size + 1,
        offset=page * page_size,
        newest_first=order == SearchOrder.NEWEST,
    )
    total = _index().search_count(db, phrases, where, cap=backends.RANK_WINDOW + 1)
    has_more = len(found) > page_size
    found = found[:page_size]
    docs = {d.id: d for d in SearchDoc.select().where(SearchDoc.id.in_([i for i, _ in found]))}
    hits: list[SearchHit] = []
    for doc_id, score in found:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        text, spans = snippet(doc.body, highlight(doc.body, terms))
        hits.append(SearchHit(doc.kind, doc.ref_id, doc.desk_id, doc.at, text, tuple(spans), score))
    return SearchPage(query, hits, page, page_size, total, has_more)
