"""Reading uploaded tables and writing safe exports, shared by every import and export.

Imports report problems as ``RowError`` (line number, column, reason) and never save anything
themselves. Exports neutralise cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read (empty, wrong encoding, wrong columns, too large)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    column: str = ""


def group_errors(errors: Iterable[RowError], limit_lines: int = 50) -> list[dict[str, Any]]:
    """Group errors sharing a column and reason, so thousands of identical faults read as one entry."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for error in errors:
        groups[(error.column, error.reason)].append(error.line)
    return [
        {
            "column": column,
            "reason": reason,
            "count": len(lines),
            "lines": lines[:limit_lines],
            "more": max(0, len(lines) - limit_lines),
        }
        for (column, reason), lines in sorted(groups.items(), key=lambda item: item[1][0])
    ]


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
    data: bytes, required: Sequence[str], optional: Sequence[str] = (), *, strip: bool = True
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Like ``read_csv``, but each row is a list of stripped cells in header order (padded to the
    header's length): no dictionary per row, for imports of a million rows. With ``strip=False`` the
    cells keep their spaces (rows of only spaces come through too): for callers that strip only the
    few distinct texts they look up."""
    text = decode_upload(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise TableError(_("The file has no header row.")) from exc
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
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for index, values in enumerate(reader, start=2):
            cells = list(map(str.strip, values)) if strip else values
            if not any(cells):
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            yield index, cells

    return header, rows()


def neutralise(value: Any) -> Any:
    """Make a cell safe for spreadsheets: text starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download with every cell neutralised, served as an attachment."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An XLSX download (write-only workbook, so large tables stream in little memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([neutralise(h) for h in header])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
