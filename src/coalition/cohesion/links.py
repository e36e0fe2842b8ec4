"""What cohesion adds to other apps' pages (registered in ``CohesionConfig.ready``): a joint action made from, or
linked to, a line of the sustainability plan shows that line."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.cohesion.models import PlanItem
from coalition.core.extensions import Link
from coalition.joint_action.models import Action


def origin(action: Action) -> list[Link]:
    line = PlanItem.objects.filter(action=action).first()
    if line is None:
        return []
    url = reverse("cohesion:sustainability", kwargs={"coalition_id": line.coalition_id})
    return [Link(_("Sustainability plan"), url, line.what)]
