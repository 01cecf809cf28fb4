"""Subcommands of ``dutydesk``; each module registers itself with :mod:`dutydesk.cli`."""

from dutydesk.commands import demo, init  # noqa: F401
