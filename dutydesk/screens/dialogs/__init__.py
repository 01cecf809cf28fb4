"""Every modal dialog of the kiosk, one module per feature.

``common`` holds the desk-wide ones (PIN prompts, PIN change, a reason, yes/no)
and the form base they share; a feature's own dialogs live in
``dialogs/<feature>.py``. Each dialog is a ``ModalScreen[T]`` whose result type
says what the caller gets back.
"""

from dutydesk.screens.dialogs.common import (
    ChangePinDialog,
    ConfirmDialog,
    FormDialog,
    PresenceDialog,
    QuitDialog,
    ReasonDialog,
)

__all__ = [
    "ChangePinDialog",
    "ConfirmDialog",
    "FormDialog",
    "PresenceDialog",
    "QuitDialog",
    "ReasonDialog",
]
