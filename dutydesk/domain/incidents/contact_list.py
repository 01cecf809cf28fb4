"""The site's contact list, offered when the people told of an incident are recorded."""

from __future__ import annotations

from dataclasses import dataclass

import arrow

from dutydesk.db import write
from dutydesk.domain import audit, bounds, formkit
from dutydesk.domain.context import Actor, StaffRole
from dutydesk.domain.formkit import blank, found, from_row, typed
from dutydesk.domain.incidents.enums import (
    NOTIFY_ROLE_LABELS,
    NOTIFY_ROLES,
    NotifyMethod,
    NotifyRole,
)
from dutydesk.domain.incidents.notifications import NotificationFields
from dutydesk.errors import ValidationError
from dutydesk.i18n import N_, _
from dutydesk.models import Contact, Staff

# The site's contact list, seeded on first use: (role, name, phone).
DEFAULT_CONTACTS: tuple[tuple[str, str, str], ...] = (
    (NotifyRole.SUPERVISOR, "", ""),
    (NotifyRole.CAPTAIN, "", ""),
    (NotifyRole.DUTY_MANAGER, "", ""),
    (NotifyRole.POLICE, "110", "110"),
    (NotifyRole.FIRE, "119", "119"),
    (NotifyRole.AMBULANCE, "120", "120"),
)


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
        self,
        method: str = NotifyMethod.PHONE,
        reached: bool = True,
        notified_at: arrow.Arrow | None = None,
    ) -> NotificationFields:
        """A notification of this contact, to be completed on the form."""
        return NotificationFields(
            role=self.role, name=self.name, method=method, notified_at=notified_at, reached=reached
        )


def _contact_info(c: Contact) -> ContactInfo:
    return from_row(ContactInfo, c)


def _contact_values(c: Contact) -> dict[str, str]:
    return {"role": c.role, "name": c.name, "phone": c.phone}


def contacts(actor: Actor) -> list[ContactInfo]:
    """The site's contact list (the defaults are put in on first use)."""
    if not Contact.select().exists():
        with write():
            if not Contact.select().exists():
                boss = (
                    Staff.select()
                    .where(Staff.role == StaffRole.SUPERVISOR)
                    .order_by(Staff.id)
                    .first()
                )
                for pos, (role, name, phone) in enumerate(DEFAULT_CONTACTS):
                    if role == NotifyRole.SUPERVISOR and boss is not None:
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


def _contact_row(contact_id: int) -> Contact:
    row: Contact | None = Contact.get_or_none(Contact.id == contact_id)
    return found(row, N_("No such contact"))


def save_contact(
    actor: Actor, role: str, name: str, phone: str, contact_id: int | None = None
) -> ContactInfo:
    """A supervisor adds a contact, or changes one (``contact_id``)."""
    if role not in NOTIFY_ROLES:
        raise ValidationError(N_("Choose who was told"), field="role")
    if blank(name) and blank(phone):
        raise ValidationError(N_("Enter a name or a phone number"), field="name")
    formkit.phone(phone, "phone")
    bounds.name(name, "name")
    bounds.name(phone, "phone")
    contacts(actor)
    with write():
        actor.require_role()
        if contact_id is None:
            pos = Contact.select().count()
            row = Contact.create(role=role, name=typed(name), phone=typed(phone), position=pos)
            audit.record(actor, "contact.create", "contact", row.id, new=_contact_values(row))
        else:
            row = _contact_row(contact_id)
            old = _contact_values(row)
            row.role, row.name, row.phone = role, typed(name), typed(phone)
            row.save()
            new = _contact_values(row)
            audit.record(actor, "contact.update", "contact", row.id, old=old, new=new)
    return _contact_info(row)


def remove_contact(actor: Actor, contact_id: int) -> None:
    """A supervisor takes a contact off the list (notifications keep their copy)."""
    with write():
        actor.require_role()
        row = _contact_row(contact_id)
        audit.record(actor, "contact.delete", "contact", row.id, old=_contact_values(row))
        row.delete_instance()
