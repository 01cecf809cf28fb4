"""Every modal dialog of the kiosk, one module per feature.

``common`` holds the desk-wide ones and the bases: :class:`FormDialog` (a modal
form), :class:`ConfirmDialog` (the yes/no), :class:`PromptDialog` (one line of
text), and PIN prompts, PIN change, a reason; ``form`` holds the full-screen
:class:`FormScreen` with drafts; ``admin`` the F9 ones; a feature's own dialogs
live in ``dialogs/<feature>.py``. Each dialog is a ``DeskDialog[T]`` /
``ModalScreen[T]`` whose result type says what the caller gets back.
"""

from dutydesk.screens.dialogs.common import (
    ChangePinDialog,
    ConfirmDialog,
    FormDialog,
    PresenceDialog,
    PromptDialog,
    QuitDialog,
    ReasonDialog,
)
from dutydesk.screens.dialogs.form import FormScreen

__all__ = [
    "ChangePinDialog",
    "ConfirmDialog",
    "FormDialog",
    "FormScreen",
    "PresenceDialog",
    "PromptDialog",
    "QuitDialog",
    "ReasonDialog",
]
