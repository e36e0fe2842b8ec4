"""Every write of the listening app: feedback in, triage, answers, closing the loop, survey rounds and answers.

Anonymous feedback and anonymous survey answers write no audit event: an event keeps its actor and the exact
time, which would tie the row to a person or to a moment finer than the day. Everything the hub does to them
(triage, answer, close) is audited as usual.

Nor does the order of the stored rows tell who wrote what. Ids are random, but on PostgreSQL a table keeps rows in
the order they were written (as a dump lists them) and each row carries the transaction that wrote it (``xmin``), the
same transaction as the member's participation marker. So each anonymous write rewrites the rows it hides among in
a random order, in its own transaction (``_rewrite_in_random_order``): every untriaged author-less feedback of the
coalition, or every response of an anonymous round. Afterwards all of them carry the latest transaction and a random
place; once the hub triages an item, its row follows the hub's handling, not its arrival.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core import audit
from coalition.core.permissions import Perm, Role, roles_holding
from coalition.feedback import bank, notices
from coalition.feedback.models import (
    CLOSE_FIELDS,
    TEXT_LIMIT,
    TRIAGE_FIELDS,
    Channel,
    Feedback,
    ListeningSettings,
    QuestionKind,
    RoundStatus,
    Status,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRound,
    Topic,
    Urgency,
)
from coalition.notifications.events import raise_event

_RANDOM = secrets.SystemRandom()
CODE_BYTES = 15  # 120 random bits; the code is shown once and only its hash is kept
MAX_QUESTIONS = 40
MAX_CHOICES = 20


# --------------------------------------------------------------------------------------------- settings


def settings_for(coalition: Coalition) -> ListeningSettings:
    """The coalition's listening settings, made on first use with a random public address."""
    found = ListeningSettings.objects.filter(coalition=coalition).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ListeningSettings.objects.create(coalition=coalition, public_key=secrets.token_urlsafe(9))
    except IntegrityError:
        return ListeningSettings.objects.get(coalition=coalition)


@transaction.atomic
def do_update_settings(
    actor: Any, coalition: Coalition, *, public_form_open: bool, min_answers: int
) -> ListeningSettings:
    current = settings_for(coalition)
    before = audit.snapshot(current, ("public_form_open", "min_answers"))
    current.public_form_open, current.min_answers = public_form_open, min_answers
    current.full_clean()
    current.save()
    audit.record(
        actor,
        "listening.settings_changed",
        current,
        coalition=coalition,
        before=before,
        after=audit.snapshot(current, ("public_form_open", "min_answers")),
    )
    return current


# --------------------------------------------------------------------------------------------- feedback


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def feedback_for_code(code: str) -> Feedback | None:
    """The feedback a tracking code follows, or ``None`` (a wrong or guessed code reads nothing)."""
    code = code.strip()
    if not code or len(code) > 64:
        return None
    return Feedback.objects.select_related("coalition").filter(tracking_hash=hash_code(code)).first()


def _rewrite_in_random_order(rows: Sequence[Any], *dependants: Sequence[Any]) -> None:
    """Delete ``rows`` (and, by cascade, their ``dependants``) and write them all again, each list in a random
    order, with the same ids and values. The caller holds a lock that keeps other writers of these rows waiting."""
    if len(rows) < 2:
        return
    model = type(rows[0])
    model.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for batch in (rows, *dependants):
        if batch:
            type(batch[0]).objects.bulk_create(_RANDOM.sample(list(batch), len(batch)))


def _clean_text(text: str, field: str = "text") -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("Keep it under %(limit)s characters.") % {"limit": TEXT_LIMIT}})
    return text


@transaction.atomic
def do_submit_feedback(
    coalition: Coalition,
    *,
    channel: str,
    topic: str,
    text: str,
    author: Any = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    may_contact: bool = False,
    received_on: dt.date | None = None,
) -> tuple[Feedback, str]:
    """Store feedback and return it with its tracking code (shown once; only its hash is kept).

    ``author`` is given only for a signed-in member who chose to be named. Contact details are kept only with
    consent to be contacted."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the feedback came in.")})
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})
    if not may_contact:
        contact_name = contact_email = contact_phone = ""
    elif not (contact_email.strip() or contact_phone.strip()):
        raise ValidationError({"may_contact": _("Give an email address or a phone number to be contacted.")})
    code = secrets.token_urlsafe(CODE_BYTES)
    feedback = Feedback(
        coalition=coalition,
        channel=channel,
        topic=topic,
        text=_clean_text(text),
        received_on=received_on or timezone.localdate(),
        author=author if getattr(author, "is_authenticated", False) else None,
        contact_name=contact_name.strip()[:120],
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip()[:40],
        may_contact=may_contact,
        tracking_hash=hash_code(code),
    )
    feedback.full_clean()
    ListeningSettings.objects.select_for_update().filter(pk=settings_for(coalition).pk).exists()  # one at a time
    feedback.save(force_insert=True)
    if feedback.author is not None:
        audit.record(feedback.author, "feedback.given", feedback, coalition=coalition)
    else:
        _rewrite_in_random_order(list(Feedback.objects.filter(coalition=coalition, status=Status.NEW, author=None)))
    return feedback, code


def _check_membership(coalition: Coalition, membership: Membership | None, group: WorkingGroup | None) -> None:
    if membership is not None and (membership.coalition_id != coalition.pk or not membership.is_active):
        raise ValidationError({"assigned_to": _("Choose an active member of this coalition.")})
    if group is not None and group.coalition_id != coalition.pk:
        raise ValidationError({"assigned_group": _("Choose a working group of this coalition.")})


@transaction.atomic
def do_triage_feedback(
    actor: Any,
    feedback: Feedback,
    *,
    topic: str,
    urgency: str,
    assigned_to: Membership | None = None,
    assigned_group: WorkingGroup | None = None,
) -> Feedback:
    if feedback.status == Status.CLOSED:
        raise ValidationError(_("This feedback is closed."))
    if topic not in Topic.values or urgency not in Urgency.values:
        raise ValidationError(_("Choose a topic and an urgency."))
    _check_membership(feedback.coalition, assigned_to, assigned_group)
    before = audit.snapshot(feedback, (*TRIAGE_FIELDS, "status"))
    feedback.topic, feedback.urgency = topic, urgency
    feedback.assigned_to, feedback.assigned_group = assigned_to, assigned_group
    if feedback.status == Status.NEW:
        feedback.status = Status.TRIAGED
    feedback.save()
    audit.record(
        actor,
        "feedback.triaged",
        feedback,
        coalition=feedback.coalition,
        before=before,
        after=audit.snapshot(feedback, (*TRIAGE_FIELDS, "status")),
    )
    return feedback


def _email_answer(feedback: Feedback) -> None:
    if not (feedback.may_contact and feedback.contact_email):
        return
    subject = _("%(coalition)s: an answer to your feedback") % {"coalition": feedback.coalition.name}
    body = _("Thank you for your feedback. Our answer:\n\n%(answer)s") % {"answer": feedback.answer}
    address = feedback.contact_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True), robust=True
    )


@transaction.atomic
def do_answer_feedback(actor: Any, feedback: Feedback, *, answer: str, today: dt.date | None = None) -> Feedback:
    """Give (or change) the answer the submitter reads with the code (and by email, if they gave one)."""
    if feedback.status == Status.CLOSED:
        raise ValidationError(_("This feedback is closed."))
    before = audit.snapshot(feedback, ("answer", "status"))
    feedback.answer = _clean_text(answer, "answer")
    if feedback.answered_on is None:
        feedback.answered_on = max(today or timezone.localdate(), feedback.received_on)
    feedback.status = Status.ANSWERED
    feedback.save()
    audit.record(
        actor,
        "feedback.answered",
        feedback,
        coalition=feedback.coalition,
        before=before,
        after=audit.snapshot(feedback, ("answer", "status")),
    )
    _email_answer(feedback)
    return feedback


@transaction.atomic
def do_close_feedback(
    actor: Any,
    feedback: Feedback,
    *,
    what_changed: str,
    led_to_action: Any = None,
    led_to_poll: Any = None,
    led_to_url: str = "",
    on_public_page: bool = False,
    public_summary: str = "",
    today: dt.date | None = None,
) -> Feedback:
    """Close with what changed, linked where possible to the action or decision it led to."""
    if feedback.status == Status.CLOSED:
        raise ValidationError(_("This feedback is already closed."))
    if not feedback.answer:
        raise ValidationError(_("Answer the person first: nobody should give feedback that goes unheard."))
    for linked, name in ((led_to_action, "led_to_action"), (led_to_poll, "led_to_poll")):
        if linked is not None and linked.coalition_id != feedback.coalition_id:
            raise ValidationError({name: _("Choose a record of this coalition.")})
    if on_public_page and not public_summary.strip():
        raise ValidationError({"public_summary": _("Sum up what was said in a sentence for the public page.")})
    before = audit.snapshot(feedback, (*CLOSE_FIELDS, "status"))
    feedback.what_changed = _clean_text(what_changed, "what_changed")
    feedback.led_to_action, feedback.led_to_poll, feedback.led_to_url = led_to_action, led_to_poll, led_to_url
    feedback.on_public_page, feedback.public_summary = on_public_page, public_summary.strip()
    feedback.closed_on = max(today or timezone.localdate(), feedback.received_on)
    feedback.status = Status.CLOSED
    feedback.full_clean()
    feedback.save()
    audit.record(
        actor,
        "feedback.closed",
        feedback,
        coalition=feedback.coalition,
        before=before,
        after=audit.snapshot(feedback, (*CLOSE_FIELDS, "status")),
    )
    return feedback


@transaction.atomic
def do_set_public(actor: Any, feedback: Feedback, *, on_public_page: bool) -> Feedback:
    """Show or hide a closed item on "You said, we did"."""
    if on_public_page and (feedback.status != Status.CLOSED or not feedback.public_summary):
        raise ValidationError(_("Only closed feedback with a public summary can be shown."))
    feedback.on_public_page = on_public_page
    feedback.save(update_fields=["on_public_page"])
    audit.record(actor, "feedback.public_changed", feedback, coalition=feedback.coalition, after={"on": on_public_page})
    return feedback


# ---------------------------------------------------------------------------------------------- surveys


def _check_round_dates(coalition: Coalition, opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("A round closes after it opens.")})
    window = coalition.date_window
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if day not in window:
            raise ValidationError({name: window.message()})


@transaction.atomic
def do_create_round(
    actor: Any,
    coalition: Coalition,
    *,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    is_anonymous: bool = True,
    bank_keys: Sequence[str] = tuple(bank.BY_KEY),
) -> SurveyRound:
    """A new round (a draft) asking the chosen bank questions, in the bank's order."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    _check_round_dates(coalition, opens_on, closes_on)
    unknown = [key for key in bank_keys if key not in bank.BY_KEY]
    if unknown:
        raise ValidationError({"bank_keys": _("Unknown questions: %(keys)s") % {"keys": ", ".join(unknown)}})
    survey = SurveyRound.objects.create(
        coalition=coalition, title=title[:200], opens_on=opens_on, closes_on=closes_on, is_anonymous=is_anonymous
    )
    chosen = [q for q in bank.BANK if q.key in set(bank_keys)]
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            round=survey,
            position=position,
            bank_key=q.key,
            name=q.key,
            text=str(q.text),
            kind=q.kind,
            choices=[[value, str(label)] for value, label in q.choices],
        )
        for position, q in enumerate(chosen, start=1)
    )
    audit.record(actor, "survey_round.created", survey, coalition=coalition, after={"title": survey.title})
    return survey


def _choice_list(kind: str, choices: Sequence[str]) -> list[list[str]]:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return []
    labels = [c.strip()[:100] for c in choices if c.strip()]
    if len(labels) < 2 or len(labels) > MAX_CHOICES:
        raise ValidationError({"choices": _("Give between 2 and %(max)s choices, one a line.") % {"max": MAX_CHOICES}})
    if len({label.lower() for label in labels}) != len(labels):
        raise ValidationError({"choices": _("Each choice must differ from the others.")})
    return [[f"c{i}", label] for i, label in enumerate(labels, start=1)]


@transaction.atomic
def do_add_question(
    actor: Any, survey: SurveyRound, *, text: str, kind: str, choices: Sequence[str] = ()
) -> SurveyQuestion:
    """Add a custom question to a round that has not opened yet."""
    if survey.status != RoundStatus.DRAFT:
        raise ValidationError(_("Questions can change only before the round opens."))
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    existing = survey.questions.count()
    if existing >= MAX_QUESTIONS:
        raise ValidationError(_("A round asks at most %(max)s questions.") % {"max": MAX_QUESTIONS})
    number = 1 + survey.questions.filter(bank_key="").count()
    name = f"custom_{number}"
    while survey.questions.filter(name=name).exists():
        number += 1
        name = f"custom_{number}"
    question = SurveyQuestion.objects.create(
        round=survey, position=existing + 1, name=name, text=text[:300], kind=kind, choices=_choice_list(kind, choices)
    )
    audit.record(actor, "survey_question.added", question, coalition=survey.coalition, after={"text": question.text})
    return question


def respondents(coalition: Coalition) -> list[Membership]:
    """The active members asked to answer (those who may answer surveys)."""
    return list(
        Membership.objects.filter(
            coalition=coalition, is_active=True, roles__role__in=roles_holding(Perm.ANSWER_SURVEY)
        )
        .distinct()
        .select_related("user", "organisation")
    )


def _round_url(survey: SurveyRound) -> str:
    from django.urls import reverse

    return reverse("feedback:answer", args=[survey.coalition_id, survey.pk])


@transaction.atomic
def do_open_round(actor: Any, survey: SurveyRound) -> SurveyRound:
    if survey.status != RoundStatus.DRAFT:
        raise ValidationError(_("Only a draft round can open."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question first."))
    survey.status = RoundStatus.OPEN
    survey.save(update_fields=["status"])
    audit.record(actor, "survey_round.opened", survey, coalition=survey.coalition)
    raise_event(
        notices.ROUND_OPENED,
        key=f"{notices.ROUND_OPENED}:{survey.pk}",
        payload={"coalition": survey.coalition.name, "round": survey.title, "closes_on": str(survey.closes_on)},
        coalition_id=survey.coalition_id,
        url=_round_url(survey),
        recipients=[m.user_id for m in respondents(survey.coalition)],
    )
    return survey


@transaction.atomic
def do_close_round(actor: Any, survey: SurveyRound) -> SurveyRound:
    if survey.status != RoundStatus.OPEN:
        raise ValidationError(_("Only an open round can close."))
    survey.status = RoundStatus.CLOSED
    survey.save(update_fields=["status"])
    audit.record(actor, "survey_round.closed", survey, coalition=survey.coalition)
    return survey


def primary_role(membership: Membership) -> str:
    """The subgroup a member's answers count in: their most specific role."""
    codes = set(membership.role_codes)
    for role in (Role.HUB, Role.FACILITATOR, Role.STEERING, Role.CONVENER, Role.MEMBER, Role.RESIDENT):
        if role in codes:
            return str(role)
    return next(iter(sorted(codes)), "")


def clean_answers(questions: Sequence[SurveyQuestion], given: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """Check answers keyed by question name: every question but free text needs one, scales 1–5, choices from the
    list. Returns the stored fields of each answer by question id; raises ``ValidationError`` keyed by name."""
    errors: dict[str, str] = {}
    cleaned: dict[int, dict[str, Any]] = {}
    for question in questions:
        value = given.get(question.name)
        allowed = {c[0] for c in question.choices}
        if question.kind == QuestionKind.SCALE:
            try:
                number = int(str(value).strip())
            except (TypeError, ValueError):
                errors[question.name] = _("Choose a number from 1 to 5.")
                continue
            if not 1 <= number <= 5:
                errors[question.name] = _("Choose a number from 1 to 5.")
                continue
            cleaned[question.pk] = {"number": number}
        elif question.kind == QuestionKind.SINGLE:
            if value not in allowed:
                errors[question.name] = _("Choose one of the answers.")
                continue
            cleaned[question.pk] = {"choices": [value]}
        elif question.kind == QuestionKind.MULTIPLE:
            picked = list(value or []) if not isinstance(value, str) else ([value] if value else [])
            if any(p not in allowed for p in picked):
                errors[question.name] = _("Choose from the answers given.")
                continue
            cleaned[question.pk] = {"choices": sorted(set(picked))}
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_LIMIT:
                errors[question.name] = _("Keep it under %(limit)s characters.") % {"limit": TEXT_LIMIT}
                continue
            if text:
                cleaned[question.pk] = {"text": text}
    if errors:
        raise ValidationError(errors)
    return cleaned


def store_response(
    survey: SurveyRound,
    cleaned: Mapping[int, Mapping[str, Any]],
    *,
    membership: Membership | None,
    role: str,
    sector: str,
    source: str = SurveyResponse.Source.WEB,
    import_key: str = "",
) -> SurveyResponse:
    response = SurveyResponse(
        round=survey, membership=membership, role=role, sector=sector, source=source, import_key=import_key
    )
    response.save(force_insert=True)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question_id=question_id, **fields) for question_id, fields in cleaned.items()
    )
    return response


@transaction.atomic
def do_answer_survey(membership: Membership, survey: SurveyRound, answers: Mapping[str, Any]) -> None:
    """Record a member's answers once. In an anonymous round the answers keep no membership and no time; the
    separate participation marker (which says only that the member answered) cannot be tied to them."""
    SurveyRound.objects.select_for_update().filter(pk=survey.pk).exists()  # answers to a round one at a time
    if survey.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is not open."))
    if membership.coalition_id != survey.coalition_id:
        raise ValidationError(_("This round is not of your coalition."))
    if SurveyParticipation.objects.filter(round=survey, membership=membership).exists():
        raise ValidationError(_("You have already answered this round."))
    cleaned = clean_answers(list(survey.questions.all()), answers)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(round=survey, membership=membership)
    except IntegrityError as error:
        raise ValidationError(_("You have already answered this round.")) from error
    organisation = membership.organisation
    store_response(
        survey,
        cleaned,
        membership=None if survey.is_anonymous else membership,
        role=primary_role(membership),
        sector=organisation.sector if organisation is not None else "",
    )
    if survey.is_anonymous:
        _rewrite_in_random_order(
            list(SurveyResponse.objects.filter(round=survey)),
            list(SurveyAnswer.objects.filter(response__round=survey)),
        )
    else:
        audit.record(membership.user, "survey.answered", survey, coalition=survey.coalition)


def do_remind_respondents(today: dt.date) -> int:
    """The daily run: three days before an open round closes, remind those who have not answered yet."""
    raised = 0
    for survey in SurveyRound.objects.filter(status=RoundStatus.OPEN, closes_on=today + dt.timedelta(days=3)):
        answered = set(SurveyParticipation.objects.filter(round=survey).values_list("membership_id", flat=True))
        users = [m.user_id for m in respondents(survey.coalition) if m.pk not in answered]
        if users:
            raised += raise_event(
                notices.ROUND_REMINDER,
                key=f"{notices.ROUND_REMINDER}:{survey.pk}",
                payload={"coalition": survey.coalition.name, "round": survey.title, "closes_on": str(survey.closes_on)},
                coalition_id=survey.coalition_id,
                url=_round_url(survey),
                recipients=users,
            )
    return raised
