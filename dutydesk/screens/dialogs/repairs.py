"""The dialog of repair requests (EN-8.3.2): what was done, or why it cannot be."""

from __future__ import annotations

from typing import Any

from dutydesk.domain import repairs
from dutydesk.domain.repairs import RepairInfo
from dutydesk.i18n import _
from dutydesk.screens.dialogs.incidents import ActionPrompt


def mark_prompt(actor: Any, info: RepairInfo, handled: bool) -> ActionPrompt[RepairInfo]:
    """Ask what was done (handled) or why not (not handled, EN-8.3.2); the domain
    checks the answer. Dismissed with the request as marked, or None."""
    if handled:
        question = _("What was done for request #{id}?", id=info.id)

        def apply(text: str) -> RepairInfo:
            return repairs.mark_handled(actor, info.id, text)
    else:
        question = _("Why can request #{id} not be handled? (EN-8.3.2)", id=info.id)

        def apply(text: str) -> RepairInfo:
            return repairs.mark_not_handled(actor, info.id, text)

    return ActionPrompt(question, apply)
