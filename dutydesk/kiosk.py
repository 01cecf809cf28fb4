"""Composition root of the kiosk: database, site, desk, language, clock → the App.

Kept apart from :mod:`dutydesk.cli` so tests build the same app with a fixed
clock and a throwaway database. The command line starts the kiosk with
:func:`start_app`: the lock screen is painted from a read-only first look at the
site (:func:`dutydesk.config.glance`), and the database, the models and the duty
rules load right after that first paint.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from dutydesk.config import (
    KioskOptions,
    Opened,
    SiteGlance,
    choose_language,
    explicit_target,
    glance,
)
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_, set_language

if TYPE_CHECKING:
    from dutydesk.app import DutyDeskApp
    from dutydesk.clock import Clock


def open_site(options: KioskOptions) -> Opened:
    """Open (and migrate) the database and find the desk; ConfigError for a bad db or desk."""
    # Deferred for start-up speed: Peewee, the models and the site rules.
    from dutydesk.db import open_database
    from dutydesk.domain import site as site_rules

    # A named database that does not exist is a typing mistake at the booth: never
    # start a second, empty site there (the default location is created on first run).
    open_database(options.db, create=not explicit_target(options.db))
    if site_rules.site_exists():
        site = site_rules.get_site()
        desk_code = site_rules.find_desk(options.desk).code
        lock_after = options.lock_after or site.lock_after_seconds
        return Opened(desk_code, site.tz, site.language, lock_after or 180)
    if options.desk:
        # The set-up wizard creates the desks; a named desk cannot exist yet.
        raise ConfigError(
            N_("This database holds no site yet; run dutydesk init, or start without --desk")
        )
    return Opened(None, "UTC", None, options.lock_after or 180)


def open_site_in_thread(options: KioskOptions) -> Opened:
    """:func:`open_site` from a thread of its own (the kiosk's, after the lock screen's
    first paint), importing what the kiosk runs on off the event loop; the thread's
    connection is closed (the app opens its own)."""
    # Deferred for start-up speed: these load after the first paint.
    from dutydesk.clock import SystemClock  # noqa: F401
    from dutydesk.domain import backup, handover, health, overview, sessions, staff  # noqa: F401

    try:
        return open_site(options)
    finally:
        health.close_thread_connection()


def build_app(options: KioskOptions, clock: Clock | None = None) -> DutyDeskApp:
    """The kiosk app for ``options`` on an open database; raises ConfigError for a bad
    db or desk."""
    opened = open_site(options)
    set_language(choose_language(options.lang, opened.site_lang))
    from dutydesk.app import DutyDeskApp  # deferred for start-up speed
    from dutydesk.clock import SystemClock  # deferred for start-up speed

    return DutyDeskApp(
        clock=clock or SystemClock(opened.tz),
        desk_code=opened.desk_code,
        cli_lang=options.lang,
        lock_after=opened.lock_after,
    )


def start_app(options: KioskOptions, first_look: SiteGlance | None = None) -> DutyDeskApp:
    """The kiosk as the command line starts it. A SQLite site whose desk a read-only
    look finds is painted first and opened after (:meth:`DutyDeskApp._load`); anything
    else (a server, a new file, a desk to choose) is opened first, as by
    :func:`build_app`, so its errors read exactly the same. ``first_look``: the site as
    the command line already read it."""
    site = first_look or glance(options.db)
    desk = site.desk(options.desk) if site is not None else None
    if site is None or desk is None:
        return build_app(options)
    set_language(choose_language(options.lang, site.language))
    from dutydesk.app import DutyDeskApp  # deferred for start-up speed

    return DutyDeskApp(
        clock=None,
        desk_code=desk.code,
        cli_lang=options.lang,
        lock_after=options.lock_after or site.lock_after_seconds or 180,
        opener=partial(open_site_in_thread, options),
        glance=desk,
        tz=site.tz,
    )
