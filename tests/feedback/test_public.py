"""The no-account side: stored rows and logs of an anonymous submission identify nobody; a wrong or guessed code
reads nothing; the form is throttled per address, refuses oversized text and shows markup as text."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.feedback import actions, public_views
from coalition.feedback.models import Feedback, Status
from tests.feedback import builders

SECRET_TEXT = "The bus stop on Elm Road floods-7f3a9"
CODE = re.compile(rb'id="tracking-code">([A-Za-z0-9_-]{20,})<')


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _form_url(world: Any) -> str:
    return reverse("feedback_public:form", args=[actions.settings_for(world.coalition).public_key])


def _submit(client: Client, url: str, text: str = SECRET_TEXT, **extra: Any) -> Any:
    data = {"topic": "environment", "text": text, **extra}
    return client.post(
        url,
        data,
        REMOTE_ADDR=extra.pop("address", "203.0.113.9"),
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 9; Nokia 2.2) Feature-Phone-UA-91",
    )


def _stored_columns(pk: int) -> dict[str, Any]:
    """Every column of the stored row, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_feedback WHERE id = %s", [pk])
        row = cursor.fetchone()
        names = [c[0] for c in cursor.description]
    return dict(zip(names, row, strict=True))


def _all_stored_values(pk: int) -> str:
    return repr(_stored_columns(pk))


def test_an_anonymous_submission_stores_and_logs_nothing_that_identifies_the_sender(
    world: Any, caplog: pytest.LogCaptureFixture
) -> None:
    url = _form_url(world)
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.force_login(world.member)  # even a signed-in member using the public form is not recorded
    response = _submit(client, url, address="198.51.100.77")
    assert response.status_code == 200
    code = CODE.search(response.content).group(1).decode()  # type: ignore[union-attr]
    tracked = client.post(reverse("feedback_public:track"), {"code": code}, REMOTE_ADDR="198.51.100.77")
    assert SECRET_TEXT.encode() in tracked.content
    row = Feedback.objects.get()
    stored = _all_stored_values(row.pk)
    for identifying in (
        "198.51.100.77",
        "Nokia",
        "Feature-Phone",
        code,
        world.member.username,
    ):
        assert identifying not in stored, identifying
    # No column other than the row's own random id holds the member's or their membership's id.
    columns = {k: v for k, v in _stored_columns(row.pk).items() if k != "id"}
    member_ids = {world.member.pk, *world.member.memberships.values_list("pk", flat=True)}
    assert not [k for k, v in columns.items() if isinstance(v, int) and not isinstance(v, bool) and v in member_ids]
    assert row.author_id is None and row.received_on == dt.date.today()
    assert not [
        f.name for f in Feedback._meta.fields if f.get_internal_type() in ("DateTimeField", "GenericIPAddressField")
    ]
    assert not AuditEvent.objects.filter(object_type="feedback.feedback").exists()
    logged = "\n".join(f"{r.name} {r.getMessage()} {getattr(r, 'actor', '')}" for r in caplog.records)
    assert SECRET_TEXT not in logged and code not in logged and "198.51.100.77" not in logged


def test_the_code_never_travels_in_an_address(world: Any) -> None:
    response = _submit(Client(), _form_url(world))
    code = CODE.search(response.content).group(1).decode()  # type: ignore[union-attr]
    assert Client().get(reverse("feedback_public:track"), {"code": code}).content.count(SECRET_TEXT.encode()) == 0
    assert "no-store" in response["Cache-Control"]


def test_a_wrong_or_guessed_code_reads_nothing(world: Any) -> None:
    _made, code = actions.do_submit_feedback(world.coalition, channel="public_form", topic="other", text=SECRET_TEXT)
    client = Client()
    guesses = [code[:-1] + ("x" if code[-1] != "x" else "y"), code.upper(), "1", str(_made.pk), "' OR 1=1 --"]
    for guess in guesses:
        response = client.post(reverse("feedback_public:track"), {"code": guess})
        assert response.status_code == 200
        assert SECRET_TEXT.encode() not in response.content
        assert b"No feedback has this code" in response.content


def test_the_submitter_reads_the_answer_and_what_changed(world: Any) -> None:
    made, code = actions.do_submit_feedback(world.coalition, channel="public_form", topic="other", text="Dark park")
    actions.do_answer_feedback(world.hub, made, answer="We called the council.")
    actions.do_close_feedback(world.hub, made, what_changed="New lamps installed.")
    page = Client().post(reverse("feedback_public:track"), {"code": code}).content.decode()
    assert "We called the council." in page and "New lamps installed." in page and str(Status.CLOSED.label) in page


def test_one_address_is_throttled_after_the_limit_and_nothing_more_is_stored(world: Any) -> None:
    url = _form_url(world)
    client = Client()
    statuses = [_submit(client, url, text=f"note {i}", address="192.0.2.1").status_code for i in range(100)]
    assert statuses[: public_views.SUBMIT_LIMIT] == [200] * public_views.SUBMIT_LIMIT
    assert set(statuses[public_views.SUBMIT_LIMIT :]) == {429}
    assert Feedback.objects.count() == public_views.SUBMIT_LIMIT
    # another address is not held back
    assert _submit(client, url, text="other", address="192.0.2.2").status_code == 200


def test_the_throttle_keeps_no_address_in_the_database_or_the_cache_keys(world: Any) -> None:
    _submit(Client(), _form_url(world), address="192.0.2.55")
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("192.0.2.55" in str(k) for k in keys)


def test_oversized_text_is_refused_and_stores_nothing(world: Any) -> None:
    response = _submit(Client(), _form_url(world), text="x" * 4001)
    assert response.status_code == 400
    huge = _submit(Client(), _form_url(world), text="y" * 40_000, address="192.0.2.3")
    assert huge.status_code == 413
    assert not Feedback.objects.exists()


def test_markup_is_shown_as_text(world: Any) -> None:
    made, code = actions.do_submit_feedback(
        world.coalition, channel="public_form", topic="other", text='<script>alert("x")</script><b>bold</b>'
    )
    page = Client().post(reverse("feedback_public:track"), {"code": code}).content
    assert b"<script>alert" not in page and b"&lt;script&gt;" in page
    hub_page = world.client_for(world.hub).get(reverse("feedback:item", args=[world.coalition.pk, made.pk])).content
    assert b"<b>bold</b>" not in hub_page


def test_the_honeypot_stores_nothing(world: Any) -> None:
    response = _submit(Client(), _form_url(world), website="http://spam.example")
    assert response.status_code == 200 and not Feedback.objects.exists()


def test_contact_details_kept_only_with_consent_through_the_form(world: Any) -> None:
    _submit(Client(), _form_url(world), contact_email="me@example.org")
    assert Feedback.objects.get().contact_email == ""


def test_a_closed_form_takes_nothing_and_an_unknown_key_is_404(world: Any) -> None:
    actions.do_update_settings(world.hub, world.coalition, public_form_open=False, min_answers=5)
    assert _submit(Client(), _form_url(world)).status_code == 200
    assert not Feedback.objects.exists()
    assert Client().get(reverse("feedback_public:form", args=["nope"])).status_code == 404


def test_you_said_we_did_shows_chosen_closed_items_only(world: Any) -> None:
    shown = builders.feedback(world.coalition, text="raw words of a resident")
    actions.do_answer_feedback(world.hub, shown, answer="ok")
    actions.do_close_feedback(
        world.hub, shown, what_changed="Benches added.", on_public_page=True, public_summary="More places to sit"
    )
    hidden = builders.feedback(world.coalition)
    actions.do_answer_feedback(world.hub, hidden, answer="ok")
    actions.do_close_feedback(world.hub, hidden, what_changed="Private matter settled.")
    key = actions.settings_for(world.coalition).public_key
    page = Client().get(reverse("feedback_public:you_said_we_did", args=[key])).content.decode()
    assert "More places to sit" in page and "Benches added." in page
    assert "Private matter settled." not in page and "raw words of a resident" not in page
