from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def test_signed_in_person_sees_their_coalitions_and_not_others(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    expect(page.get_by_role("heading", name="Your coalitions")).to_be_visible()
    expect(page.get_by_role("link", name="Coalition A")).to_be_visible()
    assert page.get_by_text("Coalition B").count() == 0
    assert_accessible(page)
