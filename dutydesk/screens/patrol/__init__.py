"""F3: the patrol checklist of the current shift and the equipment operation log.

- :mod:`.checklist`: :class:`PatrolScreen`, the rounds and the checks of the selected one;
- :mod:`.operation_log`: :class:`OperationLogScreen`, the readings of the desk (EN-8.3.4);
- :mod:`.tables`: the tables whose keys run their screen's actions.

Its dialogs (a reading, a correction) are :mod:`dutydesk.screens.dialogs.patrol`.
"""

from dutydesk.screens.dialogs.patrol import CorrectionDialog, MarkDialog, ReadingDialog
from dutydesk.screens.patrol.checklist import PatrolScreen
from dutydesk.screens.patrol.operation_log import OperationLogScreen
from dutydesk.screens.patrol.tables import CheckTable, ReadingsTable, RoundTable

__all__ = [
    "CheckTable",
    "CorrectionDialog",
    "MarkDialog",
    "OperationLogScreen",
    "PatrolScreen",
    "ReadingDialog",
    "ReadingsTable",
    "RoundTable",
]
