"""A supervisor's PIN for a subcommand: from an environment variable (--pin-env),
asked on a terminal, or one line of standard input. Registers no subcommand."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from dutydesk.errors import ConfigError, ValidationError
from dutydesk.i18n import N_, _


def add_pin_env_option(p: argparse.ArgumentParser) -> None:
    """``--pin-env VAR``: where a script puts the supervisor's PIN."""
    p.add_argument(
        "--pin-env",
        metavar="VAR",
        default=None,
        help=_(
            "read the supervisor's PIN from this environment variable "
            "(default: ask, or read one line from standard input)"
        ),
    )


def read_pin(args: argparse.Namespace, prompt: str, again: str | None = None) -> str:
    """The PIN from ``--pin-env``, else asked with ``prompt`` on a terminal (twice,
    the second time with ``again``, when given), else one line of standard input."""
    if args.pin_env:
        value = os.environ.get(args.pin_env)
        if not value:
            raise ConfigError(N_("The environment variable {var} is empty"), var=args.pin_env)
        return value.strip()
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if again is not None and getpass.getpass(again) != first:
            raise ValidationError(N_("The two PINs differ"), field="pin")
        return first
    return sys.stdin.readline().strip()
