"""Who may do what.

The role × permission table, written out here by hand and compared with ``ROLE_PERMISSIONS``: a new
``Perm`` (or role) without a row (or column) here fails, so every grant is a deliberate, reviewed change.

The role × route matrix itself is generated from the routes' declarations in ``tests/test_authorization_matrix.py``.
"""

from __future__ import annotations

import pytest

from coalition.core.permissions import ROLE_PERMISSIONS, Perm, Role, permissions_for_roles

ROLES = ("hub", "facilitator", "convener", "steering", "member", "observer", "funder", "resident")
Y, N = True, False

TABLE: dict[Perm, tuple[bool, ...]] = {
    #                          hub facilitator convener steering member observer funder resident
    Perm.VIEW:                 (Y, Y, Y, Y, Y, Y, Y, Y),
    Perm.VIEW_MEMBERS:         (Y, Y, Y, Y, Y, Y, Y, N),
    Perm.CHANGE_SETTINGS:      (Y, Y, N, N, N, N, N, N),
    Perm.MANAGE_MEMBERS:       (Y, Y, N, N, N, N, N, N),
    Perm.MANAGE_HUBS:          (Y, N, N, N, N, N, N, N),
    Perm.VIEW_AUDIT:           (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_STAKEHOLDERS:    (Y, Y, Y, Y, Y, Y, N, N),
    Perm.EDIT_STAKEHOLDERS:    (Y, Y, Y, Y, N, N, N, N),
    Perm.IMPORT_STAKEHOLDERS:  (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_MEASUREMENT:     (Y, Y, Y, Y, Y, Y, Y, N),
    Perm.DEFINE_INDICATORS:    (Y, Y, N, N, N, N, N, N),
    Perm.ENTER_OWN_DATA:       (Y, Y, Y, Y, Y, N, N, N),
    Perm.ENTER_ANY_DATA:       (Y, N, N, N, N, N, N, N),
    Perm.APPROVE_DATA:         (Y, N, N, N, N, N, N, N),
    Perm.VIEW_UNSUPPRESSED:    (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_NETWORK:         (Y, Y, Y, Y, Y, Y, N, N),
    Perm.MANAGE_SURVEYS:       (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_PLANNING:        (Y, Y, Y, Y, Y, Y, N, N),
    Perm.EDIT_AGENDA:          (Y, Y, N, Y, N, N, N, N),
    Perm.CODESIGN_IN_GROUP:    (Y, Y, Y, Y, Y, N, N, N),
    Perm.SIGN_CHARTER:         (Y, Y, Y, Y, Y, N, N, N),
    Perm.PROPOSE_PRIORITY:     (Y, Y, Y, Y, Y, N, N, N),
    Perm.VOTE_PRIORITY:        (Y, N, Y, Y, Y, N, N, N),
    Perm.RUN_PRIORITY_VOTE:    (Y, Y, N, N, N, N, N, N),
    Perm.EDIT_ACTIONS:         (Y, Y, Y, Y, Y, N, N, N),
    Perm.MANAGE_WORKPLAN:      (Y, Y, N, N, N, N, N, N),
    Perm.MANAGE_ACTIONS:       (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_MEETINGS:        (Y, Y, Y, Y, Y, Y, N, N),
    Perm.PROPOSE_AGENDA_ITEM:  (Y, Y, Y, Y, Y, N, N, N),
    Perm.RUN_MEETINGS:         (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_DECISIONS:       (Y, Y, Y, Y, Y, Y, N, N),
    Perm.VOTE:                 (Y, N, Y, Y, Y, N, N, N),
    Perm.RUN_POLLS:            (Y, Y, N, N, N, N, N, N),
    Perm.VOTE_IF_ALLOWED:      (Y, Y, N, N, N, N, N, N),
    Perm.STEERING_SEAT:        (Y, N, N, Y, N, N, N, N),
    Perm.GIVE_FEEDBACK:        (Y, Y, Y, Y, Y, N, N, Y),
    Perm.TELL_STORY:           (Y, Y, Y, Y, Y, N, N, Y),
    Perm.ANSWER_SURVEY:        (Y, Y, Y, Y, Y, N, N, Y),
    Perm.VIEW_FEEDBACK:        (Y, Y, N, N, N, N, N, N),
    Perm.HANDLE_FEEDBACK:      (Y, Y, N, N, N, N, N, N),
    Perm.RUN_SURVEYS:          (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_SURVEY_RESULTS:  (Y, Y, Y, Y, Y, Y, N, N),
    Perm.VIEW_LEARNING:        (Y, Y, Y, Y, Y, Y, N, N),
    Perm.RUN_LEARNING:         (Y, Y, N, N, N, N, N, N),
    Perm.VIEW_FUNDING:         (Y, Y, Y, Y, Y, Y, Y, N),
    Perm.MANAGE_FUND:          (Y, Y, N, N, N, N, N, N),
    Perm.PROPOSE_FUNDING:      (Y, N, Y, Y, Y, N, N, N),
    Perm.REVIEW_PROPOSALS:     (Y, Y, Y, Y, Y, N, N, N),
    Perm.VIEW_COHESION:        (Y, Y, Y, Y, Y, Y, Y, N),
    Perm.RUN_HEALTH_CHECK:     (Y, Y, N, N, N, N, N, N),
    Perm.ANSWER_HEALTH_CHECK:  (Y, Y, Y, Y, Y, N, N, N),
    Perm.PLAN_SUSTAINABILITY:  (Y, Y, N, Y, N, N, N, N),
    Perm.MANAGE_PUBLIC_PAGE:   (Y, Y, N, N, N, N, N, N),
}  # fmt: skip


def test_every_permission_has_a_row() -> None:
    missing = sorted(set(Perm) - set(TABLE))
    assert not missing, f"add a row to TABLE for {missing}"


def test_every_role_has_a_column() -> None:
    assert set(ROLES) == set(Role.values) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("perm", list(Perm), ids=str)
def test_role_permissions_match_the_table(perm: Perm) -> None:
    expected = {role for role, granted in zip(ROLES, TABLE[perm], strict=True) if granted}
    actual = {role for role in ROLES if perm in ROLE_PERMISSIONS[role]}
    assert actual == expected


def test_unknown_roles_grant_nothing() -> None:
    assert permissions_for_roles(["admin", "superuser"]) == frozenset()


def test_needs_two_step_follows_the_permissions_not_role_names() -> None:
    from coalition.core.permissions import NEEDS_TWO_STEP

    needing = {role for role in ROLES if ROLE_PERMISSIONS[role] & NEEDS_TWO_STEP}
    assert needing == {"hub", "facilitator"}
