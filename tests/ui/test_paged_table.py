"""The paged list shared by F4, F6, F8 and the repair requests: PgDn / PgUp turn
the page (each page loaded on its own, never the whole list), they work only where
there is a page to go to, Enter opens the row under the cursor, and a page that
comes out empty steps back."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from dutydesk.widgets.tables import PagedTable, paged_bindings

ROWS = 23
PAGE = 10


class NumberTable(PagedTable[int]):
    BINDINGS = paged_bindings("numbers")
    UNLAID_ROWS = PAGE


class Numbers(App[None]):
    """Numbers 0…22, ten a page by offset, or by keyset (the last number shown)."""

    def __init__(self, keyset: bool = False) -> None:
        super().__init__()
        self.keyset = keyset
        self.loads: list[int] = []
        self.opened: list[int] = []
        self.rows = list(range(ROWS))

    def compose(self) -> ComposeResult:
        yield NumberTable(self.load, self.opened.append, id="numbers")

    def on_mount(self) -> None:
        self.table.focus()
        self.load()

    @property
    def table(self) -> NumberTable:
        return self.query_one(NumberTable)

    def load(self) -> None:
        table = self.table
        if self.keyset:
            after = -1 if table.start is None else table.start
            shown = [n for n in self.rows if n > after][:PAGE]
        else:
            shown = self.rows[table.page * PAGE : (table.page + 1) * PAGE]
        if not shown and table.step_back():
            self.load()
            return
        self.loads.append(table.page)
        table.begin([("n", "#")])
        for n in shown:
            table.add_item(str(n), n, [str(n)])
        if self.keyset:
            more = bool(shown) and shown[-1] < self.rows[-1]
            table.loaded(next_start=shown[-1] if more else None)
        else:
            table.loaded(has_more=len(self.rows) > (table.page + 1) * PAGE)


def _shown(app: Numbers) -> list[int]:
    return list(app.table.items.values())


def _enabled(app: Numbers, action: str) -> bool:
    return any(
        a.binding.action == action and a.enabled for a in app.screen.active_bindings.values()
    )


async def _walk(app: Numbers) -> None:
    async with app.run_test(size=(40, 16)) as pilot:
        await pilot.pause()
        assert _shown(app) == list(range(10))
        assert not _enabled(app, "prev_page") and _enabled(app, "next_page")
        await pilot.press("pagedown", "pagedown")
        assert _shown(app) == [20, 21, 22] and app.table.page == 2
        assert not _enabled(app, "next_page") and _enabled(app, "prev_page")
        await pilot.press("pagedown")  # nothing further: the page stays
        assert app.table.page == 2
        await pilot.press("down", "enter")
        assert app.opened == [21]
        await pilot.press("pageup")
        assert _shown(app) == list(range(10, 20))
        assert app.loads == [0, 1, 2, 1]


async def test_offset_pages_turn_both_ways_and_enter_opens_the_row() -> None:
    await _walk(Numbers())


async def test_keyset_pages_turn_both_ways_and_enter_opens_the_row() -> None:
    await _walk(Numbers(keyset=True))


async def test_a_page_that_comes_out_empty_steps_back_and_first_page_returns() -> None:
    app = Numbers()
    async with app.run_test(size=(40, 16)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown")
        app.rows = list(range(15))  # rows went away while the last page was shown
        app.load()
        assert app.table.page == 1 and _shown(app) == list(range(10, 15))
        app.table.first_page()
        app.load()
        assert app.table.page == 0 and _shown(app) == list(range(10))


async def test_an_empty_list_opens_nothing() -> None:
    app = Numbers()
    app.rows = []
    async with app.run_test(size=(40, 16)) as pilot:
        await pilot.pause()
        assert not _enabled(app, "open_row")
        await pilot.press("enter")
        assert app.opened == [] and app.table.selected() is None


def test_the_list_keys_keep_their_screen_ids() -> None:
    ids: list[Any] = [b.id for b in paged_bindings("logs")]  # type: ignore[union-attr]
    assert ids == ["logs.open", "logs.next_page", "logs.prev_page"]
