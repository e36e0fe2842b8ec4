"""Isolation factories for cohesion: one object of the given coalition per URL keyword."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coalition.cohesion.models import HealthCheck


def _check(coalition: Any) -> int:
    return HealthCheck.objects.create(coalition=coalition, title="Check", held_on=timezone.localdate()).pk


FACTORIES: dict[str, Callable[[Any], int]] = {"check_id": _check}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA: dict[str, Callable[[Any], dict[str, str]]] = {
    "cohesion:indicators": lambda coalition: {"key": "cohesion.joint_plans"},
    "cohesion:health": lambda coalition: {"title": "Sneaky check"},
    "cohesion:health_check": lambda coalition: {"convening": "5", "value": "4"},
}
