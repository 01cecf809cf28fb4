"""The demo site "示例花园 / Demo Gardens": three desks, fifteen people, and history.

``build_demo`` creates it in its own file (never the real site database) or
reuses one built before. At the moment of creation G01 is on the security shift
that is on now and G02 on the next, E01 and E02 likewise at engineering, C01 at
the service desk; the shift on now at each desk is open, opened by the previous
shift's signed handover. Every demo PIN is 1234 (the only place a trivial PIN is
allowed).

History is written in bulk (``insert_many`` in large transactions, primary keys
computed here) so that ten years (``--days 3650``, the benchmark site) build in
well under three minutes. Bulk history carries no audit events; the few events
written (site set-up, the handovers that opened the current shifts) go through
:func:`dutydesk.domain.audit.record`, in time order, so the chain verifies.

The package: :mod:`.data` (the tables: desks, people, routes, text pools),
:mod:`.site` (where the demo lives, :func:`build_demo`), :mod:`.builder` (set-up
and the timeline), :mod:`.shifts`, :mod:`.patrol` and :mod:`.handover` (what
happens on a shift), :mod:`.base` and :mod:`.bulk` (what they share; rows by
keyword, checked against the model).
"""

from __future__ import annotations

from dutydesk.demo.data import BUILDING, DEMO_MARK, DESKS, SEED, SITE_NAME, STAFF, TEAMS
from dutydesk.demo.site import build_demo, demo_path

__all__ = [
    "BUILDING",
    "DEMO_MARK",
    "DESKS",
    "SEED",
    "SITE_NAME",
    "STAFF",
    "TEAMS",
    "build_demo",
    "demo_path",
]
