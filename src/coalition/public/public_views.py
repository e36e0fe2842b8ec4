"""The public page and its feed: no account, no JavaScript, served from the cache (``pages``).

An unpublished page, or an address no page has, answers "not found" alike.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from coalition.public import pages
from coalition.public.models import PublicPage

BROWSER_SECONDS = 300  # browsers and proxies may keep a copy this long


def _page(slug: str) -> PublicPage:
    page = pages.published_page(slug)
    if page is None:
        raise Http404
    return page


@require_GET
@cache_control(public=True, max_age=BROWSER_SECONDS)
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(pages.page_html(_page(slug)))


@require_GET
@cache_control(public=True, max_age=BROWSER_SECONDS)
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    xml = pages.feed_xml(_page(slug), request.build_absolute_uri)
    return HttpResponse(xml, content_type="application/atom+xml; charset=utf-8")
