"""Developer tool: append translations to one area's ``.po`` file.

    python -m dutydesk.i18n.addpo AREA FILE.py

``FILE.py`` defines a dict ``T = {"English msgid": "中文", ...}``; entries already
in ``catalogues/zh_CN/AREA.po`` are replaced, the rest appended, and the
``.mo`` rebuilt. (Babel's own tools do the reading and writing.)
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from dutydesk.i18n import build


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    area, source = argv
    path = build.CATALOGUES / f"{area}.po"
    if path.exists():
        with path.open("rb") as fh:
            cat = read_po(fh, locale="zh_CN")
    else:
        cat = Catalog(locale="zh_CN", domain="dutydesk", project="DutyDesk")
    for msgid, text in runpy.run_path(source)["T"].items():
        cat.add(msgid, text)
    with path.open("wb") as fh:
        write_po(fh, cat, width=0, sort_output=True, omit_header=False)
    return build.main([])


if __name__ == "__main__":
    raise SystemExit(main())
