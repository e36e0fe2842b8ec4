"""Reading a stakeholder CSV into a plan: what would be created, updated or left unchanged, and which
rows are rejected (line, column, reason). Planning never saves; ``actions.do_import_stakeholders`` does.

Rows are matched to the map by name, ignoring case, so importing the same file twice changes nothing.
Columns left out of the file are left alone; a blank rating, kind, level or engagement keeps the
current value (or the default for a new stakeholder); blank yes/no columns mean "no".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.core.tabular import RowError, TableError, read_csv
from coalition.stakeholders.models import FLAG_FIELDS, STAKEHOLDER_FIELDS, Level, Sector, Stakeholder

REQUIRED = ("name", "sector")
OPTIONAL = tuple(name for name in STAKEHOLDER_FIELDS if name not in REQUIRED)
COLUMNS = (*REQUIRED, *OPTIONAL)
# The HXL hashtag of each column (``?hxl=1`` on the export and the template; the import skips that row).
HXL_TAGS = {
    "name": "#org +name",
    "sector": "#org +type +sector",
    "kind": "#org +type +kind",
    "level": "#loc +level",
    "place": "#loc +name",
    "power": "#indicator +power +num",
    "interest": "#indicator +interest +num",
    **{flag: f"#status +{flag}" for flag in FLAG_FIELDS},
    "engagement": "#status +engagement",
    "email": "#contact +email",
    "phone": "#contact +phone",
    "website": "#contact +url",
    "notes": "#description +notes",
}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "sector": Sector,
    "kind": Stakeholder.Kind,
    "level": Level,
    "engagement": Stakeholder.Engagement,
}
RATING_COLUMNS = ("power", "interest")
FLAG_COLUMNS = FLAG_FIELDS
TEXT_LIMITS = {"name": 200, "place": 200, "phone": 50, "notes": 10_000}
YES = {"yes", "y", "true", "1", "x", "oui", "sí", "si"}
NO = {"no", "n", "false", "0", ""}

EXAMPLE_ROWS = (
    {
        "name": "Riverside Tenants' Association",
        "sector": "community_based",
        "kind": "organisation",
        "level": "neighbourhood",
        "place": "Riverside",
        "power": "2",
        "interest": "5",
        "brings_stake": "yes",
        "lived_experience": "yes",
        "marginalised_group": "yes",
        "engagement": "contacted",
        "notes": "Meets on the first Monday of the month.",
    },
    {
        "name": "City Education Department",
        "sector": "government",
        "level": "local",
        "power": "5",
        "interest": "3",
        "brings_power": "yes",
        "brings_knowledge": "yes",
        "website": "https://example.org",
    },
)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.values["name"])


@dataclass(frozen=True)
class Update:
    stakeholder: Stakeholder
    row: ParsedRow
    changes: dict[str, Any]


@dataclass
class ImportPlan:
    creates: list[ParsedRow] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({error.line for error in self.errors})

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Accept the code or the label (in English or the current language), ignoring case."""
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        lookup[code.casefold()] = code
        lookup[str(label).casefold()] = code
        lookup[code.replace("_", " ").casefold()] = code
    return lookup


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


_BLANK = object()  # an optional cell left empty: no value, no error


class RowParser:
    def __init__(self) -> None:
        self.lookups = {name: _choice_lookup(choices) for name, choices in CHOICE_COLUMNS.items()}
        self.email = forms.EmailField(required=False)
        self.website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    def parse(self, line: int, raw: dict[str, str]) -> tuple[dict[str, Any], list[RowError]]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for column, text in raw.items():
            value, reason = self._cell(column, text)
            if reason is not None:
                errors.append(RowError(line=line, column=column, reason=reason))
            elif value is not _BLANK:
                values[column] = value
        return values, errors

    def _cell(self, column: str, text: str) -> tuple[Any, str | None]:
        """The value of one cell (``_BLANK`` when an optional cell is empty), or why it is refused."""
        if column in CHOICE_COLUMNS:
            return self._choice(column, text)
        if column in RATING_COLUMNS:
            if not text:
                return _BLANK, None
            ok = text.isdigit() and 1 <= int(text) <= 5
            return (int(text), None) if ok else (None, _("must be a whole number from 1 to 5"))
        if column in FLAG_COLUMNS:
            if text.casefold() in YES:
                return True, None
            return (False, None) if text.casefold() in NO else (None, _("must be yes or no"))
        if column in ("email", "website"):
            return self._clean(self.email if column == "email" else self.website, text)
        limit = TEXT_LIMITS[column]  # name, place, phone, notes
        if len(text) > limit:
            return None, _("is longer than %(limit)s characters") % {"limit": limit}
        if column == "name" and not text:
            return None, _("is empty; every stakeholder needs a name")
        return text, None

    def _choice(self, column: str, text: str) -> tuple[Any, str | None]:
        if not text:
            if column in REQUIRED:
                return None, _("is empty; choose one of: %(codes)s") % {"codes": self._codes(column)}
            return _BLANK, None
        code = self.lookups[column].get(text.casefold())
        if code is None:
            return None, _("is not one of: %(codes)s") % {"codes": self._codes(column)}
        return code, None

    @staticmethod
    def _clean(field_: forms.Field, text: str) -> tuple[Any, str | None]:
        try:
            return field_.clean(text), None
        except ValidationError as error:
            return None, " ".join(str(m) for m in error.messages)

    @staticmethod
    def _codes(column: str) -> str:
        return ", ".join(CHOICE_COLUMNS[column].values)


def plan_import(coalition: Coalition, data: bytes) -> ImportPlan:
    """Check a whole upload against the coalition's current map. Raises ``TableError`` for file-level
    problems (empty, not UTF-8, wrong columns, too many rows)."""
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": MAX_BYTES >> 20})
    _header, rows = read_csv(data, REQUIRED, OPTIONAL)
    existing = {
        s.name.casefold(): s
        for s in Stakeholder.objects.filter(coalition=coalition).only("id", "coalition", *COLUMNS, "is_archived")
    }
    parser = RowParser()
    plan = ImportPlan()
    seen: dict[str, int] = {}
    count = 0
    for line, raw in rows:
        count += 1
        if count > MAX_ROWS:
            raise TableError(
                _("The file has more than %(rows)s rows. Split it into smaller files.") % {"rows": MAX_ROWS}
            )
        values, errors = parser.parse(line, raw)
        key = str(values.get("name", "")).casefold()
        if key and key in seen:
            errors.append(RowError(line, _("repeats the name on line %(line)s") % {"line": seen[key]}, column="name"))
        elif key:
            seen[key] = line
        if errors:
            plan.errors.extend(errors)
            continue
        row = ParsedRow(line, values)
        current = existing.get(key)
        if current is None:
            plan.creates.append(row)
            continue
        changes = {name: value for name, value in values.items() if getattr(current, name) != value}
        if changes:
            plan.updates.append(Update(current, row, changes))
        else:
            plan.unchanged.append(row)
    if count == 0:
        raise TableError(_("The file has a header row but no stakeholders below it."))
    return plan


def export_rows(stakeholders: Iterable[Stakeholder]) -> Iterable[list[Any]]:
    """Rows in the template's columns, so an export can be edited and imported again."""
    for s in stakeholders:
        yield [yes_no(getattr(s, c)) if c in FLAG_COLUMNS else getattr(s, c) for c in COLUMNS]
