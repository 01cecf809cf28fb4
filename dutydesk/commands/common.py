"""What the subcommands share (no subcommand of its own here).

Argument types (``CODE:PRESET[:NAME[:LOCATION]]`` desks, whole and positive
numbers), the supervisor's PIN taken from an environment variable
(``--pin-env``) or asked for, and opening the site's database to act on it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from dutydesk.clock import SystemClock
from dutydesk.db import open_database
from dutydesk.domain.context import Actor
from dutydesk.domain.site import DeskSpec, site_timezone
from dutydesk.errors import ConfigError, ValidationError
from dutydesk.i18n import N_, _


def desk_spec(text: str) -> DeskSpec:
    """``CODE:PRESET[:NAME[:LOCATION]]``"""
    parts = text.split(":", 3)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError(
            _("a desk is CODE:PRESET[:NAME[:LOCATION]], e.g. security:security-3:保安亭")
        )
    code, preset = parts[0], parts[1]
    name = parts[2] if len(parts) > 2 and parts[2] else code
    location = parts[3] if len(parts) > 3 else ""
    return DeskSpec(code=code, name=name, preset=preset, location=location)


def whole(text: str) -> int:
    """A whole number typed on the command line."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a whole number: {text}", text=text)) from None


def positive(text: str) -> int:
    """A whole number above zero (how many backups to keep)."""
    value = whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be above zero: {text}", text=text))
    return value


def add_pin_env(p: argparse.ArgumentParser) -> None:
    """``--pin-env VAR``: the supervisor's PIN from an environment variable."""
    p.add_argument(
        "--pin-env",
        metavar="VAR",
        default=None,
        help=_(
            "read the supervisor's PIN from this environment variable "
            "(default: ask, or read one line from standard input)"
        ),
    )


def read_pin(args: argparse.Namespace, prompt: str, *, twice: bool = False) -> str:
    """The PIN from ``--pin-env``, else asked at the terminal (``prompt``; ``twice``:
    typed again and compared), else one line of standard input."""
    if args.pin_env:
        value = os.environ.get(args.pin_env)
        if not value:
            raise ConfigError(N_("The environment variable {var} is empty"), var=args.pin_env)
        return value.strip()
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if twice and first != getpass.getpass(_("The same PIN again: ")):
            raise ValidationError(N_("The two PINs differ"), field="pin")
        return first
    return sys.stdin.readline().strip()


def open_site(args: argparse.Namespace, desk_id: int | None = None) -> Actor:
    """Open the site's existing database (``--db``) and act at the machine: no one
    logged in, the site's clock and zone (the audit records who ran the command)."""
    open_database(getattr(args, "db", None), create=False)
    return Actor(SystemClock(site_timezone()), desk_id)


def output_problem(path: str, *, force: bool) -> str | None:
    """Why a command should not write the file the user named (a usage mistake:
    exit 2), else None: its folder is missing, or it exists and ``force`` is off."""
    target = Path(path)
    if not target.resolve().parent.is_dir():
        return _("no such folder: {path}", path=str(target.parent))
    if target.exists() and not force:
        return _("{path} exists; add --force to overwrite it", path=path)
    return None
