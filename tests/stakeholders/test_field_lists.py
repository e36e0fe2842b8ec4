"""The stakeholder field list is written once (``stakeholders.models``); the form, the actions, the list and the
import/export columns follow it. The oracle is the model itself: a new descriptive field that is not added to
the list, or a copy that drifts, fails here."""

from __future__ import annotations

from coalition.stakeholders import actions, importing, views
from coalition.stakeholders.forms import StakeholderForm
from coalition.stakeholders.models import (
    CONTACT_DETAIL_FIELDS,
    FLAG_FIELDS,
    PROFILE_FIELDS,
    STAKEHOLDER_FIELDS,
    Stakeholder,
)

# Bookkeeping, not description: who owns the row, whether it is archived, when it was written, and the consent to
# be named on the public page (its own action, ``do_record_public_listing``).
SYSTEM_FIELDS = {"id", "coalition", "is_archived", "created_at", "updated_at", "listing_agreed_on"}


def test_the_list_covers_every_descriptive_field_of_the_model_once() -> None:
    model_fields = {field.name for field in Stakeholder._meta.concrete_fields} - SYSTEM_FIELDS
    assert sorted(STAKEHOLDER_FIELDS) == sorted(model_fields)
    assert len(STAKEHOLDER_FIELDS) == len(set(STAKEHOLDER_FIELDS)) == 17


def test_flags_are_exactly_the_boolean_fields() -> None:
    booleans = {
        field.name for field in Stakeholder._meta.concrete_fields if field.get_internal_type() == "BooleanField"
    }
    assert set(FLAG_FIELDS) == booleans - SYSTEM_FIELDS
    assert set(FLAG_FIELDS) <= set(PROFILE_FIELDS)


def test_the_form_edits_the_whole_list_in_its_order() -> None:
    assert list(StakeholderForm.base_fields) == list(STAKEHOLDER_FIELDS)


def test_actions_edit_everything_but_engagement_and_audit_engagement_and_archiving() -> None:
    assert set(actions.EDITED_FIELDS) == set(STAKEHOLDER_FIELDS) - {"engagement"}
    assert set(actions.AUDITED_FIELDS) == set(STAKEHOLDER_FIELDS) | {"is_archived"}


def test_the_list_page_shows_the_profile_not_the_contact_details() -> None:
    assert views.LIST_COLUMNS[0] == "id"
    assert set(views.LIST_COLUMNS[1:]) == set(STAKEHOLDER_FIELDS) - set(CONTACT_DETAIL_FIELDS)


def test_import_and_export_columns_are_the_list_with_the_required_ones_first() -> None:
    assert importing.COLUMNS[:2] == ("name", "sector")
    assert sorted(importing.COLUMNS) == sorted(STAKEHOLDER_FIELDS)
    assert importing.COLUMNS[2:] == tuple(name for name in STAKEHOLDER_FIELDS if name not in {"name", "sector"})
