"""Write operations: stakeholders, joint actions, data values and feedback, through the same ``do_*`` actions and
declared rules as the screens. Each takes an ``Idempotency-Key``; updates take ``If-Match``."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from coalition.api import schemas
from coalition.api.base import WRITE_ERRORS, api
from coalition.api.declare import requires
from coalition.api.idempotency import HEADER, UPDATE_EXTRA, WRITE_EXTRA, check_fresh, idempotent, respond
from coalition.coalitions.access import Access, scoped_get
from coalition.core import log
from coalition.core.permissions import Perm
from coalition.feedback import actions as feedback_actions
from coalition.feedback.models import Channel
from coalition.joint_action import actions as joint_actions
from coalition.joint_action.models import Action, JointActionPlan
from coalition.joint_action.rules import FOR_OWN_ORGANISATION, LEADS_ACTION
from coalition.measurement import periods
from coalition.measurement.actions import Entry, EntryErrors, do_enter_values
from coalition.measurement.models import Indicator
from coalition.measurement.rules import OWN_ORGANISATION
from coalition.stakeholders import actions as stakeholder_actions
from coalition.stakeholders.models import Stakeholder


def _access(request: HttpRequest) -> Access:
    access: Access = request.access  # type: ignore[attr-defined]
    return access


def _saved_stakeholder(request: HttpRequest, stakeholder: Stakeholder, status: int) -> HttpResponse:
    data = schemas.StakeholderSavedOut.from_orm(stakeholder).model_dump(mode="json")
    return respond(request, data, status, stakeholder)


# --- Stakeholders --------------------------------------------------------------------------------------------


@api.get(
    "/coalitions/{int:coalition_id}/stakeholders/{int:stakeholder_id}",
    response={200: schemas.StakeholderContactOut | schemas.StakeholderOut, **WRITE_ERRORS},
    url_name="stakeholder",
)
@requires(Perm.VIEW_STAKEHOLDERS)
def get_stakeholder(request: HttpRequest, coalition_id: int, stakeholder_id: int) -> HttpResponse:
    """One stakeholder, with its ``ETag`` (contact details only for roles that may edit the map)."""
    access = _access(request)
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    if access.can(Perm.EDIT_STAKEHOLDERS):
        return _saved_stakeholder(request, stakeholder, 200)
    return respond(request, schemas.StakeholderOut.from_orm(stakeholder).model_dump(mode="json"), 200, stakeholder)


@api.post(
    "/coalitions/{int:coalition_id}/stakeholders",
    response={201: schemas.StakeholderSavedOut, **WRITE_ERRORS},
    url_name="stakeholder_create",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.EDIT_STAKEHOLDERS)
@idempotent
def create_stakeholder(request: HttpRequest, coalition_id: int, payload: schemas.StakeholderIn) -> HttpResponse:
    """Put an organisation or person on the stakeholder map (``stakeholders.actions.do_create_stakeholder``)."""
    fields = payload.model_dump(exclude_unset=True)
    fields.setdefault("sector", payload.sector)
    stakeholder = stakeholder_actions.do_create_stakeholder(request.user, _access(request).coalition, **fields)
    return _saved_stakeholder(request, stakeholder, 201)


@api.patch(
    "/coalitions/{int:coalition_id}/stakeholders/{int:stakeholder_id}",
    response={200: schemas.StakeholderSavedOut, **WRITE_ERRORS},
    url_name="stakeholder_update",
    openapi_extra=UPDATE_EXTRA,
)
@requires(Perm.EDIT_STAKEHOLDERS)
@idempotent
def update_stakeholder(
    request: HttpRequest, coalition_id: int, stakeholder_id: int, payload: schemas.StakeholderPatch
) -> HttpResponse:
    """Change a stakeholder; ``engagement`` moves through its own audited action. Send ``If-Match``."""
    access = _access(request)
    fields = payload.model_dump(exclude_unset=True)
    if any(fields.get(name) is None for name in fields):
        raise ValidationError({name: _("This field cannot be empty.") for name in fields if fields[name] is None})
    engagement = fields.pop("engagement", None)
    with transaction.atomic():
        stakeholder = scoped_get(access, Stakeholder.objects.select_for_update(), pk=stakeholder_id)
        check_fresh(request, stakeholder)
        if fields:
            stakeholder = stakeholder_actions.do_update_stakeholder(request.user, stakeholder, **fields)
        if engagement is not None and engagement != stakeholder.engagement:
            stakeholder = stakeholder_actions.do_change_engagement(request.user, stakeholder, engagement)
    stakeholder.refresh_from_db()
    return _saved_stakeholder(request, stakeholder, 200)


# --- Joint actions --------------------------------------------------------------------------------------------


def _saved_action(request: HttpRequest, action: Action, status: int) -> HttpResponse:
    return respond(request, schemas.ActionOut.from_orm(action).model_dump(mode="json"), status, action)


def _action_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if "title" in fields and fields["title"] is None:
        raise ValidationError({"title": _("This field cannot be empty.")})
    for name in ("description", "dropped_reason"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


@api.get(
    "/coalitions/{int:coalition_id}/actions/{int:action_id}",
    response={200: schemas.ActionOut, **WRITE_ERRORS},
    url_name="action",
)
@requires(Perm.VIEW_PLANNING)
def get_action(request: HttpRequest, coalition_id: int, action_id: int) -> HttpResponse:
    """One joint action, with its ``ETag``."""
    return _saved_action(request, scoped_get(_access(request), Action, pk=action_id), 200)


@api.post(
    "/coalitions/{int:coalition_id}/actions",
    response={201: schemas.ActionOut, **WRITE_ERRORS},
    url_name="action_create",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.EDIT_ACTIONS, rules=(FOR_OWN_ORGANISATION,))
@idempotent
def create_action(request: HttpRequest, coalition_id: int, payload: schemas.ActionIn) -> HttpResponse:
    """Add an action to a joint action plan. Members lead their own organisation's actions only."""
    access = _access(request)
    fields = _action_fields(payload.model_dump(exclude_unset=True))
    try:
        plan = scoped_get(access, JointActionPlan, pk=fields.pop("plan_id"), is_archived=False)
    except Http404:
        raise ValidationError({"plan_id": _("Choose a joint action plan of this coalition.")}) from None
    if not access.can(Perm.MANAGE_ACTIONS) and fields["lead_id"] != access.organisation_id:
        raise PermissionDenied(_("Members add actions led by their own organisation."))
    action = joint_actions.do_create_action(request.user, plan, **fields)
    return _saved_action(request, action, 201)


@api.patch(
    "/coalitions/{int:coalition_id}/actions/{int:action_id}",
    response={200: schemas.ActionOut, **WRITE_ERRORS},
    url_name="action_update",
    openapi_extra=UPDATE_EXTRA,
)
@requires(Perm.EDIT_ACTIONS, rules=(LEADS_ACTION,))
@idempotent
def update_action(
    request: HttpRequest, coalition_id: int, action_id: int, payload: schemas.ActionPatch
) -> HttpResponse:
    """Change an action (its lead's members, or the hub). Send ``If-Match``: a stale write gets 409."""
    access = _access(request)
    fields = _action_fields(payload.model_dump(exclude_unset=True))
    if "lead_id" in fields and not access.can(Perm.MANAGE_ACTIONS) and fields["lead_id"] != access.organisation_id:
        raise PermissionDenied(_("Members cannot hand an action to another organisation."))
    with transaction.atomic():
        action = scoped_get(access, Action.objects.select_for_update(), pk=action_id)
        check_fresh(request, action)
        action = joint_actions.do_update_action(request.user, action, expected_version=action.version, **fields)
    return _saved_action(request, action, 200)


# --- Data values -------------------------------------------------------------------------------------------------


def _enter(access: Access, item: schemas.ValueIn) -> tuple[str, Any]:
    """Save one figure through ``do_enter_values``; returns the field the fault is on and the result."""
    indicator = Indicator.objects.filter(coalition=access.coalition, pk=item.indicator_id).first()
    if indicator is None:
        raise ValidationError({"indicator_id": _("Unknown indicator.")})
    organisation = Stakeholder.objects.filter(coalition=access.coalition, pk=item.organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation_id": _("Unknown organisation: it is not on the stakeholder map.")})
    try:
        start = periods.parse(indicator.frequency, item.period)
    except ValueError:
        raise ValidationError(
            {
                "period": _("Wrong period format for this indicator (expected for example %(example)s).")
                % {"example": periods.EXAMPLES[indicator.frequency]}
            }
        ) from None
    entry = Entry(tuple(sorted(set(item.options))), item.value, item.numerator, item.denominator)
    if len(entry.options) != len(item.options):
        raise ValidationError({"options": _("An option is given twice.")})
    return "", do_enter_values(access, indicator, organisation, start, [entry])


def _counts(results: list[Any]) -> dict[str, int]:
    return {name: sum(getattr(r, name) for r in results) for name in ("created", "updated", "deleted", "unchanged")}


@api.post(
    "/coalitions/{int:coalition_id}/values",
    response={200: schemas.ValuesSavedOut, **WRITE_ERRORS},
    url_name="value_save",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
@idempotent
def save_value(request: HttpRequest, coalition_id: int, payload: schemas.ValueIn) -> HttpResponse:
    """Enter one figure, as the data-entry grid does: members for their own organisation while the period
    is a draft, the hub for any member until it is locked."""
    _field, result = _enter(_access(request), payload)
    return respond(request, _counts([result]))


@api.post(
    "/coalitions/{int:coalition_id}/values/batch",
    response={200: schemas.ValuesSavedOut, **WRITE_ERRORS},
    url_name="value_batch",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.ENTER_OWN_DATA, rules=(OWN_ORGANISATION,))
@idempotent
def save_values(request: HttpRequest, coalition_id: int, payload: schemas.ValuesIn) -> HttpResponse:
    """Enter up to 1,000 figures at once: all are saved or, if any is refused, none; the answer lists every
    refused figure by its position."""
    access = _access(request)
    results: list[Any] = []
    detail: list[dict[str, Any]] = []
    with transaction.atomic():
        for index, item in enumerate(payload.values):
            try:
                with transaction.atomic():
                    results.append(_enter(access, item)[1])
            except PermissionDenied as exc:
                message = str(exc) or _("You do not have permission to do this.")
                detail.append({"loc": ["body", "values", index], "msg": message, "type": "forbidden"})
            except EntryErrors as exc:
                detail.extend({"loc": ["body", "values", index], "msg": m, "type": "invalid"} for m in exc.messages)
            except ValidationError as exc:
                detail.extend(
                    {"loc": ["body", "values", index, name], "msg": m, "type": "invalid"}
                    for name, messages in exc.message_dict.items()
                    for m in messages
                )
        if detail:
            transaction.set_rollback(True)
    if detail:
        return respond(request, {"detail": detail}, 422)
    return respond(request, _counts(results))


# --- Feedback ------------------------------------------------------------------------------------------------------


@api.post(
    "/coalitions/{int:coalition_id}/feedback",
    response={201: schemas.FeedbackSavedOut, **WRITE_ERRORS},
    url_name="feedback_give",
    openapi_extra=WRITE_EXTRA,
)
@requires(Perm.GIVE_FEEDBACK)
def give_feedback(request: HttpRequest, coalition_id: int, payload: schemas.FeedbackIn) -> HttpResponse:
    """Give feedback as a member, through the feedback app's action (``do_submit_feedback``). The answer
    holds the tracking code, shown once, to read the hub's reply. Anonymous feedback (the default) keeps
    nothing that ties it to the caller: no audit event, no log line naming them, and no stored
    ``Idempotency-Key`` answer (a key sent with it is refused with 422); named feedback takes a key."""
    if payload.anonymous:
        log.actor_id.set("-")  # this request's log lines no longer name the caller
        if request.headers.get(HEADER) is not None:
            return respond(
                request,
                {
                    "detail": [
                        {
                            "loc": ["header", HEADER],
                            "msg": _("Anonymous feedback keeps no trace of who sent it: send it without a key."),
                            "type": "invalid",
                        }
                    ]
                },
                422,
            )
        return _give(request, payload)
    return idempotent(_give)(request, payload)


def _give(request: HttpRequest, payload: schemas.FeedbackIn) -> HttpResponse:
    fields = payload.model_dump(exclude={"anonymous"})
    _feedback, code = feedback_actions.do_submit_feedback(
        _access(request).coalition,
        channel=Channel.MEMBER,
        author=None if payload.anonymous else request.user,
        **fields,
    )
    return respond(request, {"tracking_code": code, "anonymous": payload.anonymous}, 201)
