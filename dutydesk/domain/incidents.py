"""Incidents (F4): the SE-4 form, escalation of major events (CS6, CS-R3) and the
written report due the next day.

An incident records when it happened (set back if need be, never in the
future), where, its nature (a two-level category per desk kind, editable by a
supervisor), the people involved, what happened, what was done and the result.
Saving it also writes a linked line into the shift's duty log (SE-4 ④) and
indexes it for search, in the same transaction.

Its status moves open → handling ("being handled", 事故处理中) → resolved; each
change is audited, and an incident being handled blocks the handover
(EN-8.6.2, :func:`incidents_being_handled`). A major incident cannot be saved
unless someone at leader level or above, or the department head, was reached
(CS6); its written report is due by the end of the next day and is signed with
its author's PIN. Filed reports and their signatures never change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, cast

import arrow
import peewee as pw

from dutydesk.db import write
from dutydesk.domain import audit, bounds, canonical, interruptions, search
from dutydesk.domain.context import LEADER_ROLES, SUPERVISOR_ROLES, Actor
from dutydesk.domain.shifts import open_shift_of
from dutydesk.domain.site import site_timezone
from dutydesk.domain.staff import authenticate
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_, _, pick
from dutydesk.models import (
    AuditEvent,
    Checkpoint,
    Contact,
    Desk,
    DutyLogEntry,
    Incident,
    IncidentCategory,
    IncidentReport,
    Notification,
    Signature,
    Staff,
)

STATUSES: tuple[str, ...] = ("open", "handling", "resolved")
STATUS_LABELS: dict[str, str] = {
    "open": N_("Open"),
    "handling": N_("Being handled"),
    "resolved": N_("Resolved"),
}
SEVERITIES: tuple[str, ...] = ("normal", "major")
SEVERITY_LABELS: dict[str, str] = {"normal": N_("Normal"), "major": N_("Major")}

# Who can be told of an incident (CS6, SE-4), in the order the form offers them.
NOTIFY_ROLES: tuple[str, ...] = (
    "leader",
    "captain",
    "supervisor",
    "duty_manager",
    "department_head",
    "hr",
    "police",
    "fire",
    "ambulance",
    "admin",
)
NOTIFY_ROLE_LABELS: dict[str, str] = {
    "leader": N_("Shift leader"),
    "captain": N_("Captain"),
    "supervisor": N_("Supervisor"),
    "duty_manager": N_("Duty manager"),
    "department_head": N_("Department head"),
    "hr": N_("HR"),
    "police": N_("Police (110)"),
    "fire": N_("Fire brigade (119)"),
    "ambulance": N_("Ambulance (120)"),
    "admin": N_("Administrator"),
}
METHODS: tuple[str, ...] = ("phone", "radio", "in_person")
METHOD_LABELS: dict[str, str] = {
    "phone": N_("Phone"),
    "radio": N_("Radio"),
    "in_person": N_("In person"),
}
# CS6: a major incident needs a reached notification of one of these roles.
ESCALATION_ROLES = frozenset(LEADER_ROLES | {"department_head"})

# A clock a little fast or a minute typed ahead is not "in the future".
FUTURE_TOLERANCE_MINUTES = 1
MAX_PAGE_SIZE = 200
REPORT_MEANING = "报告 / report"

# (code, 中文, English, party told, [(child code, 中文, English)]) per desk kind.
_Cat = tuple[str, str, str, str, list[tuple[str, str, str]]]
DEFAULT_CATEGORIES: dict[str, list[_Cat]] = {
    "security": [
        (
            "intrusion",
            "非法闯入",
            "Intrusion",
            "",
            [
                ("wall", "翻越围墙", "Climbing the wall"),
                ("forced", "强行闯入", "Forced entry"),
            ],
        ),
        # SG-7: disputes are stopped and reported to HR.
        (
            "dispute",
            "纠纷",
            "Dispute",
            "hr",
            [
                ("quarrel", "争吵", "Quarrel"),
                ("fight", "打架斗殴", "Fight"),
            ],
        ),
        (
            "fire",
            "火情烟雾",
            "Fire or smoke",
            "",
            [
                ("alarm", "火警", "Fire alarm"),
                ("smoke", "冒烟", "Smoke"),
                ("smell", "焦糊味", "Burning smell"),
            ],
        ),
        ("theft", "盗窃", "Theft", "", []),
        (
            "vehicle",
            "车辆",
            "Vehicle",
            "",
            [
                ("parking", "违章停车", "Illegal parking"),
                ("collision", "车辆剐蹭", "Collision"),
            ],
        ),
        ("suspicious", "可疑人员", "Suspicious person", "", []),
        ("medical", "急症伤病", "Medical", "", []),
        ("damage", "设施损坏", "Facility damage", "", []),
        ("other", "其他", "Other", "", []),
    ],
    "engineering": [
        (
            "power",
            "供电",
            "Power",
            "",
            [
                ("outage", "停电", "Power cut"),
                ("trip", "跳闸", "Breaker tripped"),
            ],
        ),
        (
            "water",
            "给排水",
            "Water",
            "",
            [
                ("leak", "漏水", "Leak"),
                ("burst", "爆管", "Burst pipe"),
                ("cut", "停水", "Water cut"),
            ],
        ),
        (
            "lift",
            "电梯",
            "Lift",
            "",
            [
                ("trapped", "电梯困人", "People trapped"),
                ("fault", "电梯故障", "Lift fault"),
            ],
        ),
        ("hvac", "暖通空调", "HVAC", "", []),
        (
            "fire_system",
            "消防系统",
            "Fire system",
            "",
            [
                ("false_alarm", "消防误报", "False alarm"),
                ("fault", "消防设备故障", "Fire equipment fault"),
            ],
        ),
        ("other", "其他", "Other", "", []),
    ],
    "service": [
        ("complaint", "投诉", "Complaint", "", []),
        ("facility", "公共设施", "Facility", "", []),
        ("neighbours", "邻里纠纷", "Neighbours", "", []),
        ("other", "其他", "Other", "", []),
    ],
}

# The site's contact list, seeded on first use: (role, name, phone).
DEFAULT_CONTACTS: tuple[tuple[str, str, str], ...] = (
    ("supervisor", "", ""),
    ("captain", "", ""),
    ("duty_manager", "", ""),
    ("police", "110", "110"),
    ("fire", "119", "119"),
    ("ambulance", "120", "120"),
)


# --- shared helpers -----------------------------------------------------------------


def _text(value: Any) -> str:
    # User text is stored exactly as typed; only "is it empty" looks through spaces.
    return "" if value is None else str(value)


def _blank(value: Any) -> bool:
    return not _text(value).strip()


def _instant(value: Any, field_name: str) -> arrow.Arrow:
    if isinstance(value, arrow.Arrow):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return arrow.get(value)
    raise ValidationError(N_("Enter the time as YYYY-MM-DD HH:MM"), field=field_name)


def _not_future(actor: Actor, value: arrow.Arrow, field_name: str, msgid: str) -> None:
    bounds.instant(actor, value, field_name, future_msgid=msgid)


# --- categories ---------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryInfo:
    """One nature of incident (level 1) or one of its details (level 2)."""

    id: int
    desk_kind: str
    code: str
    parent_code: str
    name_zh: str
    name_en: str
    notify_role: str
    position: int
    active: bool

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


def _category_info(c: IncidentCategory, parent_code: str = "") -> CategoryInfo:
    return CategoryInfo(
        c.id,
        c.desk_kind,
        c.code,
        parent_code,
        c.name_zh,
        c.name_en,
        c.notify_role,
        c.position,
        c.active,
    )


def seed_categories(actor: Actor) -> int:
    """Put the default categories of every desk kind that has none yet; how many added.

    Called at site creation and lazily by the incident functions.
    """
    added = 0
    with write():
        present = {
            k for (k,) in IncidentCategory.select(IncidentCategory.desk_kind).distinct().tuples()
        }
        for kind, cats in DEFAULT_CATEGORIES.items():
            if kind in present:
                continue
            for pos, (code, zh, en, notify, children) in enumerate(cats):
                parent = IncidentCategory.create(
                    desk_kind=kind,
                    code=code,
                    name_zh=zh,
                    name_en=en,
                    notify_role=notify,
                    position=pos,
                )
                added += 1
                for cpos, (ccode, czh, cen) in enumerate(children):
                    IncidentCategory.create(
                        desk_kind=kind,
                        code=f"{code}.{ccode}",
                        parent=parent,
                        name_zh=czh,
                        name_en=cen,
                        position=cpos,
                    )
                    added += 1
            audit.record(
                actor, "incident_category.seed", "incident_category", None, new={"desk_kind": kind}
            )
    return added


def categories(
    actor: Actor, desk_kind: str, *, include_inactive: bool = False
) -> list[CategoryInfo]:
    """The categories of a desk kind: each level-1 nature followed by its details."""
    seed_categories(actor)
    q = IncidentCategory.select().where(IncidentCategory.desk_kind == desk_kind)
    if not include_inactive:
        q = q.where(IncidentCategory.active == True)  # noqa: E712
    rows = list(q.order_by(IncidentCategory.position, IncidentCategory.id))
    top = [r for r in rows if r.parent_id is None]
    out: list[CategoryInfo] = []
    for t in top:
        out.append(_category_info(t))
        out.extend(_category_info(c, t.code) for c in rows if c.parent_id == t.id)
    return out


def _find_category(desk_kind: str, code: str) -> IncidentCategory | None:
    return IncidentCategory.get_or_none(
        (IncidentCategory.desk_kind == desk_kind) & (IncidentCategory.code == code)
    )


def add_category(
    actor: Actor,
    desk_kind: str,
    name_zh: str,
    name_en: str,
    *,
    parent_code: str = "",
    code: str = "",
    notify_role: str = "",
) -> CategoryInfo:
    """A supervisor adds a nature (or, with ``parent_code``, a detail of one)."""
    if desk_kind not in DEFAULT_CATEGORIES:
        raise ValidationError(N_("Unknown desk kind {kind}"), field="desk_kind", kind=desk_kind)
    if _blank(name_zh) and _blank(name_en):
        raise ValidationError(N_("Enter the name of the category"), field="name_zh")
    if notify_role and notify_role not in NOTIFY_ROLES:
        raise ValidationError(N_("Choose who is told from the list"), field="notify_role")
    seed_categories(actor)
    with write():
        actor.require_role()
        parent = None
        if parent_code:
            parent = _find_category(desk_kind, parent_code)
            if parent is None or parent.parent_id is not None:
                raise ValidationError(N_("Choose a nature from the list"), field="parent")
        slug = code.strip() or re.sub(r"[^a-z0-9]+", "_", name_en.lower()).strip("_") or "c"
        full = f"{parent_code}.{slug}" if parent else slug
        base, n = full, 2
        while _find_category(desk_kind, full) is not None:
            full = f"{base}_{n}"
            n += 1
        siblings = (
            IncidentCategory.select()
            .where(
                (IncidentCategory.desk_kind == desk_kind)
                & (
                    (IncidentCategory.parent == parent)
                    if parent
                    else IncidentCategory.parent.is_null()
                )
            )
            .count()
        )
        row = IncidentCategory.create(
            desk_kind=desk_kind,
            code=full,
            parent=parent,
            name_zh=name_zh.strip(),
            name_en=name_en.strip(),
            notify_role=notify_role,
            position=siblings,
        )
        audit.record(
            actor,
            "incident_category.create",
            "incident_category",
            row.id,
            new={
                "desk_kind": desk_kind,
                "code": full,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "notify_role": notify_role,
            },
        )
    return _category_info(row, parent_code if parent else "")


def update_category(
    actor: Actor,
    category_id: int,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    notify_role: str | None = None,
    active: bool | None = None,
    position: int | None = None,
) -> CategoryInfo:
    """A supervisor renames, reorders, (de)activates a category or changes who is told.

    Codes never change: stored incidents keep pointing at them.
    """
    if notify_role and notify_role not in NOTIFY_ROLES:
        raise ValidationError(N_("Choose who is told from the list"), field="notify_role")
    with write():
        actor.require_role()
        row = IncidentCategory.get_or_none(IncidentCategory.id == category_id)
        if row is None:
            raise NotFound(N_("No such category"))
        old = {
            "name_zh": row.name_zh,
            "name_en": row.name_en,
            "notify_role": row.notify_role,
            "active": row.active,
            "position": row.position,
        }
        if name_zh is not None:
            row.name_zh = name_zh.strip()
        if name_en is not None:
            row.name_en = name_en.strip()
        if not row.name_zh and not row.name_en:
            raise ValidationError(N_("Enter the name of the category"), field="name_zh")
        if notify_role is not None:
            row.notify_role = notify_role
        if active is not None:
            row.active = active
        if position is not None:
            row.position = position
        row.save()
        new = {
            "name_zh": row.name_zh,
            "name_en": row.name_en,
            "notify_role": row.notify_role,
            "active": row.active,
            "position": row.position,
        }
        audit.record(
            actor, "incident_category.update", "incident_category", row.id, old=old, new=new
        )
    parent_code = row.parent.code if row.parent_id else ""
    return _category_info(row, parent_code)


# --- contacts -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContactInfo:
    """An entry of the site's contact list, offered when notifications are recorded."""

    id: int
    role: str
    name: str
    phone: str
    position: int

    @property
    def role_label(self) -> str:
        return _(NOTIFY_ROLE_LABELS.get(self.role, self.role))

    def notification(
        self, method: str = "phone", reached: bool = True, notified_at: arrow.Arrow | None = None
    ) -> NotificationFields:
        """A notification of this contact, to be completed on the form."""
        return NotificationFields(
            role=self.role, name=self.name, method=method, notified_at=notified_at, reached=reached
        )


def _contact_info(c: Contact) -> ContactInfo:
    return ContactInfo(c.id, c.role, c.name, c.phone, c.position)


def contacts(actor: Actor) -> list[ContactInfo]:
    """The site's contact list (the defaults are put in on first use)."""
    if not Contact.select().exists():
        with write():
            if not Contact.select().exists():
                boss = Staff.select().where(Staff.role == "supervisor").order_by(Staff.id).first()
                for pos, (role, name, phone) in enumerate(DEFAULT_CONTACTS):
                    if role == "supervisor" and boss is not None:
                        name = boss.name
                    Contact.create(role=role, name=name, phone=phone, position=pos)
                audit.record(
                    actor,
                    "contact.seed",
                    "contact",
                    None,
                    new={"roles": [r for r, _n, _p in DEFAULT_CONTACTS]},
                )
    return [_contact_info(c) for c in Contact.select().order_by(Contact.position, Contact.id)]


def _check_phone(phone: str, field_name: str) -> None:
    if phone.strip() and not re.fullmatch(r"[0-9+\-() #*]+", phone.strip()):
        raise ValidationError(
            N_("A phone number has only digits, spaces and + - ( )"), field=field_name
        )


def save_contact(
    actor: Actor, role: str, name: str, phone: str, contact_id: int | None = None
) -> ContactInfo:
    """A supervisor adds a contact, or changes one (``contact_id``)."""
    if role not in NOTIFY_ROLES:
        raise ValidationError(N_("Choose who was told"), field="role")
    if _blank(name) and _blank(phone):
        raise ValidationError(N_("Enter a name or a phone number"), field="name")
    _check_phone(_text(phone), "phone")
    bounds.name(name, "name")
    bounds.name(phone, "phone")
    contacts(actor)
    with write():
        actor.require_role()
        if contact_id is None:
            pos = Contact.select().count()
            row = Contact.create(role=role, name=_text(name), phone=_text(phone), position=pos)
            audit.record(
                actor,
                "contact.create",
                "contact",
                row.id,
                new={"role": role, "name": row.name, "phone": row.phone},
            )
        else:
            row = Contact.get_or_none(Contact.id == contact_id)
            if row is None:
                raise NotFound(N_("No such contact"))
            old = {"role": row.role, "name": row.name, "phone": row.phone}
            row.role, row.name, row.phone = role, _text(name), _text(phone)
            row.save()
            audit.record(
                actor,
                "contact.update",
                "contact",
                row.id,
                old=old,
                new={"role": role, "name": row.name, "phone": row.phone},
            )
    return _contact_info(row)


def remove_contact(actor: Actor, contact_id: int) -> None:
    """A supervisor takes a contact off the list (notifications keep their copy)."""
    with write():
        actor.require_role()
        row = Contact.get_or_none(Contact.id == contact_id)
        if row is None:
            raise NotFound(N_("No such contact"))
        audit.record(
            actor,
            "contact.delete",
            "contact",
            row.id,
            old={"role": row.role, "name": row.name, "phone": row.phone},
        )
        row.delete_instance()


# --- the form ---------------------------------------------------------------------------


@dataclass
class IncidentFields:
    """What the incident form holds (also the shape of its draft)."""

    place: str = ""
    category: str = ""
    subcategory: str = ""
    description: str = ""
    occurred_at: arrow.Arrow | None = None  # None: now
    people_count: int | str | None = 0
    people_involved: str = ""  # who: names, descriptions (SE-4)
    characteristics: str = ""
    actions: str = ""
    result: str = ""
    status: str = "open"
    severity: str = "normal"
    checkpoint_id: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> IncidentFields:
        """From a form dict or a draft (:meth:`to_draft`); unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["occurred_at"] = _from_draft_instant(values.get("occurred_at"))
        return cls(**values)

    def to_draft(self) -> dict[str, Any]:
        """Plain JSON values for :mod:`dutydesk.domain.drafts`."""
        return {
            **asdict(self),
            "occurred_at": canonical.instant(self.occurred_at)
            if isinstance(self.occurred_at, arrow.Arrow)
            else self.occurred_at,
        }


@dataclass
class NotificationFields:
    """One row of "who was told": role, name, how, when (None: now), reached or not."""

    role: str = ""
    name: str = ""
    method: str = "phone"
    notified_at: arrow.Arrow | None = None
    reached: bool = True

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NotificationFields:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["notified_at"] = _from_draft_instant(values.get("notified_at"))
        return cls(**values)

    def to_draft(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "notified_at": canonical.instant(self.notified_at)
            if isinstance(self.notified_at, arrow.Arrow)
            else self.notified_at,
        }


def _from_draft_instant(value: Any) -> Any:
    """A draft's canonical instant string back to arrow; anything else as it is."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return arrow.get(value)
        except (arrow.parser.ParserError, ValueError):
            return value
    return value


def _as_fields(value: IncidentFields | Mapping[str, Any]) -> IncidentFields:
    return value if isinstance(value, IncidentFields) else IncidentFields.from_mapping(value)


def _as_notification(value: NotificationFields | Mapping[str, Any]) -> NotificationFields:
    if isinstance(value, NotificationFields):
        return value
    return NotificationFields.from_mapping(value)


def fields_from_checkpoint(actor: Actor, checkpoint_id: int, note: str = "") -> IncidentFields:
    """The form opened from a problem found on patrol or an equipment fault (EN-8.3.2):
    place and checkpoint filled in, the patrol note as what happened."""
    cp = Checkpoint.get_or_none(Checkpoint.id == checkpoint_id)
    if cp is None:
        raise NotFound(N_("No such checkpoint"))
    return IncidentFields(
        place=_checkpoint_place(cp), checkpoint_id=cp.id, description=note, occurred_at=actor.now()
    )


def _checkpoint_place(cp: Checkpoint) -> str:
    name = pick(cp.name, cp.name_en)
    return f"{cp.area} {name}".strip() if cp.area and cp.area not in name else name


@dataclass(frozen=True)
class _Valid:
    occurred_at: arrow.Arrow
    place: str
    category: str
    subcategory: str
    people_count: int
    description: str
    status: str
    severity: str
    checkpoint_id: int | None


def _people_count(value: Any) -> int:
    return bounds.people(value, "people_count")


def _checks(actor: Actor, desk_kind: str, f: IncidentFields) -> Iterable[Any]:
    """Each field check in form order; a check raises ValidationError or returns a value."""
    yield lambda: _not_future(
        actor,
        _instant(f.occurred_at or actor.now(), "occurred_at"),
        "occurred_at",
        N_("The time it happened cannot be in the future"),
    )
    yield lambda: _required(f.place, "place", N_("Enter the place"))
    yield lambda: _category(desk_kind, f.category, f.subcategory)
    yield lambda: _people_count(f.people_count)
    yield lambda: _required(f.description, "description", N_("Describe what happened"))
    yield lambda: bounds.text(f.place, "place")
    yield lambda: bounds.text(f.description, "description")
    yield lambda: bounds.text(f.characteristics, "characteristics")
    yield lambda: bounds.text(f.actions, "actions")
    yield lambda: bounds.text(f.result, "result")
    yield lambda: _choice(f.status, STATUSES, "status", N_("Choose a status from the list"))
    yield lambda: _choice(f.severity, SEVERITIES, "severity", N_("Choose a severity from the list"))
    yield (
        lambda: (
            _required(f.result, "result", N_("Enter the result before closing the incident"))
            if f.status == "resolved"
            else None
        )
    )


def _required(value: Any, field_name: str, msgid: str) -> str:
    if _blank(value):
        raise ValidationError(msgid, field=field_name)
    return _text(value)


def _choice(value: Any, allowed: Sequence[str], field_name: str, msgid: str) -> str:
    if value not in allowed:
        raise ValidationError(msgid, field=field_name)
    return str(value)


def _category(desk_kind: str, code: Any, sub: Any) -> None:
    if _blank(code):
        raise ValidationError(N_("Choose the nature of the incident"), field="category")
    top = _find_category(desk_kind, _text(code))
    if top is None or top.parent_id is not None or not top.active:
        raise ValidationError(N_("Choose a nature from the list"), field="category")
    if not _blank(sub):
        child = _find_category(desk_kind, _text(sub))
        if child is None or child.parent_id != top.id or not child.active:
            raise ValidationError(
                N_("Choose a detail of this nature from the list"), field="subcategory"
            )


def _notification_checks(
    actor: Actor, n: NotificationFields, occurred_at: arrow.Arrow | None, prefix: str
) -> Iterable[Any]:
    yield lambda: _choice(n.role, NOTIFY_ROLES, prefix + "role", N_("Choose who was told"))
    yield lambda: _choice(n.method, METHODS, prefix + "method", N_("Choose how they were told"))
    yield lambda: _notified_at(actor, n.notified_at, occurred_at, prefix + "notified_at")


def _notified_at(
    actor: Actor, value: Any, occurred_at: arrow.Arrow | None, field_name: str
) -> arrow.Arrow:
    when = _instant(value or actor.now(), field_name)
    _not_future(actor, when, field_name, N_("The time they were told cannot be in the future"))
    if occurred_at is not None and when < occurred_at:
        raise ValidationError(N_("They cannot have been told before it happened"), field=field_name)
    return when


def _run(checks: Iterable[Any]) -> list[ValidationError]:
    problems: list[ValidationError] = []
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            if not any(p.field == exc.field for p in problems):
                problems.append(exc)
    return problems


def _desk_kind(desk_id: int) -> str:
    return Desk.select(Desk.kind).where(Desk.id == desk_id).scalar() or "security"


def check_incident(
    actor: Actor,
    incident: IncidentFields | Mapping[str, Any],
    notifications: Sequence[NotificationFields | Mapping[str, Any]] = (),
) -> list[ValidationError]:
    """Every field problem of the form at once (the message goes beside each field).

    Notification fields are named ``notifications.<n>.<field>``. Empty: it can be
    saved as far as its fields go (the CS6 rule is checked on saving).
    """
    desk_id, _staff = actor.require_login()
    seed_categories(actor)
    f = _as_fields(incident)
    problems = _run(_checks(actor, _desk_kind(desk_id), f))
    occurred = f.occurred_at if isinstance(f.occurred_at, arrow.Arrow) else None
    for i, n in enumerate(notifications):
        problems += _run(
            _notification_checks(actor, _as_notification(n), occurred, f"notifications.{i}.")
        )
    return problems


def _validated(
    actor: Actor, desk_id: int, f: IncidentFields, notifications: Sequence[NotificationFields]
) -> _Valid:
    problems = check_incident(actor, f, notifications)
    if problems:
        raise problems[0]
    if f.checkpoint_id is not None:
        cp = Checkpoint.get_or_none(Checkpoint.id == f.checkpoint_id)
        if cp is None:
            raise ValidationError(N_("No such checkpoint"), field="checkpoint_id")
    return _Valid(
        occurred_at=f.occurred_at or actor.now(),
        place=_text(f.place),
        category=_text(f.category),
        subcategory=_text(f.subcategory),
        people_count=_people_count(f.people_count),
        description=_text(f.description),
        status=f.status,
        severity=f.severity,
        checkpoint_id=f.checkpoint_id,
    )


def escalated(notifications: Iterable[NotificationFields | Notification]) -> bool:
    """CS6: someone at leader level or above, or the department head, was reached."""
    return any(n.reached and n.role in ESCALATION_ROLES for n in notifications)


def report_delay(
    occurred_at: arrow.Arrow,
    notifications: Iterable[Any],
    now: arrow.Arrow | None = None,
) -> dt.timedelta | None:
    """CS-R3: time from occurrence to the first reached notification (None: nobody yet).

    Notifications without a time count as made ``now`` (the unsaved form).
    """
    times = [n.notified_at or now for n in notifications if n.reached]
    known = [t for t in times if t is not None]
    return cast(dt.timedelta, min(known) - occurred_at) if known else None


def report_due_at(occurred_at: arrow.Arrow, tz: str | None = None) -> arrow.Arrow:
    """CS6: the written report is due by the end of the day after the occurrence
    (23:59:59.999 in the site's zone)."""
    local = occurred_at.to(tz or site_timezone())
    return local.floor("day").shift(days=2).shift(microseconds=-1000)


# --- what the screens read ----------------------------------------------------------------


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    incident_id: int
    role: str
    name: str
    method: str
    notified_at: arrow.Arrow
    reached: bool
    author_id: int
    created_at: arrow.Arrow

    @property
    def role_label(self) -> str:
        return _(NOTIFY_ROLE_LABELS.get(self.role, self.role))

    @property
    def method_label(self) -> str:
        return _(METHOD_LABELS.get(self.method, self.method))


def _notification_info(n: Notification) -> NotificationInfo:
    return NotificationInfo(
        n.id,
        n.incident_id,
        n.role,
        n.name,
        n.method,
        n.notified_at,
        n.reached,
        n.author_id,
        n.created_at,
    )


@dataclass(frozen=True)
class IncidentInfo:
    """An incident as the screens show it."""

    id: int
    desk_id: int
    shift_id: int | None
    author_id: int
    author_no: str
    author_name: str
    created_at: arrow.Arrow
    occurred_at: arrow.Arrow
    place: str
    category: str
    subcategory: str
    category_name: str
    subcategory_name: str
    people_count: int
    people_involved: str
    characteristics: str
    description: str
    actions: str
    result: str
    status: str
    severity: str
    checkpoint_id: int | None
    closed_at: arrow.Arrow | None
    closed_by_id: int | None
    report_due_at: arrow.Arrow | None
    report_filed_at: arrow.Arrow | None
    notifications: tuple[NotificationInfo, ...] = field(default=())

    @property
    def being_handled(self) -> bool:
        """Blocks the handover (EN-8.6.2)."""
        return self.status == "handling"

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"

    @property
    def major(self) -> bool:
        return self.severity == "major"

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    @property
    def severity_label(self) -> str:
        return _(SEVERITY_LABELS[self.severity])

    @property
    def first_report_delay(self) -> dt.timedelta | None:
        """CS-R3: from occurrence to the first reached notification."""
        return report_delay(self.occurred_at, self.notifications)

    def report_overdue(self, now: arrow.Arrow) -> bool:
        return (
            self.report_due_at is not None
            and self.report_filed_at is None
            and now > self.report_due_at
        )


def _names(desk_kind: str, codes: Iterable[str]) -> dict[str, str]:
    wanted = [c for c in codes if c]
    if not wanted:
        return {}
    rows = IncidentCategory.select().where(
        (IncidentCategory.desk_kind == desk_kind) & IncidentCategory.code.in_(wanted)
    )
    return {r.code: pick(r.name_zh, r.name_en) for r in rows}


def _infos(rows: Sequence[Incident], *, with_notifications: bool = True) -> list[IncidentInfo]:
    """Rows as IncidentInfo, loading names, notifications and reports in a few queries."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    kinds = {d.id: d.kind for d in Desk.select(Desk.id, Desk.kind)}
    names: dict[tuple[str, str], str] = {}
    for kind in {kinds.get(r.desk_id, "") for r in rows}:
        codes = {
            c for r in rows if kinds.get(r.desk_id) == kind for c in (r.category, r.subcategory)
        }
        names.update({(kind, c): n for c, n in _names(kind, codes).items()})
    authors = {
        s.id: s
        for s in Staff.select(Staff.id, Staff.staff_no, Staff.name).where(
            Staff.id.in_({r.author_id for r in rows})
        )
    }
    notes: dict[int, list[NotificationInfo]] = {}
    if with_notifications:
        for n in (
            Notification.select()
            .where(Notification.incident.in_(ids))
            .order_by(Notification.notified_at, Notification.id)
        ):
            notes.setdefault(n.incident_id, []).append(_notification_info(n))
    filed: dict[int, arrow.Arrow] = {}
    for rep in (
        IncidentReport.select(IncidentReport.incident, IncidentReport.signed_at)
        .where(IncidentReport.incident.in_(ids) & IncidentReport.signed_at.is_null(False))
        .order_by(IncidentReport.signed_at.desc())
    ):
        filed[rep.incident_id] = rep.signed_at
    out = []
    for r in rows:
        kind = kinds.get(r.desk_id, "")
        author = authors.get(r.author_id)
        out.append(
            IncidentInfo(
                id=r.id,
                desk_id=r.desk_id,
                shift_id=r.shift_id,
                author_id=r.author_id,
                author_no=author.staff_no if author else "",
                author_name=author.name if author else "",
                created_at=r.created_at,
                occurred_at=r.occurred_at,
                place=r.place,
                category=r.category,
                subcategory=r.subcategory,
                category_name=names.get((kind, r.category), r.category),
                subcategory_name=names.get((kind, r.subcategory), r.subcategory),
                people_count=r.people_count,
                people_involved=r.people_involved,
                characteristics=r.characteristics,
                description=r.description,
                actions=r.actions,
                result=r.result,
                status=r.status,
                severity=r.severity,
                checkpoint_id=r.checkpoint_id,
                closed_at=r.closed_at,
                closed_by_id=r.closed_by_id,
                report_due_at=r.report_due_at,
                report_filed_at=filed.get(r.id),
                notifications=tuple(notes.get(r.id, ())),
            )
        )
    return out


def _row(incident_id: int) -> Incident:
    row = Incident.get_or_none(Incident.id == incident_id)
    if row is None:
        raise NotFound(N_("No such incident"))
    return row


def get_incident(incident_id: int) -> IncidentInfo:
    return _infos([_row(incident_id)])[0]


def notify_roles_missing(incident_id: int) -> list[str]:
    """Parties the incident's nature says must be told and who were not reached yet
    (SG-7: HR for a dispute)."""
    r = _row(incident_id)
    kind = _desk_kind(r.desk_id)
    wanted = [
        c.notify_role
        for c in IncidentCategory.select().where(
            (IncidentCategory.desk_kind == kind)
            & IncidentCategory.code.in_([r.category, r.subcategory])
            & (IncidentCategory.notify_role != "")
        )
    ]
    told = {
        n.role
        for n in Notification.select().where(
            (Notification.incident == r.id) & (Notification.reached == True)  # noqa: E712
        )
    }
    return [role for role in dict.fromkeys(wanted) if role not in told]


# --- writing ----------------------------------------------------------------------------


def _snapshot(r: Incident) -> dict[str, Any]:
    return {
        "occurred_at": r.occurred_at,
        "place": r.place,
        "category": r.category,
        "subcategory": r.subcategory,
        "people_count": r.people_count,
        "people_involved": r.people_involved,
        "characteristics": r.characteristics,
        "description": r.description,
        "actions": r.actions,
        "result": r.result,
        "status": r.status,
        "severity": r.severity,
        "checkpoint": r.checkpoint_id,
        "report_due_at": r.report_due_at,
    }


def _notification_values(actor: Actor, n: NotificationFields) -> dict[str, Any]:
    return {
        "role": n.role,
        "name": _text(n.name),
        "method": n.method,
        "notified_at": n.notified_at or actor.now(),
        "reached": bool(n.reached),
    }


def _duty_line(r: Incident, category_name: str) -> str:
    return f"{category_name} · {r.place}: {r.description}"


def create_incident(
    actor: Actor,
    incident: IncidentFields | Mapping[str, Any],
    notifications: Sequence[NotificationFields | Mapping[str, Any]] = (),
) -> IncidentInfo:
    """Save a new incident at the actor's desk, with who was told, in one transaction.

    Also writes the linked duty-log line (SE-4 ④) and indexes it for search. A
    major incident needs a reached notification at leader level or above (CS6).
    """
    desk_id, staff_id = actor.require_login()
    f = _as_fields(incident)
    notes = [_as_notification(n) for n in notifications]
    v = _validated(actor, desk_id, f, notes)
    if v.severity == "major" and not escalated(notes):
        raise RuleViolation(
            N_(
                "A major incident must be reported at once to a shift leader, supervisor or "
                "department head, and one of them must have been reached"
            ),
            rule="CS6",
        )
    now = actor.now()
    with write():
        shift = open_shift_of(desk_id)
        row = Incident.create(
            desk=desk_id,
            shift=shift.id if shift else None,
            author=staff_id,
            created_at=now,
            occurred_at=v.occurred_at,
            place=v.place,
            category=v.category,
            subcategory=v.subcategory,
            people_count=v.people_count,
            people_involved=_text(f.people_involved),
            characteristics=_text(f.characteristics),
            description=v.description,
            actions=_text(f.actions),
            result=_text(f.result),
            status=v.status,
            severity=v.severity,
            checkpoint=v.checkpoint_id,
            closed_at=now if v.status == "resolved" else None,
            closed_by=staff_id if v.status == "resolved" else None,
            report_due_at=report_due_at(v.occurred_at) if v.severity == "major" else None,
        )
        audit.record(actor, "incident.create", "incident", row.id, new=_snapshot(row))
        for n in notes:
            values = _notification_values(actor, n)
            note = Notification.create(incident=row, author=staff_id, created_at=now, **values)
            audit.record(
                actor,
                "notification.create",
                "notification",
                note.id,
                new={"incident": row.id, **values},
            )
        kind = _desk_kind(desk_id)
        names = _names(kind, [v.category, v.subcategory])
        nature = " / ".join(names.get(c, c) for c in (v.category, v.subcategory) if c)
        entry = DutyLogEntry.create(
            desk=desk_id,
            shift=shift.id if shift else None,
            author=staff_id,
            created_at=now,
            kind="incident",
            occurred_at=v.occurred_at,
            category=v.category,
            text=_duty_line(row, nature),
            result=row.result,
            ref_type="incident",
            ref_id=row.id,
        )
        audit.record(
            actor,
            "log.duty.create",
            "duty_log_entry",
            entry.id,
            new={"kind": "incident", "ref_type": "incident", "ref_id": row.id},
        )
        search.index_record("incident", row.id)
        interruptions.incident_opened(actor, desk_id, row.id)  # EN-8.6.3, in this transaction
    return get_incident(row.id)


def _check_desk(actor: Actor, r: Incident) -> None:
    if r.desk_id != actor.desk_id:
        me = Staff.get_or_none(Staff.id == actor.staff_id)
        if me is None or me.role not in SUPERVISOR_ROLES:
            raise RuleViolation(N_("This incident belongs to another desk"))


def set_status(
    actor: Actor,
    incident_id: int,
    status: str,
    *,
    result: str | None = None,
    actions: str | None = None,
) -> IncidentInfo:
    """Move an incident to ``status`` (and/or update what was done and the result).

    Every change is audited with who and when. Resolving it needs a result and
    records who closed it and when; reopening clears that (the audit keeps it).
    """
    actor.require_login()
    _choice(status, STATUSES, "status", N_("Choose a status from the list"))
    with write():
        r = _row(incident_id)
        _check_desk(actor, r)
        old = {
            "status": r.status,
            "actions": r.actions,
            "result": r.result,
            "closed_at": r.closed_at,
            "closed_by": r.closed_by_id,
        }
        if actions is not None:
            r.actions = bounds.text(actions, "actions")
        if result is not None:
            r.result = bounds.text(result, "result")
        if status == "resolved" and _blank(r.result):
            raise ValidationError(
                N_("Enter the result before closing the incident"), field="result"
            )
        if status == "resolved" and r.status != "resolved":
            r.closed_at = actor.now()
            r.closed_by_id = actor.staff_id
        elif status != "resolved":
            r.closed_at = None
            r.closed_by_id = None
        r.status = status
        new = {
            "status": r.status,
            "actions": r.actions,
            "result": r.result,
            "closed_at": r.closed_at,
            "closed_by": r.closed_by_id,
        }
        if new == old:
            return get_incident(r.id)
        r.save()
        action = "incident.status" if new["status"] != old["status"] else "incident.update"
        audit.record(actor, action, "incident", r.id, old=old, new=new)
        search.index_record("incident", r.id)
    return get_incident(r.id)


def start_handling(actor: Actor, incident_id: int) -> IncidentInfo:
    """Mark an incident "being handled" (事故处理中): it now blocks the handover."""
    return set_status(actor, incident_id, "handling")


def resolve(actor: Actor, incident_id: int, result: str) -> IncidentInfo:
    """Close an incident with its result (who and when are recorded)."""
    return set_status(actor, incident_id, "resolved", result=result)


def add_notification(
    actor: Actor, incident_id: int, notification: NotificationFields | Mapping[str, Any]
) -> NotificationInfo:
    """Record one more person told (notifications are never changed)."""
    _desk, staff_id = actor.require_login()
    n = _as_notification(notification)
    r = _row(incident_id)
    problems = _run(_notification_checks(actor, n, r.occurred_at, ""))
    if problems:
        raise problems[0]
    values = _notification_values(actor, n)
    with write():
        note = Notification.create(incident=r.id, author=staff_id, created_at=actor.now(), **values)
        audit.record(
            actor, "notification.create", "notification", note.id, new={"incident": r.id, **values}
        )
    return _notification_info(note)


def mark_major(actor: Actor, incident_id: int) -> IncidentInfo:
    """Raise an incident to major: allowed once a leader-level person was reached (CS6);
    from then on its written report is due."""
    actor.require_login()
    with write():
        r = _row(incident_id)
        _check_desk(actor, r)
        if r.severity == "major":
            return get_incident(r.id)
        if not escalated(Notification.select().where(Notification.incident == r.id)):
            raise RuleViolation(
                N_(
                    "A major incident must be reported at once to a shift leader, supervisor "
                    "or department head, and one of them must have been reached"
                ),
                rule="CS6",
            )
        r.severity = "major"
        r.report_due_at = report_due_at(r.occurred_at)
        r.save()
        audit.record(
            actor,
            "incident.severity",
            "incident",
            r.id,
            old={"severity": "normal"},
            new={"severity": "major", "report_due_at": r.report_due_at},
        )
    return get_incident(r.id)


# --- lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentPage:
    """A page of incidents, newest first."""

    items: list[IncidentInfo]
    page: int
    page_size: int
    has_more: bool


def incidents_being_handled(desk_id: int) -> list[IncidentInfo]:
    """Incidents of the desk being handled: each one blocks the handover (EN-8.6.2)."""
    rows = list(
        Incident.select()
        .where((Incident.desk == desk_id) & (Incident.status == "handling"))
        .order_by(Incident.occurred_at)
    )
    return _infos(rows)


def open_incidents(desk_id: int) -> list[IncidentInfo]:
    """Incidents of the desk not resolved yet, from any shift, newest first."""
    rows = list(
        Incident.select()
        .where((Incident.desk == desk_id) & (Incident.status != "resolved"))
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    return _infos(rows)


def _day_start(day: dt.date, tz: str) -> arrow.Arrow:
    return arrow.get(dt.datetime(day.year, day.month, day.day), tzinfo=tz)


def list_incidents(
    desk_id: int | None = None,
    *,
    status: str | Sequence[str] | None = None,
    severity: str | None = None,
    category: str | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    page: int = 0,
    page_size: int = 50,
) -> IncidentPage:
    """The incident list (F4): newest first, filtered, one page at a time.

    Days are the site's calendar days, both ends included. Open incidents of
    earlier shifts are simply there: nothing filters by shift.
    """
    page = max(0, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    q = Incident.select()
    if desk_id is not None:
        q = q.where(Incident.desk == desk_id)
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        q = q.where(Incident.status.in_(wanted))
    if severity:
        q = q.where(Incident.severity == severity)
    if category:
        q = q.where((Incident.category == category) | (Incident.subcategory == category))
    tz = site_timezone()
    if day_from is not None:
        q = q.where(Incident.occurred_at >= _day_start(day_from, tz))
    if day_to is not None:
        q = q.where(Incident.occurred_at < _day_start(day_to, tz).shift(days=1))
    rows = list(
        q.order_by(Incident.occurred_at.desc(), Incident.id.desc())
        .limit(page_size + 1)
        .offset(page * page_size)
    )
    return IncidentPage(_infos(rows[:page_size]), page, page_size, len(rows) > page_size)


# --- the written report (CS6) --------------------------------------------------------------


def draft_report(incident_id: int) -> str:
    """A first draft of the written report from the structured fields, in the
    current language; the author edits it before signing."""
    inc = get_incident(incident_id)
    tz = site_timezone()
    nature = " / ".join(x for x in (inc.category_name, inc.subcategory_name) if x)
    lines = [
        _("Incident report"),
        "",
        _("Time: {time}", time=inc.occurred_at.to(tz).format("YYYY-MM-DD HH:mm")),
        _("Place: {place}", place=inc.place),
        _("Nature: {nature}", nature=nature),
        _("Severity: {severity}", severity=inc.severity_label),
        _("Number of people: {count}", count=inc.people_count),
    ]
    if inc.people_involved:
        lines.append(_("Who was involved: {text}", text=inc.people_involved))
    if inc.characteristics:
        lines.append(_("Characteristics: {text}", text=inc.characteristics))
    lines += [
        _("What happened: {text}", text=inc.description),
        _("Actions taken: {text}", text=inc.actions or "—"),
        _("Result: {text}", text=inc.result or "—"),
        _("Status: {status}", status=inc.status_label),
    ]
    if inc.notifications:
        lines.append(_("Who was told:"))
        for n in inc.notifications:
            reached = _("reached") if n.reached else _("not reached")
            who = f"{n.role_label} {n.name}".strip()
            lines.append(
                f"  {n.notified_at.to(tz).format('HH:mm')} {who} ({n.method_label}, {reached})"
            )
    delay = inc.first_report_delay
    if delay is not None:
        lines.append(
            _(
                "First reported {minutes} min after it happened",
                minutes=int(delay.total_seconds() // 60),
            )
        )
    lines += [
        "",
        _("Reported by: {name} ({staff_no})", name=inc.author_name, staff_no=inc.author_no),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ReportInfo:
    id: int
    incident_id: int
    author_id: int
    author_no: str
    author_name: str
    text: str
    signed_at: arrow.Arrow | None
    content_hash: str


def report_content(report: IncidentReport, author: Staff | None = None) -> dict[str, Any]:
    """Exactly what the author's signature covers (its canonical SHA-256 is stored).
    ``author``: the author's row when already read (``verify`` reads staff once)."""
    if author is None or author.id != report.author_id:
        author = Staff.get_by_id(report.author_id)
    return {
        "type": "incident_report",
        "report": report.id,
        "incident": report.incident_id,
        "author": author.staff_no,
        "author_name": author.name,
        "text": report.text,
        "signed_at": canonical.instant(report.signed_at),
    }


def file_report(actor: Actor, incident_id: int, text: str, staff_no: str, pin: str) -> ReportInfo:
    """The author files and signs the written report with their PIN (CS6).

    The signature binds the SHA-256 of the report's canonical content; a filed
    report is never changed (an addendum is a further report).
    """
    actor.require_login()
    if _blank(text):
        raise ValidationError(N_("Write the report"), field="text")
    r = _row(incident_id)
    signer = authenticate(actor, staff_no, pin, purpose="sign")
    now = actor.now()
    with write():
        report = IncidentReport.create(
            incident=r.id, author=signer.id, text=_text(text), created_at=now, signed_at=now
        )
        digest = canonical.sha256(report_content(report))
        sig = Signature.create(
            report=report,
            staff=signer.id,
            printed_name=signer.name,
            staff_no=signer.staff_no,
            signed_at=now,
            meaning=REPORT_MEANING,
            content_hash=digest,
        )
        audit.record(
            actor.as_staff(signer.id),
            "incident_report.sign",
            "incident_report",
            report.id,
            new={"incident": r.id, "signature": sig.id, "content_hash": digest},
        )
    return ReportInfo(
        report.id, r.id, signer.id, signer.staff_no, signer.name, report.text, now, digest
    )


def reports(incident_id: int) -> list[ReportInfo]:
    """The filed reports of an incident, first filed first."""
    out = []
    for rep in (
        IncidentReport.select()
        .where(IncidentReport.incident == incident_id)
        .order_by(IncidentReport.id)
    ):
        sig = Signature.get_or_none(Signature.report == rep.id)
        author = Staff.get_by_id(rep.author_id)
        out.append(
            ReportInfo(
                rep.id,
                rep.incident_id,
                author.id,
                author.staff_no,
                author.name,
                rep.text,
                rep.signed_at,
                sig.content_hash if sig else "",
            )
        )
    return out


def verify_report(report_id: int) -> bool:
    """The report's content still hashes to what its signature says."""
    rep = IncidentReport.get_or_none(IncidentReport.id == report_id)
    sig = Signature.get_or_none(Signature.report == report_id)
    if rep is None or sig is None:
        return False
    return canonical.sha256(report_content(rep)) == sig.content_hash


@dataclass(frozen=True)
class ReportDue:
    """A major incident whose written report is not filed yet."""

    incident_id: int
    desk_id: int
    place: str
    category: str
    occurred_at: arrow.Arrow
    due_at: arrow.Arrow
    overdue: bool


def _unfiled() -> pw.ModelSelect:
    filed = IncidentReport.select(IncidentReport.incident).where(
        IncidentReport.signed_at.is_null(False)
    )
    return Incident.select().where(
        Incident.report_due_at.is_null(False) & Incident.id.not_in(filed)
    )


def pending_reports(now: arrow.Arrow, desk_id: int | None = None) -> list[ReportDue]:
    """Written reports still to be filed, the earliest due first."""
    q = _unfiled()
    if desk_id is not None:
        # "+ 0": the desk is checked on the rows of the (small) report_due index; the
        # desk index would read every incident of the desk's ten years.
        q = q.where((Incident.desk + 0) == desk_id)
    rows: list[Any] = list(q.order_by(Incident.report_due_at, Incident.id))
    return [
        ReportDue(
            r.id,
            r.desk_id,
            r.place,
            r.category,
            r.occurred_at,
            r.report_due_at,
            now > r.report_due_at,
        )
        for r in rows
    ]


def overdue_reports(now: arrow.Arrow, desk_id: int | None = None) -> list[ReportDue]:
    """Reports past their due time (shown on every desk's shift screen and in reports)."""
    return [r for r in pending_reports(now, desk_id) if r.overdue]


# --- what the detail screen reads ---------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """One line of an incident's status history (from the audit trail)."""

    at: arrow.Arrow
    staff_no: str
    staff_name: str
    status: str
    result: str

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS.get(self.status, self.status))


def status_history(incident_id: int) -> list[StatusChange]:
    """Who set which status when, oldest first: its creation, then every status change."""
    events = (
        AuditEvent.select()
        .where(
            (AuditEvent.record_type == "incident")
            & (AuditEvent.record_id == incident_id)
            & AuditEvent.action.in_(["incident.create", "incident.status"])
        )
        .order_by(AuditEvent.seq)
    )
    people = {s.id: s for s in Staff.select(Staff.id, Staff.staff_no, Staff.name)}
    out = []
    for e in events:
        new = e.new or {}
        who = people.get(e.staff_id)
        out.append(
            StatusChange(
                e.at,
                who.staff_no if who else e.staff_no,
                who.name if who else "",
                str(new.get("status", "")),
                str(new.get("result") or ""),
            )
        )
    return out


def desk_areas(desk_id: int) -> list[str]:
    """The areas of the desk's checkpoints, offered as places on the form (free text ok)."""
    rows = (
        Checkpoint.select(Checkpoint.area)
        .where((Checkpoint.desk == desk_id) & (Checkpoint.area != ""))
        .distinct()
        .order_by(Checkpoint.area)
    )
    return [a for (a,) in rows.tuples()]
