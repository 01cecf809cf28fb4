"""Peewee models for the whole duty desk.

The schema is changed only by migrations (:mod:`dutydesk.migrations`). Every
instant is a :class:`~dutydesk.fields.UTCField` (arrow in, arrow out, UTC in the
database); business dates are :class:`~dutydesk.fields.DayField`.

Screens never import this module: they call :mod:`dutydesk.domain`.

One module on purpose (over 600 lines): the tables refer to each other, and the
migrations, both engines' guards and the site transfer walk the one list of them.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from dutydesk.fields import DayField, JSONField, UTCField

# Bound at start-up by dutydesk.db.open_database (peewee's deferred database).
database_proxy = pw.DatabaseProxy()


# Peewee creates ids, ``*_id`` columns and backrefs at runtime, which its stubs
# cannot describe; to the type checker our models are dynamic.
_Model: Any = pw.Model


class BaseModel(_Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


# --- site, desks, people -------------------------------------------------------


class Site(BaseModel):
    """One property or factory. A database holds exactly one site."""

    name = pw.CharField()
    tz = pw.CharField(default="UTC")
    language = pw.CharField(default="zh")
    lock_after_seconds = pw.IntegerField(default=180)
    lockout_failures = pw.IntegerField(default=5)
    lockout_minutes = pw.IntegerField(default=5)
    settings = JSONField(default=dict)
    created_at = UTCField()


class Desk(BaseModel):
    """A duty place: the security booth, the engineering duty room… (CS2)."""

    site = pw.ForeignKeyField(Site, backref="desks", on_delete="CASCADE")
    code = pw.CharField(unique=True)
    name = pw.CharField()
    name_en = pw.CharField(default="")
    location = pw.CharField(default="")
    kind = pw.CharField(default="security")  # security / engineering / service
    preset = pw.CharField()
    # Night presence check (SG-5): minutes between checks, 0 = off.
    presence_minutes = pw.IntegerField(default=60)
    handover_window_minutes = pw.IntegerField(default=60)
    patrol_tolerance_minutes = pw.IntegerField(default=15)
    # Retired: no new shifts; its history stays (site settings, migration 4).
    retired_at = UTCField(null=True)


class ShiftTemplate(BaseModel):
    """One shift of a desk's pattern: early 07:30–16:00 and so on."""

    desk = pw.ForeignKeyField(Desk, backref="templates", on_delete="CASCADE")
    code = pw.CharField()
    name_zh = pw.CharField()
    name_en = pw.CharField()
    start_time = pw.CharField()  # "HH:MM" wall time in the site's zone
    end_time = pw.CharField()
    position = pw.IntegerField(default=0)
    is_night = pw.BooleanField(default=False)
    required_staff = pw.IntegerField(default=1)
    holiday_required_staff = pw.IntegerField(default=1)
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("desk", "code"), True),)


class ShiftTimeChange(BaseModel):
    """New times of a desk's shift from a business date on (site settings, migration 4).

    Shifts already opened keep the times they were opened with (their Shift row);
    occurrences from ``from_date`` on use these times.
    """

    template = pw.ForeignKeyField(ShiftTemplate, backref="time_changes", on_delete="CASCADE")
    from_date = DayField()
    start_time = pw.CharField()
    end_time = pw.CharField()
    created_at = UTCField()

    class Meta:
        table_name = "shift_time_change"
        indexes = ((("template", "from_date"), True),)


class Staff(BaseModel):
    staff_no = pw.CharField(unique=True)
    name = pw.CharField()
    role = pw.CharField()  # guard / engineer / service / leader / supervisor / admin
    active = pw.BooleanField(default=True)
    pin_hash = pw.CharField()
    must_change_pin = pw.BooleanField(default=False)
    language = pw.CharField(null=True)
    home_desk = pw.ForeignKeyField(Desk, null=True, backref="staff", on_delete="SET NULL")
    # Wrong PINs in a row (until a right PIN or a supervisor's unlock); see staff.authenticate.
    failed_attempts = pw.IntegerField(default=0)
    locked_until = UTCField(null=True)
    # The length of the current timed lock: what is left never exceeds it (clock moves).
    lock_minutes = pw.IntegerField(null=True)
    # Locked until a supervisor unlocks (after the last step of the lockout).
    needs_unlock = pw.BooleanField(default=False)
    created_at = UTCField()


class Holiday(BaseModel):
    """Statutory holidays ask for reinforced duty (CS9)."""

    day = DayField(unique=True)
    name = pw.CharField()


class RosterEntry(BaseModel):
    """Who is put on which shift of which day (CS1, SE-3)."""

    template = pw.ForeignKeyField(ShiftTemplate, backref="roster", on_delete="CASCADE")
    business_date = DayField()
    staff = pw.ForeignKeyField(Staff, backref="roster", on_delete="CASCADE")
    source = pw.CharField(default="manual")  # manual / rotation / swap / demo
    created_at = UTCField()

    class Meta:
        indexes = (
            (("template", "business_date", "staff"), True),
            (("staff", "business_date"), False),
            (("business_date",), False),
        )


class SwapRequest(BaseModel):
    """A shift exchange, cover or absence, approved only by a supervisor (CS8, EN-8.3.5)."""

    kind = pw.CharField()  # exchange / cover / needs_cover / absence
    requester = pw.ForeignKeyField(Staff, backref="swap_requests")
    entry = pw.ForeignKeyField(RosterEntry, backref="swap_requests", on_delete="CASCADE")
    colleague = pw.ForeignKeyField(Staff, null=True, backref="swap_offers")
    colleague_entry = pw.ForeignKeyField(RosterEntry, null=True, on_delete="CASCADE")
    reason = pw.TextField(default="")
    state = pw.CharField(default="asked")  # asked / accepted / approved / rejected / withdrawn
    created_at = UTCField()
    accepted_at = UTCField(null=True)
    decided_by = pw.ForeignKeyField(Staff, null=True, backref="swap_decisions")
    decided_at = UTCField(null=True)
    decision_note = pw.TextField(default="")


# --- shifts and sessions ------------------------------------------------------------


class Shift(BaseModel):
    """A shift that happened or is happening at a desk.

    Opened by the signed handover that starts it, or by the incoming person with
    a reason where none is possible; never by logging in.
    """

    desk = pw.ForeignKeyField(Desk, backref="shifts", on_delete="CASCADE")
    template = pw.ForeignKeyField(ShiftTemplate, backref="shifts")
    business_date = DayField()
    planned_start = UTCField()
    planned_end = UTCField()
    actual_start = UTCField(null=True)
    actual_end = UTCField(null=True)
    state = pw.CharField(default="open")  # open / closed
    opened_by = pw.ForeignKeyField(Staff, null=True, backref="opened_shifts")
    open_reason = pw.TextField(default="")  # set when opened without a handover
    relief_overdue_at = UTCField(null=True)  # when "relief overdue" was first logged (CS-R4)

    class Meta:
        indexes = (
            (("desk", "template", "business_date"), True),
            (("desk", "planned_start"), False),
        )


class LoginSession(BaseModel):
    """Who was at the keyboard of which desk, from login to lock."""

    staff = pw.ForeignKeyField(Staff, backref="sessions")
    desk = pw.ForeignKeyField(Desk, backref="sessions")
    shift = pw.ForeignKeyField(Shift, null=True, backref="sessions")
    started_at = UTCField()
    ended_at = UTCField(null=True)
    end_reason = pw.CharField(default="")  # lock / idle / quit
    on_roster = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("desk", "started_at"), False),)


class PresenceCheck(BaseModel):
    """Night presence check-ins (SG-1, SG-5)."""

    desk = pw.ForeignKeyField(Desk, backref="presence_checks")
    shift = pw.ForeignKeyField(Shift, null=True, backref="presence_checks")
    staff = pw.ForeignKeyField(Staff, null=True, backref="presence_checks")
    due_at = UTCField()
    confirmed_at = UTCField(null=True)
    missed = pw.BooleanField(default=False)


# --- logs ----------------------------------------------------------------------


class _Entry(BaseModel):
    """Fields every append-only log record carries."""

    desk = pw.ForeignKeyField(Desk)
    shift = pw.ForeignKeyField(Shift, null=True)
    author = pw.ForeignKeyField(Staff)
    created_at = UTCField()
    correction_reason = pw.TextField(default="")


class DutyLogEntry(_Entry):
    """Duty record (CS3): also absences (CS7) and discipline notes (SG-3)."""

    kind = pw.CharField(default="duty")  # duty / absence / discipline / incident / system
    occurred_at = UTCField()
    category = pw.CharField(default="")
    text = pw.TextField()
    result = pw.TextField(default="")
    names = pw.TextField(default="")  # discipline: names of the people noted
    absent_from = UTCField(null=True)
    absent_to = UTCField(null=True)
    ref_type = pw.CharField(default="")  # e.g. "incident" for entries made by other records
    ref_id = pw.IntegerField(null=True)
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")

    class Meta:
        table_name = "duty_log_entry"
        indexes = (
            (("desk", "occurred_at"), False),
            (("shift",), False),
            # Records linked from the log (carried-over items resolved, CS-R2).
            (("ref_type", "ref_id"), False),
        )


class PhoneCall(_Entry):
    """Phone record (CS5-2.6)."""

    call_at = UTCField()
    caller = pw.CharField(default="")
    number = pw.CharField(default="")
    content = pw.TextField()
    action = pw.TextField(default="")
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")

    class Meta:
        indexes = ((("desk", "call_at"), False),)


class Visitor(_Entry):
    """Visitor log (SG-2, SG-4, EN-8.3.6)."""

    name = pw.CharField()
    organisation = pw.CharField(default="")
    purpose = pw.TextField(default="")
    entered_room = pw.BooleanField(default=False)
    time_in = UTCField()
    time_out = UTCField(null=True)
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")

    class Meta:
        indexes = ((("desk", "time_in"), False),)


class KeyLoan(_Entry):
    """Key lending (钥匙借用); keys still out are listed at handover."""

    key_name = pw.CharField()
    borrower = pw.CharField()
    out_at = UTCField()
    back_at = UTCField(null=True)
    returned_to = pw.ForeignKeyField(Staff, null=True)
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")


class SwitchingOperation(_Entry):
    """Switching operation (倒闸操作); an unfinished one blocks handover (EN-8.6.2)."""

    what = pw.TextField()
    operator = pw.CharField()
    started_at = UTCField()
    finished_at = UTCField(null=True)
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")


class ToolItem(BaseModel):
    """The desk's tools-and-keys register (EN-8.3.6)."""

    desk = pw.ForeignKeyField(Desk, backref="tools", on_delete="CASCADE")
    name = pw.CharField()
    quantity = pw.IntegerField(default=1)
    active = pw.BooleanField(default=True)


# --- patrols --------------------------------------------------------------------


class Checkpoint(BaseModel):
    """Something checked on a round (CS4, CS5, SG-6, SG-10, EN-8.3.3)."""

    desk = pw.ForeignKeyField(Desk, backref="checkpoints", on_delete="CASCADE")
    code = pw.CharField()
    name = pw.CharField()
    name_en = pw.CharField(default="")
    area = pw.CharField(default="")
    position = pw.IntegerField(default=0)
    kind = pw.CharField()  # condition / switch / reading / count
    expected_state = pw.CharField(default="")  # switch: on / off
    due_time = pw.CharField(default="")  # switch: "HH:MM"
    unit = pw.CharField(default="")
    range_min = pw.FloatField(null=True)
    range_max = pw.FloatField(null=True)
    expected_count = pw.IntegerField(null=True)
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("desk", "code"), True),)


class PatrolSchedule(BaseModel):
    """When rounds of a route are due: every N hours, fixed times, or irregular (SG-6)."""

    desk = pw.ForeignKeyField(Desk, backref="schedules", on_delete="CASCADE")
    name = pw.CharField()
    name_en = pw.CharField(default="")
    kind = pw.CharField()  # interval / fixed / irregular
    interval_hours = pw.FloatField(null=True)
    times = pw.CharField(default="")  # fixed: "18:30,23:00"
    rounds_per_shift = pw.IntegerField(null=True)  # irregular
    tolerance_minutes = pw.IntegerField(null=True)  # None: the desk's patrol_tolerance_minutes
    shift_codes = pw.CharField(default="")  # empty = every shift
    active = pw.BooleanField(default=True)


class RouteStop(BaseModel):
    """The ordered checkpoints of a schedule's route."""

    schedule = pw.ForeignKeyField(PatrolSchedule, backref="stops", on_delete="CASCADE")
    checkpoint = pw.ForeignKeyField(Checkpoint, backref="stops", on_delete="CASCADE")
    position = pw.IntegerField()


class PatrolRound(BaseModel):
    shift = pw.ForeignKeyField(Shift, backref="rounds", on_delete="CASCADE")
    schedule = pw.ForeignKeyField(PatrolSchedule, null=True, backref="rounds")
    due_at = UTCField()
    tolerance_minutes = pw.IntegerField(default=15)
    started_at = UTCField(null=True)
    started_by = pw.ForeignKeyField(Staff, null=True)
    finished_at = UTCField(null=True)
    state = pw.CharField(default="upcoming")  # upcoming/done/done_late/skipped/missed
    skip_reason = pw.TextField(default="")
    overdue_logged_at = UTCField(null=True)

    class Meta:
        indexes = ((("shift", "due_at"), False),)


class PatrolCheck(BaseModel):
    round = pw.ForeignKeyField(PatrolRound, backref="checks", on_delete="CASCADE")
    checkpoint = pw.ForeignKeyField(Checkpoint, backref="checks")
    position = pw.IntegerField()
    result = pw.CharField(null=True)  # ok / problem / reading / skipped
    value = pw.FloatField(null=True)
    out_of_range = pw.BooleanField(default=False)
    note = pw.TextField(default="")
    marked_at = UTCField(null=True)
    marked_by = pw.ForeignKeyField(Staff, null=True)
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections")
    correction_reason = pw.TextField(default="")

    class Meta:
        indexes = (
            (("checkpoint", "marked_at"), False),
            # A checkpoint's previous reading or count (F3), whatever its other marks.
            (("checkpoint", "result", "marked_at"), False),
            # The equipment operation log pages readings by time (EN-8.3.4).
            (("result", "marked_at"), False),
        )


# --- incidents and requests ----------------------------------------------------------


class IncidentCategory(BaseModel):
    """Two-level incident nature per desk kind; editable by a supervisor."""

    desk_kind = pw.CharField()
    code = pw.CharField()
    parent = pw.ForeignKeyField("self", null=True, backref="children")
    name_zh = pw.CharField()
    name_en = pw.CharField()
    notify_role = pw.CharField(default="")  # e.g. "hr" for disputes (SG-7)
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)


class Incident(_Entry):
    """An incident (SE-4, CS6)."""

    occurred_at = UTCField()
    place = pw.CharField()
    category = pw.CharField()
    subcategory = pw.CharField(default="")
    people_count = pw.IntegerField(default=0)
    people_involved = pw.TextField(default="")  # who (SE-4); migration 5
    characteristics = pw.TextField(default="")
    description = pw.TextField()
    actions = pw.TextField(default="")
    result = pw.TextField(default="")
    status = pw.CharField(default="open")  # open / handling / resolved
    severity = pw.CharField(default="normal")  # normal / major
    checkpoint = pw.ForeignKeyField(Checkpoint, null=True)
    closed_at = UTCField(null=True)
    closed_by = pw.ForeignKeyField(Staff, null=True)
    report_due_at = UTCField(null=True)

    class Meta:
        indexes = (
            (("desk", "occurred_at"), False),
            (("status",), False),
        )


class Contact(BaseModel):
    """The site's contact list offered when notifications are recorded."""

    role = pw.CharField()
    name = pw.CharField()
    phone = pw.CharField(default="")
    position = pw.IntegerField(default=0)


class Notification(BaseModel):
    """Who was told of an incident, how, when, and whether reached (CS6, CS-R3)."""

    incident = pw.ForeignKeyField(Incident, backref="notifications", on_delete="CASCADE")
    role = pw.CharField()
    name = pw.CharField(default="")
    method = pw.CharField()  # phone / radio / in_person
    notified_at = UTCField()
    reached = pw.BooleanField(default=True)
    author = pw.ForeignKeyField(Staff)
    created_at = UTCField()


class IncidentReport(BaseModel):
    """The written report of a major incident, due the next day (CS6)."""

    incident = pw.ForeignKeyField(Incident, backref="reports")
    author = pw.ForeignKeyField(Staff)
    text = pw.TextField()
    created_at = UTCField()
    signed_at = UTCField(null=True)


class RepairRequest(_Entry):
    """A repair request (报修, EN-8.3.2)."""

    received_at = UTCField()
    from_name = pw.CharField(default="")
    from_unit = pw.CharField(default="")
    from_phone = pw.CharField(default="")
    place = pw.CharField(default="")
    problem = pw.TextField()
    status = pw.CharField(default="open")  # open / handled / not_handled
    action = pw.TextField(default="")
    reason = pw.TextField(default="")
    handled_at = UTCField(null=True)
    handled_by = pw.ForeignKeyField(Staff, null=True)

    class Meta:
        indexes = ((("desk", "received_at"), False),)


# --- handover, signatures ---------------------------------------------------------------


class Handover(BaseModel):
    """A two-party handover (EN-8.5, EN-8.6)."""

    desk = pw.ForeignKeyField(Desk, backref="handovers")
    outgoing_shift = pw.ForeignKeyField(Shift, null=True, backref="handovers_out")
    incoming_shift = pw.ForeignKeyField(Shift, null=True, backref="handovers_in")
    started_by = pw.ForeignKeyField(Staff)
    started_at = UTCField()
    early_reason = pw.TextField(default="")
    notes = pw.TextField(default="")
    state = pw.CharField(default="draft")  # draft / aborted / refused / signed
    end_reason = pw.TextField(default="")
    content = JSONField(null=True)
    content_hash = pw.CharField(default="")
    chain_head_seq = pw.IntegerField(null=True)
    chain_head_hash = pw.CharField(default="")
    signed_at = UTCField(null=True)
    # The incoming person, once identified on the terminal (EN-8.5.1).
    incoming_staff = pw.ForeignKeyField(Staff, null=True, backref="handovers_taken")
    identified_at = UTCField(null=True)
    checklist = JSONField(null=True)  # takeover checklist answers (EN-8.4.1–4)
    read_back = pw.IntegerField(null=True)  # carried-over count typed by the incoming
    # Why it was stopped, as data (EN-8.6.3): the rule and the incident that stopped it.
    abort_rule = pw.CharField(null=True)
    abort_incident = pw.ForeignKeyField(Incident, null=True, backref="aborted_handovers")


class HandoverItem(BaseModel):
    handover = pw.ForeignKeyField(Handover, backref="items", on_delete="CASCADE")
    kind = pw.CharField()
    ref_type = pw.CharField(default="")
    ref_id = pw.IntegerField(null=True)
    text = pw.TextField()
    reason = pw.TextField(default="")  # why it was not resolved (CS-R6)
    acknowledged_at = UTCField(null=True)
    acknowledged_by = pw.ForeignKeyField(Staff, null=True)
    carried_over = pw.BooleanField(default=False)
    resolved_at = UTCField(null=True)


class Signature(BaseModel):
    """A person's signature bound to the SHA-256 of the content signed."""

    handover = pw.ForeignKeyField(Handover, null=True, backref="signatures")
    report = pw.ForeignKeyField(IncidentReport, null=True, backref="signatures")
    staff = pw.ForeignKeyField(Staff)
    printed_name = pw.CharField()
    staff_no = pw.CharField()
    signed_at = UTCField()
    meaning = pw.CharField()
    content_hash = pw.CharField()


class HandoverDiscrepancy(BaseModel):
    """A problem the outgoing did not report, found after taking over (EN-8.6.4).

    A new record linked to the signed handover, which itself never changes.
    """

    handover = pw.ForeignKeyField(Handover, backref="discrepancies")
    author = pw.ForeignKeyField(Staff)
    text = pw.TextField()
    created_at = UTCField()
    seen_by = pw.ForeignKeyField(Staff, null=True)  # the supervisor who read it
    seen_at = UTCField(null=True)


# --- search ---------------------------------------------------------------------------


class SearchDoc(BaseModel):
    """The searchable text of one record (incident, duty log, phone call, repair).

    The full-text index over it is database-specific (``sqlite_extras``: an FTS5
    table whose rowid is this row's id); ``body`` is kept to show the hit.
    """

    kind = pw.CharField()  # incident / duty / phone / repair
    ref_id = pw.IntegerField()
    desk_id = pw.IntegerField(null=True)
    at = UTCField(null=True)
    body = pw.TextField()

    class Meta:
        indexes = ((("kind", "ref_id"), True),)


# --- drafts and audit ---------------------------------------------------------------


class Draft(BaseModel):
    """A half-filled form, kept per person and desk through locks and crashes."""

    staff = pw.ForeignKeyField(Staff, backref="drafts", on_delete="CASCADE")
    desk = pw.ForeignKeyField(Desk, on_delete="CASCADE")
    form = pw.CharField()
    data = JSONField()
    updated_at = UTCField()

    class Meta:
        indexes = ((("staff", "desk", "form"), True),)


class AuditEvent(BaseModel):
    """The append-only, hash-chained audit trail."""

    seq = pw.IntegerField(unique=True)
    at = UTCField()
    desk = pw.ForeignKeyField(Desk, null=True)
    staff = pw.ForeignKeyField(Staff, null=True)
    staff_no = pw.CharField(default="")  # also for failed logins of unknown numbers
    action = pw.CharField()
    record_type = pw.CharField(default="")
    record_id = pw.IntegerField(null=True)
    old = JSONField(null=True)
    new = JSONField(null=True)
    prev_hash = pw.CharField()
    hash = pw.CharField()

    class Meta:
        indexes = ((("action", "at"), False),)


class SchemaVersion(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField()
    applied_at = UTCField()


ALL_MODELS: list[type[BaseModel]] = [
    Site,
    Desk,
    ShiftTemplate,
    ShiftTimeChange,
    Staff,
    Holiday,
    RosterEntry,
    SwapRequest,
    Shift,
    LoginSession,
    PresenceCheck,
    DutyLogEntry,
    PhoneCall,
    Visitor,
    KeyLoan,
    SwitchingOperation,
    ToolItem,
    Checkpoint,
    PatrolSchedule,
    RouteStop,
    PatrolRound,
    PatrolCheck,
    IncidentCategory,
    Incident,
    Contact,
    Notification,
    IncidentReport,
    RepairRequest,
    Handover,
    HandoverItem,
    Signature,
    HandoverDiscrepancy,
    SearchDoc,
    Draft,
    AuditEvent,
    SchemaVersion,
]
