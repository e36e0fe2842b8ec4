"""Checking one reported value against its indicator's type and range (pure; shared by entry and import).

``ValueRule.check`` returns the value to store (a percentage computed from numerator and denominator)
or raises ``InvalidValue`` with a translatable reason naming the problem. Every figure, typed, imported
or handed to an action, is checked against the value fields' own limits (``core.numbers``): what is
stored is finite and fits ``DecimalField(max_digits=20, decimal_places=4)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from coalition.core.numbers import NumberError, check_amount, parse_amount
from coalition.measurement import calc
from coalition.measurement.models import AMOUNT

ZERO, ONE = Decimal(0), Decimal(1)
# Of every stored figure: the fields' DecimalField(20, 4), less one whole digit, since SQLite keeps a
# decimal column as a float and a 16-digit whole part read back would no longer fit the field.
MAX_DIGITS, DECIMAL_PLACES = AMOUNT["max_digits"] - 1, AMOUNT["decimal_places"]


class InvalidValue(ValueError):
    def __init__(self, reason: str, column: str = "value") -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


def parse_decimal(text: str | Decimal | int | None, column: str = "value") -> Decimal | None:
    """A number typed by a person or read from a file: blanks are ``None``; ``1,234.5`` and ``1 234`` work.
    Anything the value fields cannot store (not finite, too many digits or decimals) raises ``InvalidValue``."""
    try:
        return parse_amount(text, MAX_DIGITS, DECIMAL_PLACES)
    except NumberError as exc:
        raise InvalidValue(exc.reason, column) from None


def _storable(number: Decimal | None, column: str) -> Decimal | None:
    if number is None:
        return None
    try:
        return check_amount(number, MAX_DIGITS, DECIMAL_PLACES)
    except NumberError as exc:
        raise InvalidValue(exc.reason, column) from None


@dataclass(frozen=True)
class ValueRule:
    """What an indicator accepts (built from the indicator by ``ValueRule.of``)."""

    kind: str
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @classmethod
    def of(cls, indicator: object) -> ValueRule:
        return cls(indicator.kind, indicator.min_value, indicator.max_value)  # type: ignore[attr-defined]

    def check(
        self, value: Decimal | None, numerator: Decimal | None = None, denominator: Decimal | None = None
    ) -> tuple[Decimal, Decimal | None, Decimal | None]:
        """``(value, numerator, denominator)`` to store, or ``InvalidValue``."""
        value, numerator = _storable(value, "value"), _storable(numerator, "numerator")
        denominator = _storable(denominator, "denominator")
        if self.kind == "percentage":
            if numerator is None or denominator is None:
                raise InvalidValue(_("A percentage needs both a numerator and a denominator."), "numerator")
            if denominator <= 0:
                raise InvalidValue(_("The denominator must be greater than zero."), "denominator")
            if numerator < 0:
                raise InvalidValue(_("The numerator cannot be negative."), "numerator")
            if numerator > denominator:
                raise InvalidValue(_("The numerator cannot be larger than the denominator."), "numerator")
            value = calc.percentage(numerator, denominator)
            assert value is not None
            self._check_range(value)
            return value, numerator, denominator
        if value is None:
            raise InvalidValue(_("Enter a value."))
        if self.kind == "count":
            if value < 0:
                raise InvalidValue(_("A count cannot be negative."))
            if value != value.to_integral_value():
                raise InvalidValue(_("A count must be a whole number."))
        elif self.kind == "yes_no":
            if value not in (ZERO, ONE):
                raise InvalidValue(_("Enter 1 for yes or 0 for no."))
        elif self.kind == "money" and value < 0:
            raise InvalidValue(_("An amount of money cannot be negative."))
        self._check_range(value)
        return value, None, None

    def _check_range(self, value: Decimal) -> None:
        if self.min_value is not None and value < self.min_value:
            raise InvalidValue(_("The value is below the lowest allowed (%(min)s).") % {"min": self.min_value})
        if self.max_value is not None and value > self.max_value:
            raise InvalidValue(_("The value is above the highest allowed (%(max)s).") % {"max": self.max_value})


def parse_yes_no(text: str) -> Decimal | None:
    """``yes``/``no``/``1``/``0`` (any case) as 1/0 for yes/no indicators; other text raises."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    if cleaned in {"yes", "y", "true", "1"}:
        return ONE
    if cleaned in {"no", "n", "false", "0"}:
        return ZERO
    raise InvalidValue(_("Enter yes or no (or 1 / 0)."))
