"""F7 roster and shift swaps, driven with keys only and checked in the database.

The fixture clock stands at Tue 1 Dec 2026 10:00 Shanghai (the early shift is
on); the week shown is Mon 30 Nov – Sun 6 Dec and the cursor starts on today's
early shift, so ``down`` selects tomorrow's early shift.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len

from dutydesk.domain import holidays, roster
from dutydesk.domain.staff import add_staff
from dutydesk.models import RosterEntry, ShiftTemplate, SwapRequest
from dutydesk.screens.roster import RosterScreen
from tests.helpers.site import PIN
from tests.helpers.ui import SIZE, login, make_app, screen_text, type_text

D = dt.date
TOMORROW = D(2026, 12, 2)
THURSDAY = D(2026, 12, 3)


def tpl(site: Any, code: str) -> int:
    return ShiftTemplate.get(
        (ShiftTemplate.desk == site.security.id) & (ShiftTemplate.code == code)
    ).id


def put(site: Any, staff_no: str, day: dt.date, code: str) -> int:
    """A roster entry written by the supervisor through the domain."""
    slot = roster.assign(
        site.actor("S01"), site.security.id, tpl(site, code), day, site.staff[staff_no].id
    )
    assert slot.entry_id is not None
    return slot.entry_id


def on_shift(site: Any, day: dt.date, code: str) -> list[str]:
    rows = RosterEntry.select().where(
        (RosterEntry.template == tpl(site, code)) & (RosterEntry.business_date == day)
    )
    return sorted(r.staff.staff_no for r in rows)


def grid_row(app: Any, label: str) -> str:
    """The line of the week grid that starts with ``label`` (e.g. ``Wed 12-02``)."""
    for line in screen_text(app).splitlines():
        if line.strip().startswith(label):
            return line
    raise AssertionError(f"no grid row {label!r} on screen:\n{screen_text(app)}")


async def open_roster(pilot: Any, staff_no: str) -> None:
    await pilot.pause()
    await login(pilot, staff_no, PIN)
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RosterScreen)


async def lock(pilot: Any) -> None:
    await pilot.press("f12")
    await pilot.pause()


async def type_pin_enter(pilot: Any) -> None:
    await type_text(pilot, PIN)
    await pilot.press("enter")
    await pilot.pause()


async def test_exchange_from_request_to_approval_changes_the_roster_cs8_en_8_3_5(site):
    """G01 asks to exchange tomorrow's early shift with G02's Thursday middle shift;
    G02 accepts on the spot with PIN; G01 cannot approve; S01 approves with PIN;
    the roster rows and the grid change (CS8, EN-8.3.5)."""
    put(site, "G01", TOMORROW, "early")
    put(site, "G02", THURSDAY, "middle")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        assert "G01" in grid_row(app, "Wed 12-02") and "G02" in grid_row(app, "Thu 12-03")
        # n on my own cell; the first kind is the exchange.
        await pilot.press("down", "n")
        await pilot.pause()
        await pilot.press("enter")
        await type_text(pilot, "G02")  # the colleague list filters as one types
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # G02's only shift ahead: Thursday middle
        await pilot.pause()
        await type_text(pilot, "family visit")
        await pilot.press("enter")
        await pilot.pause()
        request = SwapRequest.get()
        assert (request.kind, request.state, request.reason) == (
            "exchange",
            "asked",
            "family visit",
        )
        # G02 is here: accepts at once with his own PIN (his staff number is prefilled).
        await pilot.press("y")
        await pilot.pause()
        await type_pin_enter(pilot)
        assert SwapRequest.get().state == "accepted"
        assert on_shift(site, TOMORROW, "early") == ["G01"]  # nothing changes yet

        # The requester sees it waiting for the supervisor, with no key to approve it.
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "waiting for supervisor" in text
        assert "Approve" not in text and "Reject" not in text
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)  # no PIN dialog for him
        assert SwapRequest.get().state == "accepted"
        await lock(pilot)

        await open_roster(pilot, "S01")
        await pilot.press("r")
        await pilot.pause()
        assert "Approve" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert "Approve the swap" in screen_text(app)
        await type_pin_enter(pilot)  # S01's staff number is prefilled
        assert "approved" in screen_text(app)
        await pilot.press("r")  # back to the week
        await pilot.pause()
        assert "G02" in grid_row(app, "Wed 12-02") and "G01" not in grid_row(app, "Wed 12-02")
        assert "G01" in grid_row(app, "Thu 12-03")
    request = SwapRequest.get()
    assert request.state == "approved" and request.decided_by.staff_no == "S01"
    assert on_shift(site, TOMORROW, "early") == ["G02"]
    assert on_shift(site, THURSDAY, "middle") == ["G01"]
    assert {e.source for e in RosterEntry.select()} == {"swap"}


async def test_colleague_accepts_later_at_own_login_cs8(site):
    """A cover asked while the colleague is away waits for them: at their own login
    F7 says so, and ``c`` + PIN accepts."""
    put(site, "G01", TOMORROW, "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        await pilot.press("down", "n")
        await pilot.pause()
        await pilot.press("down", "enter")  # cover
        await type_text(pilot, "Zhao")  # filter by name
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # no reason
        await pilot.pause()
        await pilot.press("n")  # G02 is not here now
        await pilot.pause()
        assert SwapRequest.get().state == "asked"
        await lock(pilot)

        await open_roster(pilot, "G02")
        assert "1 waiting for you" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "waiting for you" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        await type_pin_enter(pilot)
    assert SwapRequest.get().state == "accepted"
    assert SwapRequest.get().colleague.staff_no == "G02"
    assert on_shift(site, TOMORROW, "early") == ["G01"]


async def test_supervisor_cannot_approve_own_swap_message_shown_en_8_3_5(site):
    """A supervisor who asked for the swap sees the approve key, but the domain
    refuses and its message is shown in the PIN dialog."""
    put(site, "S01", TOMORROW, "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "S01")
        await pilot.press("down", "n")
        await pilot.pause()
        await pilot.press("down", "enter")  # cover
        await type_text(pilot, "G01")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # G01 is here and accepts
        await pilot.pause()
        await type_pin_enter(pilot)
        assert SwapRequest.get().state == "accepted"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await type_pin_enter(pilot)
        text = " ".join(screen_text(app).split())
        assert "Supervisor Sun is part of this swap and cannot decide it" in text
    assert SwapRequest.get().state == "accepted"
    assert on_shift(site, TOMORROW, "early") == ["S01"]


async def test_request_for_a_started_shift_is_refused_with_the_message_cs8(site):
    """Today's early shift started at 07:30: a cover asked at 10:00 is refused."""
    put(site, "G01", D(2026, 12, 1), "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        await pilot.press("n")  # the cursor is on today's early shift: G01's
        await pilot.pause()
        await pilot.press("down", "enter")  # cover
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "has already started: a swap must be asked for before it starts" in text
    assert SwapRequest.select().count() == 0


async def test_non_supervisor_cannot_assign_supervisor_can(site):
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        text = screen_text(app)
        assert "Assign" not in text and "Remove" not in text and "Rotation" not in text
        await pilot.press("down", "a")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)  # no list of people opened
        await lock(pilot)
        assert RosterEntry.select().count() == 0

        await open_roster(pilot, "S01")
        assert "Assign" in screen_text(app)
        await pilot.press("down", "a")
        await pilot.pause()
        await type_text(pilot, "G02")
        await pilot.press("enter")
        await pilot.pause()
        assert on_shift(site, TOMORROW, "early") == ["G02"]
        assert "G02" in grid_row(app, "Wed 12-02")
        # d removes, after a yes.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert on_shift(site, TOMORROW, "early") == []


async def test_short_holiday_shift_shows_a_warning_cs9(site):
    """Two guards required on a holiday's early shift, one rostered: a warning on screen."""
    boss = site.actor("S01")
    holidays.add_holiday(boss, THURSDAY, "Founders Day")
    roster.set_required_staff(boss, site.security.id, "early", required=1, holiday_required=2)
    put(site, "G01", THURSDAY, "early")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        row = grid_row(app, "Thu 12-03")
        assert "★" in row and "G01 1/2" in row
        await pilot.press("down", "down")  # the cell's own warnings come first
        await pilot.pause()
        text = screen_text(app)
        assert "2026-12-03 Early (Founders Day, holiday): 1 of 2 staff rostered" in text
        assert "Founders Day" in text and "1 of 2 staff" in text


async def test_pgdn_moves_to_next_week_home_comes_back(site):
    put(site, "G02", D(2026, 12, 8), "night")
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        assert "2026-11-30 – 2026-12-06" in screen_text(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert "2026-12-07 – 2026-12-13" in screen_text(app)
        assert "G02" in grid_row(app, "Tue 12-08")
        await pilot.press("home")
        await pilot.pause()
        assert "2026-11-30 – 2026-12-06" in screen_text(app)
        # Up from Monday goes into the previous week.
        await pilot.press("up", "up")
        await pilot.pause()
        assert "2026-11-23 – 2026-11-29" in screen_text(app)


async def test_names_are_shown_literally(site):
    """A name with markup in it is data: shown as typed in the detail line."""
    boss = site.actor("S01")
    wu = add_staff(
        boss, staff_no="G09", name="[bold]Wu[/bold]", role="guard", pin=PIN, must_change_pin=False
    )
    roster.assign(boss, site.security.id, tpl(site, "early"), TOMORROW, wu.id)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        await pilot.press("down")
        await pilot.pause()
        assert "G09 [bold]Wu[/bold]" in screen_text(app)


async def test_chinese_grid_lines_up_at_80x24(site):
    """In Chinese the day names and shift names are two cells wide: columns still line up."""
    put(site, "G01", TOMORROW, "early")
    put(site, "G02", TOMORROW, "night")
    app = make_app(site, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot, "G01")
        text = screen_text(app)
        assert "新申请" in text and "调班申请" in text
        header = next(line for line in text.splitlines() if "早班" in line and "晚班" in line)
        row = grid_row(app, "周三 12-02")
        assert cell_len(header[: header.index("晚班")]) == cell_len(row[: row.index("G02")]) - 1
