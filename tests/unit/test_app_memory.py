"""The kiosk's memory over a long shift (dutydesk.app_memory): the styles cache keyed on
colours only, the collector tuned once the kiosk is ready, full passes when idle."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style

from dutydesk import app_memory
from dutydesk.app_memory import (
    FULL_PASS_EVERY,
    IDLE_SECONDS,
    collect_when_idle,
    fix_styles_cache_leak,
    tune_collector,
)


@pytest.fixture
def untuned() -> Iterator[None]:
    """A process whose collector is not tuned yet; put back as it was afterwards (the
    tuning is process-wide: later tests in this worker must not inherit it)."""
    thresholds, tuned = gc.get_threshold(), app_memory._tuned
    app_memory._tuned = False
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    app_memory._tuned = tuned


def test_inner_outer_styles_are_textuals_and_keep_no_cache_alive():
    fix_styles_cache_leak()
    fix_styles_cache_leak()  # twice: still the one replacement
    base, tint = Color(30, 30, 30), Color(1, 120, 212, 0.5)
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(base, tint)
    assert (inner, outer) == app_memory.textuals_inner_outer(None, base, tint)
    assert inner == Style(background=base + tint)
    assert outer == Style(background=base)
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None  # Textual's own cache kept it (and its lines) alive


def test_the_collector_is_tuned_once_per_process(untuned):
    tune_collector()
    assert gc.get_threshold()[2] == FULL_PASS_EVERY
    frozen = gc.get_freeze_count()
    assert frozen > 0
    made_since = [[n] for n in range(1000)]  # objects alive now, not frozen…
    tune_collector()
    assert gc.get_freeze_count() == frozen  # …by a second call: it does nothing
    assert len(made_since) == 1000


def test_a_full_pass_runs_only_when_nobody_is_typing():
    gc.collect(1)  # something moved to the oldest generation since the last full pass
    assert gc.get_count()[2] > 0
    assert collect_when_idle(IDLE_SECONDS - 0.5) is False  # a key a moment ago
    assert gc.get_count()[2] > 0
    assert collect_when_idle(IDLE_SECONDS) is True
    assert gc.get_count()[2] == 0
    assert collect_when_idle(60.0) is False  # nothing new since: no pass
