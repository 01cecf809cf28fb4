"""App CSS lives in the one stylesheet, ``screens.tcss``; ``DEFAULT_CSS`` is
only for self-contained reusable widgets, never for a screen or a dialog."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

import dutydesk.screens
import dutydesk.widgets


def test_no_screen_carries_its_own_css():
    offenders = []
    for package in (dutydesk.screens, dutydesk.widgets):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and issubclass(obj, Screen)
                    and obj.__module__ == module.__name__
                    and "DEFAULT_CSS" in obj.__dict__
                ):
                    offenders.append(f"{module.__name__}.{obj.__name__}")
    assert offenders == []
