"""The stakeholder map's step of the cycle (registered in ``StakeholdersConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.notifications.todos import Step
from coalition.stakeholders.models import Stakeholder


def assess_steps(coalition_id: int) -> list[Step]:
    mapped = Stakeholder.objects.filter(coalition_id=coalition_id, is_archived=False).exists()
    url = reverse("stakeholders:list", kwargs={"coalition_id": coalition_id})
    return [Step("assess", _("Stakeholders mapped"), mapped, url)]
