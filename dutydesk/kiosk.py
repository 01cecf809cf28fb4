"""Composition root of the kiosk: database, site, desk, language, clock → the App.

Kept apart from :mod:`dutydesk.cli` so tests build the same app with a fixed
clock and a throwaway database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutydesk.clock import Clock, SystemClock
from dutydesk.db import explicit_target, open_database
from dutydesk.domain import site as site_rules
from dutydesk.errors import ConfigError
from dutydesk.i18n import N_, language_from_env, set_language

if TYPE_CHECKING:
    from dutydesk.app import DutyDeskApp
    from dutydesk.cli import KioskOptions


def choose_language(cli_lang: str | None, site_lang: str | None) -> str:
    """Precedence: ``--lang``, then (after login) the person's, then the site's, then LANG."""
    return cli_lang or site_lang or language_from_env() or "zh"


def build_app(options: KioskOptions, clock: Clock | None = None) -> DutyDeskApp:
    """The kiosk app for ``options``; raises ConfigError for a bad db or desk."""
    # A named database that does not exist is a typing mistake at the booth: never
    # start a second, empty site there (the default location is created on first run).
    open_database(options.db, create=not explicit_target(options.db))
    desk_code: str | None = None
    tz = "UTC"
    site_lang: str | None = None
    lock_after = options.lock_after
    if site_rules.site_exists():
        site = site_rules.get_site()
        desk_code = site_rules.find_desk(options.desk).code
        tz, site_lang = site.tz, site.language
        lock_after = lock_after or site.lock_after_seconds
    elif options.desk:
        # The set-up wizard creates the desks; a named desk cannot exist yet.
        raise ConfigError(
            N_("This database holds no site yet; run dutydesk init, or start without --desk")
        )
    set_language(choose_language(options.lang, site_lang))

    from dutydesk.app import DutyDeskApp

    return DutyDeskApp(
        clock=clock or SystemClock(tz),
        desk_code=desk_code,
        cli_lang=options.lang,
        lock_after=lock_after or 180,
    )
