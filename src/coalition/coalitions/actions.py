"""Every change to coalitions, memberships, working groups and invitations goes through these functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts import actions as account_actions
from coalition.accounts import emails, language, mail
from coalition.accounts.models import Invitation, hash_token, new_token
from coalition.coalitions.models import Coalition, Membership, MembershipRole, WorkingGroup
from coalition.core import audit, events
from coalition.core.permissions import Perm, Role, permissions_for_roles

COALITION_FIELDS = (
    "name",
    "problem_statement",
    "common_purpose",
    "scope",
    "places",
    "phase",
    "starts_on",
    "ends_on",
    "small_cell_threshold",
    "protection_width",
    "complete_share",
    "on_track_margin",
    "shared_indicator_limit",
    "first_year",
    "last_year",
)


@transaction.atomic
def do_create_coalition(actor: Any, **fields: Any) -> Coalition:
    """Create a coalition; its creator becomes its first hub coordinator."""
    coalition = Coalition(**fields)
    coalition.full_clean()
    coalition.save()
    audit.record(
        actor, "coalition.created", coalition, coalition=coalition, after=audit.snapshot(coalition, COALITION_FIELDS)
    )
    do_add_membership(actor, coalition, actor, roles=[Role.HUB])
    return coalition


class StaleVersion(Exception):
    """The record changed since the editor loaded it."""


@transaction.atomic
def do_update_coalition(
    actor: Any, coalition: Coalition, *, expected_version: int | None = None, **fields: Any
) -> Coalition:
    """Change coalition settings. With ``expected_version``, refuse to overwrite a newer save."""
    locked = Coalition.objects.select_for_update().get(pk=coalition.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion
    before = audit.snapshot(locked, COALITION_FIELDS)
    for name, value in fields.items():
        if name not in COALITION_FIELDS:
            raise ValueError(f"not a coalition setting: {name}")
        setattr(locked, name, value)
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit.record(
        actor,
        "coalition.updated",
        locked,
        coalition=locked,
        before=before,
        after=audit.snapshot(locked, COALITION_FIELDS),
    )
    return locked


def validate_roles(roles: Iterable[str]) -> list[str]:
    """The distinct, known roles in ``roles``, sorted; at least one (also used by invitations)."""
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError(_("Choose at least one role."))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": ", ".join(unknown)})
    return roles


@transaction.atomic
def do_add_membership(
    actor: Any, coalition: Coalition, user: Any, *, roles: Iterable[str], organisation: Any = None, title: str = ""
) -> Membership:
    """Add a person to a coalition (or reactivate them) with the given roles."""
    roles = validate_roles(roles)
    if organisation is not None and organisation.coalition_id != coalition.pk:
        raise ValidationError(_("That organisation is not on this coalition's stakeholder map."))
    membership, created = Membership.objects.get_or_create(
        coalition=coalition, user=user, defaults={"organisation": organisation, "title": title}
    )
    if not created:
        membership.is_active = True
        if organisation is not None:
            membership.organisation = organisation
        membership.save()
    membership.roles.all().delete()
    MembershipRole.objects.bulk_create([MembershipRole(membership=membership, role=r) for r in roles])
    audit.record(
        actor, "membership.added", membership, coalition=coalition, after={"user": user.username, "roles": roles}
    )
    _engagement_follows(actor, membership)
    return membership


JoiningStep = Callable[[Any, Any, str], Any]
_JOINING_STEPS: list[JoiningStep] = []


def add_joining_step(step: JoiningStep) -> None:
    """Name an action of a later app to call, inside the same transaction, whenever a person becomes an
    active member on behalf of an organisation: ``step(actor, organisation, person's name)``. The
    stakeholder map registers its engagement action here (an explicit call list, not a signal, because
    coalitions may not import the stakeholders app)."""
    if step not in _JOINING_STEPS:
        _JOINING_STEPS.append(step)


def _engagement_follows(actor: Any, membership: Membership) -> None:
    """The organisation an active member represents counts as a member on the stakeholder map."""
    if membership.is_active and membership.organisation is not None:
        for step in _JOINING_STEPS:
            step(actor, membership.organisation, membership.display_name)


def holds(actor: Any, coalition: Coalition, perm: Perm) -> bool:
    """Whether ``actor`` is an active member of ``coalition`` whose roles grant ``perm``."""
    roles = MembershipRole.objects.filter(
        membership__coalition=coalition, membership__user=actor, membership__is_active=True
    ).values_list("role", flat=True)
    return perm in permissions_for_roles(roles)


def check_hub_change(actor: Any, coalition: Coalition, before: Iterable[str], after: Iterable[str]) -> None:
    """The one rule for every path (role editing, invitations, deactivation, reactivation): only someone
    holding ``MANAGE_HUBS`` (a hub) gives, takes away or deactivates the hub role."""
    if (Role.HUB in set(before)) != (Role.HUB in set(after)) and not holds(actor, coalition, Perm.MANAGE_HUBS):
        raise ValidationError(_("Only a hub coordinator can give, take away or deactivate the hub role."))


def _hub_count(coalition: Coalition, excluding: Membership | None = None) -> int:
    qs = MembershipRole.objects.filter(membership__coalition=coalition, membership__is_active=True, role=Role.HUB)
    if excluding is not None:
        qs = qs.exclude(membership=excluding)
    return qs.count()


@transaction.atomic
def do_set_roles(actor: Any, membership: Membership, roles: Iterable[str]) -> Membership:
    """Replace a member's roles. A coalition always keeps at least one hub coordinator."""
    roles = validate_roles(roles)
    before = membership.role_codes
    check_hub_change(actor, membership.coalition, before, roles)
    if Role.HUB in before and Role.HUB not in roles and _hub_count(membership.coalition, excluding=membership) == 0:
        raise ValidationError(_("A coalition needs at least one hub coordinator. Name another hub first."))
    membership.roles.all().delete()
    MembershipRole.objects.bulk_create([MembershipRole(membership=membership, role=r) for r in roles])
    audit.record(
        actor,
        "membership.roles_changed",
        membership,
        coalition=membership.coalition,
        before={"roles": before},
        after={"roles": roles},
    )
    return membership


@transaction.atomic
def do_update_membership(
    actor: Any, membership: Membership, *, organisation: Any = None, title: str = ""
) -> Membership:
    if organisation is not None and organisation.coalition_id != membership.coalition_id:
        raise ValidationError(_("That organisation is not on this coalition's stakeholder map."))
    before = audit.snapshot(membership, ["organisation_id", "title"])
    membership.organisation = organisation
    membership.title = title
    membership.save()
    audit.record(
        actor,
        "membership.updated",
        membership,
        coalition=membership.coalition,
        before=before,
        after=audit.snapshot(membership, ["organisation_id", "title"]),
    )
    _engagement_follows(actor, membership)
    return membership


def _set_active(actor: Any, membership: Membership, active: bool) -> Membership:
    membership.is_active = active
    membership.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor,
        "membership.reactivated" if active else "membership.deactivated",
        membership,
        coalition=membership.coalition,
        before={"is_active": not active},
        after={"is_active": active},
    )
    _engagement_follows(actor, membership)
    return membership


@transaction.atomic
def do_deactivate_membership(actor: Any, membership: Membership) -> Membership:
    """Remove someone from a coalition without deleting their history (reversible)."""
    check_hub_change(actor, membership.coalition, membership.role_codes, [])
    if Role.HUB in membership.role_codes and _hub_count(membership.coalition, excluding=membership) == 0:
        raise ValidationError(_("The last hub coordinator cannot leave. Name another hub first."))
    return _set_active(actor, membership, False)


@transaction.atomic
def do_reactivate_membership(actor: Any, membership: Membership) -> Membership:
    """Undo a deactivation: the person is back with the roles they had."""
    check_hub_change(actor, membership.coalition, [], membership.role_codes)
    return _set_active(actor, membership, True)


@transaction.atomic
def do_save_working_group(
    actor: Any,
    coalition: Coalition,
    *,
    group: WorkingGroup | None = None,
    name: str,
    purpose: str = "",
    is_codesign_group: bool = False,
    members: Iterable[Membership] = (),
) -> WorkingGroup:
    members = list(members)
    if any(m.coalition_id != coalition.pk for m in members):
        raise PermissionDenied
    created = group is None
    group = group or WorkingGroup(coalition=coalition)
    before = (
        None
        if created
        else {
            **audit.snapshot(group, ["name", "purpose", "is_codesign_group"]),
            "members": sorted(group.members.values_list("pk", flat=True)),
        }
    )
    group.name, group.purpose, group.is_codesign_group = name, purpose, is_codesign_group
    group.full_clean()
    group.save()
    group.members.set(members)
    after = {
        **audit.snapshot(group, ["name", "purpose", "is_codesign_group"]),
        "members": sorted(m.pk for m in members),
    }
    audit.record(
        actor,
        "working_group.created" if created else "working_group.updated",
        group,
        coalition=coalition,
        before=before,
        after=after,
    )
    return group


# --- Invitations: join a coalition by an emailed link ----------------------------------------------


class InvitationUnusable(Exception):
    """The invitation exists but was used, revoked or has expired; ``message`` says which."""

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation
        self.message = {
            Invitation.Status.ACCEPTED: _("This invitation has already been used."),
            Invitation.Status.REVOKED: _("This invitation was withdrawn."),
            Invitation.Status.EXPIRED: _("This invitation has expired."),
        }.get(invitation.status, _("This invitation can no longer be used."))
        super().__init__(self.message)


class InvitationForAnotherAddress(Exception):
    """The invitation is bound to its email address and the account holding the link has not confirmed that
    address (or has another one)."""

    def __init__(self, invitation: Invitation, user: Any) -> None:
        self.invitation = invitation
        self.same_address_unconfirmed = emails.normalise(user.email or "") == invitation.email
        if self.same_address_unconfirmed:
            self.message = _(
                "This invitation is only for %(email)s. That is your account's address, but you have not confirmed "
                "it yet: confirm it, then open the invitation again."
            ) % {"email": invitation.email}
        else:
            self.message = _(
                "This invitation is only for %(email)s, and you are signed in with another address. Sign out and "
                "open the link again to sign in or create an account with that address, or ask for an invitation "
                "to your own address."
            ) % {"email": invitation.email}
        super().__init__(self.message)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state, or ``None``."""
    return Invitation.objects.select_related("coalition", "invited_by").filter(token_hash=hash_token(token)).first()


def accept_path(token: str) -> str:
    return reverse("accounts:accept_invitation", kwargs={"token": token})


@transaction.atomic
def do_invite_member(
    actor: Any,
    coalition: Coalition,
    *,
    email: str,
    roles: Iterable[str],
    organisation: Any = None,
    bound_to_email: bool = True,
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and its link, which is shown once and never stored.

    By default only the person at ``email`` can accept; ``bound_to_email=False`` lets anyone with the link join.
    A new invitation to the same address replaces a pending one. Only a hub coordinator may invite a hub.
    """
    email = email.strip().lower()
    validate_email(email)
    roles = validate_roles(roles)
    check_hub_change(actor, coalition, [], roles)
    if organisation is not None and organisation.coalition_id != coalition.pk:
        raise ValidationError(_("That organisation is not on this coalition's stakeholder map."))
    if Membership.objects.filter(coalition=coalition, user__email__iexact=email, is_active=True).exists():
        raise ValidationError(_("Someone with this email address is already a member."))
    for earlier in coalition.invitations.usable().filter(email=email):
        do_revoke_invitation(actor, earlier)
    token = new_token()
    invitation = Invitation.objects.create(
        coalition=coalition,
        email=email,
        roles=roles,
        organisation=organisation,
        invited_by=actor,
        token_hash=hash_token(token),
        bound_to_email=bound_to_email,
    )
    link = base_url.rstrip("/") + accept_path(token)
    context = {"invitation": invitation, "link": link, "inviter": actor.get_full_name() or actor.username}
    # Someone with an account reads it in their language; someone without, in the inviter's (or the default).
    mail.send_on_commit(
        "accounts/invitation_subject.txt",
        "accounts/invitation_email.txt",
        context,
        to=email,
        language=language.for_address(email, language.of(actor)),
    )
    audit.record(
        actor,
        "invitation.created",
        invitation,
        coalition=coalition,
        after={
            "email": email,
            "roles": roles,
            "organisation": invitation.organisation_id,
            "bound_to_email": bound_to_email,
        },
    )
    return invitation, link


@transaction.atomic
def do_revoke_invitation(actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw an invitation so its link stops working. An accepted one cannot be withdrawn."""
    now = timezone.now()
    # Conditional, like acceptance: a link accepted a moment ago is not withdrawn behind the member's back.
    open_ = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
    if not open_.update(revoked_at=now, updated_at=now):
        invitation.refresh_from_db()
        if invitation.status == Invitation.Status.ACCEPTED:
            raise ValidationError(_("This invitation was already accepted; remove the member instead."))
        raise ValidationError(_("This invitation was already withdrawn."))
    invitation.refresh_from_db()
    audit.record(actor, "invitation.revoked", invitation, coalition=invitation.coalition)
    return invitation


@transaction.atomic
def do_accept_invitation(user: Any, token: str) -> Membership:
    """Join the invitation's coalition. The link works once; roles the person already holds are kept.

    Raises ``Invitation.DoesNotExist`` for an unknown token, ``InvitationUnusable`` for a used, withdrawn or
    expired one, and ``InvitationForAnotherAddress`` when it is bound to an address the account has not confirmed.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
    if not invitation.is_usable:
        raise InvitationUnusable(invitation)
    if invitation.bound_to_email and not emails.is_verified(user, invitation.email):
        raise InvitationForAnotherAddress(invitation, user)
    now = timezone.now()
    # One conditional update claims the invitation, so two simultaneous acceptances cannot both succeed.
    claimed = Invitation.objects.usable().filter(pk=invitation.pk)
    if not claimed.update(accepted_at=now, accepted_by=user, updated_at=now):
        invitation.refresh_from_db()
        raise InvitationUnusable(invitation)
    existing = Membership.objects.filter(coalition=invitation.coalition, user=user, is_active=True).first()
    kept = existing.role_codes if existing else []
    membership = do_add_membership(
        user, invitation.coalition, user, roles=[*kept, *invitation.roles], organisation=invitation.organisation
    )
    audit.record(
        user,
        "invitation.accepted",
        invitation,
        coalition=invitation.coalition,
        after={"user": user.username, "roles": invitation.roles},
    )
    events.raise_event(
        events.INVITATION_ACCEPTED,
        key=f"{events.INVITATION_ACCEPTED}:{invitation.pk}",
        payload={
            "coalition_id": invitation.coalition_id,
            "coalition": invitation.coalition.name,
            "person": user.get_full_name() or user.get_username(),
            "email": invitation.email,
            "inviter_id": invitation.invited_by_id,
            "user_id": user.pk,
        },
        coalition_id=invitation.coalition_id,
        url=reverse("coalitions:members", kwargs={"coalition_id": invitation.coalition_id}),
    )
    return membership


@transaction.atomic
def do_sign_up_with_invitation(
    token: str, *, username: str, first_name: str, last_name: str, email: str, password: str
) -> Any:
    """Create an account for an invited person and accept the invitation, all or nothing.

    For an invitation bound to its address the account must use exactly that address, which counts as confirmed
    (the link was sent there). Raises ``ValidationError`` keyed by field for bad input.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
    if not invitation.is_usable:
        raise InvitationUnusable(invitation)
    errors: dict[str, list[str]] = {}
    if invitation.bound_to_email and emails.normalise(email) != invitation.email:
        errors["email"] = [_("This invitation is only for %(email)s: use that address.") % {"email": invitation.email}]
    try:
        user = account_actions.new_account(
            username=username, first_name=first_name, last_name=last_name, email=email, password=password
        )
    except ValidationError as error:
        raise ValidationError({**error.message_dict, **errors}) from error
    if errors:
        raise ValidationError(errors)
    user.save()
    audit.record(user, "user.signed_up", user, after={"invitation": invitation.pk})
    if invitation.bound_to_email:
        account_actions.mark_verified(user)
    do_accept_invitation(user, token)
    return user
