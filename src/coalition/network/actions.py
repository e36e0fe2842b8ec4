"""Every change to survey rounds, respondents and answers goes through these functions.

Respondents act through their personal link, not a login, so their actions take the ``Respondent``
and record no user. Audit events never hold answer contents: after a withdrawal nothing that was
said remains anywhere.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.core import audit
from coalition.network import todos as notices
from coalition.network.models import (
    RATING_FIELDS,
    Actor,
    Answer,
    Frequency,
    RelationType,
    Respondent,
    SurveyRound,
    hash_token,
)
from coalition.stakeholders.models import Sector, Stakeholder

ROUND_FIELDS = ("name", "status", "hub_sees_answers", "hub_organisation_id")


def _bump(survey: SurveyRound) -> None:
    SurveyRound.objects.filter(pk=survey.pk).update(data_version=F("data_version") + 1)
    survey.refresh_from_db(fields=["data_version"])


def _check_stakeholders(coalition: Coalition, stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    stakeholders = list(stakeholders)
    if any(s.coalition_id != coalition.pk for s in stakeholders):
        raise PermissionDenied
    return stakeholders


@transaction.atomic
def do_create_round(
    actor: Any,
    coalition: Coalition,
    *,
    name: str,
    stakeholders: Iterable[Stakeholder],
    hub_organisation: Stakeholder | None = None,
    hub_sees_answers: bool = False,
) -> SurveyRound:
    """Prepare a round among the chosen stakeholders (the hub organisation is always included)."""
    stakeholders = _check_stakeholders(coalition, stakeholders)
    if hub_organisation is not None:
        _check_stakeholders(coalition, [hub_organisation])
        if hub_organisation not in stakeholders:
            stakeholders.append(hub_organisation)
    if len(stakeholders) < 2:
        raise ValidationError(_("Choose at least two actors: a network needs someone to relate to."))
    survey = SurveyRound(
        coalition=coalition, name=name, hub_organisation=hub_organisation, hub_sees_answers=hub_sees_answers
    )
    survey.full_clean()
    survey.save()
    _add_actors(survey, stakeholders)
    audit.record(
        actor,
        "network_round.created",
        survey,
        coalition=coalition,
        after={**audit.snapshot(survey, ROUND_FIELDS), "actors": len(stakeholders)},
    )
    return survey


def _add_actors(survey: SurveyRound, stakeholders: Iterable[Stakeholder]) -> list[Actor]:
    present = set(survey.actors.filter(stakeholder__isnull=False).values_list("stakeholder_id", flat=True))
    start = survey.actors.aggregate(top=Max("number"))["top"] or 0
    new = [s for s in sorted(stakeholders, key=lambda s: s.name.lower()) if s.pk not in present]
    return Actor.objects.bulk_create(
        [
            Actor(
                round=survey,
                coalition_id=survey.coalition_id,
                stakeholder=s,
                name=s.name,
                sector=s.sector,
                is_organisation=s.kind == Stakeholder.Kind.ORGANISATION,
                is_member=s.engagement == Stakeholder.Engagement.MEMBER,
                number=start + i,
            )
            for i, s in enumerate(new, start=1)
        ]
    )


@transaction.atomic
def do_add_round_actors(actor: Any, survey: SurveyRound, stakeholders: Iterable[Stakeholder]) -> list[Actor]:
    if survey.status == SurveyRound.Status.CLOSED:
        raise ValidationError(_("This round is closed."))
    added = _add_actors(survey, _check_stakeholders(survey.coalition, stakeholders))
    if added:
        _bump(survey)
        audit.record(
            actor, "network_round.actors_added", survey, coalition=survey.coalition, after={"added": len(added)}
        )
    return added


@transaction.atomic
def do_update_round(actor: Any, survey: SurveyRound, *, name: str, hub_sees_answers: bool) -> SurveyRound:
    """Rename a round or change whether the hub may read answers. Once anyone has consented the
    promise made to them stands: answers cannot be opened to the hub afterwards."""
    before = audit.snapshot(survey, ROUND_FIELDS)
    consented = survey.respondents.filter(consented_at__isnull=False).exists()
    if hub_sees_answers and not survey.hub_sees_answers and consented:
        raise ValidationError(
            _("People have already consented on the understanding that nobody reads individual answers.")
        )
    survey.name, survey.hub_sees_answers = name, hub_sees_answers
    survey.full_clean()
    survey.save()
    audit.record(
        actor,
        "network_round.updated",
        survey,
        coalition=survey.coalition,
        before=before,
        after=audit.snapshot(survey, ROUND_FIELDS),
    )
    return survey


@transaction.atomic
def do_open_round(actor: Any, survey: SurveyRound) -> SurveyRound:
    if survey.status == SurveyRound.Status.OPEN:
        return survey
    before = audit.snapshot(survey, ROUND_FIELDS)
    survey.status = SurveyRound.Status.OPEN
    survey.opened_at = survey.opened_at or timezone.now()
    survey.closed_at = None
    survey.save()
    audit.record(
        actor, "network_round.opened", survey, coalition=survey.coalition, before=before, after={"status": "open"}
    )
    notices.round_opened(survey)
    return survey


@transaction.atomic
def do_close_round(actor: Any, survey: SurveyRound) -> SurveyRound:
    if survey.status != SurveyRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    survey.status = SurveyRound.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save()
    audit.record(actor, "network_round.closed", survey, coalition=survey.coalition, before={"status": "open"}, after={})
    return survey


@transaction.atomic
def do_issue_links(actor: Any, survey: SurveyRound, actors: Iterable[Actor]) -> dict[int, str]:
    """Give each chosen actor a personal link (a new one replaces an earlier link, which stops working).

    Returns ``{actor_id: token}``; only a hash of each token is stored, so show them now or never.
    """
    if survey.status == SurveyRound.Status.CLOSED:
        raise ValidationError(_("This round is closed."))
    actors = list(actors)
    if any(a.round_id != survey.pk or a.stakeholder_id is None for a in actors):
        raise PermissionDenied
    tokens: dict[int, str] = {}
    for target in actors:
        token = secrets.token_urlsafe(24)
        Respondent.objects.update_or_create(
            actor=target,
            defaults={"round": survey, "coalition_id": survey.coalition_id, "token_hash": hash_token(token)},
        )
        tokens[target.pk] = token
    audit.record(actor, "network_round.links_issued", survey, coalition=survey.coalition, after={"links": len(tokens)})
    return tokens


def respondent_for_token(token: str) -> Respondent | None:
    return Respondent.objects.select_related("round", "actor", "coalition").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def do_consent(respondent: Respondent, *, agrees_to_be_named: bool) -> Respondent:
    """Record consent to take part, and separately whether members may see the respondent's name."""
    if respondent.round.status == SurveyRound.Status.CLOSED:
        raise ValidationError(_("This round is closed; it no longer takes new answers."))
    respondent.status = Respondent.Status.CONSENTED
    respondent.agrees_to_be_named = agrees_to_be_named
    respondent.consented_at = timezone.now()
    respondent.save()
    _bump(respondent.round)
    audit.record(
        None,
        "network_respondent.consented",
        respondent,
        coalition=respondent.coalition,
        after={"agrees_to_be_named": agrees_to_be_named},
    )
    return respondent


def _remove_contributions(respondent: Respondent) -> None:
    respondent.answers.all().delete()
    respondent.added_actors.all().delete()
    respondent.agrees_to_be_named = False
    respondent.submitted_at = None
    respondent.consented_at = None


@transaction.atomic
def do_decline(respondent: Respondent) -> Respondent:
    """Say no to taking part: the respondent's actor is left out of the network."""
    _remove_contributions(respondent)
    respondent.status = Respondent.Status.DECLINED
    respondent.save()
    _bump(respondent.round)
    audit.record(None, "network_respondent.declined", respondent, coalition=respondent.coalition)
    return respondent


@transaction.atomic
def do_withdraw(respondent: Respondent) -> Respondent:
    """Take back consent at any time: every answer and added actor is deleted, and the actor is left out
    of every graph, measure and export from now on."""
    _remove_contributions(respondent)
    respondent.status = Respondent.Status.WITHDRAWN
    respondent.save()
    _bump(respondent.round)
    audit.record(None, "network_respondent.withdrew", respondent, coalition=respondent.coalition)
    return respondent


def _require_answering(respondent: Respondent) -> None:
    if respondent.status != Respondent.Status.CONSENTED:
        raise PermissionDenied
    if not respondent.round.is_open:
        raise ValidationError(_("This round is not open for answers."))


def _clean_answer(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {t: bool(values.get(t)) for t in RelationType.values}
    frequency = values.get("frequency")
    if frequency in (None, ""):
        cleaned["frequency"] = None
    elif int(frequency) in Frequency.values:
        cleaned["frequency"] = int(frequency)
    else:
        raise ValidationError(_("Unknown frequency."))
    for name in RATING_FIELDS:
        rating = values.get(name)
        if rating in (None, ""):
            cleaned[name] = None
        elif 1 <= int(rating) <= 4:
            cleaned[name] = int(rating)
        else:
            raise ValidationError(_("Ratings go from 1 to 4."))
    return cleaned


@transaction.atomic
def do_save_answers(respondent: Respondent, answers: Mapping[int, Mapping[str, Any]]) -> int:
    """Replace the respondent's answers. ``answers`` maps actor id → relationship types, frequency and
    ratings; an actor with no relationship type and no rating is left out. Returns the answers kept."""
    _require_answering(respondent)
    targets = set(respondent.round.actors.exclude(pk=respondent.actor_id).values_list("pk", flat=True))
    rows = []
    for target_id, values in answers.items():
        if target_id not in targets:
            raise PermissionDenied
        cleaned = _clean_answer(values)
        if any(cleaned[t] for t in RelationType.values) or any(cleaned[n] for n in RATING_FIELDS):
            rows.append(Answer(respondent=respondent, target_id=target_id, **cleaned))
    respondent.answers.all().delete()
    Answer.objects.bulk_create(rows)
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at", "updated_at"])
    _bump(respondent.round)
    audit.record(
        None, "network_respondent.answered", respondent, coalition=respondent.coalition, after={"answers": len(rows)}
    )
    return len(rows)


@transaction.atomic
def do_add_actor(respondent: Respondent, *, name: str, sector: str) -> Actor:
    """A respondent names an organisation or person the round did not list yet."""
    _require_answering(respondent)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the name of the organisation or person."))
    if sector not in Sector.values:
        raise ValidationError(_("Choose a sector."))
    survey = respondent.round
    if survey.actors.filter(name__iexact=name).exists():
        raise ValidationError(_("That name is already in the list."))
    number = (survey.actors.aggregate(top=Max("number"))["top"] or 0) + 1
    added = Actor(
        round=survey,
        coalition_id=survey.coalition_id,
        name=name[:200],
        sector=sector,
        added_by=respondent,
        number=number,
    )
    added.save()
    _bump(survey)
    audit.record(None, "network_actor.added_by_respondent", survey, coalition=respondent.coalition)
    return added
