"""The F-key strip of the key bar: whole labels when they fit; shortened ones end with
"…" (an abbreviation, not a word cut in two); a key of several characters stands
apart from its label."""

from __future__ import annotations

from dutydesk.widgets.keybar import fit_strip

ITEMS = [
    ("1", "Help"),
    ("2", "Shift"),
    ("3", "Patrol"),
    ("4", "Incidents"),
    ("5", "Handover"),
    ("6", "Logs"),
    ("7", "Roster"),
    ("8", "Reports"),
    ("9", "Admin"),
    ("10", "Acknowledge"),
    ("12", "Lock"),
    ("Ctrl+P ", "Commands"),
    ("Ctrl+Q ", "Quit"),
]


def _line(pairs: list[tuple[str, str]]) -> str:
    return " ".join(k + label for k, label in pairs)


def test_whole_labels_when_they_fit():
    line = _line(fit_strip(ITEMS, 200, optional=2))
    assert "4Incidents" in line and "10Acknowledge" in line and "Ctrl+Q Quit" in line
    assert "…" not in line


def test_at_80_columns_with_f10_shortened_labels_are_marked():
    pairs = fit_strip(ITEMS, 78, optional=2)
    line = _line(pairs)
    assert len(line) <= 78
    assert [k for k, _l in pairs][:11] == [k for k, _l in ITEMS][:11]  # every F-key stays
    for key, label in pairs:
        full = dict(ITEMS)[key]
        assert label == full or (label.endswith("…") and full.startswith(label[:-1]))
