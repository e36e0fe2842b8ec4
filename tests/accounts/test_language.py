"""A person's language: chosen on their own page or with the header's switcher, applied when they sign in, and
used for every email written to them. The expected French texts are copied from the French catalogue by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coalition.accounts import actions
from coalition.accounts.models import Profile
from coalition.coalitions import actions as coalition_actions
from coalition.core.models import AuditEvent
from coalition.meetings import notices
from coalition.notifications import delivery
from coalition.notifications.events import raise_event
from coalition.notifications.models import Notification
from tests import factories

CANCELLED = {"meeting_id": 0, "coalition": "Riverside", "meeting": "Steering group", "when": "1 June"}
FRENCH_SUBJECT = "Riverside : Steering group du 1 June est annulée"
ENGLISH_SUBJECT = "Riverside: Steering group on 1 June is cancelled"


@pytest.fixture
def people(db: Any) -> tuple[Any, Any, Any]:
    """Someone who chose French, someone who chose English, someone who chose nothing."""
    french, english, unset = (factories.make_user(name) for name in ("marie", "mary", "max"))
    actions.do_set_language(french, "fr")
    actions.do_set_language(english, "en")
    return french, english, unset


def _cancel(recipients: list[Any]) -> None:
    """Raise the event; the test's transaction never commits, so nothing goes until a delivery run."""
    raise_event(
        notices.MEETING_CANCELLED,
        key=f"{notices.MEETING_CANCELLED}:0",
        payload=CANCELLED,
        url="/c/1/meetings/",
        recipients=[user.pk for user in recipients],
    )


def test_the_choice_is_kept_audited_and_checked(people: tuple[Any, Any, Any]) -> None:
    french, _english, unset = people
    assert Profile.objects.get(user=french).language == "fr"
    assert not Profile.objects.filter(user=unset).exists()
    event = AuditEvent.objects.get(verb="accounts.language_changed", object_id=str(french.pk))
    assert (event.before, event.after) == ({"language": ""}, {"language": "fr"})
    actions.do_set_language(french, "fr")  # no change, no second event
    assert AuditEvent.objects.filter(verb="accounts.language_changed", object_id=str(french.pk)).count() == 1
    with pytest.raises(ValidationError):
        actions.do_set_language(french, "de")
    assert Profile.objects.get(user=french).language == "fr"


def test_notifications_are_written_in_each_recipients_language_in_one_run(people: tuple[Any, Any, Any]) -> None:
    french, english, unset = people
    _cancel([french, english, unset])
    assert Notification.objects.get(recipient=french).subject == FRENCH_SUBJECT  # the in-app list too
    assert delivery.deliver_pending() == 3
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent[french.email].subject == FRENCH_SUBJECT
    assert "Steering group prévue le 1 June n’aura pas lieu." in sent[french.email].body
    assert "Ouvrez-le dans Coalition :" in sent[french.email].body
    for other in (english, unset):
        assert sent[other.email].subject == ENGLISH_SUBJECT
        assert "Open it in Coalition:" in sent[other.email].body and "Ouvrez" not in sent[other.email].body


def test_the_weekly_digest_is_written_in_the_recipients_language(people: tuple[Any, Any, Any]) -> None:
    french, english, _unset = people
    _cancel([french, english])
    Notification.objects.update(status=Notification.Status.DIGEST, created_at=timezone.now())
    assert delivery.send_digests() == 2
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        french.email: "Votre semaine dans Coalition : 1 nouvelles",
        english.email: "Your week in Coalition: 1 updates",
    }


def test_an_invitation_follows_the_invitees_language_else_the_inviters(
    world: Any, people: tuple[Any, Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    french, _english, _unset = people

    def invite(actor: Any, email: str) -> str:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            coalition_actions.do_invite_member(
                actor, world.coalition, email=email, roles=["member"], base_url="http://testserver/"
            )
        return mail.outbox[0].subject

    name = world.coalition.name
    assert invite(world.hub, french.email) == f"Vous êtes invité·e à rejoindre {name}"
    assert invite(world.hub, "nobody@example.org") == f"You are invited to join {name}"
    actions.do_set_language(world.hub, "fr")
    assert invite(world.hub, "someone@example.org") == f"Vous êtes invité·e à rejoindre {name}"


def test_a_password_reset_is_written_in_the_account_holders_language(
    client: Client, people: tuple[Any, Any, Any]
) -> None:
    french, english, _unset = people
    for person in (french, english):
        client.post(reverse("accounts:password_reset"), {"email": person.email}, HTTP_ACCEPT_LANGUAGE="en")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        french.email: "Réinitialisez votre mot de passe Coalition",
        english.email: "Reset your Coalition password",
    }


def _html_lang(page: Any) -> str:
    return page.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_choice_applies_at_sign_in_whatever_the_browser_asks(people: tuple[Any, Any, Any]) -> None:
    french, _english, unset = people
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    answer = client.post(reverse("accounts:login"), {"username": french.username, "password": factories.PASSWORD})
    assert answer.status_code == 302 and answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert _html_lang(client.get(reverse("accounts:account"))) == "fr"
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    answer = other.post(reverse("accounts:login"), {"username": unset.username, "password": factories.PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies
    assert _html_lang(other.get(reverse("accounts:account"))) == "en"


def test_the_own_page_and_the_header_switcher_record_the_choice(people: tuple[Any, Any, Any]) -> None:
    _french, _english, unset = people
    client = Client()
    client.force_login(unset)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'action="{}"'.format(reverse("accounts:language")) in page
    answer = client.post(reverse("accounts:language"), {"language": "es"})
    assert answer.status_code == 302 and answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert Profile.objects.get(user=unset).language == "es"
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert Profile.objects.get(user=unset).language == "fr"
    client.post(reverse("accounts:language"), {"language": ""})
    assert Profile.objects.get(user=unset).language == ""
    assert client.post(reverse("accounts:language"), {"language": "de"}).status_code == 302
    assert Profile.objects.get(user=unset).language == ""


def test_the_switcher_still_works_for_a_visitor(client: Client, db: Any) -> None:
    answer = client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"})
    assert answer.status_code == 302 and answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert not Profile.objects.exists()


def test_a_lazy_value_in_the_payload_is_written_in_each_recipients_language(people: tuple[Any, Any, Any]) -> None:
    french, english, _unset = people
    raise_event(
        notices.MEETING_CANCELLED,
        key=f"{notices.MEETING_CANCELLED}:0",
        payload={**CANCELLED, "when": gettext_lazy("Spanish")},
        recipients=[french.pk, english.pk],
    )
    subjects = dict(Notification.objects.values_list("recipient_id", "subject"))
    assert subjects == {
        french.pk: "Riverside : Steering group du Espagnol est annulée",
        english.pk: "Riverside: Steering group on Spanish is cancelled",
    }
