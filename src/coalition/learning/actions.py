"""Every change to learning records: validate, save in a transaction, write an audit event.

An adaptation changes its target only through the owning app's own action (joint_action, measurement,
meetings, planning), which writes that app's audit event; this module records the adaptation itself with
the target's state before and after.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.coalitions.models import Coalition, Membership
from coalition.core import audit
from coalition.joint_action import actions as action_actions
from coalition.joint_action.models import Action
from coalition.learning import evidence
from coalition.learning.models import (
    CONSENT_FIELDS,
    OUTCOME_FIELDS,
    PAUSE_FIELDS,
    STORY_FIELDS,
    Adaptation,
    LearningSettings,
    Outcome,
    Pause,
    Selection,
    SelectionRound,
    Story,
    StoryDomain,
)
from coalition.measurement import actions as measurement_actions
from coalition.measurement.models import Indicator
from coalition.meetings import actions as meeting_actions
from coalition.meetings.models import Meeting, MeetingSeries
from coalition.planning import actions as planning_actions
from coalition.planning import queries as planning_queries
from coalition.planning.models import Priority

Change = tuple[str, dict[str, Any], dict[str, Any]]
ANSWER_FIELDS = ("expected", "happened", "why_different", "keep", "change")


def _same_coalition(coalition: Coalition, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.coalition_id != coalition.pk:
            raise ValidationError(_("That record belongs to another coalition."))


# ----------------------------------------------------------------------------------------------- settings


@transaction.atomic
def do_save_settings(actor: Any, coalition: Coalition, *, interval_weeks: int) -> LearningSettings:
    found, _created = LearningSettings.objects.get_or_create(coalition=coalition)
    before = audit.snapshot(found, ["interval_weeks"])
    found.interval_weeks = interval_weeks
    found.full_clean()
    found.save()
    audit.record(
        actor,
        "learning.settings_saved",
        found,
        coalition=coalition,
        before=before,
        after=audit.snapshot(found, ["interval_weeks"]),
    )
    return found


# ------------------------------------------------------------------------------------------------- pauses


@transaction.atomic
def do_hold_pause(
    actor: Any,
    coalition: Coalition,
    *,
    period_start: dt.date,
    period_end: dt.date,
    held_on: dt.date | None = None,
    meeting: Meeting | None = None,
    participants: Iterable[Membership] = (),
    **answers: str,
) -> Pause:
    """Record a pause held today (or on ``held_on``), freezing the evidence as it stands now."""
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"not pause answers: {sorted(unknown)}")
    participants = list(participants)
    _same_coalition(coalition, meeting, *participants)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must not end before it starts.")})
    pause = Pause(
        coalition=coalition,
        period_start=period_start,
        period_end=period_end,
        held_on=held_on or timezone.localdate(),
        meeting=meeting,
        held_by=actor,
        **answers,
    )
    pause.evidence = evidence.collect(coalition, period_start, period_end)
    pause.full_clean()
    pause.save()
    pause.participants.set(participants)
    audit.record(actor, "learning.pause_held", pause, coalition=coalition, after=audit.snapshot(pause, PAUSE_FIELDS))
    return pause


@transaction.atomic
def do_share_brief(actor: Any, pause: Pause) -> Pause:
    """Give the pause's brief a new secret address (an older one stops working)."""
    pause.share_token = secrets.token_urlsafe(24)
    pause.save(update_fields=["share_token", "updated_at"])
    audit.record(actor, "learning.brief_shared", pause, coalition=pause.coalition)
    return pause


@transaction.atomic
def do_revoke_brief(actor: Any, pause: Pause) -> Pause:
    pause.share_token = ""
    pause.save(update_fields=["share_token", "updated_at"])
    audit.record(actor, "learning.brief_revoked", pause, coalition=pause.coalition)
    return pause


# ------------------------------------------------------------------------------------------- adaptations


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _action_state(action: Action, fields: Sequence[str]) -> dict[str, Any]:
    action.refresh_from_db()
    state = {name: _iso(getattr(action, name)) for name in fields}
    if "lead_id" in fields:
        state["lead"] = action.lead.name
    return state


def _apply_action(access: Access, kind: str, action: Action | None, change: dict[str, Any]) -> Change:
    if action is None:
        raise ValidationError({"action": _("Choose the action to change.")})
    _same_coalition(access.coalition, action)
    if kind == Adaptation.Kind.ACTION_DATES:
        fields = {k: change[k] for k in ("starts_on", "due_on") if change.get(k) is not None}
        if not fields:
            raise ValidationError({"due_on": _("Give the new start or due date.")})
        names: Sequence[str] = ("starts_on", "due_on")
    elif kind == Adaptation.Kind.ACTION_STATUS:
        if not change.get("status"):
            raise ValidationError({"status": _("Choose the new status.")})
        fields = {
            "status": change["status"],
            "completed_on": change.get("completed_on"),
            "dropped_reason": change.get("dropped_reason") or "",
        }
        names = ("status", "completed_on", "dropped_reason")
    else:
        lead = change.get("lead")
        if lead is None:
            raise ValidationError({"lead": _("Choose the new lead member.")})
        _same_coalition(access.coalition, lead)
        fields, names = {"lead_id": lead.pk}, ("lead_id",)
    before = _action_state(action, names)
    action_actions.do_update_action(access.user, action, **fields)
    return action.title, before, _action_state(action, names)


def _apply_target(access: Access, indicator: Indicator | None, change: dict[str, Any]) -> Change:
    if indicator is None:
        raise ValidationError({"indicator": _("Choose the indicator.")})
    period, value = change.get("period_start"), change.get("target")
    if period is None or value is None:
        raise ValidationError({"target": _("Give the period and its new target.")})
    _same_coalition(access.coalition, indicator)
    old = indicator.targets.filter(period_start=period).values_list("value", flat=True).first()
    measurement_actions.do_set_targets(access, indicator, {period: Decimal(value)})
    new = indicator.targets.filter(period_start=period).values_list("value", flat=True).first()
    label = indicator.period_label(period)
    return (
        indicator.name,
        {"period": label, "target": None if old is None else str(old)},
        {"period": label, "target": None if new is None else str(new)},
    )


def _series_state(series: MeetingSeries) -> dict[str, Any]:
    series.refresh_from_db()
    return {"frequency": series.frequency, "weekday": series.weekday, "week_of_month": series.week_of_month}


def _apply_rhythm(access: Access, series: MeetingSeries | None, change: dict[str, Any]) -> Change:
    if series is None:
        raise ValidationError({"series": _("Choose the meeting series.")})
    _same_coalition(access.coalition, series)
    fields = {k: change[k] for k in ("frequency", "weekday", "week_of_month") if change.get(k) not in (None, "")}
    if "frequency" not in fields:
        raise ValidationError({"frequency": _("Choose how often it meets.")})
    before = _series_state(series)
    meeting_actions.do_save_series(access.user, access.coalition, series=series, **fields)
    return series.title, before, _series_state(series)


def _apply_priority(access: Access, priority: Priority | None, change: dict[str, Any]) -> Change:
    if priority is None:
        raise ValidationError({"priority": _("Choose the priority.")})
    status = change.get("priority_status")
    if not status:
        raise ValidationError({"priority_status": _("Choose the priority's new status.")})
    _same_coalition(access.coalition, priority)
    before = {"status": priority.status}
    indicators = list(priority.indicators.all())
    planning_actions.do_decide_priority(access, priority, status=status, indicators=indicators)
    priority.refresh_from_db()
    return priority.title, before, {"status": priority.status}


def _apply_agenda(access: Access, change: dict[str, Any]) -> Change:
    field, text = change.get("agenda_field"), change.get("agenda_text")
    if field not in planning_actions.AGENDA_TEXT_FIELDS or field == "change_note":
        raise ValidationError({"agenda_field": _("Choose the part of the common agenda to change.")})
    if not text:
        raise ValidationError({"agenda_text": _("Give the new text.")})
    base = planning_queries.agenda_draft(access.coalition) or planning_queries.current_agenda(access.coalition)
    texts: dict[str, Any] = {}
    priorities: list[Priority] = []
    indicators: list[Indicator] = []
    coordinator = None
    if base is not None:
        texts = {name: getattr(base, name) for name in planning_actions.AGENDA_TEXT_FIELDS}
        priorities, indicators, coordinator = list(base.priorities.all()), list(base.indicators.all()), base.coordinator
    before = {field: texts.get(field, "")}
    texts[field] = text
    texts["change_note"] = change.get("change_note") or _("Agreed at a learning pause.")
    draft = planning_actions.do_save_agenda_draft(
        access, priorities=priorities, indicators=indicators, coordinator=coordinator, **texts
    )
    return str(_("Common agenda (next version, draft)")), before, {field: getattr(draft, field)}


@transaction.atomic
def do_adapt(
    access: Access,
    pause: Pause,
    *,
    kind: str,
    reason: str,
    resources: str = "",
    action: Action | None = None,
    indicator: Indicator | None = None,
    series: MeetingSeries | None = None,
    priority: Priority | None = None,
    applied_at: dt.datetime | None = None,
    **change: Any,
) -> Adaptation:
    """Record an adaptation agreed at ``pause`` and apply it through the owning app's action, in one
    transaction: if the owning action refuses the change, nothing is recorded."""
    _same_coalition(access.coalition, pause)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the coalition makes this change.")})
    if kind in (Adaptation.Kind.ACTION_DATES, Adaptation.Kind.ACTION_STATUS, Adaptation.Kind.ACTION_LEAD):
        target, before, after = _apply_action(access, kind, action, change)
    elif kind == Adaptation.Kind.INDICATOR_TARGET:
        target, before, after = _apply_target(access, indicator, change)
    elif kind == Adaptation.Kind.MEETING_RHYTHM:
        target, before, after = _apply_rhythm(access, series, change)
    elif kind == Adaptation.Kind.PRIORITY:
        target, before, after = _apply_priority(access, priority, change)
    elif kind == Adaptation.Kind.COMMON_AGENDA:
        target, before, after = _apply_agenda(access, change)
    else:
        raise ValidationError({"kind": _("Choose what the adaptation changes.")})
    adaptation = Adaptation.objects.create(
        coalition=access.coalition,
        pause=pause,
        kind=kind,
        target=target[:300],
        reason=reason.strip(),
        resources=resources.strip(),
        before=before,
        after=after,
        applied_at=applied_at or timezone.now(),
        applied_by=access.user,
    )
    audit.record(
        access.user,
        "learning.adaptation_applied",
        adaptation,
        coalition=access.coalition,
        before=before,
        after=after,
        note=f"{kind}: {target}"[:500],
    )
    return adaptation


# ------------------------------------------------------------------------------------------------ stories


@transaction.atomic
def do_save_domain(actor: Any, coalition: Coalition, *, name: str, description: str = "") -> StoryDomain:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the domain a name.")})
    if StoryDomain.objects.filter(coalition=coalition, name__iexact=name).exists():
        raise ValidationError({"name": _("This coalition already has that domain.")})
    domain = StoryDomain.objects.create(coalition=coalition, name=name, description=description)
    audit.record(actor, "learning.domain_added", domain, coalition=coalition, after={"name": name})
    return domain


@transaction.atomic
def do_submit_story(
    actor: Any,
    coalition: Coalition,
    *,
    domain: StoryDomain,
    consent_internal: bool = True,
    consent_public: bool = False,
    consent_named: bool = False,
    **fields: Any,
) -> Story:
    _same_coalition(coalition, domain)
    story = Story(
        coalition=coalition,
        domain=domain,
        submitted_by=actor,
        consent_internal=consent_internal,
        consent_public=consent_public and consent_internal,
        consent_named=consent_named,
        **fields,
    )
    story.full_clean()
    story.save()
    audit.record(
        actor,
        "learning.story_submitted",
        story,
        coalition=coalition,
        after=audit.snapshot(story, (*STORY_FIELDS[:2], *CONSENT_FIELDS)),
    )
    return story


@transaction.atomic
def do_set_consent(
    actor: Any, story: Story, *, consent_internal: bool, consent_public: bool, consent_named: bool
) -> Story:
    """Change what the storyteller agrees to; a withdrawn use ends at once for every view and export."""
    before = audit.snapshot(story, CONSENT_FIELDS)
    story.consent_internal = consent_internal
    story.consent_public = consent_public and consent_internal
    story.consent_named = consent_named
    story.save(update_fields=[*CONSENT_FIELDS, "updated_at"])
    audit.record(
        actor,
        "learning.story_consent",
        story,
        coalition=story.coalition,
        before=before,
        after=audit.snapshot(story, CONSENT_FIELDS),
    )
    return story


@transaction.atomic
def do_record_selection(
    actor: Any,
    coalition: Coalition,
    *,
    title: str,
    held_on: dt.date,
    panel: str,
    picks: Sequence[tuple[StoryDomain, Story, str]],
) -> SelectionRound:
    """A panel's choice of the most significant story per domain, each with the reason."""
    if not picks:
        raise ValidationError(_("Pick at least one story."))
    domains = [d.pk for d, _s, _r in picks]
    if len(set(domains)) != len(domains):
        raise ValidationError(_("Pick one story per domain."))
    for domain, story, reason in picks:
        _same_coalition(coalition, domain, story)
        if story.domain_id != domain.pk:
            raise ValidationError(_("“%(story)s” is not in that domain.") % {"story": story.title})
        if not story.consent_internal:
            raise ValidationError(_("“%(story)s” may not be read by the panel.") % {"story": story.title})
        if not reason.strip():
            raise ValidationError(_("Say why “%(story)s” was chosen.") % {"story": story.title})
    selection_round = SelectionRound(coalition=coalition, title=title.strip(), held_on=held_on, panel=panel.strip())
    selection_round.full_clean()
    selection_round.save()
    Selection.objects.bulk_create(
        Selection(round=selection_round, domain=d, story=s, reason=r.strip()) for d, s, r in picks
    )
    audit.record(
        actor,
        "learning.selection_recorded",
        selection_round,
        coalition=coalition,
        after={"title": selection_round.title, "stories": [s.pk for _d, s, _r in picks]},
    )
    return selection_round


# ----------------------------------------------------------------------------------------------- outcomes


@transaction.atomic
def do_save_outcome(
    actor: Any,
    coalition: Coalition,
    *,
    outcome: Outcome | None = None,
    priorities: Iterable[Priority] = (),
    indicators: Iterable[Indicator] = (),
    **fields: Any,
) -> Outcome:
    unknown = set(fields) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"not outcome fields: {sorted(unknown)}")
    priorities, indicators = list(priorities), list(indicators)
    _same_coalition(coalition, outcome, *priorities, *indicators)
    created = outcome is None
    saved = outcome or Outcome(coalition=coalition, recorded_by=actor)
    before = None if created else audit.snapshot(saved, OUTCOME_FIELDS)
    for name, value in fields.items():
        setattr(saved, name, value.strip() if isinstance(value, str) else value)
    if saved.happened_on and saved.happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("An outcome is a change that has happened: the date cannot be ahead.")})
    saved.full_clean(exclude=["coalition"])
    saved.save()
    saved.priorities.set(priorities)
    saved.indicators.set(indicators)
    audit.record(
        actor,
        "learning.outcome_saved" if not created else "learning.outcome_recorded",
        saved,
        coalition=coalition,
        before=before,
        after=audit.snapshot(saved, OUTCOME_FIELDS),
    )
    return saved
