"""Subcommands of ``dutydesk``; each module here registers itself with
:func:`dutydesk.cli.register` when imported."""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")
