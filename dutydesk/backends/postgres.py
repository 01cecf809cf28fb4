"""The PostgreSQL back end: one site server for several PCs.

The same guarantees as on SQLite, written for PostgreSQL:

- **One writer at a time.** Every write transaction takes one transaction-level
  advisory lock right after ``BEGIN`` (:class:`SiteDatabase`), as SQLite's
  ``BEGIN IMMEDIATE`` does for a file. The duty rules read, check and then
  write ("is a shift already open?"); with one writer at a time those checks
  hold across kiosks, and the audit chain gets one gapless sequence with no
  fork. Readers never wait. Since every writer takes the same lock first and
  holds no other lock before it, writers cannot deadlock each other; a wait
  longer than ``lock_timeout`` is retried a few times, then refused with one
  clear line.
- **Signed records never change**: PL/pgSQL triggers refuse UPDATE and DELETE
  of the rows SQLite's triggers protect (audit events, signed handovers with
  their items and signatures, signed incident reports) and TRUNCATE of those
  tables. :meth:`PostgresBackend.missing_guards` tells ``verify`` when one was
  dropped or disabled.
- **Search** uses the tokens of :mod:`dutydesk.domain.search` (bigrams and
  single characters for Chinese, words for English) as a pre-built
  ``tsvector`` (no parser or dictionary in between, like ``simple`` with the
  tokens given), in ``search_doc.tsv`` with a GIN index; a query is a
  ``tsquery`` of the same tokens, a multi-token term a ``<->`` phrase. So both
  engines find exactly the same records.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import peewee as pw

from dutydesk.backends.search_shapes import (
    RANK_WINDOW,
    Phrases,
    SearchFilter,
    SearchRow,
    split_prefix,
)
from dutydesk.config import redact
from dutydesk.errors import ConfigError, ConnectionLost, DutyDeskError
from dutydesk.i18n import N_

# The advisory lock every write transaction holds ("DutyDesk" in ASCII hex).
WRITE_LOCK = 0x4475747944657368
LOCK_TIMEOUT_MS = 10000  # like SQLite's busy timeout
CONNECT_TIMEOUT_S = 10  # an unreachable server is reported, not waited for
LOCK_ATTEMPTS = 3
# SQLSTATEs worth another try: serialization failure, deadlock, lock wait too long.
RETRYABLE = frozenset({"40001", "40P01", "55P03"})

# Every commit that appends to the audit trail notifies the other kiosks.
NOTIFY_CHANNEL = "dutydesk_site"

BUSY_MSGID = N_("The site database stayed busy; nothing was saved. Try again.")

# tsvector limits: positions above 16383 are stored as 16383, a lexeme has at
# most 256 positions and 2046 bytes.
_MAX_POS = 16383
_MAX_LEXEME_BYTES = 2000


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a (peewee-wrapped) psycopg error, if any."""
    for err in (exc, exc.__cause__, getattr(exc, "orig", None)):
        code = getattr(err, "sqlstate", None)
        if code:
            return str(code)
    return None


def is_retryable(exc: BaseException) -> bool:
    return sqlstate(exc) in RETRYABLE


# SQLSTATE classes of a lost server: connection exceptions, and the server
# shutting down or starting up.
_LOST_STATES = ("08", "57P01", "57P02", "57P03")
LOST_MSGID = N_(
    "No connection to the site database; nothing was saved. "
    "It reconnects by itself: try again in a moment."
)


class SiteDatabase(pw.PostgresqlDatabase):
    """PostgreSQL with DutyDesk's session settings and one writer at a time.

    A server that went away (stopped, restarted, the network cut) is noticed on
    the next statement: outside a transaction the statement is tried once more
    on a new connection; inside one, or when that fails too, it ends as
    :class:`ConnectionLost` (one line; nothing of the write was saved) and
    :attr:`lost` stays set until a statement succeeds again.
    """

    lost = False
    _listener: Any = None
    _listener_thread: int | None = None  # the thread that opened it (the kiosk's own)
    _heard = 0
    _commits = 0  # this connection's own commits (heard at once, not via NOTIFY)

    def commit(self) -> Any:
        done = super().commit()
        self._commits += 1
        return done

    def alert_token(self) -> Any:
        """How many "something was written" notifications this kiosk heard (LISTEN on a
        connection of its own), and how many commits it made itself. Unknown
        (reconnected, or the server away): a fresh object, so the caller looks."""
        import psycopg

        try:
            if self._listener is None or self._listener.closed:
                self._listener = psycopg.connect(
                    self.database, autocommit=True, **self.connect_params
                )
                self._listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
                self._listener_thread = threading.get_ident()
                self._heard += 1  # anything may have happened while not listening
            for _note in self._listener.notifies(timeout=0):
                self._heard += 1
        except psycopg.Error:
            self.close_listener()
            return object()
        return (self._heard, self._commits)

    def close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                listener.close()

    def close(self) -> Any:
        """This thread's connection; the listener too when this thread opened it (a
        worker closing its own connection leaves the kiosk's listening alone)."""
        if threading.get_ident() == self._listener_thread:
            self.close_listener()
        return super().close()

    def _is_lost(self, exc: BaseException) -> bool:
        code = sqlstate(exc) or ""
        if code.startswith(_LOST_STATES):
            return True
        conn = cast(Any, self)._state.conn
        if conn is not None and (getattr(conn, "closed", False) or getattr(conn, "broken", False)):
            return True
        # psycopg's own "the connection is closed" / "connection failed" carry no SQLSTATE.
        cause = exc.__cause__ or exc
        return (
            not code
            and type(cause).__name__ in ("OperationalError", "InterfaceError")
            and "connection" in str(cause).lower()
        )

    def forget_connection(self) -> None:
        """Drop a dead connection without talking to the server (none to talk to)."""
        conn = cast(Any, self)._state.conn
        cast(Any, self)._state.reset()
        if conn is not None:
            with contextlib.suppress(Exception):  # already gone: nothing to release
                conn.close()

    def _lost(self, exc: BaseException) -> ConnectionLost:
        self.lost = True
        return ConnectionLost(LOST_MSGID)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            cursor = super().execute_sql(sql, params)
        except (pw.DatabaseError, pw.InterfaceError) as exc:
            if not self._is_lost(exc):
                raise
            if self.in_transaction():
                raise self._lost(exc) from exc
            self.forget_connection()
            try:
                cursor = super().execute_sql(sql, params)
            except (pw.DatabaseError, pw.InterfaceError) as again:
                if not self._is_lost(again):
                    raise
                self.forget_connection()
                raise self._lost(again) from again
        self.lost = False
        return cursor

    def _initialize_connection(self, conn: Any) -> None:
        with conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            cur.execute("SET TIME ZONE 'UTC'")

    def begin(self, isolation_level: Any = None) -> None:
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                super().begin(isolation_level)
            except (pw.DatabaseError, pw.InterfaceError) as exc:
                if not self._is_lost(exc):
                    raise
                self.forget_connection()  # a stale connection: one fresh try
                try:
                    super().begin(isolation_level)
                except (pw.DatabaseError, pw.InterfaceError) as again:
                    if not self._is_lost(again):
                        raise
                    self.forget_connection()
                    raise self._lost(again) from again
            try:
                self.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                return
            except Exception as exc:
                self.rollback()
                if not is_retryable(exc):
                    raise
                if attempt == LOCK_ATTEMPTS:
                    raise DutyDeskError(BUSY_MSGID) from exc
                time.sleep(0.05 * attempt)


# --- immutability ----------------------------------------------------------------------

_SIGNED = "signed records cannot be changed"
_APPEND_ONLY = "audit events are append-only"


def _refuse(message: str) -> str:
    # integrity_constraint_violation: psycopg raises IntegrityError, as SQLite does.
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"


def _fn(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nIF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\nRETURN NEW;\nEND $$"
    )


# (function, its body) — the same rows sqlite_extras protects.
FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("dutydesk_audit_append_only", _refuse(_APPEND_ONLY)),
    (
        "dutydesk_handover_guard",
        f"IF OLD.state = 'signed' THEN {_refuse(_SIGNED)} END IF;",
    ),
    (
        "dutydesk_handover_item_guard",
        "IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM handover"
        " WHERE id = OLD.handover_id AND state = 'signed'))"
        " OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM handover"
        f" WHERE id = NEW.handover_id AND state = 'signed')) THEN {_refuse(_SIGNED)} END IF;",
    ),
    (
        "dutydesk_signature_guard",
        "IF TG_OP <> 'INSERT' OR EXISTS (SELECT 1 FROM handover"
        f" WHERE id = NEW.handover_id AND state = 'signed') THEN {_refuse(_SIGNED)} END IF;",
    ),
    (
        "dutydesk_incident_report_guard",
        f"IF OLD.signed_at IS NOT NULL THEN {_refuse(_SIGNED)} END IF;",
    ),
    # TRUNCATE fires no row trigger: refuse it while a protected row exists.
    (
        "dutydesk_no_truncate",
        "IF (TG_TABLE_NAME = 'audit_event' AND EXISTS (SELECT 1 FROM audit_event))"
        " OR (TG_TABLE_NAME = 'handover' AND EXISTS"
        " (SELECT 1 FROM handover WHERE state = 'signed'))"
        " OR (TG_TABLE_NAME = 'handover_item' AND EXISTS (SELECT 1 FROM handover_item i"
        " JOIN handover h ON h.id = i.handover_id WHERE h.state = 'signed'))"
        " OR (TG_TABLE_NAME = 'signature' AND EXISTS (SELECT 1 FROM signature))"
        " OR (TG_TABLE_NAME = 'incident_report' AND EXISTS"
        f" (SELECT 1 FROM incident_report WHERE signed_at IS NOT NULL)) THEN {_refuse(_SIGNED)}"
        " END IF;",
    ),
)

# (trigger, table, timing and events, function)
TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    (
        "audit_event_append_only",
        "audit_event",
        "BEFORE UPDATE OR DELETE",
        "dutydesk_audit_append_only",
    ),
    ("handover_signed_guard", "handover", "BEFORE UPDATE OR DELETE", "dutydesk_handover_guard"),
    (
        "handover_item_signed_guard",
        "handover_item",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "dutydesk_handover_item_guard",
    ),
    (
        "signature_guard",
        "signature",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "dutydesk_signature_guard",
    ),
    (
        "incident_report_signed_guard",
        "incident_report",
        "BEFORE UPDATE OR DELETE",
        "dutydesk_incident_report_guard",
    ),
)
TRUNCATE_TABLES = ("audit_event", "handover", "handover_item", "signature", "incident_report")


def guard_names() -> list[str]:
    return [t[0] for t in TRIGGERS] + [f"{t}_no_truncate" for t in TRUNCATE_TABLES]


def _trigger_ddl() -> list[str]:
    stmts = [_fn(name, body) for name, body in FUNCTIONS]
    for name, table, events, fn in TRIGGERS:
        stmts.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        stmts.append(
            f"CREATE TRIGGER {name} {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {fn}()"
        )
    stmts.append(
        "CREATE OR REPLACE FUNCTION dutydesk_notify_site() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ BEGIN PERFORM pg_notify('{NOTIFY_CHANNEL}', ''); RETURN NULL; END $$"
    )
    stmts.append("DROP TRIGGER IF EXISTS audit_event_notify ON audit_event")
    stmts.append(
        "CREATE TRIGGER audit_event_notify AFTER INSERT ON audit_event"
        " FOR EACH STATEMENT EXECUTE FUNCTION dutydesk_notify_site()"
    )
    for table in TRUNCATE_TABLES:
        stmts.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        stmts.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION dutydesk_no_truncate()"
        )
    return stmts


# --- search --------------------------------------------------------------------------


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _lexeme(token: str) -> str:
    return token.encode()[:_MAX_LEXEME_BYTES].decode(errors="ignore")


def tsvector_text(token_string: str) -> str:
    """A ``tsvector`` literal of the domain's tokens, each at its position (1-based)."""
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(token_string.split(), start=1):
        tok = _lexeme(tok)
        found = positions.setdefault(tok, [])
        if len(found) < 256:
            found.append(min(i, _MAX_POS))
    return " ".join(
        f"{_quote(tok)}:{','.join(str(p) for p in sorted(set(pos)))}"
        for tok, pos in positions.items()
    )


def tsquery_text(phrases: Phrases) -> str:
    """A ``tsquery`` literal: every phrase required, a phrase's tokens adjacent
    (``'deliv':*`` for a prefix)."""

    def lexeme(token: str) -> str:
        token, prefix = split_prefix(token)
        return _quote(_lexeme(token)) + (":*" if prefix else "")

    return " & ".join("(" + " <-> ".join(lexeme(t) for t in p) + ")" for p in phrases)


def _filters(where: SearchFilter) -> tuple[str, list[Any]]:
    sql = ""
    values: list[Any] = []
    if where.kinds:
        sql += " AND d.kind = ANY(%s)"
        values.append(list(where.kinds))
    if where.desk_id is not None:
        sql += " AND d.desk_id = %s"
        values.append(int(where.desk_id))
    if where.since is not None:
        sql += " AND d.at >= %s"
        values.append(where.since)
    if where.until is not None:
        sql += " AND d.at < %s"
        values.append(where.until)
    return sql, values


class PostgresBackend:
    name = "postgresql"

    def open(
        self,
        target: str,
        *,
        create: bool,
        check_fs: Callable[[Path], None],
        read_only: bool = False,
    ) -> pw.Database:
        if importlib.util.find_spec("psycopg") is None:
            raise ConfigError(
                N_(
                    "PostgreSQL needs the psycopg package: "
                    "pip install 'dutydesk[postgresql]' (or 'psycopg[binary]')"
                )
            )
        url = "postgresql://" + target.split("://", 1)[1]
        # FloatField is REAL (4 bytes) in peewee's PostgreSQL types: readings
        # must come back exactly as stored, as on SQLite.
        db = SiteDatabase(
            url,
            field_types={"FLOAT": "DOUBLE PRECISION"},
            prefer_psycopg3=True,
            connect_timeout=CONNECT_TIMEOUT_S,
        )
        try:
            db.connect()
            have_schema = db.table_exists("schema_version")
        except pw.DatabaseError as exc:
            if not db.is_closed():
                db.close()
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ConfigError(
                N_("Cannot connect to the database {path}: {reason}"),
                path=redact(target),
                reason=reason,
            ) from exc
        if not have_schema and not create:
            db.close()
            raise ConfigError(N_("No database at {path}"), path=redact(target))
        return db

    def install(self, db: pw.Database) -> None:
        for stmt in _trigger_ddl():
            db.execute_sql(stmt)
        db.execute_sql("ALTER TABLE search_doc ADD COLUMN IF NOT EXISTS tsv tsvector")
        db.execute_sql("CREATE INDEX IF NOT EXISTS search_doc_tsv ON search_doc USING GIN (tsv)")

    def missing_guards(self, db: pw.Database) -> list[str]:
        # A disabled trigger (ALTER TABLE … DISABLE TRIGGER) guards nothing.
        have = {
            row[0]
            for row in db.execute_sql(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
                " AND t.tgenabled <> 'D'"
            )
        }
        return [name for name in guard_names() if name not in have]

    def index_names(self, db: pw.Database) -> set[str]:
        return {
            row[0]
            for row in db.execute_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        }

    def lock_chain(self, db: pw.Database) -> None:
        # Re-entrant: SiteDatabase.begin took it already; a transaction begun
        # any other way gets it here, before it reads the chain's head.
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def change_token(self, db: pw.Database) -> Any:
        return db.alert_token() if isinstance(db, SiteDatabase) else object()

    def after_copy(self, db: pw.Database, models: Sequence[Any]) -> None:
        for model in models:
            if isinstance(model._meta.primary_key, pw.AutoField):
                table = model._meta.table_name
                db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                )

    def search_add(self, db: pw.Database, rows: Sequence[SearchRow]) -> None:
        if not rows:
            return
        db.cursor().executemany(
            "UPDATE search_doc SET tsv = CAST(%s AS tsvector) WHERE id = %s",
            [(tsvector_text(tokens), doc_id) for doc_id, tokens, _kind, _desk in rows],
        )

    def search_remove(self, db: pw.Database, rows: Sequence[SearchRow]) -> None:
        if rows:
            db.execute_sql(
                "UPDATE search_doc SET tsv = NULL WHERE id = ANY(%s)", ([r[0] for r in rows],)
            )

    def search_clear(self, db: pw.Database) -> None:
        db.execute_sql("UPDATE search_doc SET tsv = NULL WHERE tsv IS NOT NULL")

    def search_optimize(self, db: pw.Database) -> None:
        db.execute_sql("ANALYZE search_doc")

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
        sql_where, values = _filters(where)
        rank, rank_values = ("0", []) if newest_first else self._rank(db, phrases)
        # Lower is better, as with SQLite's bm25: the negated weighted rank.
        # The window first (newest matches, no ranking), then rank only those rows.
        inner = (
            "SELECT d.id, d.tsv FROM search_doc d, CAST(%s AS tsquery) q"
            f" WHERE d.tsv @@ q{sql_where} ORDER BY d.id DESC LIMIT %s"
        )
        order = "id DESC" if newest_first else "score, id DESC"
        sql = (
            f"SELECT id, -({rank}) AS score FROM ({inner}) AS d ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params = [*rank_values, tsquery_text(phrases), *values, RANK_WINDOW, limit, offset]
        cursor = db.execute_sql(sql, params)
        return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def _rank(self, db: pw.Database, phrases: Phrases) -> tuple[str, list[Any]]:
        """A bm25-like rank: each term's ``ts_rank`` (term frequency, length-normalised)
        weighted by its inverse document frequency, so a rare word weighs more than a
        common one, as with FTS5's bm25. Document frequencies are counted up to a cap
        (a bounded cost; beyond it a word is simply "common")."""
        cap = 50 * RANK_WINDOW
        counts = ", ".join(
            "(SELECT count(*) FROM (SELECT 1 FROM search_doc"
            " WHERE tsv @@ CAST(%s AS tsquery) LIMIT %s) AS c)"
            for _ in phrases
        )
        row = db.execute_sql(
            f"SELECT (SELECT count(*) FROM search_doc), {counts}",
            [x for p in phrases for x in (tsquery_text([p]), cap)],
        ).fetchone()
        total, dfs = int(row[0]), [int(x) for x in row[1:]]
        terms: list[str] = []
        values: list[Any] = []
        for phrase, df in zip(phrases, dfs, strict=True):
            idf = math.log((total - df + 0.5) / (df + 0.5) + 1.0)
            terms.append(f"{idf!r} * ts_rank(d.tsv, CAST(%s AS tsquery), 1)")
            values.append(tsquery_text([phrase]))
        return " + ".join(terms), values

    def search_count(
        self,
        db: pw.Database,
        phrases: Phrases,
        where: SearchFilter,
        *,
        cap: int,
    ) -> int:
        sql_where, values = _filters(where)
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM search_doc d, CAST(%s AS tsquery) q"
            f" WHERE d.tsv @@ q{sql_where} LIMIT %s) AS w"
        )
        return int(db.execute_sql(sql, [tsquery_text(phrases), *values, cap]).fetchone()[0])


BACKEND = PostgresBackend()
