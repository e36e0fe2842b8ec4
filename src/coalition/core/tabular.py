"""Reading uploaded tables and writing safe exports, shared by every import and export.

Imports report problems as ``RowError`` (line number, column, reason) and never save anything
themselves. Exports neutralise cells a spreadsheet would run as a formula.

Every upload is bounded, whatever reads it: a file has at most ``MAX_ROWS`` rows; a workbook's
members may not unpack (as declared, and as actually inflated) to more than ``MAX_UNCOMPRESSED_BYTES``,
checked before openpyxl reads it; and ``RowErrors`` keeps the first ``KEEP_PER_REASON`` rows of each
reason and only counts the rest, so a million bad rows cost as much memory as a hundred.

Exports can carry an HXL hashtag row (the Humanitarian Exchange Language: ``#org +name`` under "name") below
the header, so humanitarian tools read the columns; every reader skips such a row where HXL puts it (the
first row under the header), so a file exported with it imports as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 2_000_000  # the measurement bench imports 1,000,000; any more is split into several files
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # what the members of an .xlsx may unpack to, together
KEEP_PER_REASON = 50  # rejected rows kept (with their line) per column and reason; the rest are counted
MAX_REASONS = 200  # distinct (column, reason) groups kept; rows of further reasons are counted together
_INFLATE_CHUNK = 1 << 20


# An HXL hashtag with its attributes: ``#org``, ``#org +name``, ``#affected +f +children``.
HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(?:\s*\+[a-z][a-z0-9_]*)*", re.IGNORECASE)
HXL_LINE = 2  # HXL puts the hashtag row directly under the header


def is_hxl_row(cells: Sequence[Any]) -> bool:
    """Whether a row is an HXL hashtag row: some cell filled, every filled cell a hashtag with attributes."""
    filled = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    return bool(filled) and all(HXL_TAG.fullmatch(c) for c in filled)


def hxl_row(header: Sequence[str], tags: Mapping[str, str], default: str = "") -> list[str]:
    """The hashtag of each column (``default`` for a column ``tags`` does not name; HXL allows untagged ones)."""
    return [tags.get(name, default) for name in header]


def wants_hxl(params: Mapping[str, str]) -> bool:
    """Whether an export was asked for with its HXL row (``?hxl=1``)."""
    return params.get("hxl", "") in ("1", "true", "on")


class TableError(ValueError):
    """The file as a whole cannot be read (empty, wrong encoding, wrong columns, too large)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    column: str = ""


class RowErrors(list[RowError]):
    """The rejected rows of an import, in bounded memory: the first ``keep_per_reason`` errors of each
    (column, reason) are kept as ``RowError``; later ones only raise that reason's count in
    ``omitted``. After ``max_reasons`` distinct reasons, further reasons are counted under one
    "other problems" entry. ``total`` counts every error and ``lines`` every rejected line (errors of
    one line arrive together)."""

    def __init__(self, keep_per_reason: int = KEEP_PER_REASON, max_reasons: int = MAX_REASONS) -> None:
        super().__init__()
        self.keep_per_reason = keep_per_reason
        self.max_reasons = max_reasons
        self.kept: dict[tuple[str, str], int] = {}
        self.omitted: dict[tuple[str, str], int] = defaultdict(int)
        self.total = 0
        self.lines = 0
        self._last_line: int | None = None

    def append(self, error: RowError) -> None:
        self.total += 1
        if error.line != self._last_line:
            self.lines += 1
            self._last_line = error.line
        key = (error.column, error.reason)
        kept = self.kept.get(key)
        if kept is None and len(self.kept) >= self.max_reasons:
            self.omitted[("", _("Further rows with other problems"))] += 1
        elif (kept or 0) < self.keep_per_reason:
            self.kept[key] = (kept or 0) + 1
            super().append(error)
        else:
            self.omitted[key] += 1

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)


def group_errors(errors: Iterable[RowError], limit_lines: int = 50) -> list[dict[str, Any]]:
    """Group errors sharing a column and reason, so thousands of identical faults read as one entry
    (with the rows a ``RowErrors`` only counted added to their group's count)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for error in errors:
        groups[(error.column, error.reason)].append(error.line)
    omitted: dict[tuple[str, str], int] = getattr(errors, "omitted", {})
    for key in omitted:
        groups.setdefault(key, [])
    listed = [
        {
            "column": column,
            "reason": reason,
            "count": len(lines) + omitted.get((column, reason), 0),
            "lines": lines[:limit_lines],
            "more": max(0, len(lines) - limit_lines) + omitted.get((column, reason), 0),
        }
        for (column, reason), lines in groups.items()
    ]
    return sorted(listed, key=lambda group: group["lines"][0] if group["lines"] else float("inf"))


def too_many_rows(limit: int = MAX_ROWS) -> TableError:
    return TableError(
        _("The file has more than %(rows)s rows. Split it into smaller files and import them one by one.")
        % {"rows": formats.number_format(limit, use_l10n=True, force_grouping=True)}
    )


def decode_upload(data: bytes) -> str:
    """Decode an uploaded CSV as UTF-8 (with or without BOM); anything else is refused clearly."""
    if not data.strip():
        raise TableError(_("The file is empty."))
    if b"\x00" in data[:4096]:
        raise TableError(_("This is not a text CSV file (it contains binary data). Save it as CSV UTF-8."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file is not UTF-8 encoded (byte %(pos)s). Save it as “CSV UTF-8” and upload it again.")
            % {"pos": exc.start}
        ) from exc


def read_csv(
    data: bytes, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Check the header of a CSV upload and yield ``(line_number, row)`` for each non-blank data row.

    Column names are matched case-insensitively with surrounding spaces ignored. Unknown columns and
    missing required columns raise ``TableError`` naming them.
    """
    header, lists = read_csv_lists(data, required, optional)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        named = [(i, name) for i, name in enumerate(header) if name]
        for index, values in lists:
            yield index, {name: values[i] for i, name in named}

    return header, rows()


def read_csv_lists(
    data: bytes,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    strip: bool = True,
    max_rows: int = MAX_ROWS,
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Like ``read_csv``, but each row is a list of stripped cells in header order (padded to the
    header's length): no dictionary per row, for imports of a million rows. With ``strip=False`` the
    cells keep their spaces (rows of only spaces come through too): for callers that strip only the
    few distinct texts they look up. Reading past ``max_rows`` rows raises ``TableError``."""
    text = decode_upload(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise TableError(_("The file has no header row.")) from exc
    check_columns(header, required, optional)
    width = len(header)
    last_line = max_rows + 1

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for index, values in enumerate(reader, start=2):
                if index > last_line:
                    raise too_many_rows(max_rows)
                cells = list(map(str.strip, values)) if strip else values
                if not any(cells) or (index == HXL_LINE and is_hxl_row(cells)):
                    continue
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                yield index, cells
        except csv.Error as exc:
            raise TableError(_("The file is not a valid CSV file (%(problem)s).") % {"problem": exc}) from exc

    return header, rows()


def check_columns(header: Sequence[str], required: Sequence[str], optional: Sequence[str]) -> None:
    """Refuse a header that lacks a required column, names an unknown one or repeats one."""
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c and c not in required and c not in optional]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
        raise TableError(
            _("The columns do not match the template (%(problems)s). Expected: %(expected)s.")
            % {"problems": "; ".join(parts), "expected": ", ".join([*required, *optional])}
        )
    if len(set(header)) != len(header):
        raise TableError(_("A column name appears twice in the header row."))


def check_workbook_size(data: bytes, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse a workbook whose members unpack to more than ``limit`` bytes, before anything parses it:
    first by the sizes the archive declares, then by inflating each member (in small chunks, never
    keeping them) and counting, as a forged declaration would otherwise slip through."""
    too_big = TableError(
        _("The workbook unpacks to more than %(mb)s MB. Split it into smaller files, or save it as CSV.")
        % {"mb": limit >> 20}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limit:
                raise too_big
            inflated = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_INFLATE_CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise too_big
    except TableError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
        zlib.error,
    ) as exc:
        raise TableError(_("This is not an Excel (.xlsx) workbook.")) from exc


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_xlsx_lists(
    data: bytes, required: Sequence[str], optional: Sequence[str] = (), *, max_rows: int = MAX_ROWS
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Rows of the first sheet of an XLSX upload, each a list of cells in header order, like
    ``read_csv_lists``. The workbook's unpacked size is checked first and it is read in read-only
    mode (streamed); reading past ``max_rows`` rows raises ``TableError``."""
    from openpyxl import load_workbook

    check_workbook_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises several types for files that are not workbooks
        raise TableError(_("This is not an Excel (.xlsx) workbook.")) from exc
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(rows)]
    except StopIteration as exc:
        workbook.close()
        raise TableError(_("The file has no header row.")) from exc
    check_columns(header, required, optional)
    width, last_line = len(header), max_rows + 1

    def generate() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(rows, start=2):
                if line > last_line:
                    raise too_many_rows(max_rows)
                cells = [_cell_text(v) for v in values[:width]]
                if any(cells) and not (line == HXL_LINE and is_hxl_row(cells)):
                    cells += [""] * (width - len(cells))
                    yield line, cells
        finally:
            workbook.close()

    return header, generate()


def neutralise(value: Any) -> Any:
    """Make a cell safe for spreadsheets: text starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], hxl: Sequence[str] | None = None
) -> HttpResponse:
    """A CSV download with every cell neutralised, served as an attachment; ``hxl``: its hashtag row."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(h) for h in header])
    if hxl is not None:
        writer.writerow(hxl)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], hxl: Sequence[str] | None = None
) -> HttpResponse:
    """An XLSX download (write-only workbook, so large tables stream in little memory); ``hxl``: its hashtag row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([neutralise(h) for h in header])
    if hxl is not None:
        sheet.append(list(hxl))
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
