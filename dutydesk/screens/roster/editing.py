"""The supervisor's flows on F7: assign (``a``), remove (``d``), a rotation (``g``).

Each flow is a worker that waits for its dialogs one after the other; a refusal
from the domain is shown as it is, any other fault goes to the app's error path.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from textual import work

from dutydesk.domain import roster
from dutydesk.domain import staff as staff_rules
from dutydesk.domain.context import Actor
from dutydesk.domain.roster import Person, RosterSlot, rotations
from dutydesk.domain.roster.rotations import Rotation, RotationPlan
from dutydesk.errors import DutyDeskError, ValidationError
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs import ConfirmDialog
from dutydesk.screens.dialogs.roster import RotationPreviewDialog
from dutydesk.screens.roster.view import RosterView
from dutydesk.widgets.form import FormField, FormScreen


def person_label(p: Person) -> str:
    return f"{p.staff_no} {p.name}"


def _team_ids(v: dict[str, Any], rot: Rotation) -> list[list[int]]:
    """The teams of the rotation form: staff numbers, turned into staff ids."""
    team_ids: list[list[int]] = []
    for i in range(1, rot.teams + 1):
        ids = []
        for number in v[f"team{i}"].replace(",", " ").split():
            person = staff_rules.by_number(number)
            if person is None:
                raise ValidationError(
                    N_("No staff member {number}"), field=f"team{i}", number=number
                )
            ids.append(person.id)
        team_ids.append(ids)
    return team_ids


def _preview_rotation(
    actor: Actor, desk_id: int, default_code: str, v: dict[str, Any]
) -> RotationPlan:
    """The rotation form's values, checked, as a preview (the form shows a refusal)."""
    rot = rotations.rotation(v["rotation"] or default_code)
    try:
        start = dt.date.fromisoformat(v["first"].strip())
    except ValueError:
        raise ValidationError(N_("Enter the day as YYYY-MM-DD"), field="first") from None
    try:
        weeks = int(v["weeks"].strip())
    except ValueError:
        weeks = 0
    if not 1 <= weeks <= 52:
        raise ValidationError(N_("Between 1 and 52 weeks"), field="weeks")
    team_ids = _team_ids(v, rot)
    try:
        return rotations.preview(
            actor, desk_id, rot.code, team_ids, start, start + dt.timedelta(weeks * 7 - 1)
        )
    except ValidationError as exc:
        if exc.field == "teams":
            exc.field = "team1"
        raise


class RosterEditing(RosterView):
    """Supervisors edit the roster of the desk from the week grid."""

    @work(group="roster-flow")
    async def action_assign(self) -> None:
        cell = self.selected_cell()
        desk = getattr(self.app, "desk", None)
        if cell is None or desk is None or not self.is_supervisor:
            return
        people = roster.assignable_staff(cell.shift.template_id, cell.shift.business_date)
        title = _("Assign to {shift}", shift=cell.shift.label())
        person = await self.choose(title, {str(p.id): p for p in people}, person_label)
        if person is None:
            return
        try:
            slot = roster.assign(
                self.kiosk.actor,
                desk.id,
                cell.shift.template_id,
                cell.shift.business_date,
                person.id,
            )
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        self.reload()
        self.show_message(_("{name} is on {shift}", name=slot.staff.name, shift=slot.shift.label()))

    @work(group="roster-flow")
    async def action_remove(self) -> None:
        cell = self.selected_cell()
        if cell is None or not cell.staff or not self.is_supervisor:
            return
        slot: RosterSlot | None = cell.staff[0]
        if len(cell.staff) > 1:
            slot = await self.choose(
                _("Remove whom from {shift}?", shift=cell.shift.label()),
                {str(s.entry_id): s for s in cell.staff},
                lambda s: person_label(s.staff),
            )
        if slot is None:
            return
        who = person_label(slot.staff)
        question = _("Remove {name} from {shift}?", name=who, shift=slot.shift.label())
        yes = await self.app.push_screen_wait(ConfirmDialog(question))
        if not yes or slot.entry_id is None:
            return
        try:
            roster.unassign(self.kiosk.actor, slot.entry_id)
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        self.reload()
        self.show_message(
            _("{name} removed from {shift}", name=slot.staff.name, shift=slot.shift.label())
        )

    @work(group="roster-flow")
    async def action_rotation(self) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None or not self.is_supervisor:
            return
        choices = rotations.rotations_for(desk.id)
        if not choices:
            self.show_message(_("No built-in rotation fits the shifts of this desk"), error=True)
            return
        teams = max(r.teams for r in choices)
        fields = [
            FormField(
                "rotation",
                N_("Rotation"),
                "choice",
                required=True,
                choices=tuple((r.code, r.name) for r in choices),
            ),
            FormField("first", N_("First day"), required=True, placeholder="YYYY-MM-DD"),
            FormField("weeks", N_("Weeks"), required=True),
        ]
        fields += [
            FormField(f"team{i}", _("Team {number}", number=i), placeholder="G01 G02")
            for i in range(1, teams + 1)
        ]
        next_monday = roster.week_start(self._today()) + dt.timedelta(days=7)
        first = max(self.cursor.week, next_monday)
        values: dict[str, Any] = {
            "rotation": choices[0].code,
            "first": first.isoformat(),
            "weeks": "4",
        }
        submit = partial(_preview_rotation, self.kiosk.actor, desk.id, choices[0].code)
        plan: RotationPlan | None = await self.app.push_screen_wait(
            FormScreen(
                form_id="roster.rotation",
                title=_("Generate a rotation (preview first)"),
                fields=fields,
                values=values,
                submit=submit,
                main="first",
                note=_("Teams: staff numbers separated by spaces; approved swaps are kept."),
            )
        )
        if plan is None:
            return
        if not await self.app.push_screen_wait(RotationPreviewDialog(plan)):
            return
        try:
            done = rotations.apply(self.kiosk.actor, plan)
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        self.reload()
        self.show_message(_("Rotation written: {count} roster entries added", count=len(done.add)))
