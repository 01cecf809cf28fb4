"""The error log: where a fault's full story goes, so the screen never needs to show it.

The kiosk and the command line write every unexpected error here and show the
person a plain message instead. A traceback is written **without local
variables** (they can hold a PIN typed a moment before), and digit runs that
look like a PIN are masked in exception messages. Writing the log never raises:
a full disk must not turn one fault into two.

The file is ``errors.log`` in the user's state/log folder (platformdirs), or in
``DUTYDESK_LOG_DIR`` when that is set (tests, or a site that collects logs).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from pathlib import Path

LOG_DIR_ENV = "DUTYDESK_LOG_DIR"
LOG_NAME = "errors.log"
# One old file is kept beside the current one; together at most about 2 MB.
MAX_BYTES = 1024 * 1024

# 4–8 digits standing alone (a PIN's shape), not part of a date, time or longer number.
_PIN_LIKE = re.compile(r"(?<![\d.:-])\d{4,8}(?![\d.:-])")


def log_dir() -> Path:
    """The folder of the error log (not created here)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("dutydesk", appauthor=False)


def log_file() -> Path:
    """The error log the kiosk and the command line append to."""
    return log_dir() / LOG_NAME


def mask_pins(text: str) -> str:
    """``text`` with every PIN-like digit run replaced by ``****``."""
    return _PIN_LIKE.sub("****", text)


def format_exception(exc: BaseException) -> str:
    """The traceback of ``exc`` (and its causes) without locals, PIN-like values masked.

    Only exception messages can carry runtime values; the ``File …`` lines and
    the source lines under them come from the code and are kept as they are.
    """
    lines = traceback.TracebackException.from_exception(exc, capture_locals=False).format()
    out = []
    for chunk in lines:
        for line in chunk.splitlines(keepends=True):
            out.append(line if line.startswith(" ") else mask_pins(line))
    return "".join(out)


def log_exception(exc: BaseException, where: str) -> None:
    """Append ``exc`` to the error log with the time and ``where`` it happened. Never raises."""
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        entry = f"=== {stamp} pid {os.getpid()} in {mask_pins(where)}\n{format_exception(exc)}\n"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(entry)
    except Exception:  # the log is the last resort: there is nothing left to tell
        pass
