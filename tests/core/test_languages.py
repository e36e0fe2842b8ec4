"""Languages: the header's switcher changes the language, pages render in French and right to left in Arabic,
and figures and money are written the way the active language writes them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.templatetags.formatting import money
from coalition.measurement.presenters import display

NBSP = "\N{NO-BREAK SPACE}"


def _html_tag(page: Any) -> str:
    return re.search(r"<html[^>]*>", page.content.decode()).group(0)


def test_the_switcher_is_in_the_header_for_anyone_with_every_language(client: Client) -> None:
    page = client.get(reverse("accounts:login"))
    header = page.content.decode().split("</header>")[0]
    assert f'action="{reverse("set_language")}"' in header and 'name="csrfmiddlewaretoken"' in header
    assert re.findall(r'<option value="(\w+)"', header) == ["en", "fr", "es", "ar"]
    assert "français" in header and "العربيّة" in header  # each language in its own words


def test_the_switcher_changes_the_language_and_returns_to_the_page(world: Any) -> None:
    client = world.client_for(world.member)
    overview = reverse("coalitions:overview", args=[world.coalition.pk])
    answer = client.post(reverse("set_language"), {"language": "fr", "next": overview})
    assert answer.status_code == 302 and answer["Location"] == overview
    page = client.get(overview)
    assert _html_tag(page) == '<html lang="fr" dir="ltr">'
    assert "Aller au contenu" in page.content.decode() and "Skip to content" not in page.content.decode()
    assert client.post(reverse("set_language"), {"language": "en", "next": overview}).status_code == 302
    assert "Skip to content" in client.get(overview).content.decode()


def test_a_page_renders_in_french_for_a_browser_that_asks_for_it(world: Any) -> None:
    page = world.client_for(world.hub).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    content = page.content.decode()
    assert _html_tag(page) == '<html lang="fr" dir="ltr">'
    for french in ("Vos coalitions", "Se déconnecter", "Changer de langue", "co-concevoir, agir, mesurer"):
        assert french in content


def test_arabic_pages_are_right_to_left(world: Any) -> None:
    page = world.client_for(world.hub).get(
        reverse("coalitions:overview", args=[world.coalition.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'


def test_money_is_grouped_with_two_decimals_in_the_active_language() -> None:
    with translation.override("en"):
        assert money(Decimal("1234.5"), "EUR") == f"1,234.50{NBSP}EUR"
        assert money(Decimal("1234567"), "") == "1,234,567.00"
        assert money(None, "EUR") == "—"
    with translation.override("fr"):
        assert money(Decimal("1234.5"), "EUR") == f"1{NBSP}234,50{NBSP}EUR"
        assert money(Decimal("-0.5"), "XOF") == f"-0,50{NBSP}XOF"


def test_figures_follow_the_active_language() -> None:
    with translation.override("en"):
        assert display(Decimal("1234.5")) == "1,234.50"
        assert display(Decimal("36.0000")) == "36"
    with translation.override("fr"):
        assert display(Decimal("1234.5")) == f"1{NBSP}234,50"
        assert display(Decimal("36.0000")) == "36"


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_french_money_reads_back_as_the_amount(amount: Decimal) -> None:
    with translation.override("fr"):
        shown = money(amount, "EUR")
    figure, currency = shown.rsplit(NBSP, 1)
    assert currency == "EUR"
    assert Decimal(figure.replace(NBSP, "").replace(",", ".")) == amount
    assert re.fullmatch(r"-?\d{1,3}(\xa0\d{3})*,\d\d", figure)


def test_drawings_keep_a_decimal_point_in_french(world: Any) -> None:
    """SVG coordinates are numbers for the browser, not text for people: never localised (``12,5`` breaks them)."""
    page = world.client_for(world.hub).get(
        reverse("stakeholders:grid", args=[world.coalition.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    svg = page.content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    coordinates = re.findall(r'\s(?:x|y|cx|cy|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates), coordinates
    assert "Grille pouvoir / intérêt" in svg
