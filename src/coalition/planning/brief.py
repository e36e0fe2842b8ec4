"""The one-page priorities brief as PDF (WeasyPrint), shrunk step by step until it fits on one page."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

# Base font sizes tried in turn; the first that fits the content on one A4 page wins.
FONT_STEPS_PT = (10.5, 9.5, 8.5, 7.5, 6.5)


def render_pdf(context: dict[str, Any], base_url: str) -> tuple[bytes, int]:
    """(PDF bytes, page count). The page count is 1 unless even the smallest type overflows."""
    html = HTML(string=render_to_string("planning/brief_document.html", context), base_url=base_url)
    stylesheet = CSS(filename=finders.find("planning/brief.css"))
    document = None
    for size in FONT_STEPS_PT:
        document = html.render(stylesheets=[stylesheet, CSS(string=f":root {{ font-size: {size}pt; }}")])
        if len(document.pages) == 1:
            break
    assert document is not None
    return document.write_pdf(), len(document.pages)
