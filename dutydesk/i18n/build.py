"""Merge the Chinese ``.po`` catalogues and compile ``dutydesk.mo``.

Developer tool (needs Babel, from the test extra)::

    python -m dutydesk.i18n.build          # write the .mo
    python -m dutydesk.i18n.build --check  # exit 1 when the .mo is stale
    python -m dutydesk.i18n.build --missing  # list marked strings without Chinese
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).parent
CATALOGUES = HERE / "catalogues" / "zh_CN"
MO_PATH = HERE / "locale" / "zh_CN" / "LC_MESSAGES" / "dutydesk.mo"


def merged_catalogue() -> Catalog:
    """All ``catalogues/zh_CN/*.po`` as one catalogue; a msgid twice is an error."""
    # Fixed dates: the compiled file must depend only on the translations.
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    merged = Catalog(
        locale="zh_CN",
        domain="dutydesk",
        project="DutyDesk",
        creation_date=fixed,
        revision_date=fixed,
    )
    seen: dict[str, str] = {}
    for po in sorted(CATALOGUES.glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale="zh_CN")
        for msg in cat:
            if not msg.id:
                continue
            msgid = msg.id if isinstance(msg.id, str) else msg.id[0]
            # One English word may need two Chinese ones: a context tells them apart.
            key = f"{msg.context}\x04{msgid}" if msg.context else msgid
            if key in seen:
                earlier = merged.get(msg.id, context=msg.context)
                if earlier is None or earlier.string != msg.string:
                    raise SystemExit(
                        f"{po.name}: {key!r} is already in {seen[key]} with another translation"
                    )
                continue
            seen[key] = po.name
            merged.add(msg.id, msg.string, context=msg.context)
    return merged


def marked_strings() -> dict[str, list[str]]:
    """Every string marked with ``_``, ``N_`` or ``ngettext`` in the package → where."""
    from babel.messages.extract import extract_from_dir

    package = HERE.parent
    found: dict[str, list[str]] = {}
    keywords = {
        "_": None,
        "N_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
    }
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=keywords
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                key = f"{context}\x04{msgid}" if context else msgid
                found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def missing() -> dict[str, list[str]]:
    """Marked strings with no (or an empty) Chinese translation."""
    cat = merged_catalogue()
    out = {}
    for msgid, where in marked_strings().items():
        context, _sep, bare = msgid.rpartition("\x04")
        msg = cat.get(bare, context=context or None)
        if msg is None or not msg.string:
            out[msgid] = where
    return out


def compiled() -> bytes:
    buf = io.BytesIO()
    write_mo(buf, merged_catalogue(), use_fuzzy=False)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--missing" in argv:
        gaps = missing()
        for msgid, where in sorted(gaps.items()):
            print(f"{where[0]}: {msgid!r}")
        return 1 if gaps else 0
    data = compiled()
    if "--check" in argv:
        current = MO_PATH.read_bytes() if MO_PATH.exists() else b""
        if current != data:
            print("dutydesk.mo is stale: run python -m dutydesk.i18n.build", file=sys.stderr)
            return 1
        return 0
    MO_PATH.parent.mkdir(parents=True, exist_ok=True)
    MO_PATH.write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
