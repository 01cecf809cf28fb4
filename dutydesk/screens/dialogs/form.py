"""The full-screen form of every screen of the kiosk: labelled fields, Ctrl+S, Esc, drafts.

A form is a list of :class:`~dutydesk.widgets.form_fields.FormField` given to
:class:`FormScreen` with the prefilled values and a ``submit`` callable (usually
a domain function). The screen takes care of what every form of the desk must do
(docs/keys.md):

* fields in reading order, Tab / Shift+Tab between them, the cursor starting
  in the main text field;
* Ctrl+S saves; a :class:`~dutydesk.errors.ValidationError` is shown next to
  the field it names (its ``field``) and the rest of the form stays as typed;
* Esc goes back, asking first (:class:`ConfirmDialog`) when something was typed;
* the values are kept as a draft of the person at the desk
  (:mod:`dutydesk.domain.drafts`) a second after each change and whenever the
  app locks (``save_draft``), restored when the same person opens the form
  again, also after a restart; saving or dropping the form discards it.

User text is shown literally: inputs are literal already, and every message
that may repeat user text is a ``Static`` with ``markup=False``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any, ClassVar, Generic

import arrow
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from dutydesk.domain import drafts
from dutydesk.errors import (
    ConnectionLost,
    DatabaseBusy,
    DutyDeskError,
    StorageError,
    ValidationError,
)
from dutydesk.i18n import N_, _
from dutydesk.screens.base import ResultT
from dutydesk.screens.dialogs.common import ConfirmDialog
from dutydesk.widgets.banner import AlertBanner
from dutydesk.widgets.deskbar import DeskBar
from dutydesk.widgets.form_fields import (
    DRAFT_DELAY,
    DRAFT_KEPT,
    FieldLabel,
    FormField,
    FormKeyBar,
    YesNoCheckbox,
    format_time,
    parse_time,
    widget_id,
)


class FormScreen(Screen[ResultT], Generic[ResultT]):
    """A full-screen form; ``dismiss(result)`` with what ``submit`` returned, or None.

    ``form_id`` names the draft (None: no draft, e.g. a filter). ``values`` are
    the prefilled values (times as arrow instants); ``main`` is the field the
    cursor starts in; ``submit`` gets the typed values (str, bool, arrow or
    None) and raises :class:`ValidationError` for bad input.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("escape", "cancel", N_("Back"), id="form.cancel"),
    ]
    """The keyboard bindings of every form: save, and back (asking when dirty)."""

    RULES: ClassVar[list[tuple[str, str]]] = []

    def __init__(
        self,
        *,
        form_id: str | None,
        title: str,
        fields: list[FormField],
        values: dict[str, Any],
        submit: Callable[[dict[str, Any]], ResultT],
        main: str | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.form_id = form_id
        self.title_text = title
        self.fields = list(fields)
        self.submit = submit
        self.main = main or (fields[0].name if fields else None)
        self.note = note
        self._values = dict(values)
        self._initial: dict[str, Any] = {}
        self._restored = False
        self._timer: Timer | None = None
        self._ready = False
        self._actor: Any = None
        self._busy_deadline: float | None = None

    # --- building -------------------------------------------------------------------

    def _raw_default(self, f: FormField, value: Any) -> Any:
        if f.kind == "check":
            return bool(value)
        if f.kind == "time":
            if isinstance(value, arrow.Arrow):
                return format_time(value, self._tz())
            return "" if value is None else str(value)
        return "" if value is None else str(value)

    def _tz(self) -> str:
        app: Any = self.app
        return str(app.clock.tz)

    def compose(self) -> ComposeResult:
        # Built here, not in __init__: times are shown in the zone of the app's clock.
        self._initial = {
            f.name: self._raw_default(f, self._values.get(f.name)) for f in self.fields
        }
        yield DeskBar()
        yield AlertBanner()
        yield Static(Text(self.title_text), id="form-title")
        yield Static(self.note, markup=False, id="form-note")
        with VerticalScroll():
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield FieldLabel(Text(_(f.label) + (" *" if f.required else "")))
                    yield self._make_input(f)
                yield Static("", markup=False, id=f"error-{f.name}", classes="field-error -empty")
        yield Static("", markup=False, id="form-error")
        yield FormKeyBar()

    def _make_input(self, f: FormField) -> Widget:
        value = self._initial[f.name]
        wid = widget_id(f.name)
        if f.kind == "area":
            return TextArea(
                value, id=wid, soft_wrap=True, tab_behavior="focus", show_line_numbers=False
            )
        if f.kind == "check":
            return YesNoCheckbox(bool(value), id=wid)
        if f.kind == "choice":
            options = [(_(label), code) for code, label in f.choices]
            return Select(
                options,
                value=value if value else Select.NULL,
                id=wid,
                prompt=_("Choose…"),
                allow_blank=not f.required,
            )
        placeholder = f.placeholder or ("YYYY-MM-DD HH:MM" if f.kind == "time" else "")
        return Input(value, id=wid, placeholder=placeholder)

    def on_mount(self) -> None:
        self._actor = getattr(self.app, "actor", None)
        draft = None
        if self._can_draft() and self.form_id is not None:
            draft = self._kept_in_memory() or drafts.load(self._actor, self.form_id)
        if draft:
            self.set_values({k: v for k, v in draft.items() if k in self._initial})
            self._restored = True
            note = _("Your unsaved draft was restored.")
            self.query_one("#form-note", Static).update(f"{self.note}  {note}".strip())
        if self.main:
            self.query_one(f"#{widget_id(self.main)}").focus()
        self.call_after_refresh(self._mark_ready)

    def _kept_in_memory(self) -> dict[str, Any] | None:
        """A draft the database refused earlier (read-only mode), held by the app."""
        pending = getattr(self.app, "pending_draft", None)
        return pending(self._actor, self.form_id) if callable(pending) else None

    def _mark_ready(self) -> None:
        self._ready = True

    def _can_draft(self) -> bool:
        return (
            self.form_id is not None
            and self._actor is not None
            and (getattr(self._actor, "staff_id", None) is not None)
        )

    # --- values ---------------------------------------------------------------------

    def raw_values(self) -> dict[str, Any]:
        """What the form holds now, as typed (strings, bools): the draft's content."""
        out: dict[str, Any] = {}
        for f in self.fields:
            w = self.query_one(f"#{widget_id(f.name)}")
            if isinstance(w, TextArea):
                out[f.name] = w.text
            elif isinstance(w, Checkbox):
                out[f.name] = bool(w.value)
            elif isinstance(w, Select):
                out[f.name] = "" if w.value is Select.NULL else str(w.value)
            elif isinstance(w, Input):
                out[f.name] = w.value
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for f in self.fields:
            if f.name not in values:
                continue
            w = self.query_one(f"#{widget_id(f.name)}")
            value = values[f.name]
            if isinstance(w, TextArea):
                w.text = str(value)
            elif isinstance(w, Checkbox):
                w.value = bool(value)
            elif isinstance(w, Select):
                w.value = value if value else Select.NULL
            elif isinstance(w, Input):
                w.value = str(value)

    def typed_values(self) -> dict[str, Any]:
        """The values for ``submit``: times parsed (ValidationError names the field)."""
        raw = self.raw_values()
        app: Any = self.app
        now = app.clock.now()
        out: dict[str, Any] = {}
        for f in self.fields:
            value = raw[f.name]
            out[f.name] = parse_time(value, now, f.name) if f.kind == "time" else value
        return out

    @property
    def dirty(self) -> bool:
        """Something was typed (or a draft restored) that is not saved yet."""
        return self._restored or self.raw_values() != self._initial

    # --- drafts ----------------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if not self._ready or not self._can_draft():
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _clear_field_error(self, event: Message) -> None:
        """A field changed: the error shown under it is out of date."""
        widget = getattr(event, "control", None)
        wid = getattr(widget, "id", None) or ""
        name = wid.removeprefix("field-")
        if not self._ready or not wid.startswith("field-"):
            return
        for w in self.query(f"#error-{name}").results(Static):
            if not w.has_class("-empty"):
                w.update("")
                w.add_class("-empty")

    def refresh_language(self) -> None:
        """Ctrl+T: the labels of the fields in the new language."""
        for f, label in zip(self.fields, self.query(FieldLabel).results(FieldLabel), strict=False):
            label.update(Text(_(f.label) + (" *" if f.required else "")))

    def save_draft(self) -> None:
        """Keep what is typed as the person's draft (the app calls this before locking)."""
        if not self._can_draft() or not self.is_attached:
            return
        assert self.form_id is not None
        values = self.raw_values()
        try:
            if self.dirty:
                drafts.save(self._actor, self.form_id, values)
            else:
                drafts.discard(self._actor, self.form_id)
        except StorageError:
            # Busy, full or read-only: the draft stays in memory and is written when
            # writing works again (the app's minute tick).
            keep = getattr(self.app, "keep_draft", None)
            if callable(keep) and self.dirty:
                keep(self._actor, self.form_id, values)
            return
        forget = getattr(self.app, "forget_draft", None)
        if callable(forget):
            forget(self._actor, self.form_id)

    def _discard_draft(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._can_draft():
            assert self.form_id is not None
            forget = getattr(self.app, "forget_draft", None)
            if callable(forget):
                forget(self._actor, self.form_id)
            with contextlib.suppress(StorageError):  # a stale draft is harmless
                drafts.discard(self._actor, self.form_id)

    # --- messages --------------------------------------------------------------------

    def clear_errors(self) -> None:
        for w in self.query(".field-error").results(Static):
            w.update("")
            w.add_class("-empty")
        self.query_one("#form-error", Static).update("")

    def show_error(self, field: str | None, message: str) -> None:
        """Show ``message`` under ``field`` (or at the bottom when it names none)."""
        names = {f.name for f in self.fields}
        if field in names:
            w = self.query_one(f"#error-{field}", Static)
            w.update(message)
            w.remove_class("-empty")
            self.query_one(f"#{widget_id(field)}").focus()
        else:
            self.query_one("#form-error", Static).update(message)

    # --- actions ---------------------------------------------------------------------

    def action_save(self) -> None:
        self._busy_deadline = None
        self._try_save()

    def _try_save(self) -> None:
        if not self.is_attached:
            return
        self.clear_errors()
        try:
            result = self.submit(self.typed_values())
        except ValidationError as exc:
            self.show_error(exc.field, exc.translated())
            return
        except DatabaseBusy as exc:
            # Another desk's write holds the lock: try again, saying so, within the
            # app's budget; then a clear message, the form (and its draft) as typed.
            app: Any = self.app
            now = time.monotonic()
            if self._busy_deadline is None:
                self._busy_deadline = now + float(getattr(app, "busy_budget_seconds", 20.0))
            if now < self._busy_deadline:
                self.show_error(None, _("Another desk is saving, retrying…"))
                self.set_timer(0.1, self._try_save)
                return
            self._busy_deadline = None
            self.show_error(None, f"{exc.translated()} {_(DRAFT_KEPT)}")
            self.save_draft()
            return
        except StorageError as exc:
            self.show_error(None, f"{exc.translated()} {_(DRAFT_KEPT)}")
            self.save_draft()
            self.refresh_live()  # the read-only banner, now
            return
        except ConnectionLost as exc:
            # The site server is away: the draft goes to the local file now (not only
            # at the lock), and the same Ctrl+S saves it once the server is back.
            self.show_error(None, f"{exc.translated()} {_(DRAFT_KEPT)}")
            self.save_draft()
            return
        except DutyDeskError as exc:
            self.show_error(None, exc.translated())
            return
        self._discard_draft()
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.dirty:
            self._discard_draft()
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self._discard_draft()
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(_("Drop what you typed in this form?")), answered)

    def refresh_live(self) -> None:
        for bar in self.query(DeskBar):
            bar.refresh()
        for banner in self.query(AlertBanner):
            banner.refresh_alerts()
