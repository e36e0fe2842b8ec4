"""Bodies the hub's POST to the DHIS2 exchange screen would have saved: a refused POST changes nothing."""

from collections.abc import Callable
from typing import Any

from tests.measurement.builders import make_indicator


def _codes(coalition: Any) -> dict[str, str]:
    return {f"indicator-{make_indicator(coalition, 'Mapped readers').pk}": "deMapped001"}


POST_DATA: dict[str, Callable[[Any], dict[str, Any]]] = {"exchange:dhis2": _codes}
