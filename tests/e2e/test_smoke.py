from typing import Any

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def test_signed_in_person_sees_their_coalitions_and_not_others(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    assert page.get_by_role("heading", name="Your coalitions").is_visible()
    assert page.get_by_role("link", name="Coalition A").is_visible()
    assert page.get_by_text("Coalition B").count() == 0
    assert_accessible(page)
