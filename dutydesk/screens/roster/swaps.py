"""Swap requests on F7 (CS8, EN-8.3.5): asking (``n``), answering with the colleague's
PIN (``c`` / ``k``), deciding with a supervisor's PIN (``o`` / ``x``), withdrawing (``w``).

Each flow is a worker that waits for its dialogs one after the other; the domain
refuses what the rules forbid and its message is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from dutydesk.domain import roster
from dutydesk.domain.roster import Person, RosterSlot, SwapInfo, SwapKind, WaitingFor
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.screens.dialogs import ConfirmDialog
from dutydesk.screens.dialogs.roster import PinDialog
from dutydesk.screens.roster.editing import person_label
from dutydesk.screens.roster.labels import KIND_HELP, state_label, swap_summary
from dutydesk.screens.roster.view import Pane, RosterView
from dutydesk.widgets.form import PromptDialog


def slot_label(s: RosterSlot) -> str:
    return s.shift.label(with_desk=True)


class RosterSwaps(RosterView):
    """Everyone asks for swaps of their own shifts; colleagues answer; supervisors decide."""

    # --- asking --------------------------------------------------------------------------

    def _my_slot_here(self) -> RosterSlot | None:
        if self.view != Pane.WEEK:
            return None
        cell = self.selected_cell()
        me = self.me_id
        if cell is None or me is None:
            return None
        return next((s for s in cell.staff if s.staff.id == me), None)

    @work(group="roster-flow")
    async def action_new_request(self) -> None:
        me = self.me_id
        if me is None:
            return
        slot = self._my_slot_here()
        if slot is None:
            ahead = roster.upcoming_slots(me, self.kiosk.clock.now())
            if not ahead:
                self.show_message(
                    _("You have no shift ahead on the roster: select your shift in the grid"),
                    error=True,
                )
                return
            slot = await self.choose(
                _("Which of your shifts?"), {str(s.entry_id): s for s in ahead}, slot_label
            )
        if slot is None:
            return
        kind = await self.choose(
            _("Swap request for {shift}", shift=slot.shift.label()),
            {str(k): k for k in roster.KINDS},
            lambda k: _(KIND_HELP[k]),
            filter=False,
        )
        if kind is None:
            return
        if kind in (SwapKind.NEEDS_COVER, SwapKind.ABSENCE):
            reason = await self.app.push_screen_wait(PromptDialog(_("Why? (required), then Enter")))
            if reason is None:
                return
            call = (
                roster.request_needs_cover
                if kind == SwapKind.NEEDS_COVER
                else roster.report_absence
            )
            why: str = reason
            await self._ask(lambda: call(self.kiosk.actor, slot.entry_id or 0, why))
            return
        colleague = await self._pick_colleague(slot)
        if colleague is None:
            return
        other: RosterSlot | None = None
        if kind == SwapKind.EXCHANGE:
            other = await self._pick_colleague_shift(colleague)
            if other is None:
                return
        reason = await self.app.push_screen_wait(
            PromptDialog(_("Reason (may stay empty), then Enter"), required=False)
        )
        if reason is None:
            return
        actor, entry_id = self.kiosk.actor, slot.entry_id or 0
        if other is not None:
            other_id = other.entry_id or 0
            await self._ask(
                lambda: roster.request_exchange(actor, entry_id, colleague.id, other_id, reason)
            )
        else:
            await self._ask(lambda: roster.request_cover(actor, entry_id, colleague.id, reason))

    async def _pick_colleague(self, slot: RosterSlot) -> Person | None:
        people = [
            p
            for p in roster.assignable_staff(slot.shift.template_id, slot.shift.business_date)
            if p.id != self.me_id
        ]
        return await self.choose(
            _("Which colleague?"),
            {str(p.id): p for p in people},
            person_label,
            _("Type a staff number or a name."),
        )

    async def _pick_colleague_shift(self, colleague: Person) -> RosterSlot | None:
        theirs = roster.upcoming_slots(colleague.id, self.kiosk.clock.now())
        if not theirs:
            self.show_message(
                _("{name} has no shift ahead to exchange", name=colleague.name), error=True
            )
            return None
        return await self.choose(
            _("Which shift of {name}?", name=colleague.name),
            {str(s.entry_id): s for s in theirs},
            slot_label,
            filter=False,
        )

    async def _ask(self, call: Callable[[], SwapInfo]) -> None:
        try:
            info = call()
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        self.reload()
        if info.waiting_for != WaitingFor.COLLEAGUE or info.colleague is None:
            self.show_message(_("Request #{id} sent: the supervisor decides", id=info.id))
            return
        name = info.colleague.name
        self.show_message(
            _("Request #{id} sent: waiting for {name} to accept", id=info.id, name=name)
        )
        question = _("Is {name} here to accept now, with their PIN?", name=name)
        if await self.app.push_screen_wait(ConfirmDialog(question)):
            await self._accept(info)

    # --- answering and deciding ------------------------------------------------------------

    async def _with_pin(
        self, title: str, intro: str, staff_no: str, submit: Callable[[str, str], SwapInfo]
    ) -> None:
        """A PIN dialog whose ``submit`` answers or decides; then the outcome is shown."""
        info: SwapInfo | None = await self.app.push_screen_wait(
            PinDialog(title, intro, staff_no, submit)
        )
        if info is not None:
            self._decided(info)

    def _decided(self, info: SwapInfo) -> None:
        self.reload()
        self.show_message(
            _("Request #{id}: {state}", id=info.id, state=state_label(info, self.me_id))
        )

    async def _accept(self, info: SwapInfo) -> None:
        expected = info.colleague.staff_no if info.colleague is not None else ""
        actor = self.kiosk.actor
        await self._with_pin(
            N_("The colleague accepts"),
            _("Accept with your own staff number and PIN:") + "\n" + swap_summary(info),
            expected,
            lambda staff_no, pin: roster.accept(actor, info.id, staff_no, pin),
        )

    @work(group="roster-flow")
    async def action_accept(self) -> None:
        r = self.selected_request()
        if r is not None and r.waiting_for == WaitingFor.COLLEAGUE:
            await self._accept(r)

    @work(group="roster-flow")
    async def action_decline(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for != WaitingFor.COLLEAGUE:
            return
        actor = self.kiosk.actor
        await self._with_pin(
            N_("The colleague declines"),
            _("Decline with your own staff number and PIN:") + "\n" + swap_summary(r),
            r.colleague.staff_no if r.colleague is not None else "",
            lambda staff_no, pin: roster.decline(actor, r.id, staff_no, pin),
        )

    @work(group="roster-flow")
    async def action_approve(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for != WaitingFor.SUPERVISOR or not self.is_supervisor:
            return
        cover_id: int | None = None
        if r.kind in (SwapKind.NEEDS_COVER, SwapKind.ABSENCE):
            people = [
                p
                for p in roster.assignable_staff(r.slot.template_id, r.slot.business_date)
                if p.id != r.requester.id
            ]
            cover = await self.choose(
                _("Who covers {shift}?", shift=r.slot.label()),
                {str(p.id): p for p in people},
                person_label,
            )
            if cover is None:
                return
            cover_id = cover.id
        try:
            found = roster.approval_warnings(r.id, cover_id)
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        lines = [_("Approve with your staff number and PIN:"), swap_summary(r)]
        lines += ["! " + w.text() for w in found]
        actor = self.kiosk.actor
        await self._with_pin(
            N_("Approve the swap"),
            "\n".join(lines),
            self.kiosk.staff.staff_no,
            lambda staff_no, pin: roster.approve(actor, r.id, staff_no, pin, cover_id=cover_id),
        )

    @work(group="roster-flow")
    async def action_reject(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for is None or not self.is_supervisor:
            return
        actor = self.kiosk.actor
        await self._with_pin(
            N_("Reject the swap"),
            _("Reject with your staff number and PIN:") + "\n" + swap_summary(r),
            self.kiosk.staff.staff_no,
            lambda staff_no, pin: roster.reject(actor, r.id, staff_no, pin),
        )

    @work(group="roster-flow")
    async def action_withdraw(self) -> None:
        r = self.selected_request()
        if r is None or r.waiting_for is None or r.requester.id != self.me_id:
            return
        if not await self.app.push_screen_wait(
            ConfirmDialog(_("Withdraw request #{id}?", id=r.id))
        ):
            return
        try:
            info = roster.withdraw(self.kiosk.actor, r.id)
        except DutyDeskError as exc:
            self.refuse(exc)
            return
        self._decided(info)
