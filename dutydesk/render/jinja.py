"""The Jinja2 environment shared by the HTML page and the SVG charts.

Its own module so that :mod:`.html` (which places charts in the page) and
:mod:`.svg` (which renders a chart's template) both import it from below, not
each other.
"""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dutydesk.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
