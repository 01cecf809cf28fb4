"""Site settings after set-up: shift times from a date on, desks added and retired, the
time zone, language, idle lock, handover window, backup folder and time.

Every change is one transaction with an audit event naming the old and the new
values. Only a supervisor changes them at the kiosk (CS8); from the command line
(``dutydesk site …``, run at the machine) the actor has no staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds, patterns, shifts
from dutydesk.domain.context import Actor
from dutydesk.domain.shifts import ShiftState
from dutydesk.domain.site import (
    DeskSpec,
    SiteAction,
    check_desk,
    check_timezone,
    dated_specs,
    site_timezone,
    time_changes,
    times_on,
)
from dutydesk.domain.site import add_desk as create_desk
from dutydesk.errors import NotFound, RuleViolation, ValidationError
from dutydesk.i18n import N_
from dutydesk.models import Desk, Shift, ShiftTemplate, ShiftTimeChange, Site

LOCK_BOUNDS = (30, 3600)  # idle lock, seconds
WINDOW_BOUNDS = (5, 240)  # handover window, minutes
KEEP_BOUNDS = (1, 365)


def _require_supervisor(actor: Actor) -> None:
    """At the kiosk only a supervisor changes site settings (CS8)."""
    if actor.staff_id is None:
        return  # the command line, at the machine itself
    actor.require_role(message=N_("Only a supervisor changes site settings"), rule="CS8")


def _site() -> Site:
    site: Site | None = Site.select().first()
    if site is None:
        raise NotFound(N_("This database holds no site yet"))
    return site


def _desk(code_or_id: str | int) -> Desk:
    desk: Desk | None
    if isinstance(code_or_id, int):
        desk = Desk.get_or_none(Desk.id == code_or_id)
    else:
        desk = Desk.get_or_none(Desk.code == code_or_id)
    if desk is None:
        raise NotFound(N_("No desk {code}"), code=str(code_or_id))
    return desk


def _bounded(value: int, bounds: tuple[int, int], field: str) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise ValidationError(
            N_("Give a number from {low} to {high}"), field=field, low=low, high=high
        )
    return value


def _hhmm(text: str, field: str) -> str:
    try:
        t = patterns.parse_hhmm(text)
    except Exception:
        raise ValidationError(N_("Type a time as HH:MM, e.g. 07:30"), field=field) from None
    return f"{t.hour:02d}:{t.minute:02d}"


# --- shift times from a business date on ---------------------------------------------------


@dataclass(frozen=True)
class ShiftTimes:
    """A desk's shift with its times now and any change to come."""

    template_id: int
    code: str
    name_zh: str
    name_en: str
    start: str  # on ``day``
    end: str
    next_change: tuple[dt.date, str, str] | None


def shift_times(desk_id: int, day: dt.date) -> list[ShiftTimes]:
    """The desk's shifts with their times on ``day`` and the next change after it."""
    rows = list(
        ShiftTemplate.select()
        .where((ShiftTemplate.desk == desk_id) & (ShiftTemplate.active == True))  # noqa: E712
        .order_by(ShiftTemplate.position)
    )
    changes = time_changes([t.id for t in rows])
    out = []
    for t in rows:
        mine = changes.get(t.id, [])
        start, end = times_on((t.start_time, t.end_time), mine, day)
        later = next((c for c in mine if c[0] > day), None)
        out.append(ShiftTimes(t.id, t.code, t.name_zh, t.name_en, start, end, later))
    return out


def change_shift_times(
    actor: Actor, desk: str | int, code: str, start: str, end: str, from_date: dt.date
) -> list[str]:
    """Shift ``code`` of the desk runs ``start``–``end`` from business date ``from_date``.

    Shifts already opened keep their times. Refused: a date in the past, and a change
    that makes the shift after the one now open start before it ends (overlap) or
    later (a gap). Returns the msgids of gaps or overlaps the new pattern leaves in a
    day's cover (SE-1), for the supervisor to see; they are not refused, as changing
    two adjacent shifts takes two steps.
    """
    start, end = _hhmm(start, "start"), _hhmm(end, "end")
    if start == end:
        raise ValidationError(N_("A shift cannot start and end at the same time"), field="end")
    now = actor.now()
    tz = site_timezone()
    if from_date < now.to(tz).date():
        raise ValidationError(N_("Changes apply from today or later"), field="from_date")
    with write():
        _require_supervisor(actor)
        d = _desk(desk)
        t = ShiftTemplate.get_or_none((ShiftTemplate.desk == d.id) & (ShiftTemplate.code == code))
        if t is None:
            raise NotFound(N_("No shift {code} at this desk"), code=code)
        before = dated_specs(d.id)
        old_start, old_end = times_on(
            (t.start_time, t.end_time), time_changes([t.id]).get(t.id, []), from_date
        )
        row = ShiftTimeChange.get_or_none(
            (ShiftTimeChange.template == t.id) & (ShiftTimeChange.from_date == from_date)
        )
        if row is None:
            ShiftTimeChange.create(
                template=t.id, from_date=from_date, start_time=start, end_time=end, created_at=now
            )
        else:
            row.start_time, row.end_time, row.created_at = start, end, now
            row.save()
        after = dated_specs(d.id)
        _check_open_shift(d.id, before, after, tz)
        audit.record(
            actor,
            SiteAction.SHIFT_TEMPLATE_TIMES,
            "shift_template",
            t.id,
            old={"start": old_start, "end": old_end, "from": from_date},
            new={"start": start, "end": end, "from": from_date},
        )
        # Within the transaction: raising above rolls the change back.
    return patterns.check_pattern(after(from_date))


def _check_open_shift(desk_id: int, before: patterns.Specs, after: patterns.Specs, tz: str) -> None:
    """The shift after the one open now must still start when it ends."""
    open_shift = shifts.open_shift_of(desk_id)
    if open_shift is None:
        return
    code = open_shift.template.code
    old_next = _next_after(before, open_shift, code, tz)
    new_next = _next_after(after, open_shift, code, tz)
    end = open_shift.planned_end
    if (old_next.code, old_next.start, old_next.end) == (
        new_next.code,
        new_next.start,
        new_next.end,
    ):
        return
    if new_next.start == end:
        return
    overlap = N_(
        "Refused: the shift after the one now open would start at {start}, before "
        "the open shift ends at {end} (overlap)"
    )
    gap = N_(
        "Refused: the open shift ends at {end} but the next would start only at "
        "{start} (a gap with no one on duty)"
    )
    raise RuleViolation(
        overlap if new_next.start < end else gap,
        start=new_next.start.to(tz).format("YYYY-MM-DD HH:mm"),
        end=end.to(tz).format("YYYY-MM-DD HH:mm"),
    )


def _next_after(specs: patterns.Specs, shift: Shift, code: str, tz: str) -> patterns.ShiftWindow:
    """The first occurrence starting after the open shift's start, other than itself."""
    day = shift.business_date
    for w in patterns.windows_between(
        specs, day - dt.timedelta(days=1), day + dt.timedelta(days=3), tz
    ):
        if w.start > shift.planned_start and (w.code, w.business_date) != (code, day):
            return w
    raise RuleViolation(N_("Refused: no shift would follow the one now open"))


# --- desks ----------------------------------------------------------------------------------


def add_desk(actor: Actor, spec: DeskSpec) -> int:
    """A new desk with the shifts of its preset."""
    code = spec.code.strip()
    if not code or not spec.name.strip():
        raise ValidationError(N_("A desk needs a code and a name"), field="code")
    check_desk(spec)
    with write():
        _require_supervisor(actor)
        if Desk.get_or_none(Desk.code == code) is not None:
            raise ValidationError(N_("There is already a desk {code}"), field="code", code=code)
        desk = create_desk(
            actor,
            _site(),
            DeskSpec(code, spec.name.strip(), spec.preset, spec.location.strip(), spec.name_en),
        )
    return int(desk.id)


def retire_desk(actor: Actor, desk: str | int) -> None:
    """No new shifts at the desk; its history stays. Refused while its shift is open."""
    with write():
        _require_supervisor(actor)
        d = _desk(desk)
        if d.retired_at is not None:
            raise RuleViolation(N_("The desk {code} is already retired"), code=d.code)
        if Shift.select().where((Shift.desk == d.id) & (Shift.state == ShiftState.OPEN)).exists():
            raise RuleViolation(
                N_("Refused: the desk {code} has a shift open; hand it over or close it first"),
                code=d.code,
            )
        if Desk.select().where(Desk.retired_at.is_null() & (Desk.id != d.id)).count() == 0:
            raise RuleViolation(N_("Refused: a site keeps at least one desk"))
        d.retired_at = actor.now()
        d.save()
        audit.record(
            actor,
            SiteAction.DESK_RETIRE,
            "desk",
            d.id,
            old={"retired": False},
            new={"retired": True},
        )


@dataclass(frozen=True)
class DeskLine:
    code: str
    name: str
    location: str
    preset: str
    retired: bool


def desks() -> list[DeskLine]:
    """Every desk, retired ones too (their history stays)."""
    return [
        DeskLine(d.code, d.name, d.location, d.preset, d.retired_at is not None)
        for d in Desk.select().order_by(Desk.id)
    ]


def is_retired(desk_id: int) -> bool:
    d = Desk.get_or_none(Desk.id == desk_id)
    return d is not None and d.retired_at is not None


# --- site-wide ------------------------------------------------------------------------------


def _set_site(actor: Actor, action: str, changes: dict[str, Any]) -> None:
    site = _site()
    old = {k: getattr(site, k) for k in changes}
    for k, v in changes.items():
        setattr(site, k, v)
    site.save()
    audit.record_change(actor, action, "site", site.id, old, changes)


def set_timezone(actor: Actor, tz: str) -> None:
    """The site's zone. Refused while a shift is open: its times were set in the old zone."""
    check_timezone(tz)
    with write():
        _require_supervisor(actor)
        open_shifts = list(
            Shift.select(Shift, Desk)
            .join(Desk)
            .where(Shift.state == ShiftState.OPEN)
            .order_by(Desk.code)
        )
        if open_shifts:
            raise RuleViolation(
                N_(
                    "Refused: shifts are open at {desks}; their times are in the present zone. "
                    "Change the zone when no shift is open"
                ),
                desks=", ".join(s.desk.code for s in open_shifts),
            )
        _set_site(actor, SiteAction.TIMEZONE, {"tz": tz})


def set_language(actor: Actor, language: str) -> None:
    if language not in ("zh", "en"):
        raise ValidationError(N_("Language must be zh or en"), field="language")
    with write():
        _require_supervisor(actor)
        _set_site(actor, SiteAction.LANGUAGE, {"language": language})


def set_lock_after(actor: Actor, seconds: int) -> None:
    _bounded(seconds, LOCK_BOUNDS, "lock_after")
    with write():
        _require_supervisor(actor)
        _set_site(actor, SiteAction.LOCK_AFTER, {"lock_after_seconds": seconds})


def set_handover_window(actor: Actor, minutes: int, desk: str | int | None = None) -> None:
    """Minutes before a shift's end when its handover may start (every desk, or one)."""
    _bounded(minutes, WINDOW_BOUNDS, "handover_window")
    with write():
        _require_supervisor(actor)
        desks = [_desk(desk)] if desk is not None else list(Desk.select().order_by(Desk.id))
        for d in desks:
            old = {"handover_window_minutes": d.handover_window_minutes}
            d.handover_window_minutes = minutes
            d.save()
            audit.record_change(
                actor,
                SiteAction.DESK_HANDOVER_WINDOW,
                "desk",
                d.id,
                old,
                {"handover_window_minutes": minutes},
            )


SAME_DISK_FOLDER = N_(
    "This folder is on the same disk as the database: a backup there is lost with the "
    "disk. Choose a folder on another disk (a USB disk, a network share)"
)


def set_backup(
    actor: Actor,
    *,
    folder: str | None = None,
    time: str | None = None,
    keep: int | None = None,
    same_disk: bool | None = None,
) -> None:
    """The backup folder, the daily backup time ("" for none), generations kept."""
    new: dict[str, Any] = {}
    if folder is not None:
        new["backup_dir"] = bounds.folder(folder.strip(), "backup_dir")
        from dutydesk.domain import backup

        if folder.strip() and not same_disk and backup.on_database_disk(Path(folder.strip())):
            # A backup on the dying disk is no backup: said when the folder is set,
            # not at the first failed backup hours later.
            raise ValidationError(SAME_DISK_FOLDER, field="backup_dir")
    if time is not None:
        new["backup_time"] = _hhmm(time, "backup_time") if time.strip() else ""
    if keep is not None:
        new["backup_keep"] = _bounded(keep, KEEP_BOUNDS, "backup_keep")
    if same_disk is not None:
        new["backup_same_disk"] = same_disk
    with write():
        _require_supervisor(actor)
        site = _site()
        settings = dict(site.settings or {})
        old = {k: settings.get(k) for k in new}
        settings.update(new)
        site.settings = settings
        site.save()
        audit.record_change(actor, SiteAction.BACKUP, "site", site.id, old, new)


@dataclass(frozen=True)
class SiteSettings:
    tz: str
    language: str
    lock_after_seconds: int
    handover_window_minutes: int  # of the first active desk
    backup_dir: str
    backup_time: str
    backup_keep: int


def current() -> SiteSettings:
    from dutydesk.domain import backup

    site = _site()
    desk = Desk.select().where(Desk.retired_at.is_null()).order_by(Desk.id).first()
    conf = backup.settings()
    return SiteSettings(
        site.tz,
        site.language,
        site.lock_after_seconds,
        desk.handover_window_minutes if desk else 60,
        conf.folder,
        conf.time,
        conf.keep,
    )


def today(actor: Actor) -> dt.date:
    return actor.now().to(site_timezone()).date()


def parse_day(text: str) -> dt.date:
    try:
        return arrow.get(text.strip(), "YYYY-MM-DD").date()
    except (arrow.parser.ParserError, ValueError):
        raise ValidationError(N_("Enter the date as YYYY-MM-DD"), field="from_date") from None
