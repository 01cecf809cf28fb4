"""F9 section 9: site-wide settings and the desks."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from dutydesk.domain import site_settings as settings_rules
from dutydesk.domain.site import DeskSpec
from dutydesk.i18n import N_, _
from dutydesk.screens.admin.base import SectionScreen, required_whole
from dutydesk.widgets.form_fields import FormField
from dutydesk.widgets.literal import clean, literal

# --- 9 site settings and desks -----

PRESET_CHOICES = tuple(
    (name, name) for name in ("security-3", "security-2", "engineering", "service")
)
DESK_FIELDS: list[FormField] = [
    FormField("code", N_("Desk code"), required=True),
    FormField("preset", N_("Shift pattern"), "choice", required=True, choices=PRESET_CHOICES),
    FormField("name", N_("Desk name"), required=True),
    FormField("location", N_("Location")),
]

# Setting key → (label msgid, form field).
SITE_SETTINGS: dict[str, tuple[str, FormField]] = {
    "tz": (N_("Time zone"), FormField("value", N_("IANA time zone"), required=True)),
    "language": (
        N_("Site language"),
        FormField(
            "value",
            N_("Site language"),
            "choice",
            required=True,
            choices=(("zh", N_("Chinese")), ("en", N_("English"))),
        ),
    ),
    "lock": (N_("Idle lock (seconds)"), FormField("value", N_("Seconds"), required=True)),
    "window": (
        N_("Handover window (minutes)"),
        FormField("value", N_("Minutes"), required=True),
    ),
    "backup_dir": (N_("Backup folder"), FormField("value", N_("Folder"))),
    "backup_time": (N_("Daily backup at"), FormField("value", N_("HH:MM (empty: none)"))),
}


class SiteSection(SectionScreen):
    """Site-wide settings (zone, language, idle lock, handover window, backups) and the
    desks: ``n`` adds a desk, ``d`` retires the selected desk, Enter changes a setting."""

    NUMBER = 9

    def note(self) -> str:
        return _("Site: Enter change, n add desk, d retire desk, Esc back")

    def columns(self) -> list[str]:
        return [N_("Setting"), N_("Value")]

    def _values(self) -> dict[str, str]:
        now = settings_rules.current()
        return {
            "tz": now.tz,
            "language": now.language,
            "lock": str(now.lock_after_seconds),
            "window": str(now.handover_window_minutes),
            "backup_dir": now.backup_dir,
            "backup_time": now.backup_time,
        }

    def rows(self) -> list[tuple[str, list[Any]]]:
        values = self._values()
        out: list[tuple[str, list[Any]]] = [
            (key, [Text(_(label)), literal(values[key], one_line=True, limit=50)])
            for key, (label, _f) in SITE_SETTINGS.items()
        ]
        for d in settings_rules.desks():
            state = _("retired") if d.retired else _("active")
            out.append(
                (
                    f"desk:{d.code}",
                    [
                        Text(_("Desk {code}", code=clean(d.code))),
                        literal(f"{d.name} {d.location} ({d.preset}, {state})", one_line=True),
                    ],
                )
            )
        return out

    def edit(self, key: str) -> None:
        if key not in SITE_SETTINGS:
            return
        label, field = SITE_SETTINGS[key]
        actor = self.actor

        def submit(values: dict[str, Any]) -> Any:
            value = str(values.get("value") or "").strip()
            if key == "tz":
                settings_rules.set_timezone(actor, value)
            elif key == "language":
                settings_rules.set_language(actor, value)
            elif key == "lock":
                seconds = required_whole(value, "value")
                settings_rules.set_lock_after(actor, seconds)
                app: Any = self.app
                app.lock_after = seconds  # this kiosk at once; the others at their start
            elif key == "window":
                settings_rules.set_handover_window(actor, required_whole(value, "value"))
            elif key == "backup_dir":
                settings_rules.set_backup(actor, folder=value)
            elif key == "backup_time":
                settings_rules.set_backup(actor, time=value)
            return True

        self.open_form(_(label), [field], {"value": self._values()[key]}, submit)

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Any:
            spec = DeskSpec(
                str(values["code"]),
                str(values["name"]),
                str(values["preset"]),
                str(values.get("location") or ""),
            )
            return settings_rules.add_desk(self.actor, spec)

        self.open_form(_("New desk"), DESK_FIELDS, {"preset": "security-3"}, submit)

    def toggle(self, key: str) -> None:
        if not key.startswith("desk:"):
            return
        code = key.split(":", 1)[1]
        self.confirm(
            _("Retire the desk {code}? No new shifts there; its records stay.", code=code),
            lambda: settings_rules.retire_desk(self.actor, code),
        )
