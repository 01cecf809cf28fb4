"""The kiosk's memory over a long shift: a cache in Textual that kept every widget's
rendered lines alive, and the collector's pauses.

A booth PC runs one kiosk for weeks; every login builds the person's screens again
and locking drops them. Two things made the heap grow and the garbage collector's
full passes (every few seconds of use) take longer and longer, up to 80 ms in the
middle of a key on the ten-year site:

* Textual 8's ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so
  its key holds the ``StylesCache`` of up to 1,024 widgets that no longer exist,
  each with the rendered lines (Strips) it cached. :func:`fix_styles_cache_leak`
  puts a cache keyed on the two colours alone in its place (the result never
  depended on anything else).
* The modules, classes and CSS the kiosk loads once live as long as the process,
  yet each full pass walks all of them. :func:`tune_collector` moves them out of
  the collector's way once the kiosk is ready (``gc.freeze``, after a collection so
  that no garbage is frozen with them; what else is alive at that moment, the lock
  screen and the start-up check among it, is frozen too, once), and makes Python's
  own full passes rare: the kiosk runs them itself when nobody is typing
  (:func:`collect_when_idle`, from the one-second tick), so a pass no longer lands
  in the middle of a key.
"""

from __future__ import annotations

import gc
import inspect
from functools import lru_cache
from typing import Any

from textual.color import Color
from textual.style import Style

try:  # a private module of Textual's: the fix is best-effort, never a reason not to start
    from textual._styles_cache import StylesCache
except ImportError:  # pragma: no cover - a Textual that moved it
    StylesCache = None  # type: ignore[assignment,misc]

# Textual's own function, kept once replaced (tests compare with it).
textuals_inner_outer: Any = None

IDLE_SECONDS = 2.0  # no key for this long: a full pass cannot delay anybody
FULL_PASS_EVERY = 100  # younger passes between Python's own full passes (its default: 10)

_tuned = False


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return (
        Style(background=base_background + background),
        Style(background=base_background),
    )


def _get_inner_outer(_self: Any, base_background: Color, background: Color) -> tuple[Style, Style]:
    """Inner and outer background styles: the same as Textual's, cached by colour only."""
    return _inner_outer(base_background, background)


def fix_styles_cache_leak() -> None:
    """Replace the method-level ``lru_cache`` (which keys on, and so keeps, every
    ``StylesCache``) with one keyed on the colours. Only where Textual still has it."""
    global textuals_inner_outer
    if StylesCache is None:
        return
    current = StylesCache.__dict__.get("get_inner_outer")
    if current is None or current is _get_inner_outer or not hasattr(current, "cache_clear"):
        return
    wrapped = getattr(current, "__wrapped__", None)
    try:
        params = list(inspect.signature(wrapped).parameters) if wrapped else []
    except (TypeError, ValueError):
        params = []
    if params != ["cls", "base_background", "background"]:
        return  # not the function this stands in for: leave Textual's as it is
    current.cache_clear()
    textuals_inner_outer = wrapped
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]


def tune_collector() -> None:
    """Once per process, when the kiosk is ready: collect, freeze what survived
    (modules, classes, stylesheets, the lock screen), and leave full passes to
    :func:`collect_when_idle` (Python still runs one after 100 younger passes)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)


def collect_when_idle(idle_seconds: float) -> bool:
    """A full pass when nobody has typed for :data:`IDLE_SECONDS` and objects have
    moved to the oldest generation since the last one; True when it ran."""
    if idle_seconds < IDLE_SECONDS or gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True
