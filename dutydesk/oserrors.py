"""An operating-system error on a user's file, said as a plain sentence.

Python's ``OSError`` carries the system's English text (``File exists``,
``No such file or directory``) and sometimes no path at all. The kiosk and the
command line show :func:`describe` instead: which path, what went wrong, in the
reader's language, and, for a write, that nothing was saved.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from dutydesk.errors import DutyDeskError
from dutydesk.i18n import _


def _path_of(exc: OSError, path: str | os.PathLike[str] | None) -> str:
    if exc.filename:
        return str(exc.filename)
    return str(path) if path is not None else "?"


def _missing_folder(named: str) -> str:
    """The first folder on the way to ``named`` that does not exist (else its parent)."""
    here = Path(named).parent
    missing = here
    while not here.exists() and here != here.parent:
        missing = here
        here = here.parent
    return str(missing)


def _file_in_the_way(named: str) -> str:
    """The plain file standing where a folder on the way to ``named`` should be."""
    for folder in [Path(named), *Path(named).parents]:
        if folder.is_file():
            return str(folder)
    return named


def kind(exc: OSError) -> str:
    """What went wrong, as one word: ``in_the_way`` (a file where a folder should be),
    ``is_folder``, ``permission``, ``full``, ``read_only``, ``missing`` or ``other``."""
    code = exc.errno
    if isinstance(exc, FileExistsError) or code in (errno.EEXIST, errno.ENOTDIR):
        return "in_the_way"
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return "is_folder"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "permission"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if code == errno.EROFS:
        return "read_only"
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return "missing"
    return "other"


def reason(exc: OSError) -> str:
    """A few translated words for ``exc``, for a sentence that names the path itself."""
    found = kind(exc)
    if found == "other":
        return errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return {
        "in_the_way": _("a file stands where a folder should be"),
        "is_folder": _("it is a folder, not a file"),
        "permission": _("no permission"),
        "full": _("the disk is full"),
        "read_only": _("the disk is read-only"),
        "missing": _("no such file or folder"),
    }[found]


def describe(
    exc: OSError, path: str | os.PathLike[str] | None = None, *, write: bool = True
) -> str:
    """One translated line for ``exc`` about ``path`` (the file the user named; the
    error's own file name wins when it has one). ``write``: the sentence says that
    nothing was saved."""
    named = _path_of(exc, path)
    found = kind(exc)
    if named == "?":  # no file named: the reason alone
        what = reason(exc)
    elif found == "in_the_way":
        what = _("{path} is a file where a folder should be", path=_file_in_the_way(named))
    elif found == "missing":
        if write:
            what = _("no such folder: {path}", path=_missing_folder(named))
        else:
            what = _("no such file: {path}", path=named)
    elif found == "other":
        what = _("{path} could not be used ({reason})", path=named, reason=reason(exc))
    else:
        what = _("{path}: {reason}", path=named, reason=reason(exc))
    if write:
        return _("{what}. Nothing was saved.", what=what)
    return what


class FileProblem(DutyDeskError):
    """An ``OSError`` on a file the user named, kept with that path: shown by
    :func:`describe` (the command line's one line, exit 1)."""

    def __init__(
        self, exc: OSError, path: str | os.PathLike[str] | None = None, *, write: bool = True
    ) -> None:
        self.exc = exc
        self.path = path
        self.write = write
        super().__init__("{path}", path=_path_of(exc, path))

    def translated(self) -> str:
        return describe(self.exc, self.path, write=self.write)


def write_file(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, unchanged line ends) to ``path``; an OS
    error becomes a :class:`FileProblem` naming ``path``."""
    target = Path(path)
    try:
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    except OSError as exc:
        raise FileProblem(exc, path) from None
