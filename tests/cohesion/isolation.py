"""Isolation factories for cohesion: one object of the given coalition per URL keyword."""

from collections.abc import Callable
from typing import Any

FACTORIES: dict[str, Callable[[Any], int]] = {}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA: dict[str, Callable[[Any], dict[str, str]]] = {
    "cohesion:indicators": lambda coalition: {"key": "cohesion.joint_plans"},
}
