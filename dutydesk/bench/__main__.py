"""``python -m dutydesk.bench _child …``: a measuring child (:mod:`dutydesk.bench.child`).
The bench itself is run with ``dutydesk bench``."""

import sys

from dutydesk.bench.child import child_main

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        raise SystemExit(child_main(sys.argv[2:]))
    raise SystemExit("use: dutydesk bench")
