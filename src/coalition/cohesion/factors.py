"""The eleven factors of a coalition's momentum, in three groups, with the questions members answer (in our
own words) and the score bands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STRENGTH = Decimal("4.0")
DISCUSS = Decimal("3.0")


@dataclass(frozen=True)
class Factor:
    code: str
    group: str
    label: str | Promise
    question: str | Promise


GROUPS: dict[str, str | Promise] = {
    "participation": _("Participation"),
    "operations": _("Operations"),
    "results": _("Results"),
}

FACTORS: tuple[Factor, ...] = (
    Factor("convening", "participation", _("Convening power"),
           _("When the coalition calls a meeting, the people who matter come.")),
    Factor("government", "participation", _("Government buy-in"),
           _("Public bodies take part and act on what we agree.")),
    Factor("range", "participation", _("Range of actors"),
           _("The voices the problem needs — including those most affected — are at our table.")),
    Factor("geography", "participation", _("Geographic scope"),
           _("Our members and actions reach every place the coalition means to cover.")),
    Factor("leadership", "operations", _("Leadership structure"),
           _("It is clear who leads, who decides what, and the hub has the skills to hold us together.")),
    Factor("funding", "operations", _("Funding for activities"),
           _("We have the money and in-kind support our joint activities need.")),
    Factor("communications", "operations", _("Communications"),
           _("I hear in good time what is coming and what was decided, inside and outside the coalition.")),
    Factor("joint_work", "operations", _("Joint planning, decisions and action"),
           _("We plan, decide and act together rather than side by side.")),
    Factor("adaptation", "results", _("Adaptation"),
           _("We stop to look at what the data says and change course when it tells us to.")),
    Factor("value", "results", _("Value proposition"),
           _("Being part of the coalition is worth my organisation's time.")),
    Factor("commitment", "results", _("Commitment to action"),
           _("Members do what they said they would, when they said they would.")),
)  # fmt: skip
BY_CODE = {f.code: f for f in FACTORS}


def band(mean: Decimal | None) -> str:
    """ "strength" (4.0 and above), "discuss" (3.0 to 3.9), "concern" (below 3.0) or "" with no answers."""
    if mean is None:
        return ""
    if mean >= STRENGTH:
        return "strength"
    if mean >= DISCUSS:
        return "discuss"
    return "concern"


BAND_LABELS: dict[str, str | Promise] = {
    "strength": _("Strength"),
    "discuss": _("To discuss"),
    "concern": _("Concern"),
    "": _("No answers"),
}
