"""The priorities brief: a printable page and a one-page PDF with the shared indicators."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from coalition.planning import queries
from coalition.planning.brief import render_pdf
from tests.planning.factories import make_indicator, make_priority, make_published_agenda


def _url(world: Any, name: str) -> str:
    return reverse(f"planning:{name}", args=[world.coalition.pk])


@pytest.fixture
def agreed(world: Any) -> Any:
    priorities = [make_priority(world.coalition, f"Priority number {i}", status="chosen") for i in range(1, 4)]
    indicators = [
        make_indicator(world.coalition, name, unit="children")
        for name in ("Children in after-school clubs", "Pupils reading at grade level", "Families reached")
    ]
    make_published_agenda(world.coalition, priorities=priorities, indicators=indicators)
    return indicators


def test_brief_pdf_is_one_page_and_names_the_shared_indicators(world: Any, agreed: Any) -> None:
    response = world.client_for(world.member).get(_url(world, "brief_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for indicator in agreed:
        assert indicator.name in text
    assert "Priority number 2" in text and "Member Org" in text  # priorities and named partners
    assert "Hana Hub" in text  # the coordinator


def test_a_long_brief_still_fits_on_one_page(world: Any) -> None:
    context = {
        **queries.brief(world.coalition),
        "problem": "A long problem statement. " * 60,
        "priorities": [f"A priority with a fairly long title number {i}" for i in range(12)],
        "partners": [f"Partner organisation {i}" for i in range(40)],
        "generated_on": None,
    }
    _pdf, pages = render_pdf(context, "http://testserver/")
    assert pages == 1


def test_printable_page_shows_the_brief_to_members(world: Any, agreed: Any) -> None:
    page = world.client_for(world.observer).get(_url(world, "brief")).content.decode()
    assert "Pupils reading at grade level" in page and "Download the one-page PDF" in page


@pytest.mark.parametrize(("persona", "expected"), [(None, 302), ("outsider", 404), ("observer", 200)])
def test_who_may_download_the_brief(world: Any, persona: str | None, expected: int) -> None:
    user = getattr(world, persona) if persona else None
    assert world.client_for(user).get(_url(world, "brief_pdf")).status_code == expected
