"""The demo coalition has a published public page with several sections showing real content."""

from __future__ import annotations

from html import escape
from typing import Any

import pytest
from django.core.management import call_command

from coalition.coalitions.models import Coalition
from coalition.demo import base
from coalition.public.models import PublicPage
from coalition.stakeholders.models import Stakeholder
from tests.public.builders import visit


@pytest.mark.django_db
def test_the_demo_publishes_a_page_with_several_sections(capsys: Any) -> None:
    call_command("seed_demo")
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    page = PublicPage.objects.get(coalition=coalition)
    assert page.is_published
    html = visit(page)
    shown = [key for key in ("purpose", "members", "indicators", "decisions") if f'id="section-{key}"' in html]
    assert len(shown) >= 4, shown
    listed = Stakeholder.objects.filter(coalition=coalition, listing_agreed_on__isnull=False)
    unlisted = Stakeholder.objects.filter(coalition=coalition, engagement="member", listing_agreed_on__isnull=True)
    assert listed.exists() and unlisted.exists()
    members = html.split('id="section-members"')[1].split("</section>")[0]
    assert all(escape(o.name) in members for o in listed)
    assert not any(escape(o.name) in members for o in unlisted)
