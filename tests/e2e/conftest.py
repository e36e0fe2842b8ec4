"""Browser journeys: Playwright driving the machine's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)  # the first page of a worker also loads the URLconf
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Any, username: str, password: str, language: str = "en") -> None:
    """Sign in through the form, its labels read in ``language`` (the one the browser asks for)."""
    page.goto("/accounts/login/")
    page.get_by_label(translated(language, "Username")).fill(username)
    page.get_by_label(translated(language, "Password")).fill(password)
    page.get_by_role("button", name=translated(language, "Sign in")).click()
    page.wait_for_load_state()


def speak(page: Any, language: str) -> None:
    """Make the browser ask for ``language`` (Accept-Language), as a visitor's browser set to it does."""
    page.context.set_extra_http_headers({"Accept-Language": language})


def translated(language: str, text: str, **values: Any) -> str:
    """``text`` as the app shows it in ``language``: the catalogue's translation, with ``values`` put in."""
    from django.utils import translation

    with translation.override(language):
        shown = translation.gettext(text)
    return shown % values if values else shown


def field_label(language: str, model: Any, name: str) -> str:
    """The label a model form gives the field ``name`` in ``language`` (its verbose name, capitalised)."""
    from django.utils import translation
    from django.utils.text import capfirst

    with translation.override(language):
        return str(capfirst(model._meta.get_field(name).verbose_name))


def assert_accessible(page: Any) -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the current page and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    )
    violations = results.response["violations"]
    assert not violations, "\n".join(
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
