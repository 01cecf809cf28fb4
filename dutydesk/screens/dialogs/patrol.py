"""The dialogs of the F3 checklist: a reading (``r``) and a linked correction (``c``).

Each is a :class:`MarkDialog`, a ``ModalScreen`` that dismisses with the
:class:`~dutydesk.domain.patrols.MarkResult` of the saved mark, or None when
nothing was saved (Esc).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from dutydesk.domain import patrols
from dutydesk.domain.patrols import CheckInfo, CheckpointKind, CheckResult, MarkResult
from dutydesk.errors import DutyDeskError
from dutydesk.i18n import N_, _
from dutydesk.widgets.form import FormKeyBar
from dutydesk.widgets.literal import literal
from dutydesk.widgets.patrol_marks import expected_text, mark_text, num


class MarkDialog(ModalScreen[MarkResult | None]):
    """A small box of labelled inputs for one check; each input has its message line.

    Enter moves to the next input and saves on the last; Ctrl+S saves; Esc cancels.
    A refusal from the domain is shown next to the input it names and everything
    typed stays as it was.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="mark.save", tooltip=N_("Save the mark")),
        Binding("escape", "cancel", N_("Back"), id="mark.back", tooltip=N_("Back, nothing saved")),
    ]
    """Keys of a mark dialog: save, back."""

    # (input id, label msgid) in reading order; the domain's field names are the ids.
    INPUTS: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, check: CheckInfo) -> None:
        super().__init__()
        self.check = check

    def inputs(self) -> list[tuple[str, str]]:
        return self.INPUTS

    def title_text(self) -> Text:
        return Text()

    def side_text(self, field: str) -> Text:
        return Text()

    def make_input(self, field: str) -> Any:
        return Input(id=field)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text(), classes="mark-title")
            for field, label in self.inputs():
                with Horizontal(classes="mark-row", id=f"row-{field}"):
                    yield Label(_(label), classes="mark-label")
                    yield self.make_input(field)
                    yield Static(self.side_text(field), classes="mark-side", id=f"side-{field}")
                yield Static("", markup=False, id=f"error-{field}", classes="mark-error -empty")
            yield Static("", markup=False, id="error-", classes="mark-error -empty")
        yield FormKeyBar()

    def on_mount(self) -> None:
        self.query_one(f"#{self.inputs()[0][0]}").focus()

    def value(self, field: str) -> str:
        widget = self.query_one(f"#{field}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        return self.query_one(f"#{field}", Input).value

    def clear_errors(self) -> None:
        for widget in self.query(".mark-error").results(Static):
            widget.update("")
            widget.add_class("-empty")

    def show_error(self, field: str | None, message: str) -> None:
        ids = [f for f, _label in self.inputs()]
        target = field if field in ids else ""
        error = self.query_one(f"#error-{target}", Static)
        error.update(message)
        error.remove_class("-empty")
        if target:
            self.query_one(f"#{target}").focus()
        self.app.bell()

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f for f, _label in self.inputs() if self.query_one(f"#row-{f}").display]
        current = event.input.id or ""
        if current in ids and ids.index(current) < len(ids) - 1 and self.enter_moves_on(current):
            self.query_one(f"#{ids[ids.index(current) + 1]}").focus()
            return
        self.action_save()

    def enter_moves_on(self, field: str) -> bool:
        return True

    def save(self) -> MarkResult:
        raise NotImplementedError

    def action_save(self) -> None:
        self.clear_errors()
        try:
            result = self.save()
        except DutyDeskError as exc:
            self.show_error(exc.field, exc.translated())
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReadingDialog(MarkDialog):
    """``r``: a reading (or a count) with its unit, the previous shift's value beside it.

    Enter on an in-range value saves at once; out of range, the value is flagged
    and the note is asked for (EN-8.3.3). A value that is not a number or has the
    wrong unit is refused next to the field, as typed.
    """

    INPUTS: ClassVar[list[tuple[str, str]]] = [("value", N_("Value")), ("note", N_("Note"))]

    def title_text(self) -> Text:
        cp = self.check.checkpoint
        text = Text()
        text.append(_("Reading") + ": ", style="bold")
        text.append(literal(cp.place, one_line=True, limit=50))
        expected = expected_text(cp)
        if expected:
            text.append("\n" + _("normal: {range}", range=expected))
        return text

    def make_input(self, field: str) -> Any:
        if field == "value":
            unit = self.check.checkpoint.unit
            return Input(id="value", placeholder=_("number, e.g. 72 {unit}", unit=unit).strip())
        return Input(id="note", placeholder=_("needed when out of range"))

    def side_text(self, field: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if field == "value":
            text.append(self.check.checkpoint.unit + "  ")
            p = self.check.previous
            if p is None:
                text.append(_("no previous value"), style="dim")
            else:
                text.append(_("previous:") + " ")
                text.append(f"{num(p.value)} {p.unit}".rstrip(), style="bold")
                if p.out_of_range:
                    text.append(" ⚠", style="bold red")
        return text

    @on(Input.Changed, "#value")
    def _flag(self, event: Input.Changed) -> None:
        """Flag an out-of-range value while it is typed (nothing is saved yet)."""
        try:
            reading = patrols.check_reading(self.check.id, event.value)
        except DutyDeskError:
            reading = None
        line = self.query_one("#error-value", Static)
        if reading is not None and reading.out_of_range:
            expected = expected_text(self.check.checkpoint)
            if self.check.checkpoint.kind == CheckpointKind.COUNT:
                flag = _("not as expected ({range}): add a note", range=expected)
            else:
                flag = _("out of range {range}: add a note", range=expected)
            line.update(Text("⚠ " + flag, style="bold red"))
            line.remove_class("-empty")
        else:
            line.update("")
            line.add_class("-empty")

    def enter_moves_on(self, field: str) -> bool:
        """Enter on the value saves unless the value is out of range (then the note)."""
        if field != "value":
            return True
        try:
            reading = patrols.check_reading(self.check.id, self.value("value"))
        except DutyDeskError:
            return False  # save() shows the refusal next to the field
        return reading.out_of_range and not self.value("note").strip()

    def save(self) -> MarkResult:
        app: Any = self.app
        return patrols.mark_reading(
            app.actor, self.check.id, self.value("value"), self.value("note")
        )


class CorrectionDialog(MarkDialog):
    """``c``: a linked correction of a finished round's check, with a reason (never an edit)."""

    def __init__(self, check: CheckInfo) -> None:
        super().__init__(check)
        self.takes_value = check.checkpoint.kind in patrols.VALUE_KINDS
        inputs = [("reason", N_("Reason")), ("result", N_("New mark"))]
        if self.takes_value:
            inputs.append(("value", N_("Value")))
        inputs.append(("note", N_("Note")))
        self._inputs = inputs

    def inputs(self) -> list[tuple[str, str]]:
        return self._inputs

    def title_text(self) -> Text:
        cp = self.check.checkpoint
        text = Text()
        text.append(_("Correct") + ": ", style="bold")
        text.append(literal(cp.place, one_line=True, limit=50))
        text.append("\n" + _("now:") + " ")
        text.append(mark_text(self.check, 40))
        return text

    def make_input(self, field: str) -> Any:
        if field == "result":
            choices: list[tuple[str, str]] = [(CheckResult.PROBLEM, N_("problem"))]
            if self.takes_value:
                choices.insert(0, (self.check.checkpoint.kind, N_("value")))
            else:
                choices.insert(0, (CheckResult.OK, N_("OK")))
            return Select(
                [(_(label), code) for code, label in choices],
                id="result",
                value=choices[0][0],
                allow_blank=False,
                compact=True,
            )
        if field == "value":
            return Input(id="value", placeholder=self.check.checkpoint.unit)
        return Input(id=field)

    def save(self) -> MarkResult:
        app: Any = self.app
        result = self.value("result")
        return patrols.correct_check(
            app.actor,
            self.check.id,
            result,
            reason=self.value("reason"),
            text=self.value("value") if self.takes_value else None,
            note=self.value("note"),
        )
