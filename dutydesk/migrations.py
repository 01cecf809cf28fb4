"""Versioned schema migrations, applied at start; running them twice is harmless.

A new database gets the current schema in one step and is stamped with the
latest version. An existing one runs each migration above its version, in
order, each in its own transaction. From version 2 on, every migration gets a
test that upgrades a committed fixture database of the previous version.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import arrow
import peewee as pw

from dutydesk import backends
from dutydesk import models as m
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_

Migration = tuple[int, str, Callable[[pw.Database], None]]


def _lit(text: str) -> pw.SQL:
    """A string literal inlined into DDL (index WHERE clauses may not take parameters)."""
    assert "'" not in text
    return pw.SQL(f"'{text}'")


def partial_indexes() -> list[pw.ModelIndex]:
    """Indexes over the open and overdue items the shift and handover screens ask for."""
    return [
        m.Shift.index(m.Shift.desk, m.Shift.planned_start, name="shift_open").where(
            m.Shift.state == _lit("open")
        ),
        m.Incident.index(m.Incident.desk, m.Incident.occurred_at, name="incident_open").where(
            m.Incident.status != _lit("resolved")
        ),
        m.Incident.index(m.Incident.report_due_at, name="incident_report_due").where(
            m.Incident.report_due_at.is_null(False)
        ),
        m.RepairRequest.index(
            m.RepairRequest.desk, m.RepairRequest.received_at, name="repair_open"
        ).where(m.RepairRequest.status == _lit("open")),
        m.PatrolRound.index(m.PatrolRound.shift, m.PatrolRound.due_at, name="round_pending").where(
            m.PatrolRound.started_at.is_null()
        ),
        m.KeyLoan.index(m.KeyLoan.desk, m.KeyLoan.out_at, name="key_out").where(
            m.KeyLoan.back_at.is_null()
        ),
        m.SwitchingOperation.index(m.SwitchingOperation.desk, name="switching_running").where(
            m.SwitchingOperation.finished_at.is_null()
        ),
        m.SwapRequest.index(m.SwapRequest.state, name="swap_pending").where(
            m.SwapRequest.state.in_([_lit("asked"), _lit("accepted")])
        ),
        m.DutyLogEntry.index(m.DutyLogEntry.corrects, name="duty_log_corrects").where(
            m.DutyLogEntry.corrects.is_null(False)
        ),
        # The last signed handover of a desk (carried-over items, CS-R2), newest first.
        m.Handover.index(m.Handover.desk, m.Handover.signed_at, name="handover_signed").where(
            m.Handover.state == _lit("signed")
        ),
    ]


def _create_partial_indexes(db: pw.Database) -> None:
    for index in partial_indexes():
        index.safe(True)
        db.execute(index)


def _create_current_schema(db: pw.Database) -> None:
    db.create_tables(m.ALL_MODELS, safe=True)
    _create_partial_indexes(db)
    backends.of(db).install(db)


def ensure_indexes(db: pw.Database) -> None:
    """Create any index of the current schema that ``db`` lacks (``IF NOT EXISTS``).

    Indexes change no data, so a database of the current version made before an
    index was added gets it at the next open; running it again changes nothing.
    """
    for model in m.ALL_MODELS:
        model._schema.create_indexes(safe=True)
    _create_partial_indexes(db)


def _escalating_lockout(db: pw.Database) -> None:
    """Version 2: the length of a timed lock, and the lock only a supervisor lifts.

    A lock already running keeps the site's lockout length.
    """
    db.execute_sql("ALTER TABLE staff ADD COLUMN lock_minutes INTEGER")
    db.execute_sql("ALTER TABLE staff ADD COLUMN needs_unlock INTEGER NOT NULL DEFAULT 0")
    db.execute_sql(
        "UPDATE staff SET lock_minutes = (SELECT lockout_minutes FROM site LIMIT 1)"
        " WHERE locked_until IS NOT NULL"
    )


def _site_settings(db: pw.Database) -> None:
    """Version 4: shift times from a business date on, and retired desks."""
    db.create_tables([m.ShiftTimeChange], safe=True)
    columns = {c.name for c in db.get_columns("desk")}
    if "retired_at" not in columns:
        db.execute_sql("ALTER TABLE desk ADD COLUMN retired_at DATETIME")


def _incident_people_involved(db: pw.Database) -> None:
    """Version 5: who was involved in an incident, beside how many (SE-4)."""
    db.execute_sql("ALTER TABLE incident ADD COLUMN people_involved TEXT NOT NULL DEFAULT ''")


_INCIDENT_ABORT = re.compile(r"^incident (\d+) opened during the handover$")


def _handover_abort_cause(db: pw.Database) -> None:
    """Version 6: why a handover was stopped, as data (EN-8.6.3): the rule id and the
    incident that stopped it. Older stopped handovers get them from their reason's
    text where it is the one the incident code wrote."""
    db.execute_sql("ALTER TABLE handover ADD COLUMN abort_rule VARCHAR(255)")
    db.execute_sql(
        "ALTER TABLE handover ADD COLUMN abort_incident_id INTEGER REFERENCES incident (id)"
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "handover_abort_incident_id"'
        ' ON "handover" ("abort_incident_id")'
    )
    rows = db.execute_sql("SELECT id, end_reason FROM handover WHERE state = 'aborted'").fetchall()
    known = {int(r[0]) for r in db.execute_sql("SELECT id FROM incident").fetchall()}
    p = db.param
    for handover_id, reason in rows:
        match = _INCIDENT_ABORT.match(reason or "")
        if match is None:
            continue
        incident_id = int(match.group(1))
        db.execute_sql(
            f"UPDATE handover SET abort_rule = {p}, abort_incident_id = {p} WHERE id = {p}",
            ("EN-8.6.3", incident_id if incident_id in known else None, handover_id),
        )


# (version, name, upgrade from the version before it). Version 1 is the baseline
# schema; numbers may leave gaps (each branch of work had its own number).
MIGRATIONS: list[Migration] = [
    (1, "baseline", _create_current_schema),
    (2, "escalating lockout", _escalating_lockout),
    (4, "site settings: dated shift times, retired desks", _site_settings),
    (5, "incident people involved", _incident_people_involved),
    (6, "handover abort cause", _handover_abort_cause),
]

LATEST = MIGRATIONS[-1][0]


def current_version(db: pw.Database) -> int:
    """The schema version of ``db``; 0 for an empty database."""
    if not db.table_exists(m.SchemaVersion._meta.table_name):
        return 0
    row = m.SchemaVersion.select(pw.fn.MAX(m.SchemaVersion.version)).scalar()
    return int(row or 0)


def migrate(db: pw.Database) -> int:
    """Bring ``db`` to the latest schema; returns the version it is at."""
    with db.bind_ctx(m.ALL_MODELS):
        with db.atomic():
            version = current_version(db)
            if version > LATEST:
                # Never run an older program on a newer schema: it would not
                # know the new columns and rules.
                raise ConfigError(
                    N_(
                        "This database was made by a newer DutyDesk (schema {found}; "
                        "this version knows up to {known}); upgrade DutyDesk"
                    ),
                    found=version,
                    known=LATEST,
                )
            if version == 0:
                if db.get_tables():
                    # Tables but no schema version: another program's file. Adding
                    # ours to it would only hide the mistake.
                    if backends.of(db).name != "sqlite":
                        raise ConfigError(
                            N_(
                                "This database is not a DutyDesk database (it holds other "
                                "tables); give an empty one with --db"
                            )
                        )
                    raise ConfigError(
                        N_(
                            "This SQLite file is not a DutyDesk database (it holds other "
                            "tables); choose another file with --db"
                        )
                    )
                _create_current_schema(db)
                m.SchemaVersion.create(version=LATEST, name="baseline", applied_at=arrow.utcnow())
                return LATEST
        for number, name, upgrade in MIGRATIONS:
            if number <= version:
                continue
            with db.atomic():
                # Re-read inside the write lock: another kiosk may have done it.
                if current_version(db) >= number:
                    continue
                upgrade(db)
                m.SchemaVersion.create(version=number, name=name, applied_at=arrow.utcnow())
        version = current_version(db)
        if version == LATEST and _missing_indexes(db):
            with db.atomic():
                ensure_indexes(db)
        return version


def _missing_indexes(db: pw.Database) -> bool:
    """Does ``db`` lack an index of the current schema? (One read of the catalogue.)"""
    names = backends.of(db).index_names(db)
    indexes = [*partial_indexes()]
    for model in m.ALL_MODELS:
        indexes.extend(model._meta.fields_to_index())
    wanted = {index._name for index in indexes}  # type: ignore[attr-defined]
    return not wanted <= names
