"""Every change to health checks and the sustainability plan goes through here, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.cohesion import queries, results
from coalition.cohesion.factors import BY_CODE
from coalition.cohesion.models import (
    DECISION_FIELDS,
    ITEM_FIELDS,
    NOTE_LENGTH,
    READINESS_BY_CODE,
    READINESS_QUESTIONS,
    HealthAnswer,
    HealthCheck,
    PlanItem,
    PlanVersion,
    Readiness,
    ReadinessAnswer,
    SustainabilityPlan,
)
from coalition.core import audit
from coalition.core.permissions import Perm
from coalition.joint_action import actions as joint_actions
from coalition.joint_action.models import Action
from coalition.stakeholders.models import Stakeholder


@transaction.atomic
def do_start_health_check(access: Access, *, title: str, held_on: dt.date | None = None) -> HealthCheck:
    """Open a health check for members to answer. One open check at a time."""
    access.require(Perm.RUN_HEALTH_CHECK)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the check a title, such as “Spring check”.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if HealthCheck.objects.filter(coalition=access.coalition, status=HealthCheck.Status.OPEN).exists():
        raise ValidationError(_("A health check is already open: close it before starting another."))
    check = HealthCheck.objects.create(
        coalition=access.coalition,
        title=title,
        started_by=access.user,
        held_on=held_on or timezone.localdate(),
    )
    audit.record(access.user, "health_check.started", check, coalition=access.coalition, after={"title": title})
    return check


@transaction.atomic
def do_answer_health_check(access: Access, check: HealthCheck, scores: Mapping[str, int | None]) -> int:
    """Save the caller's self-assessment (1 to 5 per factor; a factor left out keeps no score). Answers can
    be changed while the check is open. Returns how many factors were scored."""
    access.require(Perm.ANSWER_HEALTH_CHECK)
    if check.coalition_id != access.coalition.pk:
        raise PermissionDenied
    if not check.is_open:
        raise ValidationError(_("This health check is closed."))
    errors = {}
    for code, score in scores.items():
        if code not in BY_CODE:
            raise ValueError(f"unknown factor {code}")
        if score is not None and not 1 <= score <= 5:
            errors[code] = _("Choose a score from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    HealthAnswer.objects.filter(health_check=check, membership=access.membership, factor__in=list(scores)).delete()
    given = [
        HealthAnswer(health_check=check, membership=access.membership, factor=code, score=score)
        for code, score in scores.items()
        if score is not None
    ]
    HealthAnswer.objects.bulk_create(given)
    audit.record(access.user, "health_check.answered", check, coalition=access.coalition, after={"factors": len(given)})
    return len(given)


@transaction.atomic
def do_close_health_check(access: Access, check: HealthCheck, *, today: dt.date | None = None) -> HealthCheck:
    """Close the check and freeze its results (means and evidence), so its trend never moves."""
    access.require(Perm.RUN_HEALTH_CHECK)
    if check.coalition_id != access.coalition.pk:
        raise PermissionDenied
    locked = HealthCheck.objects.select_for_update().get(pk=check.pk)
    if not locked.is_open:
        raise ValidationError(_("This health check is already closed."))
    locked.results = results.freeze(results.compute(locked, today=today or locked.held_on))
    locked.status = HealthCheck.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    audit.record(access.user, "health_check.closed", locked, coalition=access.coalition, after={"status": "closed"})
    return locked


# --- Sustainability plan ------------------------------------------------------------------------------


def _plain(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """JSON values of ``fields`` (dates as ISO text), for audit events and version snapshots."""
    values = {name: getattr(obj, name) for name in fields}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _new_version(access: Access, plan: SustainabilityPlan, change: str) -> PlanVersion:
    """Number the plan's next version and keep the whole plan as it now stands."""
    plan.version += 1
    plan.updated_by = access.user
    plan.save(update_fields=["version", "updated_by", "updated_at"])
    snapshot = {
        **_plain(plan, DECISION_FIELDS),
        "items": [
            {"id": item.pk, **_plain(item, ITEM_FIELDS), "action_id": item.action_id}
            for item in plan.items.order_by("due_on", "pk")
        ],
    }
    return PlanVersion.objects.create(
        coalition=access.coalition, plan=plan, number=plan.version, change=change, snapshot=snapshot,
        saved_by=access.user,
    )  # fmt: skip


def _text(value: str) -> str:
    return " ".join(value.split())


def _readiness(readiness: Mapping[str, tuple[str, str]], errors: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Every readiness question's (rating, note), tidied; a missing rating or a long note goes to ``errors``."""
    unknown = set(readiness) - set(READINESS_BY_CODE)
    if unknown:
        raise ValueError(f"unknown readiness questions {sorted(unknown)}")
    answers = {}
    for question in READINESS_QUESTIONS:
        rating, note = readiness.get(question.code, ("", ""))
        note = _text(note)
        if rating not in Readiness.values:
            errors[question.rating_key] = _("Choose ready, partly or not yet.")
        if len(note) > NOTE_LENGTH:
            errors[question.note_key] = _("Keep the note under %(n)s characters.") % {"n": NOTE_LENGTH}
        answers[question.code] = (rating, note)
    return answers


def _plain_readiness(answers: Mapping[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    return {code: {"rating": rating, "note": note} for code, (rating, note) in answers.items()}


@transaction.atomic
def do_record_sustainability_decision(
    access: Access,
    *,
    decision: str,
    reasons: str,
    continues: str = "",
    review_on: dt.date,
    readiness: Mapping[str, tuple[str, str]],
    today: dt.date | None = None,
) -> SustainabilityPlan:
    """Record (or revisit) whether sustaining the coalition is desirable, why, what should continue and when
    the answer is looked at again, with a rating and a note for every readiness question (``readiness``:
    question code → (rating, note)). Each answer is kept as a version of the plan, its readiness answers with
    it, so a revisit never overwrites the answers given before."""
    access.require(Perm.PLAN_SUSTAINABILITY)
    errors: dict[str, str] = {}
    answers = _readiness(readiness, errors)
    if decision not in SustainabilityPlan.Decision.values:
        errors["decision"] = _("Choose one of the options.")
    if not reasons.strip():
        errors["reasons"] = _("Say why: the reasons are what the next review starts from.")
    if review_on < (today or timezone.localdate()):
        errors["review_on"] = _("Choose a review date from today on.")
    if errors:
        raise ValidationError(errors)
    plan = SustainabilityPlan.objects.select_for_update().filter(coalition=access.coalition).first()
    before = None
    if plan is None:
        plan = SustainabilityPlan(coalition=access.coalition)
    else:
        before = {**_plain(plan, DECISION_FIELDS), "readiness": _plain_readiness(queries.readiness_of(plan))}
    plan.decision, plan.reasons, plan.continues, plan.review_on = (
        decision,
        reasons.strip(),
        continues.strip(),
        review_on,
    )
    plan.save()
    verb = "sustainability.decided" if before is None else "sustainability.revisited"
    after = {**_plain(plan, DECISION_FIELDS), "readiness": _plain_readiness(answers)}
    audit.record(access.user, verb, plan, coalition=access.coalition, before=before, after=after)
    version = _new_version(access, plan, verb)
    ReadinessAnswer.objects.bulk_create(
        ReadinessAnswer(coalition=access.coalition, version=version, question=code, rating=rating, note=note)
        for code, (rating, note) in answers.items()
    )
    return plan


@transaction.atomic
def do_save_plan_item(
    access: Access,
    item: PlanItem | None,
    *,
    part: str,
    what: str,
    responsible: str,
    milestone: str,
    due_on: dt.date,
    resources: str = "",
    status: str = PlanItem.Status.PLANNED,
    factor: str = "",
) -> PlanItem:
    """Add a line to the plan (``item`` None) or change one: what continues, who answers for it, the resources
    it needs and their sources, a dated milestone, its status and the health-check factor it answers."""
    access.require(Perm.PLAN_SUSTAINABILITY)
    plan = SustainabilityPlan.objects.select_for_update().filter(coalition=access.coalition).first()
    if plan is None:
        raise ValidationError(_("First record whether sustaining the coalition is desirable, then plan it."))
    if item is not None:
        # A form may have set the new values on ``item`` already: compare with the row as stored.
        item = PlanItem.objects.select_for_update().filter(pk=item.pk, plan=plan).first()
        if item is None:
            raise PermissionDenied
    values = {
        "part": part, "what": _text(what), "responsible": _text(responsible), "resources": resources.strip(),
        "milestone": _text(milestone), "due_on": due_on, "status": status, "factor": factor,
    }  # fmt: skip
    errors: dict[str, str] = {}
    if part not in PlanItem.Part.values:
        errors["part"] = _("Choose the organisational, activity or financial part.")
    if status not in PlanItem.Status.values:
        errors["status"] = _("Choose a status.")
    if factor and factor not in BY_CODE:
        errors["factor"] = _("Choose one of the eleven factors, or none.")
    for name, message in (
        ("what", _("Say what continues.")),
        ("responsible", _("Name who is responsible.")),
        ("milestone", _("Name a milestone that shows progress.")),
    ):
        if not values[name]:
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    before = None if item is None else _plain(item, ITEM_FIELDS)
    saved = item or PlanItem(coalition=access.coalition, plan=plan)
    for name, value in values.items():
        setattr(saved, name, value)
    saved.save()
    verb = "sustainability.item_added" if before is None else "sustainability.item_changed"
    audit.record(access.user, verb, saved, coalition=access.coalition, before=before, after=_plain(saved, ITEM_FIELDS))
    _new_version(access, plan, verb)
    return saved


# The joint-action plan and activity type that hold the actions made from the plan's lines.
HOLDER_PLAN = "Sustainability plan"
HOLDER_TYPE = "Sustainability"


def _linked(access: Access, item: PlanItem, action: Action | None, verb: str) -> PlanItem:
    """Point ``item`` at ``action`` (or at none), audited, as a new version of the plan."""
    before = item.action_id
    item.action = action
    item.save(update_fields=["action", "updated_at"])
    audit.record(
        access.user, verb, item, coalition=access.coalition, before={"action": before}, after={"action": item.action_id}
    )
    _new_version(access, item.plan, verb)
    return item


def _may_link(access: Access, item: PlanItem) -> PlanItem:
    access.require(Perm.PLAN_SUSTAINABILITY)
    access.require(Perm.MANAGE_ACTIONS)
    if item.coalition_id != access.coalition.pk:
        raise PermissionDenied
    return PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)


@transaction.atomic
def do_make_plan_item_action(
    access: Access,
    item: PlanItem,
    *,
    title: str,
    lead: Stakeholder,
    place: str,
    starts_on: dt.date,
    due_on: dt.date,
) -> PlanItem:
    """Turn a line of the plan into a joint action led by a member organisation (its owner), in the joint-action
    plan that holds the sustainability plan's actions; the line then shows the action's status."""
    item = _may_link(access, item)
    if item.action_id is not None:
        raise ValidationError(_("This line is already a joint action."))
    holder, kind = joint_actions.do_ensure_holder(
        access.user,
        access.coalition,
        title=HOLDER_PLAN,
        summary=_("The actions that carry out the coalition's sustainability plan."),
        activity_type=HOLDER_TYPE,
    )
    description = "\n".join(text for text in (_("Milestone: %(m)s") % {"m": item.milestone}, item.resources) if text)
    action = joint_actions.do_create_action(
        access.user, holder, title=title, description=description, activity_type_id=kind.pk, place=place,
        lead_id=lead.pk, starts_on=starts_on, due_on=due_on,
    )  # fmt: skip
    return _linked(access, item, action, "sustainability.item_action_made")


@transaction.atomic
def do_link_plan_item_action(access: Access, item: PlanItem, action: Action | None) -> PlanItem:
    """Link an existing joint action of the coalition to a line of the plan (``None``: unlink it). An action
    carries one line at most."""
    item = _may_link(access, item)
    if action is not None:
        if action.coalition_id != access.coalition.pk:
            raise PermissionDenied
        if PlanItem.objects.filter(action=action).exclude(pk=item.pk).exists():
            raise ValidationError({"action": _("Another line of the plan already has this joint action.")})
    return _linked(access, item, action, "sustainability.item_action_linked")
