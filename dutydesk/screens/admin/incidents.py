"""F9 sections 4 and 5: incident natures (of the desk's kind) and the site's contacts."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text

from dutydesk.domain import incidents as incident_rules
from dutydesk.i18n import N_, _
from dutydesk.screens.admin.base import CS8_RULE, SectionScreen, status_text
from dutydesk.screens.base import Rules
from dutydesk.widgets.form_fields import FormField
from dutydesk.widgets.literal import clean, literal

# --- 4 incident natures -----

NOTIFY_CHOICES = tuple(
    (r, incident_rules.NOTIFY_ROLE_LABELS[r]) for r in incident_rules.NOTIFY_ROLES
)


class CategoriesSection(SectionScreen):
    """The incident natures (and their details) of the desk's kind."""

    NUMBER = 4
    RULES: ClassVar[Rules] = [("CS6", N_("Who is told of an incident of each nature")), CS8_RULE]

    def columns(self) -> list[str]:
        return [N_("Code"), N_("Chinese name"), N_("English name"), N_("Who is told"), N_("Status")]

    def _all(self) -> list[incident_rules.CategoryInfo]:
        return incident_rules.categories(self.actor, self.desk.kind, include_inactive=True)

    def rows(self) -> list[tuple[str, list[Any]]]:
        out: list[tuple[str, list[Any]]] = []
        for c in self._all():
            indent = "  " if c.parent_code else ""
            role = incident_rules.NOTIFY_ROLE_LABELS.get(c.notify_role, "")
            out.append(
                (
                    str(c.id),
                    [
                        literal(indent + c.code, one_line=True, limit=20),
                        literal(c.name_zh, one_line=True, limit=16),
                        literal(c.name_en, one_line=True, limit=20),
                        Text(_(role) if role else ""),
                        status_text(c.active),
                    ],
                )
            )
        return out

    def add(self) -> None:
        kind = self.desk.kind
        parents = tuple((c.code, c.name) for c in self._all() if not c.parent_code and c.active)
        fields = [
            FormField("name_zh", N_("Chinese name"), required=True),
            FormField("name_en", N_("English name")),
            FormField(
                "parent_code", N_("Detail of (empty: a new nature)"), "choice", choices=parents
            ),
            FormField("notify_role", N_("Who is told"), "choice", choices=NOTIFY_CHOICES),
        ]

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.add_category(
                self.actor,
                kind,
                str(values["name_zh"]),
                str(values["name_en"]),
                parent_code=str(values["parent_code"]),
                notify_role=str(values["notify_role"]),
            )

        self.open_form(_("New incident nature"), fields, {}, submit)

    def _info(self, key: str) -> incident_rules.CategoryInfo | None:
        return next((c for c in self._all() if str(c.id) == key), None)

    def edit(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        fields = [
            FormField("name_zh", N_("Chinese name"), required=True),
            FormField("name_en", N_("English name")),
            FormField("notify_role", N_("Who is told"), "choice", choices=NOTIFY_CHOICES),
        ]
        values = {"name_zh": info.name_zh, "name_en": info.name_en, "notify_role": info.notify_role}

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.update_category(
                self.actor,
                info.id,
                name_zh=str(values["name_zh"]),
                name_en=str(values["name_en"]),
                notify_role=str(values["notify_role"]),
            )

        self.open_form(_("Incident nature {code}", code=clean(info.code)), fields, values, submit)

    TOGGLE_QUESTIONS = (
        N_("Deactivate {name}? It is no longer offered for new incidents."),
        N_("Reactivate {name}?"),
    )

    def record(self, key: str) -> incident_rules.CategoryInfo | None:
        return self._info(key)

    def question_values(self, info: incident_rules.CategoryInfo) -> dict[str, str]:
        return {"name": info.name}

    def set_active(self, info: incident_rules.CategoryInfo, active: bool) -> Any:
        return incident_rules.update_category(self.actor, info.id, active=active)


# --- 5 contacts -----

CONTACT_FIELDS: list[FormField] = [
    FormField("role", N_("Who"), "choice", required=True, choices=NOTIFY_CHOICES),
    FormField("name", N_("Name")),
    FormField("phone", N_("Phone")),
]


class ContactsSection(SectionScreen):
    """The site's contact list, offered when notifications are recorded (CS6)."""

    NUMBER = 5
    REMOVES = True
    RULES: ClassVar[Rules] = [("CS6", N_("Who is told of an incident of each nature")), CS8_RULE]

    def columns(self) -> list[str]:
        return [N_("Who"), N_("Name"), N_("Phone")]

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                str(c.id),
                [
                    Text(c.role_label),
                    literal(c.name, one_line=True, limit=30),
                    literal(c.phone, one_line=True, limit=20),
                ],
            )
            for c in incident_rules.contacts(self.actor)
        ]

    def add(self) -> None:
        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.save_contact(
                self.actor, str(values["role"]), str(values["name"]), str(values["phone"])
            )

        self.open_form(_("New contact"), CONTACT_FIELDS, {}, submit)

    def _info(self, key: str) -> incident_rules.ContactInfo | None:
        return next((c for c in incident_rules.contacts(self.actor) if str(c.id) == key), None)

    def edit(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return

        def submit(values: dict[str, Any]) -> Any:
            return incident_rules.save_contact(
                self.actor,
                str(values["role"]),
                str(values["name"]),
                str(values["phone"]),
                contact_id=info.id,
            )

        values = {"role": info.role, "name": info.name, "phone": info.phone}
        self.open_form(_("Contact"), CONTACT_FIELDS, values, submit)

    def toggle(self, key: str) -> None:
        info = self._info(key)
        if info is None:
            return
        question = _(
            "Remove {who} {name} from the contact list?",
            who=info.role_label,
            name=clean(info.name),
        )
        self.confirm(question, lambda: incident_rules.remove_contact(self.actor, info.id))
