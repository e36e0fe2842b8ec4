"""The one-page learning brief of a pause as PDF (WeasyPrint), shrunk step by step until it fits one A4 page,
built only from what the pause froze (its evidence snapshot, answers and adaptations)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from coalition.learning import calc
from coalition.learning.models import Pause

FONT_STEPS_PT = (10, 9, 8, 7, 6)
MAX_ROWS = 8


def key_figure(row: dict[str, Any]) -> dict[str, Any]:
    """A frozen scorecard row with its trend: the value of the period before (``previous``) and a small line
    through the recent periods (``spark``, SVG points; empty below two known values)."""
    series = row.get("series", [])
    values = [None if value is None else Decimal(value) for _label, value in series]
    earlier = [value for label, value in series if value is not None and label != row.get("period")]
    return {**row, "previous": earlier[-1] if earlier else None, "spark": calc.sparkline(values)}


def context(pause: Pause) -> dict[str, Any]:
    evidence = pause.evidence
    return {
        "pause": pause,
        "coalition": pause.coalition,
        "scorecard": [key_figure(row) for row in evidence.get("scorecard", {}).get("rows", [])[:MAX_ROWS]],
        "spark_size": (calc.WIDTH, calc.HEIGHT),
        "follow_through": evidence.get("follow_through"),
        "network": evidence.get("network"),
        "decisions": evidence.get("decisions", {}).get("rows", [])[:MAX_ROWS],
        "survey": next((r for r in evidence.get("survey_results", {}).get("rounds", []) if r.get("shown")), None),
        "feedback": evidence.get("feedback_summary"),
        "adaptations": list(pause.adaptations.order_by("applied_at", "pk")[:MAX_ROWS]),
        "generated_on": timezone.localdate(),
    }


def render_pdf(pause: Pause, base_url: str) -> tuple[bytes, int]:
    """(PDF bytes, page count). The page count is 1 unless even the smallest type overflows."""
    html = HTML(string=render_to_string("learning/brief_document.html", context(pause)), base_url=base_url)
    stylesheet = CSS(filename=finders.find("planning/brief.css"))
    document = None
    for size in FONT_STEPS_PT:
        document = html.render(stylesheets=[stylesheet, CSS(string=f":root {{ font-size: {size}pt; }}")])
        if len(document.pages) == 1:
            break
    assert document is not None  # noqa: S101 - FONT_STEPS_PT is not empty
    return document.write_pdf(), len(document.pages)
