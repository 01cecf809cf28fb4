"""The child process of :func:`dutydesk.domain.backup.full_verify`."""

import sys

from dutydesk.domain.backup.files import _child_verify

sys.exit(_child_verify(sys.argv[1]))
