"""Setting up a site: desks with their shift patterns, the first supervisor."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

import arrow
import peewee as pw

from dutydesk.db import write
from dutydesk.domain import audit, bounds, patterns
from dutydesk.domain.context import Actor, StaffRole
from dutydesk.domain.pins import hash_pin
from dutydesk.domain.staff import StaffAction
from dutydesk.errors import ConfigError, NotFound, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Desk, ShiftTemplate, ShiftTimeChange, Site, Staff

ROLES: tuple[str, ...] = tuple(StaffRole)


class SiteAction(StrEnum):
    """What the audit trail records about the site and its desks (``action`` strings)."""

    CREATE = "site.create"
    TIMEZONE = "site.timezone"
    LANGUAGE = "site.language"
    LOCK_AFTER = "site.lock_after"
    BACKUP = "site.backup"
    DESK_CREATE = "desk.create"
    DESK_RETIRE = "desk.retire"
    DESK_HANDOVER_WINDOW = "desk.handover_window"
    SHIFT_TEMPLATE_UPDATE = "shift_template.update"
    SHIFT_TEMPLATE_TIMES = "shift_template.times"


@dataclass(frozen=True)
class DeskSpec:
    code: str
    name: str
    preset: str
    location: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    tz: str
    language: str
    lock_after_seconds: int
    desks: list[DeskInfo] = field(default_factory=list)


@dataclass(frozen=True)
class DeskInfo:
    id: int
    code: str
    name: str
    name_en: str
    location: str
    kind: str
    preset: str
    presence_minutes: int
    handover_window_minutes: int = 60
    retired: bool = False


def _desk_info(d: Desk) -> DeskInfo:
    return DeskInfo(
        d.id,
        d.code,
        d.name,
        d.name_en,
        d.location,
        d.kind,
        d.preset,
        d.presence_minutes,
        d.handover_window_minutes,
        d.retired_at is not None,
    )


def desk_info(desk_id: int) -> DeskInfo:
    """One desk as a :class:`DeskInfo` (NotFound if there is none)."""
    desk: Desk | None = Desk.get_or_none(Desk.id == desk_id)
    if desk is None:
        raise NotFound(N_("No such desk"))
    return _desk_info(desk)


def check_timezone(tz: str) -> str:
    """``tz`` if it is a known IANA zone (or ``local``); :class:`ConfigError` otherwise."""
    try:
        arrow.now(tz)
    except Exception:
        raise ConfigError(N_("Unknown time zone: {tz}"), tz=tz) from None
    return tz


def local_timezone() -> str:
    """The machine's zone as an IANA name where it can be found, else ``local``."""
    import os
    from pathlib import Path

    env = os.environ.get("TZ", "").lstrip(":")
    if env and "/" in env:
        return env
    try:
        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    try:
        return Path("/etc/timezone").read_text().strip() or "UTC"
    except OSError:
        return "UTC"


def site_exists() -> bool:
    return bool(Site.select().exists())


def create_site(
    actor: Actor,
    *,
    name: str,
    tz: str,
    language: str,
    desks: list[DeskSpec],
    supervisor_no: str,
    supervisor_name: str,
    supervisor_pin: str,
    allow_trivial_pin: bool = False,
) -> SiteInfo:
    """Create the one site of this database with its desks and first supervisor."""
    if not name.strip():
        raise ValidationError(N_("The site needs a name"), field="name")
    bounds.name(name.strip(), "name")
    check_timezone(tz)
    if language not in ("zh", "en"):
        raise ValidationError(N_("Language must be zh or en"), field="language")
    if not desks:
        raise ValidationError(N_("A site needs at least one desk"), field="desks")
    for spec in desks:
        check_desk(spec)
    codes = [d.code for d in desks]
    if len(set(codes)) != len(codes):
        raise ValidationError(N_("Desk codes must be different"), field="desks")
    if not supervisor_no.strip() or not supervisor_name.strip():
        raise ValidationError(
            N_("The first supervisor needs a staff number and a name"), field="supervisor"
        )
    bounds.staff_number(supervisor_no, "supervisor")
    bounds.name(supervisor_name.strip(), "supervisor")
    pin_hash = hash_pin(supervisor_pin, allow_trivial=allow_trivial_pin)
    now = actor.now()
    with write():
        if Site.select().exists():
            raise ConfigError(N_("This database already holds a site"))
        site = Site.create(name=name.strip(), tz=tz, language=language, created_at=now)
        for spec in desks:
            add_desk(actor, site, spec)
        boss = Staff.create(
            staff_no=supervisor_no.strip(),
            name=supervisor_name.strip(),
            role=StaffRole.SUPERVISOR,
            pin_hash=pin_hash,
            language=language,
            created_at=now,
        )
        audit.record(
            actor.as_staff(boss.id),
            SiteAction.CREATE,
            "site",
            site.id,
            new={"name": site.name, "tz": tz, "desks": codes},
        )
        audit.record(
            actor.as_staff(boss.id),
            StaffAction.CREATE,
            "staff",
            boss.id,
            new={"staff_no": boss.staff_no, "name": boss.name, "role": boss.role},
        )
    return get_site()


def check_desk(spec: DeskSpec) -> None:
    """A desk's code, names and location within bounds, its pattern a known preset."""
    bounds.code(spec.code, "code")
    bounds.name(spec.name, "name")
    bounds.name(spec.name_en, "name_en")
    bounds.name(spec.location, "location")
    patterns.preset(spec.preset)


def add_desk(actor: Actor, site: Site, spec: DeskSpec) -> Desk:
    """A desk with the shift templates of its preset (inside the caller's transaction)."""
    specs = patterns.preset(spec.preset)
    kind = patterns.PRESET_KINDS[spec.preset]
    desk: Desk = Desk.create(
        site=site,
        code=spec.code,
        name=spec.name,
        name_en=spec.name_en,
        location=spec.location,
        kind=kind,
        preset=spec.preset,
        # Presence checks run on night shifts at security desks (SG-5); off elsewhere.
        presence_minutes=60 if kind == patterns.DeskKind.SECURITY else 0,
    )
    for position, s in enumerate(specs):
        ShiftTemplate.create(
            desk=desk,
            code=s.code,
            name_zh=s.name_zh,
            name_en=s.name_en,
            start_time=s.start,
            end_time=s.end,
            position=position,
            is_night=s.is_night,
            required_staff=s.required_staff,
            holiday_required_staff=s.required_staff,
        )
    audit.record(
        actor,
        SiteAction.DESK_CREATE,
        "desk",
        desk.id,
        new={"code": spec.code, "preset": spec.preset},
    )
    return desk


def get_site() -> SiteInfo:
    site = Site.select().first()
    if site is None:
        raise NotFound(N_("This database holds no site yet"))
    desks = [_desk_info(d) for d in Desk.select().where(Desk.site == site).order_by(Desk.id)]
    return SiteInfo(site.id, site.name, site.tz, site.language, site.lock_after_seconds, desks)


def find_desk(code: str | None, configured: str | None = None) -> DeskInfo:
    """The kiosk's desk: ``code``, else the configured one, else the only desk.

    Raises :class:`ConfigError` naming the desks when that does not pick one.
    """
    site = get_site()
    wanted = code or configured
    names = ", ".join(d.code for d in site.desks)
    if wanted:
        for d in site.desks:
            if d.code == wanted:
                return d
        raise ConfigError(N_("No desk {code}; this site has: {desks}"), code=wanted, desks=names)
    if len(site.desks) == 1:
        return site.desks[0]
    raise ConfigError(N_("Choose a desk with --desk; this site has: {desks}"), desks=names)


@dataclass(frozen=True)
class StaffingInfo:
    """One of the desk's shifts with the staff it needs, usually and on holidays."""

    code: str
    name_zh: str
    name_en: str
    start_time: str
    end_time: str
    required_staff: int
    holiday_required_staff: int


def _active_templates(desk_id: int) -> list[ShiftTemplate]:
    return list(
        ShiftTemplate.select()
        .where((ShiftTemplate.desk == desk_id) & (ShiftTemplate.active == True))  # noqa: E712
        .order_by(ShiftTemplate.position, ShiftTemplate.id)
    )


def staffing(desk_id: int) -> list[StaffingInfo]:
    """The desk's active shifts in order, with the staff each needs (CS1, CS9)."""
    return [
        StaffingInfo(
            t.code,
            t.name_zh,
            t.name_en,
            t.start_time,
            t.end_time,
            t.required_staff,
            t.holiday_required_staff,
        )
        for t in _active_templates(desk_id)
    ]


def desk_specs(desk_id: int) -> list[patterns.ShiftSpec]:
    """The desk's shift pattern as editable in the database."""
    rows = _active_templates(desk_id)
    return [
        patterns.ShiftSpec(
            r.code, r.name_zh, r.name_en, r.start_time, r.end_time, r.is_night, r.required_staff
        )
        for r in rows
    ]


def time_changes(
    template_ids: Sequence[int] | None = None,
) -> dict[int, list[tuple[dt.date, str, str]]]:
    """Dated shift times per template, oldest first: (from date, start, end)."""
    query = ShiftTimeChange.select().order_by(ShiftTimeChange.from_date)
    if template_ids is not None:
        query = query.where(ShiftTimeChange.template.in_(list(template_ids)))
    found: dict[int, list[tuple[dt.date, str, str]]] = {}
    for c in query:
        found.setdefault(c.template_id, []).append((c.from_date, c.start_time, c.end_time))
    return found


def times_on(
    base: tuple[str, str], changes: Sequence[tuple[dt.date, str, str]], day: dt.date
) -> tuple[str, str]:
    """A shift's (start, end) on business date ``day``: the newest change from that
    day or before, else the template's own times."""
    times = base
    for from_date, start, end in changes:
        if from_date <= day:
            times = (start, end)
        else:
            break
    return times


def dated_specs(desk_id: int) -> Callable[[dt.date], list[patterns.ShiftSpec]]:
    """The desk's pattern as a function of the business date (shift times changed from
    a date on apply from that date; shifts already opened keep their own times)."""
    base = desk_specs(desk_id)
    rows = ShiftTemplate.select(ShiftTemplate.id, ShiftTemplate.code).where(
        ShiftTemplate.desk == desk_id
    )
    ids = {r.code: r.id for r in rows}
    changes = time_changes(list(ids.values()))
    if not changes:
        return lambda day: base

    def on(day: dt.date) -> list[patterns.ShiftSpec]:
        out = []
        for spec in base:
            start, end = times_on((spec.start, spec.end), changes.get(ids[spec.code], []), day)
            out.append(
                patterns.ShiftSpec(
                    spec.code,
                    spec.name_zh,
                    spec.name_en,
                    start,
                    end,
                    spec.is_night,
                    spec.required_staff,
                )
            )
        return out

    return on


def set_shift_times(actor: Actor, desk_id: int, code: str, start: str, end: str) -> None:
    """Edit one shift's times at a desk (shift times are editable per desk)."""
    patterns.parse_hhmm(start)
    patterns.parse_hhmm(end)
    with write():
        row = ShiftTemplate.get_or_none(
            (ShiftTemplate.desk == desk_id) & (ShiftTemplate.code == code)
        )
        if row is None:
            raise NotFound(N_("No shift {code} at this desk"), code=code)
        old = {"start": row.start_time, "end": row.end_time}
        row.start_time, row.end_time = start, end
        row.save()
        audit.record(
            actor,
            SiteAction.SHIFT_TEMPLATE_UPDATE,
            "shift_template",
            row.id,
            old=old,
            new={"start": start, "end": end},
        )


# Inside ``zone_known`` the zone is not read again (one screen's load asks for it
# in many places); outside, every call reads it, so a changed zone shows at once.
_ZONE: ContextVar[str | None] = ContextVar("dutydesk_site_zone", default=None)


def site_timezone() -> str:
    known = _ZONE.get()
    if known is not None:
        return known
    tz = Site.select(Site.tz).scalar()
    return tz or "UTC"


@contextlib.contextmanager
def zone_known(tz: str | None) -> Iterator[str]:
    """Within the block, :func:`site_timezone` is ``tz`` (already read with other data)."""
    token = _ZONE.set(tz or "UTC")
    try:
        yield tz or "UTC"
    finally:
        _ZONE.reset(token)


def count_staff() -> int:
    return Staff.select(pw.fn.COUNT(Staff.id)).scalar() or 0
