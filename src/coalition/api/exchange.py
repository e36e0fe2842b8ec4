"""Data values in and out in DHIS2's dataValueSet shape, through the codes of the mapping screen.

A data value is ``dataElement`` (our indicator), ``period`` (DHIS2's ISO form: ``2024`` annual,
``2024Q1`` quarterly, ``202401`` monthly, ``2024W3`` weekly), ``orgUnit`` (our organisation),
``categoryOptionCombo`` (our option combination; the total maps to DHIS2's default combo) and ``value``.
Imports are turned into rows of measurement's own import file and go through ``measurement.imports``,
so every rule of an import applies and every rejected row is reported with its line and reason.
Two-week periods have no DHIS2 equivalent (DHIS2 counts bi-weeks from each year's first week) and
percentages travel as their value only, so those rows are refused on import with a reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from coalition.api.models import Dhis2Code
from coalition.coalitions.access import Access
from coalition.core.tabular import RowError, RowErrors, TableError, decode_upload, read_csv
from coalition.measurement import imports, periods
from coalition.measurement.models import CategoryOption, DataValue, Indicator, OptionCombination
from coalition.stakeholders.models import Stakeholder

DEFAULT_COMBO = "HllvX50cXC0"  # DHIS2's "default" category option combo: the undisaggregated total
COLUMNS = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "value")
Kind = Dhis2Code.Kind

_DHIS2 = {
    periods.ANNUAL: re.compile(r"^(\d{4})$"),
    periods.QUARTERLY: re.compile(r"^(\d{4})Q([1-4])$"),
    periods.MONTHLY: re.compile(r"^(\d{4})(\d{2})$"),
    periods.WEEKLY: re.compile(r"^(\d{4})W(\d{1,2})$"),
}


def to_dhis2(frequency: str, start: dt.date) -> str | None:
    """DHIS2's ISO period for the period starting at ``start`` (``None``: no DHIS2 equivalent)."""
    if frequency == periods.ANNUAL:
        return f"{start.year}"
    if frequency == periods.QUARTERLY:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if frequency == periods.MONTHLY:
        return f"{start.year}{start.month:02d}"
    if frequency == periods.WEEKLY:
        year, week, _day = start.isocalendar()
        return f"{year}W{week}"
    return None


def from_dhis2(frequency: str, text: str) -> dt.date:
    """The start of the period DHIS2 writes ``text`` for an indicator of ``frequency``; ``ValueError`` if it
    is not a DHIS2 period of that frequency."""
    pattern = _DHIS2.get(frequency)
    match = pattern.match(text.strip()) if pattern else None
    if match is None:
        raise ValueError(text)
    year = int(match.group(1))
    if frequency == periods.ANNUAL:
        return periods.parse(frequency, f"{year}")
    if frequency == periods.QUARTERLY:
        return periods.parse(frequency, f"{year}-Q{match.group(2)}")
    if frequency == periods.MONTHLY:
        return periods.parse(frequency, f"{year}-{match.group(2)}")
    return periods.parse(frequency, f"{year}-W{int(match.group(2)):02d}")


@dataclass
class Codes:
    """A coalition's mapping both ways: (kind, local key) → code and (kind, code) → local key."""

    out: dict[tuple[str, str], str] = field(default_factory=dict)
    back: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, coalition: Any) -> Codes:
        codes = cls()
        for kind, key, code in Dhis2Code.objects.filter(coalition=coalition).values_list("kind", "local_key", "code"):
            codes.out[(kind, key)] = code
            codes.back[(kind, code)] = key
        codes.out.setdefault((Kind.COMBINATION, ""), DEFAULT_COMBO)
        codes.back.setdefault((Kind.COMBINATION, DEFAULT_COMBO), "")
        return codes


@dataclass
class Exported:
    rows: list[dict[str, str]]
    skipped: int  # values whose indicator, organisation, options or period have no DHIS2 code


def export_values(access: Access) -> Exported:
    """Every value of the coalition whose records are mapped, as dataValueSet rows."""
    codes = Codes.of(access.coalition)
    rows: list[dict[str, str]] = []
    skipped = 0
    values = (
        DataValue.objects.filter(coalition=access.coalition, indicator__is_archived=False)
        .select_related("indicator", "combination")
        .order_by("indicator_id", "period_start", "organisation_id", "combination__key")
    )
    for value in values.iterator(chunk_size=5000):
        element = codes.out.get((Kind.INDICATOR, str(value.indicator_id)))
        unit = codes.out.get((Kind.ORGANISATION, str(value.organisation_id)))
        combo = codes.out.get((Kind.COMBINATION, value.combination.key))
        period = to_dhis2(value.indicator.frequency, value.period_start)
        if not (element and unit and combo and period):
            skipped += 1
            continue
        figure = value.value.normalize()
        rows.append(
            {
                "dataElement": element,
                "period": period,
                "orgUnit": unit,
                "categoryOptionCombo": combo,
                "value": f"{figure:f}",
            }
        )
    return Exported(rows, skipped)


def export_csv(exported: Exported) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(exported.rows)
    return out.getvalue()


def export_json(exported: Exported) -> dict[str, Any]:
    """DHIS2's JSON dataValueSet (with how many values had no code and were left out)."""
    return {"dataValues": exported.rows, "skipped": exported.skipped}


def rows_of_upload(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of an uploaded dataValueSet: JSON (``.json``) or CSV (anything else); ``TableError`` if unreadable."""
    if filename.lower().endswith(".json"):
        try:
            payload = json.loads(decode_upload(data))
        except ValueError as exc:
            raise TableError(_("This is not a JSON dataValueSet.")) from exc
        return rows_of_json(payload)
    return rows_of_csv(data)


def rows_of_json(payload: dict[str, Any]) -> list[dict[str, str]]:
    """The rows of a dataValueSet: each data value, its missing ``period``/``orgUnit`` taken from the set."""
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        raise TableError(_("A dataValueSet needs a list of dataValues."))
    found = []
    for item in payload["dataValues"]:
        item = item if isinstance(item, dict) else {}
        found.append(
            {
                name: str(item.get(name) or payload.get(name) or "")
                for name in ("dataElement", "period", "orgUnit", "categoryOptionCombo", "value")
            }
        )
    return found


def rows_of_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of a dataValueSet CSV (DHIS2's columns, any order; an HXL hashtag row is skipped)."""
    _header, rows = read_csv(data, ("dataelement", "period", "orgunit", "value"), ("categoryoptioncombo",))
    return [
        {
            "dataElement": row.get("dataelement", ""),
            "period": row.get("period", ""),
            "orgUnit": row.get("orgunit", ""),
            "categoryOptionCombo": row.get("categoryoptioncombo", ""),
            "value": row.get("value", ""),
        }
        for _line, row in rows
    ]


@dataclass
class Imported:
    saved: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _translate(
    access: Access, rows: Iterable[dict[str, str]], errors: RowErrors
) -> Iterator[tuple[int, list[str], dict[str, str]]]:
    """Our import file's cells for each mapped row (line 2 is the first data value); faults go to ``errors``."""
    codes = Codes.of(access.coalition)
    indicators = {str(i.pk): i for i in Indicator.objects.filter(coalition=access.coalition)}
    names = dict(Stakeholder.objects.filter(coalition=access.coalition).values_list("pk", "name"))
    options = {
        o.pk: (o.category.name, o.name)
        for o in CategoryOption.objects.filter(category__coalition=access.coalition).select_related("category")
    }
    for line, row in enumerate(rows, start=2):
        indicator = indicators.get(codes.back.get((Kind.INDICATOR, row["dataElement"].strip()), ""))
        if indicator is None:
            errors.append(RowError(line, _("No indicator is mapped to this data element."), "dataElement"))
            continue
        organisation = names.get(int(codes.back.get((Kind.ORGANISATION, row["orgUnit"].strip()), "0") or 0))
        if organisation is None:
            errors.append(RowError(line, _("No organisation is mapped to this org unit."), "orgUnit"))
            continue
        key = codes.back.get((Kind.COMBINATION, row["categoryOptionCombo"].strip() or DEFAULT_COMBO))
        if key is None:
            errors.append(
                RowError(line, _("No options are mapped to this category option combo."), "categoryOptionCombo")
            )
            continue
        try:
            start = from_dhis2(indicator.frequency, row["period"])
        except ValueError:
            errors.append(RowError(line, _("Not a DHIS2 period of this indicator's frequency."), "period"))
            continue
        chosen = {options[int(i)][0]: options[int(i)][1] for i in key.split(".") if i and int(i) in options}
        yield line, [indicator.name, indicator.period_label(start), organisation, row["value"]], chosen


def import_values(access: Access, rows: list[dict[str, str]], filename: str = "dataValueSet") -> Imported:
    """Import dataValueSet rows through measurement's import: all saved, or none with every fault listed."""
    errors = RowErrors()
    translated = list(_translate(access, rows, errors))
    columns = sorted({name for _line, _cells, chosen in translated for name in chosen})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator", "period", "organisation", "value", *columns])
    source_line: dict[int, int] = {}
    for generated, (line, cells, chosen) in enumerate(translated, start=2):
        writer.writerow([*cells, *(chosen.get(c, "") for c in columns)])
        source_line[generated] = line
    data = out.getvalue().encode()
    if not translated:
        return Imported(False, len(rows), errors=sorted(errors, key=lambda e: e.line))
    if errors:
        preview = imports.preview_import(access, data, filename + ".csv")
        found = [*errors, *(RowError(source_line.get(e.line, e.line), e.reason, e.column) for e in preview.errors)]
        return Imported(False, len(rows), errors=sorted(found, key=lambda e: e.line))
    batch, preview = imports.do_import_values(access, data, filename + ".csv")
    if batch is None:
        found = [RowError(source_line.get(e.line, e.line), e.reason, e.column) for e in preview.errors]
        return Imported(False, len(rows), errors=sorted(found, key=lambda e: e.line))
    return Imported(True, len(rows), preview.created, preview.updated, preview.unchanged)


def combination_choices(coalition: Any) -> list[tuple[str, str]]:
    """Every option combination values use or could use, as (key, label): the total, then used ones."""
    keys = {""} | set(OptionCombination.objects.filter(coalition=coalition).values_list("key", flat=True))
    names = {o.pk: o.name for o in CategoryOption.objects.filter(category__coalition=coalition)}
    labelled = [(k, " × ".join(names.get(int(i), "?") for i in k.split(".")) if k else _("Total")) for k in keys]
    return sorted(labelled, key=lambda kv: (kv[0] != "", kv[1]))
