"""Incident categories: a two-level nature per desk kind, seeded with defaults and
edited by a supervisor (SG-7: a dispute is reported to HR)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dutydesk.db import write
from dutydesk.domain import audit
from dutydesk.domain.context import Actor
from dutydesk.domain.formkit import blank, from_row
from dutydesk.domain.incidents.enums import NOTIFY_ROLES, NotifyRole
from dutydesk.errors import NotFound, ValidationError
from dutydesk.i18n import N_, pick
from dutydesk.models import IncidentCategory

# (code, 中文, English, party told) per desk kind, in the order the form offers them.
# A detail's code is its nature's code, a dot and its own ("intrusion.wall").
DefaultCategory = tuple[str, str, str, str]
DEFAULT_CATEGORIES: dict[str, tuple[DefaultCategory, ...]] = {
    "security": (
        ("intrusion", "非法闯入", "Intrusion", ""),
        ("intrusion.wall", "翻越围墙", "Climbing the wall", ""),
        ("intrusion.forced", "强行闯入", "Forced entry", ""),
        # SG-7: disputes are stopped and reported to HR.
        ("dispute", "纠纷", "Dispute", NotifyRole.HR),
        ("dispute.quarrel", "争吵", "Quarrel", ""),
        ("dispute.fight", "打架斗殴", "Fight", ""),
        ("fire", "火情烟雾", "Fire or smoke", ""),
        ("fire.alarm", "火警", "Fire alarm", ""),
        ("fire.smoke", "冒烟", "Smoke", ""),
        ("fire.smell", "焦糊味", "Burning smell", ""),
        ("theft", "盗窃", "Theft", ""),
        ("vehicle", "车辆", "Vehicle", ""),
        ("vehicle.parking", "违章停车", "Illegal parking", ""),
        ("vehicle.collision", "车辆剐蹭", "Collision", ""),
        ("suspicious", "可疑人员", "Suspicious person", ""),
        ("medical", "急症伤病", "Medical", ""),
        ("damage", "设施损坏", "Facility damage", ""),
        ("other", "其他", "Other", ""),
    ),
    "engineering": (
        ("power", "供电", "Power", ""),
        ("power.outage", "停电", "Power cut", ""),
        ("power.trip", "跳闸", "Breaker tripped", ""),
        ("water", "给排水", "Water", ""),
        ("water.leak", "漏水", "Leak", ""),
        ("water.burst", "爆管", "Burst pipe", ""),
        ("water.cut", "停水", "Water cut", ""),
        ("lift", "电梯", "Lift", ""),
        ("lift.trapped", "电梯困人", "People trapped", ""),
        ("lift.fault", "电梯故障", "Lift fault", ""),
        ("hvac", "暖通空调", "HVAC", ""),
        ("fire_system", "消防系统", "Fire system", ""),
        ("fire_system.false_alarm", "消防误报", "False alarm", ""),
        ("fire_system.fault", "消防设备故障", "Fire equipment fault", ""),
        ("other", "其他", "Other", ""),
    ),
    "service": (
        ("complaint", "投诉", "Complaint", ""),
        ("facility", "公共设施", "Facility", ""),
        ("neighbours", "邻里纠纷", "Neighbours", ""),
        ("other", "其他", "Other", ""),
    ),
}


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
    return from_row(CategoryInfo, c, parent_code=parent_code)


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
            parents: dict[str, IncidentCategory] = {}
            positions: dict[str, int] = {}
            for code, zh, en, notify in cats:
                parent_code = code.rpartition(".")[0]
                position = positions.get(parent_code, 0)
                positions[parent_code] = position + 1
                row = IncidentCategory.create(
                    desk_kind=kind,
                    code=code,
                    parent=parents.get(parent_code),
                    name_zh=zh,
                    name_en=en,
                    notify_role=notify,
                    position=position,
                )
                if not parent_code:
                    parents[code] = row
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
    row: IncidentCategory | None = IncidentCategory.get_or_none(
        (IncidentCategory.desk_kind == desk_kind) & (IncidentCategory.code == code)
    )
    return row


def _names(desk_kind: str, codes: Iterable[str]) -> dict[str, str]:
    """Code → name in the current language, for those of ``codes`` the desk kind has."""
    wanted = [c for c in codes if c]
    if not wanted:
        return {}
    rows = IncidentCategory.select().where(
        (IncidentCategory.desk_kind == desk_kind) & IncidentCategory.code.in_(wanted)
    )
    return {r.code: pick(r.name_zh, r.name_en) for r in rows}


def _check_notify_role(notify_role: str | None) -> None:
    if notify_role and notify_role not in NOTIFY_ROLES:
        raise ValidationError(N_("Choose who is told from the list"), field="notify_role")


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
    if blank(name_zh) and blank(name_en):
        raise ValidationError(N_("Enter the name of the category"), field="name_zh")
    _check_notify_role(notify_role)
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


_EDITABLE = ("name_zh", "name_en", "notify_role", "active", "position")


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
    _check_notify_role(notify_role)
    with write():
        actor.require_role()
        row: IncidentCategory | None = IncidentCategory.get_or_none(
            IncidentCategory.id == category_id
        )
        if row is None:
            raise NotFound(N_("No such category"))
        old = {name: getattr(row, name) for name in _EDITABLE}
        changes = {
            "name_zh": None if name_zh is None else name_zh.strip(),
            "name_en": None if name_en is None else name_en.strip(),
            "notify_role": notify_role,
            "active": active,
            "position": position,
        }
        for name, value in changes.items():
            if value is not None:
                setattr(row, name, value)
        if not row.name_zh and not row.name_en:
            raise ValidationError(N_("Enter the name of the category"), field="name_zh")
        row.save()
        new = {name: getattr(row, name) for name in _EDITABLE}
        audit.record(
            actor, "incident_category.update", "incident_category", row.id, old=old, new=new
        )
    parent_code = row.parent.code if row.parent_id else ""
    return _category_info(row, parent_code)
