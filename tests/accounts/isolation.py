"""Isolation factories for the accounts app's coalition-scoped routes."""

from coalition.accounts.models import Invitation, hash_token, new_token


def _invitation(coalition):
    return Invitation.objects.create(
        coalition=coalition, email="someone@example.org", token_hash=hash_token(new_token())
    ).pk


FACTORIES = {"invitation_id": _invitation}
