"""Importing data values from CSV or XLSX: validate everything in memory, then upsert in bulk.

Two steps, both given the uploaded bytes:

* ``preview_import(access, data, filename)`` reads and checks every row and says what would happen
  (created / updated / unchanged, and every rejected row with its line, column and reason). It saves
  nothing.
* ``do_import_values(access, data, filename)`` checks again and, only if no row is rejected, writes all
  rows in one transaction (``INSERT … ON CONFLICT DO UPDATE`` in batches) and records an
  ``ImportBatch``. A value's identity is (indicator, period, organisation, option combination), so the
  same file imported twice changes nothing the second time.

Columns: ``indicator``, ``period``, ``organisation``, then ``value`` (or ``numerator`` and
``denominator`` for percentages) and one column per disaggregation category of the coalition, named
like the category, holding the option's name (blank = not broken down by it). ``template(indicator)``
gives the header and rows of a ready-to-fill file for one indicator.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.core import audit
from coalition.core.permissions import Perm
from coalition.core.tabular import RowError, TableError, group_errors, read_csv_lists
from coalition.measurement import periods
from coalition.measurement.actions import ensure_combinations
from coalition.measurement.freshness import data_changed
from coalition.measurement.models import (
    DataValue,
    DisaggregationCategory,
    ImportBatch,
    Indicator,
    OptionCombination,
    Submission,
)
from coalition.measurement.validation import InvalidValue, ValueRule
from coalition.stakeholders.models import Stakeholder

REQUIRED = ("indicator", "period", "organisation")
VALUE_COLUMNS = ("value", "numerator", "denominator")
UPSERT_HEAD = (
    "INSERT INTO measurement_datavalue (coalition_id, indicator_id, period_start, organisation_id, combination_id, "
    "value, numerator, denominator, entered_by_id, on_behalf, import_batch_id, created_at, updated_at) VALUES "
)
UPSERT_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
UPSERT_TAIL = (
    " ON CONFLICT (indicator_id, period_start, organisation_id, combination_id) DO UPDATE SET "
    "value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, "
    "entered_by_id = excluded.entered_by_id, on_behalf = excluded.on_behalf, "
    "import_batch_id = excluded.import_batch_id, updated_at = excluded.updated_at"
)
UPSERT_SQL = UPSERT_HEAD + UPSERT_ROW + UPSERT_TAIL  # one row (the bench's bare-driver baseline)
# On SQLite one INSERT of 500 rows (6,500 parameters, well under its limit) runs about 1.7 x quicker than
# executemany of one row each; on PostgreSQL psycopg's pipelined executemany is the quicker (bench/measurement.py).
# Either way a file never holds the same value twice (rejected as a duplicate row before this).
ROWS_PER_INSERT = 500
ROWS_PER_EXECUTEMANY = 5000


@lru_cache(maxsize=4)
def _upsert_sql(rows: int) -> str:
    return UPSERT_HEAD + ", ".join([UPSERT_ROW] * rows) + UPSERT_TAIL


@dataclass
class _IndicatorInfo:
    indicator: Indicator
    pk: int
    rule: ValueRule
    categories: dict[str, dict[str, int]]  # column name -> option name (lower) -> active option id
    first: dt.date
    last: dt.date | None
    period_cache: dict[str, dt.date] = field(default_factory=dict)


@dataclass
class ImportPreview:
    """What an import would do. ``errors`` lists every rejected row; ``grouped`` folds identical faults."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    valid: list[tuple] = field(default_factory=list, repr=False)  # rows to write

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    @property
    def grouped(self) -> list[dict[str, Any]]:
        return group_errors(self.errors)


def read_xlsx(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Rows of the first sheet of an XLSX file (read-only mode, so large files stream), each a list of
    cells in header order."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for files that are not workbooks
        raise TableError(_("This is not an Excel (.xlsx) workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(rows)]
    except StopIteration as exc:
        raise TableError(_("The file has no header row.")) from exc

    def text(cell: Any) -> str:
        if cell is None:
            return ""
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell).strip()

    def generate() -> Iterator[tuple[int, list[str]]]:
        for line, values in enumerate(rows, start=2):
            cells = [text(v) for v in values]
            if any(cells):
                cells += [""] * (len(header) - len(cells))
                yield line, cells
        workbook.close()

    return header, generate()


def _read(data: bytes, filename: str, optional: Sequence[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        header, rows = read_xlsx(data)
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c and c not in REQUIRED and c not in optional]
        if missing or unknown:
            raise TableError(
                _("The columns do not match the template (missing: %(missing)s; unknown: %(unknown)s).")
                % {"missing": ", ".join(missing) or "-", "unknown": ", ".join(unknown) or "-"}
            )
        return header, rows
    return read_csv_lists(data, REQUIRED, optional, strip=False)  # the few distinct texts are stripped once


def _period(info: _IndicatorInfo, text: str) -> dt.date:
    start = info.period_cache.get(text)
    if start is None:
        frequency = info.indicator.frequency
        try:
            start = periods.parse(frequency, text)
        except ValueError:
            day = dt.date.fromisoformat(text.strip())  # a period start typed as a date (Excel likes these)
            if periods.start_of(frequency, day) != day:
                raise
            start = day
        info.period_cache[text] = start
    return start


def _number(text: str, column: str) -> Decimal | None:
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvalidValue(_("This is not a number."), column) from None
    if not number.is_finite():
        raise InvalidValue(_("This is not a number."), column)
    return number


def _load(access: Access) -> tuple[dict[str, _IndicatorInfo], dict[str, int], list[str]]:
    coalition = access.coalition
    window = coalition.date_window
    categories = {
        c.pk: c for c in DisaggregationCategory.objects.filter(coalition=coalition).prefetch_related("options")
    }
    columns = sorted({c.name.strip().lower() for c in categories.values()})
    indicators: dict[str, _IndicatorInfo] = {}
    links = Indicator.categories.through.objects.filter(indicator__coalition=coalition).values_list(
        "indicator_id", "category_id"
    )
    by_indicator: dict[int, list[int]] = {}
    for indicator_id, category_id in links:
        by_indicator.setdefault(indicator_id, []).append(category_id)
    for indicator in Indicator.objects.filter(coalition=coalition, is_archived=False):
        used = [categories[c] for c in by_indicator.get(indicator.pk, [])]
        indicators[indicator.name.strip().lower()] = _IndicatorInfo(
            indicator,
            indicator.pk,
            ValueRule.of(indicator),
            {
                c.name.strip().lower(): {o.name.strip().lower(): o.pk for o in c.options.all() if o.is_active}
                for c in used
            },
            # The indicator's life, kept inside the coalition's date window (core.dates).
            periods.start_of(indicator.frequency, window.clamp(indicator.first_period)),
            periods.start_of(indicator.frequency, window.clamp(indicator.last_period or window.last)),
        )
    organisations = {
        name.strip().lower(): pk
        for name, pk in Stakeholder.objects.filter(coalition=coalition).values_list("name", "pk")
    }
    return indicators, organisations, columns


def preview_import(access: Access, data: bytes, filename: str = "") -> ImportPreview:
    """Read and check every row; report what importing would do. Raises ``TableError`` for an
    unreadable file. Saves nothing."""
    hub = access.can(Perm.ENTER_ANY_DATA)
    if not hub and not access.can(Perm.ENTER_OWN_DATA):
        raise PermissionDenied
    indicators, organisations, category_columns = _load(access)
    header, rows = _read(data, filename, [*VALUE_COLUMNS, *category_columns])
    column = {name: i for i, name in enumerate(header) if name}
    i_indicator, i_period, i_organisation = (column[c] for c in REQUIRED)
    i_value, i_numerator, i_denominator = (column.get(c) for c in VALUE_COLUMNS)
    i_categories = [column.get(c) for c in category_columns]
    preview = ImportPreview()
    errors = preview.errors
    seen: dict[tuple, int] = {}
    valid: list[tuple] = []
    combo_cache: dict[tuple, tuple[int, ...] | str] = {}
    numbers: dict[str, Decimal | None] = {"": None}  # the same few figures recur in big files
    checked: dict[tuple, tuple | InvalidValue] = {}  # so does what was typed: its verdict, once per indicator
    category_key, value_key = _key_of(i_categories), _key_of((i_value, i_numerator, i_denominator))
    unknown_indicator = _("Unknown indicator (check the spelling against the template).")
    unknown_organisation = _("Unknown organisation: it is not on the coalition's stakeholder map.")
    not_own = _("You can only import values for your own organisation.")
    bad_period = _("Wrong period format for this indicator (expected for example %(example)s).")
    outside = _("This period is outside the indicator's life.")
    duplicate = _("Duplicate row: the same value is given on an earlier line.")
    own = access.organisation_id

    def number(cells: list[str], index: int | None, name: str) -> Decimal | None:
        if index is None:
            return None
        text = cells[index]
        found = numbers.get(text)
        if found is None and text:
            clean = text.strip()
            found = _number(clean, name) if clean else None
            if len(numbers) < 10_000:
                numbers[text] = found
        return found

    # Cells come unstripped; each distinct text is stripped and looked up once.
    by_text: dict[str, _IndicatorInfo] = {}
    organisation_by_text: dict[str, int] = {}
    count = blank = 0
    for count, (line, cells) in enumerate(rows, start=1):  # noqa: B007 - the count is read after the loop
        text = cells[i_indicator]
        info = by_text.get(text)
        if info is None:
            info = indicators.get(text.strip().lower())
            if info is None:
                if not "".join(cells).strip():  # a row of spaces is a blank row
                    blank += 1
                else:
                    errors.append(RowError(line, unknown_indicator, "indicator"))
                continue
            if len(by_text) < 10_000:
                by_text[text] = info
        text = cells[i_organisation]
        organisation_id = organisation_by_text.get(text)
        if organisation_id is None:
            organisation_id = organisations.get(text.strip().lower())
            if organisation_id is None:
                errors.append(RowError(line, unknown_organisation, "organisation"))
                continue
            if len(organisation_by_text) < 100_000:
                organisation_by_text[text] = organisation_id
        if not hub and organisation_id != own:
            errors.append(RowError(line, not_own, "organisation"))
            continue
        text = cells[i_period]
        start = info.period_cache.get(text)
        if start is None:
            try:
                start = _period(info, text)
            except ValueError:
                errors.append(
                    RowError(line, bad_period % {"example": periods.EXAMPLES[info.indicator.frequency]}, "period")
                )
                continue
            if start < info.first or (info.last is not None and start > info.last):
                errors.append(RowError(line, outside, "period"))
                del info.period_cache[text]
                continue
        chosen = (info.pk, category_key(cells))
        options = combo_cache.get(chosen)
        if options is None:
            options = _options(info, category_columns, ["" if i is None else cells[i].strip() for i in i_categories])
            combo_cache[chosen] = options
        if isinstance(options, str):
            errors.append(RowError(line, options, "options"))
            continue
        typed = (info.pk, value_key(cells))
        figures = checked.get(typed)
        if figures is None:
            try:
                figures = info.rule.check(
                    number(cells, i_value, "value"),
                    number(cells, i_numerator, "numerator"),
                    number(cells, i_denominator, "denominator"),
                )
            except InvalidValue as exc:
                figures = exc
            if len(checked) < 100_000:
                checked[typed] = figures
        if isinstance(figures, InvalidValue):
            errors.append(RowError(line, figures.reason, figures.column))
            continue
        value, numerator, denominator = figures
        identity = (info.pk, start, organisation_id, options)
        first_line = seen.setdefault(identity, line)
        if first_line != line:
            errors.append(RowError(line, duplicate, "value"))
            continue
        valid.append((*identity, value, numerator, denominator, line))
    preview.rows = count - blank
    _compare(access, preview, valid)
    return preview


def _key_of(indexes: Sequence[int | None]) -> Callable[[list[str]], Any]:
    """A function of a row's cells that tells rows apart by these columns (absent ones are ignored),
    at C speed: the key of the caches that spare big files repeated work."""
    present = [i for i in indexes if i is not None]
    return itemgetter(*present) if present else (lambda _cells: None)


def _options(info: _IndicatorInfo, columns: Sequence[str], chosen: Sequence[str]) -> tuple[int, ...] | str:
    """Option ids of a row (sorted), or the reason they are not acceptable."""
    ids = []
    for column, text in zip(columns, chosen, strict=True):
        if not text:
            continue
        options = info.categories.get(column)
        if options is None:
            return _("This indicator is not broken down by “%(column)s”; leave it blank.") % {"column": column}
        option = options.get(text.lower())
        if option is None:
            return _("“%(text)s” is not an option of “%(column)s”.") % {"text": text[:40], "column": column}
        ids.append(option)
    if ids and len(ids) != len(info.categories):
        return _("Give an option for every category of this indicator (%(names)s), or none for the total.") % {
            "names": ", ".join(info.categories)
        }
    return tuple(sorted(ids))


def _compare(access: Access, preview: ImportPreview, valid: list[tuple]) -> None:
    """Count created / updated / unchanged against stored values; refuse rows of locked periods."""
    if not valid:
        return
    indicator_ids = {r[0] for r in valid}
    starts = [r[1] for r in valid]
    keys = {OptionCombination.key_for(options): options for options in {r[3] for r in valid}}
    combos = dict(
        OptionCombination.objects.filter(coalition=access.coalition, key__in=list(keys)).values_list("pk", "key")
    )
    existing = {
        (i, p, o, keys.get(combos.get(c, ""), ())): (v, n, d)
        for i, p, o, c, v, n, d in DataValue.objects.filter(
            indicator_id__in=indicator_ids, period_start__gte=min(starts), period_start__lte=max(starts)
        )
        .filter(combination_id__in=list(combos))
        .values_list(
            "indicator_id", "period_start", "organisation_id", "combination_id", "value", "numerator", "denominator"
        )
        .iterator(chunk_size=20000)
    }
    locked = set(
        Submission.objects.filter(indicator_id__in=indicator_ids, state=Submission.State.LOCKED).values_list(
            "indicator_id", "period_start", "organisation_id"
        )
    )
    if not existing and not locked:  # all new (a first import): nothing to compare, row by row
        preview.created = len(valid)
        preview.valid = [row[:7] for row in valid]
        preview.errors.sort(key=lambda e: e.line)
        return
    changes = []
    for row in valid:
        if locked and row[:3] in locked:
            preview.errors.append(
                RowError(row[7], _("This period is locked; ask the hub to correct it with a reason."), "period")
            )
            continue
        stored = existing.get(row[:4])
        if stored is None:
            preview.created += 1
        elif stored == row[4:7]:
            preview.unchanged += 1
            continue
        else:
            preview.updated += 1
        changes.append(row[:7])
    preview.errors.sort(key=lambda e: e.line)
    preview.valid = changes


@transaction.atomic
def do_import_values(access: Access, data: bytes, filename: str = "") -> tuple[ImportBatch | None, ImportPreview]:
    """Check the file again and, if every row is acceptable, write it; otherwise write nothing.

    Returns the batch (``None`` when refused) and the preview with the counts or the errors.
    """
    preview = preview_import(access, data, filename)
    if not preview.ok:
        return None, preview
    batch = ImportBatch.objects.create(
        coalition=access.coalition,
        imported_by=access.user,
        filename=filename[:255],
        rows=preview.rows,
        created=preview.created,
        updated=preview.updated,
        unchanged=preview.unchanged,
    )
    upsert(access, preview.valid, batch)
    audit.record(
        access.user,
        "values.imported",
        batch,
        coalition=access.coalition,
        after={"rows": preview.rows, "created": preview.created, "updated": preview.updated},
    )
    return batch, preview


def upsert(access: Access, rows: Sequence[tuple], batch: ImportBatch | None) -> None:
    """Insert or update ``(indicator_id, period, organisation_id, option_ids, value, num, den)`` rows."""
    combos = ensure_combinations(access.coalition, {r[3] for r in rows})
    combo_ids = {options: combos[OptionCombination.key_for(options)] for options in {r[3] for r in rows}}
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    coalition_id, user_id, own = access.coalition.pk, access.user.pk, access.organisation_id
    batch_id = batch.pk if batch else None
    day = {start: ops.adapt_datefield_value(start) for start in {r[1] for r in rows}}  # as the driver takes it

    def fields(row: tuple) -> tuple:
        indicator, start, organisation, options, value, numerator, denominator = row
        return (
            coalition_id,
            indicator,
            day[start],
            organisation,
            combo_ids[options],
            value,
            numerator,
            denominator,
            user_id,
            organisation != own,
            batch_id,
            now,
            now,
        )

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for i in range(0, len(rows), ROWS_PER_INSERT):
                chunk = rows[i : i + ROWS_PER_INSERT]
                cursor.execute(_upsert_sql(len(chunk)), [value for row in chunk for value in fields(row)])
        else:
            for i in range(0, len(rows), ROWS_PER_EXECUTEMANY):
                cursor.executemany(UPSERT_SQL, [fields(row) for row in rows[i : i + ROWS_PER_EXECUTEMANY]])
    touched: dict[int, tuple[set[dt.date], set[int]]] = {}
    for indicator, start in {(r[0], r[1]) for r in rows}:
        touched.setdefault(indicator, (set(), set()))[0].add(start)
    for indicator, organisation in {(r[0], r[2]) for r in rows}:
        touched[indicator][1].add(organisation)
    data_changed(coalition_id, touched)


def template(indicator: Indicator) -> tuple[list[str], list[list[str]]]:
    """Header and example rows of an import file for one indicator: one row per option combination
    for the current period, organisation and value left for the member to fill in."""
    categories = list(indicator.categories.all().prefetch_related("options"))
    values = ["numerator", "denominator"] if indicator.is_percentage else ["value"]
    header = [*REQUIRED, *(c.name for c in categories), *values]
    period = indicator.period_label(periods.start_of(indicator.frequency, timezone.localdate()))
    option_names = [[o.name for o in c.options.all() if o.is_active] for c in categories]
    combinations = list(itertools.product(*option_names)) if categories else [()]
    rows = [[indicator.name, period, "", *combo, *[""] * len(values)] for combo in combinations]
    return header, rows
