"""One parser and check for every number a person types or a file brings, whatever the path (forms,
imports, actions, the API): a stored amount is always finite and fits its ``DecimalField``.

``parse_amount`` reads text (``1,234.5``, ``1 234``, surrounding spaces; blank is ``None``);
``check_amount`` checks a ``Decimal`` against the field's ``max_digits`` and ``decimal_places``, as the
field's own ``DecimalValidator`` would, after dropping trailing zeros (``1.50000`` is ``1.5``). Both
raise ``NumberError`` with a translatable reason.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _

MAX_TEXT = 100  # no amount needs more characters; longer text is refused before it is parsed
_SEPARATORS = re.compile(r"[\s,_\u00a0\u202f]")


class NumberError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def limits_of(field: models.Field[object, object]) -> tuple[int, int]:
    """``(max_digits, decimal_places)`` of a model's ``DecimalField``."""
    assert isinstance(field, models.DecimalField), field
    assert field.max_digits is not None and field.decimal_places is not None
    return field.max_digits, field.decimal_places


def check_amount(number: Decimal, max_digits: int, decimal_places: int) -> Decimal:
    """``number`` as it will be stored (``-0`` becomes ``0``), or ``NumberError`` if it is not finite or
    does not fit ``max_digits`` digits with at most ``decimal_places`` after the point."""
    if not number.is_finite():
        raise NumberError(_("Enter a finite number."))
    if number.is_zero():
        return Decimal(0)
    _sign, digits, exponent = number.as_tuple()  # not normalize(): it rounds to the context's precision
    assert isinstance(exponent, int)
    kept = len(digits)
    while exponent < 0 and kept > 1 and digits[kept - 1] == 0:  # trailing zeros after the point
        kept, exponent = kept - 1, exponent + 1
    decimals = max(0, -exponent)
    whole = max(0, kept + exponent)
    if decimals > decimal_places:
        raise NumberError(_("Use at most %(places)s decimal places.") % {"places": decimal_places})
    if whole > max_digits - decimal_places:
        raise NumberError(
            _("The number is too large (at most %(digits)s digits before the decimal point).")
            % {"digits": max_digits - decimal_places}
        )
    return number


def parse_amount(text: str | Decimal | int | None, max_digits: int, decimal_places: int) -> Decimal | None:
    """A typed or imported amount checked as ``check_amount`` does; blank text is ``None``.
    Thousands separators (comma, space, no-break space, underscore) are ignored."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return check_amount(text, max_digits, decimal_places)
    if isinstance(text, int):
        return check_amount(Decimal(text), max_digits, decimal_places)
    cleaned = _SEPARATORS.sub("", text)
    if not cleaned:
        return None
    if len(cleaned) > MAX_TEXT:
        raise NumberError(_("The number is too long."))
    try:
        number = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        raise NumberError(_("This is not a number.")) from None
    return check_amount(number, max_digits, decimal_places)
