"""Every change to the stakeholder map goes through these functions; each one is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.coalitions.models import Coalition
from coalition.core import audit
from coalition.core.dates import check_dates
from coalition.core.tabular import TableError
from coalition.stakeholders import importing
from coalition.stakeholders.models import STAKEHOLDER_FIELDS, ContactPerson, Interview, Stakeholder

# Fields a person edits on the stakeholder form (engagement has its own action, archive its own pair).
EDITED_FIELDS = tuple(name for name in STAKEHOLDER_FIELDS if name != "engagement")
AUDITED_FIELDS = (*EDITED_FIELDS, "engagement", "is_archived")
CONTACT_FIELDS = ("name", "position", "email", "phone")


def check_name_free(coalition: Coalition, name: str, exclude_pk: int | None = None) -> None:
    """Names are unique per coalition, ignoring case: refuse a second "Youth Centre"."""
    clash = Stakeholder.objects.filter(coalition=coalition, name__iexact=name.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("This coalition's map already has a stakeholder with this name.")})


def _set_fields(stakeholder: Stakeholder, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"not an editable stakeholder field: {name}")
        setattr(stakeholder, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def do_create_stakeholder(actor: Any, coalition: Coalition, **fields: Any) -> Stakeholder:
    """Put an organisation or person on the map (engagement may be given; it defaults to identified)."""
    stakeholder = Stakeholder(coalition=coalition)
    _set_fields(stakeholder, fields, STAKEHOLDER_FIELDS)
    check_name_free(coalition, stakeholder.name)
    stakeholder.full_clean(validate_constraints=False)
    stakeholder.save()
    audit.record(
        actor,
        "stakeholder.created",
        stakeholder,
        coalition=coalition,
        after=audit.snapshot(stakeholder, AUDITED_FIELDS),
    )
    return stakeholder


@transaction.atomic
def do_update_stakeholder(actor: Any, stakeholder: Stakeholder, **fields: Any) -> Stakeholder:
    """Change a stakeholder's description or ratings; the audit keeps the values before and after."""
    locked = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    before = audit.snapshot(locked, AUDITED_FIELDS)
    _set_fields(locked, fields, EDITED_FIELDS)
    check_name_free(locked.coalition, locked.name, exclude_pk=locked.pk)
    locked.full_clean(validate_constraints=False)
    after = audit.snapshot(locked, AUDITED_FIELDS)
    if after != before:
        locked.save()
        audit.record(actor, "stakeholder.updated", locked, coalition=locked.coalition, before=before, after=after)
    return locked


@transaction.atomic
def do_change_engagement(actor: Any, stakeholder: Stakeholder, engagement: str, note: str = "") -> Stakeholder:
    """Move a stakeholder along identified → contacted → consulted → member (or to declined).

    Steps may be skipped (someone may join straight away) and a stakeholder who declined may be
    approached again; every move is kept in the audit trail with the note explaining it.
    """
    if engagement not in Stakeholder.Engagement.values:
        raise ValidationError({"engagement": _("Choose a valid engagement status.")})
    locked = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if locked.engagement == engagement:
        raise ValidationError({"engagement": _("The stakeholder already has this engagement status.")})
    before = {"engagement": locked.engagement}
    locked.engagement = engagement
    locked.save(update_fields=["engagement", "updated_at"])
    audit.record(
        actor,
        "stakeholder.engagement_changed",
        locked,
        coalition=locked.coalition,
        before=before,
        after={"engagement": engagement},
        note=note.strip(),
    )
    return locked


def do_record_joining(actor: Any, stakeholder: Stakeholder, person: str) -> Stakeholder:
    """A person joined the coalition on behalf of ``stakeholder``: its engagement becomes member (audited
    like any other engagement move). Nothing changes when it already is one."""
    if stakeholder.engagement == Stakeholder.Engagement.MEMBER:
        return stakeholder
    note = _("%(person)s joined the coalition on its behalf.") % {"person": person}
    return do_change_engagement(actor, stakeholder, Stakeholder.Engagement.MEMBER, note=note)


def _set_archived(actor: Any, stakeholder: Stakeholder, archived: bool, verb: str) -> Stakeholder:
    locked = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if locked.is_archived != archived:
        locked.is_archived = archived
        locked.save(update_fields=["is_archived", "updated_at"])
        audit.record(
            actor,
            verb,
            locked,
            coalition=locked.coalition,
            before={"is_archived": not archived},
            after={"is_archived": archived},
        )
    return locked


@transaction.atomic
def do_archive_stakeholder(actor: Any, stakeholder: Stakeholder) -> Stakeholder:
    """Take a stakeholder off the map (the "delete"): hidden from lists, grid and coverage; reversible."""
    return _set_archived(actor, stakeholder, True, "stakeholder.archived")


@transaction.atomic
def do_restore_stakeholder(actor: Any, stakeholder: Stakeholder) -> Stakeholder:
    return _set_archived(actor, stakeholder, False, "stakeholder.restored")


@transaction.atomic
def do_record_public_listing(actor: Any, stakeholder: Stakeholder, agreed_on: dt.date | None) -> Stakeholder:
    """Record the day an organisation agreed to be named on the coalition's public page, or (``None``) that it
    withdrew its agreement. Only organisations can be listed, and an agreement cannot be dated in the future."""
    locked = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if agreed_on is not None:
        if locked.kind != Stakeholder.Kind.ORGANISATION:
            raise ValidationError(_("Only organisations are listed on the public page, never individuals."))
        if agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": _("An agreement cannot be recorded before it was given.")})
    if locked.listing_agreed_on != agreed_on:
        before = audit.snapshot(locked, ("listing_agreed_on",))
        locked.listing_agreed_on = agreed_on
        locked.save(update_fields=["listing_agreed_on", "updated_at"])
        audit.record(
            actor,
            "stakeholder.listing_agreed" if agreed_on else "stakeholder.listing_withdrawn",
            locked,
            coalition=locked.coalition,
            before=before,
            after=audit.snapshot(locked, ("listing_agreed_on",)),
        )
    return locked


@transaction.atomic
def do_add_contact(actor: Any, stakeholder: Stakeholder, **fields: Any) -> ContactPerson:
    """Name a person inside the stakeholder whom the coalition deals with."""
    contact = ContactPerson(stakeholder=stakeholder)
    _set_contact_fields(contact, fields)
    contact.full_clean()
    contact.save()
    audit.record(
        actor,
        "stakeholder.contact_added",
        contact,
        coalition=stakeholder.coalition,
        after=audit.snapshot(contact, ("stakeholder_id", *CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def do_update_contact(actor: Any, contact: ContactPerson, **fields: Any) -> ContactPerson:
    before = audit.snapshot(contact, CONTACT_FIELDS)
    _set_contact_fields(contact, fields)
    contact.full_clean()
    after = audit.snapshot(contact, CONTACT_FIELDS)
    if after != before:
        contact.save()
        audit.record(
            actor,
            "stakeholder.contact_updated",
            contact,
            coalition=contact.stakeholder.coalition,
            before=before,
            after=after,
        )
    return contact


def _set_contact_fields(contact: ContactPerson, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in CONTACT_FIELDS:
            raise ValueError(f"not a contact field: {name}")
        setattr(contact, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def do_record_interview(
    actor: Any, stakeholder: Stakeholder, *, held_on: dt.date, summary: str, interviewer: Any = None
) -> Interview:
    """Keep the notes of a conversation with a stakeholder (who was asked what, and what they said)."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("An interview cannot be recorded before it has taken place.")})
    check_dates(stakeholder.coalition.date_window, held_on=held_on)
    interview = Interview(stakeholder=stakeholder, held_on=held_on, summary=summary.strip(), interviewer=interviewer)
    interview.full_clean()
    interview.save()
    audit.record(
        actor,
        "stakeholder.interview_recorded",
        interview,
        coalition=stakeholder.coalition,
        after=audit.snapshot(interview, ("stakeholder_id", "held_on", "interviewer_id")),
    )
    return interview


@transaction.atomic
def do_import_stakeholders(
    actor: Any, coalition: Coalition, data: bytes, *, skip_rejected: bool = False
) -> importing.ImportPlan:
    """Apply a CSV upload: create new stakeholders and update changed ones.

    The file is planned again here against the map as it is now (it may have changed since the
    preview). All or nothing: a file with rejected rows saves nothing unless the person chose
    ``skip_rejected`` (import only the valid rows), and if any write fails the transaction leaves the map
    as it was. Raises ``TableError`` if the file as a whole cannot be read or has rejected rows not
    chosen to be skipped.
    """
    plan = importing.plan_import(coalition, data)
    if plan.errors and not skip_rejected:
        raise TableError(
            ngettext(
                "Nothing was saved: %(count)s row of the file is rejected. Fix it and upload the file again, "
                "or choose to import only the valid rows.",
                "Nothing was saved: %(count)s rows of the file are rejected. Fix them and upload the file again, "
                "or choose to import only the valid rows.",
                plan.rejected_lines,
            )
            % {"count": plan.rejected_lines}
        )
    now = timezone.now()
    created = [Stakeholder(coalition=coalition, **row.values) for row in plan.creates]
    Stakeholder.objects.bulk_create(created, batch_size=500)
    changed_fields: set[str] = set()
    updated = []
    events = [
        audit.event(actor, "stakeholder.imported", s, coalition=coalition, after=audit.snapshot(s, AUDITED_FIELDS))
        for s in created
    ]
    for update in plan.updates:
        stakeholder = update.stakeholder
        before = {name: getattr(stakeholder, name) for name in update.changes}
        for name, value in update.changes.items():
            setattr(stakeholder, name, value)
        stakeholder.updated_at = now
        changed_fields |= set(update.changes)
        updated.append(stakeholder)
        events.append(
            audit.event(
                actor,
                "stakeholder.import_updated",
                stakeholder,
                coalition=coalition,
                before=before,
                after=update.changes,
            )
        )
    if updated:
        Stakeholder.objects.bulk_update(updated, [*sorted(changed_fields), "updated_at"], batch_size=500)
    audit.record_many(events)
    audit.record(
        actor,
        "stakeholders.imported",
        coalition,
        coalition=coalition,
        after={
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "rejected_rows": plan.rejected_lines,
        },
    )
    return plan
