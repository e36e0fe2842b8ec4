"""The decision log words a poll's rule from the poll's own fields at display time, in the reader's language,
with the plural the count needs."""

from __future__ import annotations

from django.utils import translation

from coalition.decisions.log import rule_of
from coalition.decisions.models import Kind, Poll


def test_the_seats_of_a_ranked_election_take_the_plural_their_count_needs() -> None:
    one, two = Poll(kind=Kind.STV, seats=1), Poll(kind=Kind.STV, seats=2)
    with translation.override("en"):
        assert rule_of(one).endswith(", 1 seat") and rule_of(two).endswith(", 2 seats")
    with translation.override("fr"):
        assert rule_of(one).endswith(", 1 siège") and rule_of(two).endswith(", 2 sièges")
        assert rule_of(one).startswith(str(Kind.STV.label)) and "seat" not in rule_of(one)
    with translation.override("es"):
        assert rule_of(one).endswith(", 1 puesto") and rule_of(two).endswith(", 2 puestos")
