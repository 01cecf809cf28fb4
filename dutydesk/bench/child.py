"""``python -m dutydesk.bench _child …``: the measuring children (see ``__main__``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from dutydesk.bench.measures import queries_child
from dutydesk.bench.screens import bare_child, screens_child


def child_main(argv: Sequence[str]) -> int:
    """``python -m dutydesk.bench _child screens|memory|queries|bare DB RUNS WARMUP``."""
    kind, db, runs, warmup = argv[0], argv[1], int(argv[2]), int(argv[3])
    if kind == "screens":
        out = screens_child(db, runs, warmup, every_screen=False)
    elif kind == "memory":
        out = screens_child(db, 1, 0, every_screen=True)
    elif kind == "queries":
        out = queries_child(db, runs, warmup)
    elif kind == "bare":  # db: the JSON file of F3's tables
        out = bare_child(db, runs, warmup)
    else:
        raise SystemExit(f"unknown bench child {kind}")
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    return 0
