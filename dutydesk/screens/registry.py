"""Which F-key opens which screen: the kiosk's table of modes.

Each F-key screen is a Textual *mode*; its module is imported the first time the
screen is shown (the lock screen starts without any of them). The app, the
command palette and the key bar read this table; it imports nothing of theirs.
"""

from __future__ import annotations

from dutydesk.i18n import N_

# Where a mode's screen class lives, its title (an English msgid) and its F-key.
ScreenEntry = tuple[str, str, str, str]


# mode → (module, class, title msgid, F-key); modules are imported on first use.
SCREENS: dict[str, ScreenEntry] = {
    "shift": ("dutydesk.screens.shift", "ShiftScreen", N_("Shift"), "f2"),
    "patrol": ("dutydesk.screens.patrol", "PatrolScreen", N_("Patrol"), "f3"),
    "incidents": ("dutydesk.screens.incidents", "IncidentsScreen", N_("Incidents"), "f4"),
    "handover": ("dutydesk.screens.handover", "HandoverScreen", N_("Handover"), "f5"),
    "logs": ("dutydesk.screens.logs", "LogsScreen", N_("Logs"), "f6"),
    "roster": ("dutydesk.screens.roster", "RosterScreen", N_("Roster"), "f7"),
    "reports": ("dutydesk.screens.reports", "ReportsScreen", N_("Reports"), "f8"),
    "admin": ("dutydesk.screens.admin", "AdminScreen", N_("Admin"), "f9"),
}

# What the error panel calls the screens that are not behind an F-key.
OTHER_TITLES = {"lock": N_("Login"), "wizard": N_("Set-up")}


def title_of(mode: str) -> str:
    """The title msgid of ``mode`` (the shift screen's for an unknown one)."""
    if mode in SCREENS:
        return SCREENS[mode][2]
    return OTHER_TITLES.get(mode, N_("Shift"))
