"""Importing data values from CSV or XLSX: validate everything in memory, then upsert in bulk.

Two steps, both given the uploaded bytes:

* ``preview_import(access, data, filename)`` reads and checks every row and says what would happen
  (created / updated / unchanged, and every rejected row with its line, column and reason). It saves
  nothing.
* ``do_import_values(access, data, filename)`` checks again and, only if no row is rejected, writes all
  rows in one transaction and records an ``ImportBatch``: on SQLite ``INSERT … ON CONFLICT DO UPDATE``
  in batches, on PostgreSQL a ``COPY`` into a temporary table and one ``INSERT … SELECT … ON CONFLICT DO
  UPDATE`` from it (a plain ``INSERT`` for rows of which nothing is stored yet; the engine's fastest way
  in, about ten times quicker than row-by-row statements). A value's identity is (indicator, period, organisation, option combination), so the
  same file imported twice changes nothing the second time.

Columns: ``indicator``, ``period``, ``organisation``, then ``value`` (or ``numerator`` and
``denominator`` for percentages) and one column per disaggregation category of the coalition, named
like the category, holding the option's name (blank = not broken down by it). ``template(indicator)``
gives the header and rows of a ready-to-fill file for one indicator.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.core import audit
from coalition.core.bulk import stage_rows
from coalition.core.permissions import Perm
from coalition.core.tabular import RowError, RowErrors, group_errors, read_csv_lists, read_xlsx_lists
from coalition.measurement import periods
from coalition.measurement.actions import change_refused, ensure_combinations
from coalition.measurement.freshness import data_changed
from coalition.measurement.models import (
    DataValue,
    DisaggregationCategory,
    ImportBatch,
    Indicator,
    OptionCombination,
    Submission,
)
from coalition.measurement.validation import InvalidValue, ValueRule, parse_decimal
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
UPSERT_SQL = UPSERT_HEAD + UPSERT_ROW + UPSERT_TAIL  # one row (the bench's SQLite bare-driver baseline)
# On SQLite one INSERT of 500 rows (6,500 parameters, well under its limit) runs about 1.7 x quicker than
# executemany of one row each. On PostgreSQL the rows are copied (binary COPY) into a temporary table and
# upserted from it by one statement; the figures the import writes alike for every row (coalition, who,
# which batch, when) are parameters of that statement, not copied. Either way a file never holds the same
# value twice (rejected as a duplicate row before this), as one INSERT … ON CONFLICT requires.
ROWS_PER_INSERT = 500
STAGE = "measurement_import_stage"
STAGE_COLUMNS = (
    ("indicator_id", "int8"),
    ("period_start", "date"),
    ("organisation_id", "int8"),
    ("combination_id", "int8"),
    ("value", "numeric"),
    ("numerator", "numeric"),
    ("denominator", "numeric"),
)
# Parameters: coalition, entered by, the importer's own organisation (on_behalf), batch, now, now.
STAGE_INSERT = (  # constant SQL fragments; values are parameters
    UPSERT_HEAD.removesuffix(" VALUES ")  # noqa: S608
    + " SELECT %s, indicator_id, period_start, organisation_id, combination_id, value, numerator, denominator, "
    + f"%s, organisation_id IS DISTINCT FROM %s, %s, %s, %s FROM {STAGE}"
)
# ``ON CONFLICT`` costs a speculative insertion per row (about a third more work than a plain insert), so
# rows known to be new (nothing stored for them when the file was checked) go in with ``STAGE_INSERT``
# alone, and this upsert is kept for files that change stored values (or when a concurrent writer
# stored one of the identities since: see ``_copy_upsert``).
STAGE_UPSERT = STAGE_INSERT + UPSERT_TAIL
State = Submission.State
MISSING: Any = object()  # not in a cache (an empty option tuple, the total, is a cached answer)


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
    errors: RowErrors = field(default_factory=RowErrors)
    valid: list[tuple] = field(default_factory=list, repr=False)  # rows to write
    # Nothing is stored for the rows' values or periods (a first import): writing them only inserts.
    fresh: bool = False
    # (indicator_id, period_start, organisation_id) -> its state: periods the import submits for review
    for_review: dict[tuple, str] = field(default_factory=dict, repr=False)

    @property
    def returned_for_review(self) -> int:
        """Approved periods the import changes, which go back to the review queue."""
        return sum(1 for state in self.for_review.values() if state == Submission.State.APPROVED)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    @property
    def grouped(self) -> list[dict[str, Any]]:
        return group_errors(self.errors)


def _read(data: bytes, filename: str, optional: Sequence[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and rows of a CSV or XLSX upload, bounded in rows and unpacked size (``core.tabular``)."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx_lists(data, REQUIRED, optional)
    return read_csv_lists(data, REQUIRED, optional, strip=False)  # the few distinct texts are stripped once


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
    unreadable file (or one over the row or size bounds). Saves nothing."""
    hub = access.can(Perm.ENTER_ANY_DATA)
    if not hub and not access.can(Perm.ENTER_OWN_DATA):
        raise PermissionDenied
    indicators, organisations, category_columns = _load(access)
    header, rows = _read(data, filename, [*VALUE_COLUMNS, *category_columns])
    preview = ImportPreview()
    check = _RowCheck(access, hub, header, indicators, organisations, category_columns, preview.errors)
    preview.rows = check.run(rows)
    _compare(access, preview, check.valid)
    return preview


class _RowCheck:
    """The checks of one import's rows. Big files repeat the same few texts, so each distinct text
    (indicator, organisation, period, options, figures) is looked up once and its verdict cached; the
    loop in ``run`` only reads the caches, and the methods it calls on a miss do the real work."""

    def __init__(
        self,
        access: Access,
        hub: bool,
        header: list[str],
        indicators: dict[str, _IndicatorInfo],
        organisations: dict[str, int],
        category_columns: list[str],
        errors: RowErrors,
    ) -> None:
        column = {name: i for i, name in enumerate(header) if name}
        self.i_indicator, self.i_period, self.i_organisation = (column[c] for c in REQUIRED)
        self.i_figures = tuple(column.get(c) for c in VALUE_COLUMNS)
        self.i_categories = [column.get(c) for c in category_columns]
        self.category_key, self.value_key = _key_of(self.i_categories), _key_of(self.i_figures)
        self.rest_key = _key_of([i for i in column.values() if i != self.i_organisation])
        self.hub, self.own = hub, access.organisation_id
        self.indicators, self.organisations, self.category_columns = indicators, organisations, category_columns
        self.errors = errors
        self.valid: list[tuple] = []
        self.blank = 0
        # Cells come unstripped; each distinct text is stripped and looked up once.
        self.by_text: dict[str, _IndicatorInfo] = {}
        self.organisation_by_text: dict[str, int] = {}
        self.combo_cache: dict[tuple, tuple[int, ...] | str] = {}
        self.numbers: dict[str, Decimal | None] = {"": None}  # the same few figures recur in big files
        self.checked: dict[tuple, tuple | InvalidValue] = {}  # so does what was typed: its verdict per indicator
        self.known: dict[Any, tuple] = {}  # the cells besides the organisation of accepted rows -> what they give

    def run(self, rows: Iterator[tuple[int, list[str]]]) -> int:
        """Check every row; returns how many non-blank rows the file has. A row whose organisation and
        other cells (indicator, period, options, figures) were all seen before on accepted rows costs
        two lookups; any other goes through every check (``_row``)."""
        errors, valid, known, organisation_by_text = self.errors, self.valid, self.known, self.organisation_by_text
        seen: dict[tuple[Any, ...], int] = {}
        i_organisation, rest_key = self.i_organisation, self.rest_key
        duplicate = _("Duplicate row: the same value is given on an earlier line.")
        count = 0
        for count, (line, cells) in enumerate(rows, start=1):  # noqa: B007 - the count is read after the loop
            organisation_id = organisation_by_text.get(cells[i_organisation])
            rest = known.get(rest_key(cells)) if organisation_id else None
            if rest is None:
                checked = self._row(line, cells)
                if checked is None:
                    continue
                organisation_id, rest = checked
            indicator_id, start, options, figures = rest
            identity = (indicator_id, start, organisation_id, options)
            if seen.setdefault(identity, line) != line:
                errors.append(RowError(line, duplicate, "value"))
                continue
            valid.append((*identity, *figures, line))
        return count - self.blank

    def _row(self, line: int, cells: list[str]) -> tuple[int, tuple] | None:
        """Every check of one row in turn (the first fault is its error): its organisation and the
        ``(indicator_id, period_start, option ids, figures)`` of the rest, or ``None`` if rejected."""
        info = self.by_text.get(cells[self.i_indicator]) or self._indicator(line, cells)
        if info is None:
            return None
        organisation_id = self.organisation_by_text.get(cells[self.i_organisation]) or self._organisation(line, cells)
        if organisation_id is None:
            return None
        start = info.period_cache.get(cells[self.i_period]) or self._period(info, line, cells[self.i_period])
        if start is None:
            return None
        options = self.combo_cache.get((info.pk, self.category_key(cells)), MISSING)
        if options is MISSING:
            options = self._combination(info, cells)
        if isinstance(options, str):
            self.errors.append(RowError(line, options, "options"))
            return None
        figures = self.checked.get((info.pk, self.value_key(cells))) or self._figures(info, cells)
        if isinstance(figures, InvalidValue):
            self.errors.append(RowError(line, figures.reason, figures.column))
            return None
        rest = (info.pk, start, options, figures)
        if len(self.known) < 100_000:
            self.known[self.rest_key(cells)] = rest
        return organisation_id, rest

    def _indicator(self, line: int, cells: list[str]) -> _IndicatorInfo | None:
        text = cells[self.i_indicator]
        info = self.indicators.get(text.strip().lower())
        if info is None:
            if not "".join(cells).strip():  # a row of spaces is a blank row
                self.blank += 1
            else:
                self.errors.append(
                    RowError(line, _("Unknown indicator (check the spelling against the template)."), "indicator")
                )
        elif info.indicator.computed_by:
            self.errors.append(
                RowError(line, _("This indicator is computed from the coalition's records, not imported."), "indicator")
            )
            return None
        elif len(self.by_text) < 10_000:
            self.by_text[text] = info
        return info

    def _organisation(self, line: int, cells: list[str]) -> int | None:
        text = cells[self.i_organisation]
        organisation_id = self.organisations.get(text.strip().lower())
        if organisation_id is None:
            reason = _("Unknown organisation: it is not on the coalition's stakeholder map.")
        elif not self.hub and organisation_id != self.own:
            reason = _("You can only import values for your own organisation.")
        else:
            if len(self.organisation_by_text) < 100_000:
                self.organisation_by_text[text] = organisation_id
            return organisation_id
        self.errors.append(RowError(line, reason, "organisation"))
        return None

    def _period(self, info: _IndicatorInfo, line: int, text: str) -> dt.date | None:
        frequency = info.indicator.frequency
        start: dt.date | None
        try:
            start = periods.parse(frequency, text)
        except ValueError:
            try:
                start = dt.date.fromisoformat(text.strip())  # a period start typed as a date (Excel likes these)
            except ValueError:
                start = None
            if start is None or periods.start_of(frequency, start) != start:
                reason = _("Wrong period format for this indicator (expected for example %(example)s).")
                self.errors.append(RowError(line, reason % {"example": periods.EXAMPLES[frequency]}, "period"))
                return None
        if start < info.first or (info.last is not None and start > info.last):
            self.errors.append(RowError(line, _("This period is outside the indicator's life."), "period"))
            return None
        if len(info.period_cache) < 10_000:
            info.period_cache[text] = start
        return start

    def _combination(self, info: _IndicatorInfo, cells: list[str]) -> tuple[int, ...] | str:
        chosen = ["" if i is None else cells[i].strip() for i in self.i_categories]
        options = _options(info, self.category_columns, chosen)
        if len(self.combo_cache) < 100_000:
            self.combo_cache[(info.pk, self.category_key(cells))] = options
        return options

    def _number(self, cells: list[str], index: int | None, column: str) -> Decimal | None:
        if index is None:
            return None
        text = cells[index]
        if text in self.numbers:
            return self.numbers[text]
        found = parse_decimal(text, column)
        if len(self.numbers) < 10_000:
            self.numbers[text] = found
        return found

    def _figures(self, info: _IndicatorInfo, cells: list[str]) -> tuple | InvalidValue:
        try:
            figures: tuple | InvalidValue = info.rule.check(
                *(self._number(cells, i, c) for i, c in zip(self.i_figures, VALUE_COLUMNS, strict=True))
            )
        except InvalidValue as exc:
            figures = InvalidValue(exc.reason, exc.column)  # never raised: no traceback (and its frames) kept
        if len(self.checked) < 100_000:
            self.checked[(info.pk, self.value_key(cells))] = figures
        return figures


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
    """Count created / updated / unchanged against stored values; a change to a period under review
    follows the entry grid's rule (``actions.change_refused``), and the periods whose review state the
    import moves are noted in ``preview.for_review``."""
    preview.errors.sort(key=lambda e: e.line)
    if not valid:
        return
    indicator_ids = {r[0] for r in valid}
    first, last = min(r[1] for r in valid), max(r[1] for r in valid)
    existing = _stored(access, valid, indicator_ids, first, last)
    states = {
        row[:3]: row[3]
        for row in Submission.objects.filter(
            indicator_id__in=indicator_ids, period_start__gte=first, period_start__lte=last
        ).values_list("indicator_id", "period_start", "organisation_id", "state")
    }
    on_behalf = access.can(Perm.ENTER_ANY_DATA)
    own = access.organisation_id
    if not existing and not states:  # all new (a first import): nothing to compare, row by row
        preview.created, preview.fresh = len(valid), True
        preview.valid = [row[:7] for row in valid]
        if on_behalf:
            preview.for_review = {row[:3]: State.DRAFT for row in valid if row[2] != own}
        return
    changes = []
    draft = State.DRAFT
    for row in valid:
        stored = existing.get(row[:4])
        if stored == row[4:7]:
            preview.unchanged += 1
            continue
        state = states.get(row[:3], draft)
        refused = change_refused(access, state)
        if refused:
            preview.errors.append(RowError(row[7], refused, "period"))
            continue
        if stored is None:
            preview.created += 1
        else:
            preview.updated += 1
        if state == State.APPROVED or (on_behalf and row[2] != own and state == draft):
            preview.for_review[row[:3]] = state
        changes.append(row[:7])
    preview.errors.sort(key=lambda e: e.line)
    preview.valid = changes


def _stored(
    access: Access, valid: list[tuple], indicator_ids: set[int], first: dt.date, last: dt.date
) -> dict[tuple, tuple]:
    """Stored figures of the rows' identities, keyed like the rows (options as a sorted tuple)."""
    keys = {OptionCombination.key_for(options): options for options in {r[3] for r in valid}}
    combos = dict(
        OptionCombination.objects.filter(coalition=access.coalition, key__in=list(keys)).values_list("pk", "key")
    )
    return {
        (i, p, o, keys.get(combos.get(c, ""), ())): (v, n, d)
        for i, p, o, c, v, n, d in DataValue.objects.filter(
            indicator_id__in=indicator_ids, period_start__gte=first, period_start__lte=last
        )
        .filter(combination_id__in=list(combos))
        .values_list(
            "indicator_id", "period_start", "organisation_id", "combination_id", "value", "numerator", "denominator"
        )
        .iterator(chunk_size=20000)
    }


@transaction.atomic
def do_import_values(access: Access, data: bytes, filename: str = "") -> tuple[ImportBatch | None, ImportPreview]:
    """Check the file again and, if every row is acceptable, write it; otherwise write nothing.

    Periods the hub imports for a member are submitted for review on its behalf (so they reach the
    review queue, and once approved the shared views); a changed approved period is submitted again.
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
    submit_for_review(access, preview.for_review, fresh=preview.fresh)
    try:
        upsert(access, preview.valid, batch, fresh=preview.fresh)
    except ReferenceGone:  # deleted while the file was checked: write nothing
        transaction.set_rollback(True)
        preview.errors.append(RowError(0, _("The coalition's data changed during the import; import the file again.")))
        return None, preview
    audit.record(
        access.user,
        "values.imported_on_behalf"
        if any(r[2] != access.organisation_id for r in preview.valid)
        else "values.imported",
        batch,
        coalition=access.coalition,
        after={
            "rows": preview.rows,
            "created": preview.created,
            "updated": preview.updated,
            "submitted_for_review": len(preview.for_review),
            "returned_for_review": preview.returned_for_review,
        },
    )
    return batch, preview


SUBMIT_HEAD = (
    "INSERT INTO measurement_submission (coalition_id, indicator_id, period_start, organisation_id, state, "
    "submitted_by_id, submitted_at, created_at, updated_at) VALUES "
)
SUBMIT_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s)"
SUBMIT_TAIL = (
    " ON CONFLICT (indicator_id, organisation_id, period_start) DO UPDATE SET state = excluded.state, "
    "submitted_by_id = excluded.submitted_by_id, submitted_at = excluded.submitted_at, reviewed_by_id = NULL, "
    "reviewed_at = NULL, updated_at = excluded.updated_at WHERE measurement_submission.state IN (%s, %s)"
)


SUBMIT_STAGE = "measurement_submit_stage"
SUBMIT_STAGE_COLUMNS = (("indicator_id", "int8"), ("period_start", "date"), ("organisation_id", "int8"))
SUBMIT_INSERT = (  # constant SQL fragments; values are parameters
    SUBMIT_HEAD.removesuffix(" VALUES ")  # noqa: S608
    + f" SELECT %s, indicator_id, period_start, organisation_id, %s, %s, %s, %s, %s FROM {SUBMIT_STAGE}"  # noqa: S608
)


def submit_for_review(access: Access, periods_: dict[tuple, str], *, fresh: bool = False) -> None:
    """Mark these ``(indicator_id, period_start, organisation_id)`` periods submitted by the importer
    (a draft or approved period; a submitted one stays as it is): in statements of ``ROWS_PER_INSERT``
    rows on SQLite, staged by COPY and upserted by one statement on PostgreSQL (inserted, when ``fresh``
    says none of the periods has a review state yet). Call it before ``upsert`` of the same rows, whose
    ``data_changed`` then refreshes the figures with these states."""
    if not periods_:
        return
    coalition_id, user_id, submitted = access.coalition.pk, access.user.pk, State.SUBMITTED
    unless: list[Any] = [State.DRAFT, State.APPROVED]
    if connection.vendor == "postgresql":
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            stage_rows(cursor, SUBMIT_STAGE, SUBMIT_STAGE_COLUMNS, periods_)
            parameters = [coalition_id, submitted, user_id, now, now, now]
            _insert_from_stage(cursor, fresh, SUBMIT_INSERT, parameters, SUBMIT_TAIL, unless)
            cursor.execute(f"DROP TABLE {SUBMIT_STAGE}")
        return
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (coalition_id, i, ops.adapt_datefield_value(p), o, submitted, user_id, stamp, stamp, stamp)
        for i, p, o in periods_
    ]
    with connection.cursor() as cursor:
        for k in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[k : k + ROWS_PER_INSERT]
            sql = SUBMIT_HEAD + ", ".join([SUBMIT_ROW] * len(chunk)) + SUBMIT_TAIL
            cursor.execute(sql, [v for row in chunk for v in row] + unless)


def upsert(access: Access, rows: Sequence[tuple], batch: ImportBatch | None, *, fresh: bool = False) -> None:
    """Insert or update ``(indicator_id, period, organisation_id, option_ids, value, num, den)`` rows
    (already checked: identities distinct, figures finite and within the field's size). ``fresh``: none
    of the identities was stored when the rows were checked (PostgreSQL then inserts without ``ON CONFLICT``)."""
    combos = ensure_combinations(access.coalition, {r[3] for r in rows})
    combo_ids = {options: combos[OptionCombination.key_for(options)] for options in {r[3] for r in rows}}
    coalition_id = access.coalition.pk
    with connection.cursor() as cursor:
        _lock_references(cursor, coalition_id, rows, combo_ids)
    if connection.vendor == "postgresql":
        _copy_upsert(access, rows, combo_ids, batch, fresh)
    else:
        _insert_upsert(access, rows, combo_ids, batch)
    touched: dict[int, tuple[set[dt.date], set[int]]] = {}
    for indicator, start in {(r[0], r[1]) for r in rows}:
        touched.setdefault(indicator, (set(), set()))[0].add(start)
    for indicator, organisation in {(r[0], r[2]) for r in rows}:
        touched[indicator][1].add(organisation)
    data_changed(coalition_id, touched)


def _insert_upsert(
    access: Access, rows: Sequence[tuple], combo_ids: dict[tuple, int], batch: ImportBatch | None
) -> None:
    """SQLite: multi-row ``INSERT … ON CONFLICT DO UPDATE`` statements of ``ROWS_PER_INSERT`` rows."""
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
        for i in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[i : i + ROWS_PER_INSERT]
            cursor.execute(_upsert_sql(len(chunk)), [value for row in chunk for value in fields(row)])


def _copy_upsert(
    access: Access, rows: Sequence[tuple], combo_ids: dict[tuple, int], batch: ImportBatch | None, fresh: bool
) -> None:
    """PostgreSQL: binary ``COPY`` of the rows into a temporary table, then one insert or upsert from it."""
    now = timezone.now()
    parameters = [access.coalition.pk, access.user.pk, access.organisation_id, batch.pk if batch else None, now, now]
    staged = ((i, p, o, combo_ids[options], v, n, d) for i, p, o, options, v, n, d in rows)
    with transaction.atomic(), connection.cursor() as cursor:
        # Until the import commits: the sorts that refresh its derived figures (``rollups``) stay in
        # memory (a million values spill the default 4 MB to disk).
        cursor.execute("SET LOCAL work_mem = '64MB'")
        stage_rows(cursor, STAGE, STAGE_COLUMNS, staged)
        _insert_from_stage(cursor, fresh, STAGE_INSERT, parameters, UPSERT_TAIL)
        cursor.execute(f"DROP TABLE {STAGE}")  # a second import in the same transaction stages afresh


def _insert_from_stage(
    cursor: Any,
    fresh: bool,
    insert: str,
    parameters: list[Any],
    on_conflict: str,
    conflict_parameters: Sequence[Any] = (),
) -> None:
    """``insert`` (an ``INSERT … SELECT`` from a stage) alone when ``fresh``, else with its ``on_conflict``
    clause. A plain insert that meets a row a concurrent writer stored since the check (a unique
    violation) is rolled back to its savepoint and done again as the upsert."""
    if fresh:
        try:
            with transaction.atomic():
                cursor.execute(insert, parameters)
            return
        except IntegrityError:
            pass
    cursor.execute(insert + on_conflict, [*parameters, *conflict_parameters])


REFERENCES = (  # what a value refers to (unchecked by the database: see ``DataValue``), by row position
    ("measurement_indicator", 0),
    ("stakeholders_stakeholder", 2),
    ("measurement_optioncombination", 3),
)


CHUNK_IDS = 900


class ReferenceGone(Exception):
    """An indicator, organisation or option combination the rows refer to is no longer there."""


def _lock_references(cursor: Any, coalition_id: int, rows: Sequence[tuple], combo_ids: dict[tuple, int]) -> None:
    """Lock every row the values (and the periods submitted with them) refer to (``FOR KEY SHARE`` on
    PostgreSQL: a delete waits for the import's commit) and check each is there and the coalition's:
    the foreign-key check, once per distinct row rather than once per value. Raises ``ReferenceGone``
    otherwise (the caller rolls the transaction back)."""
    for table, position in REFERENCES:
        ids = {row[position] for row in rows}
        if position == 3:
            ids = {combo_ids[options] for options in ids}
        found = 0
        for k in range(0, len(ids), CHUNK_IDS):  # SQLite binds at most 999 values per statement
            some = sorted(ids)[k : k + CHUNK_IDS]
            if connection.vendor == "postgresql":
                where, params, lock = "id = ANY(%s)", [some], " FOR KEY SHARE"
            else:
                where, params, lock = f"id IN ({', '.join(['%s'] * len(some))})", some, ""
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where} AND coalition_id = %s{lock}) AS locked",  # noqa: S608 - constant table names; values are parameters
                [*params, coalition_id],
            )
            found += cursor.fetchone()[0]
        if found != len(ids):
            raise ReferenceGone(table)


# The HXL hashtags of an import file's columns (``?hxl=1`` on the template); a breakdown category's column is
# tagged ``#indicator +category``. The import skips that row.
HXL_TAGS = {
    "indicator": "#indicator +name",
    "period": "#date +period",
    "organisation": "#org +name",
    "value": "#indicator +value +num",
    "numerator": "#indicator +numerator +num",
    "denominator": "#indicator +denominator +num",
}
HXL_CATEGORY = "#indicator +category"


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
