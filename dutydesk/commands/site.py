"""``dutydesk site …``: site settings after set-up, each audited with old → new values.

dutydesk site show
dutydesk site shift-times DESK SHIFT START END --from YYYY-MM-DD
dutydesk site add-desk CODE:PRESET[:NAME[:LOCATION]]
dutydesk site retire-desk DESK
dutydesk site tz ZONE
dutydesk site language zh|en
dutydesk site lock-after SECONDS
dutydesk site handover-window MINUTES [DESK]
dutydesk site backup [DIR] [--time HH:MM|none] [--keep N] [--same-disk]
"""

from __future__ import annotations

import argparse

from dutydesk.cli import register
from dutydesk.commands.common import desk_spec, open_site, whole
from dutydesk.i18n import N_, _


def add_arguments(p: argparse.ArgumentParser) -> None:
    subs = p.add_subparsers(dest="action", metavar="SETTING", required=True)
    subs.add_parser("show", help=_("the settings now"))
    st = subs.add_parser("shift-times", help=_("a desk's shift times from a business date on"))
    st.add_argument("desk_code", metavar="DESK")
    st.add_argument("shift", metavar="SHIFT", help=_("the shift's code, e.g. middle"))
    st.add_argument("start", metavar="START", help=_("HH:MM"))
    st.add_argument("end", metavar="END", help=_("HH:MM"))
    st.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD")
    ad = subs.add_parser("add-desk", help=_("add a desk with a shift preset"))
    ad.add_argument("spec", type=desk_spec, metavar="CODE:PRESET[:NAME[:LOCATION]]")
    rd = subs.add_parser("retire-desk", help=_("no new shifts at a desk; its history stays"))
    rd.add_argument("desk_code", metavar="DESK")
    tz = subs.add_parser("tz", help=_("the site's time zone"))
    tz.add_argument("value", metavar="ZONE")
    lang = subs.add_parser("language", help=_("the site's language"))
    lang.add_argument("value", choices=("zh", "en"))
    la = subs.add_parser("lock-after", help=_("idle lock, in seconds"))
    la.add_argument("value", type=whole, metavar="SECONDS")
    hw = subs.add_parser("handover-window", help=_("minutes before a shift's end to start"))
    hw.add_argument("value", type=whole, metavar="MINUTES")
    hw.add_argument("desk_code", nargs="?", metavar="DESK", help=_("one desk (default: all)"))
    bk = subs.add_parser("backup", help=_("the backup folder, daily time and generations"))
    bk.add_argument("folder", nargs="?", metavar="DIR")
    bk.add_argument("--time", default=None, metavar="HH:MM|none")
    bk.add_argument("--keep", type=whole, default=None, metavar="N")
    bk.add_argument("--same-disk", action="store_true", help=_("allow the database's own disk"))


def run(args: argparse.Namespace) -> int:
    from dutydesk.domain import site_settings as ss

    actor = open_site(args)
    action = args.action
    if action == "shift-times":
        day = ss.parse_day(args.from_date)
        gaps = ss.change_shift_times(actor, args.desk_code, args.shift, args.start, args.end, day)
        print(
            _(
                "Shift {shift} of {desk}: {start}–{end} from {day}",
                shift=args.shift,
                desk=args.desk_code,
                start=args.start,
                end=args.end,
                day=day.isoformat(),
            )
        )
        for msgid in gaps:
            print(_("note: {what}", what=_(msgid)))
    elif action == "add-desk":
        ss.add_desk(actor, args.spec)
        print(_("Desk {code} added", code=args.spec.code))
    elif action == "retire-desk":
        ss.retire_desk(actor, args.desk_code)
        print(_("Desk {code} retired", code=args.desk_code))
    elif action == "tz":
        ss.set_timezone(actor, args.value)
    elif action == "language":
        ss.set_language(actor, args.value)
    elif action == "lock-after":
        ss.set_lock_after(actor, args.value)
    elif action == "handover-window":
        ss.set_handover_window(actor, args.value, args.desk_code)
    elif action == "backup":
        time = None if args.time is None else ("" if args.time == "none" else args.time)
        ss.set_backup(
            actor,
            folder=args.folder,
            time=time,
            keep=args.keep,
            same_disk=True if args.same_disk else (False if args.folder else None),
        )
    _show(ss.current())
    return 0


def _show(s: object) -> None:
    from dutydesk.domain.site_settings import SiteSettings

    assert isinstance(s, SiteSettings)
    rows = [
        (_("time zone"), s.tz),
        (_("language"), s.language),
        (_("idle lock (seconds)"), str(s.lock_after_seconds)),
        (_("handover window (minutes)"), str(s.handover_window_minutes)),
        (_("backup folder"), s.backup_dir or _("not set")),
        (_("daily backup at"), s.backup_time or _("none")),
        (_("backups kept"), str(s.backup_keep)),
    ]
    for key, value in rows:
        print(f"{key}: {value}")


register("site", N_("change the site's settings after set-up"), add_arguments, run)
