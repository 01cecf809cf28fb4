"""HTML for print: Jinja2 templates shipped in the package, autoescaped.

Printed on A4 from a browser or headless Chromium: ``@page`` sets the size and
margins and puts "page / pages" in the bottom margin box (Chromium ≥ 131 prints
margin boxes; an older one prints its own header and footer with the page
numbers instead, unless told ``--no-pdf-header-footer``). Table headers repeat
on every page (``thead``), sections marked so start on a new page, and the
fonts name the CJK faces a Chinese office PC or a Linux box has.
"""

from __future__ import annotations

from markupsafe import Markup

from dutydesk.render.document import Chart, Document, Pairs, Para, SignLines, Table
from dutydesk.render.jinja import environment
from dutydesk.render.svg import render_svg

__all__ = ["FONT_STACK", "css_string", "environment", "html_lang", "render_html"]

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside ``<style>`` (where HTML
    escapes are not decoded)."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def html_lang(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en"


def render_html(doc: Document) -> str:
    """The document as one self-contained printable HTML page."""
    before, _sep, after = doc.page_label.partition("{page}")
    middle, _sep2, end = after.partition("{pages}")
    return (
        environment()
        .get_template("document.html.j2")
        .render(
            doc=doc,
            lang=html_lang(doc.lang),
            font_stack=FONT_STACK,
            page_parts=(before, middle, end),
            chart=render_svg,
            css_string=css_string,
            is_table=lambda b: isinstance(b, Table),
            is_para=lambda b: isinstance(b, Para),
            is_pairs=lambda b: isinstance(b, Pairs),
            is_chart=lambda b: isinstance(b, Chart),
            is_sign=lambda b: isinstance(b, SignLines),
        )
    )
