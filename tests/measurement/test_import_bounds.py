"""Uploads are bounded (issue 12 item 2): a workbook that unpacks to gigabytes is refused before it is
parsed, a file of a million bad rows keeps a bounded number of errors, and both stay far under 300 MB."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from typing import Any

import pytest

from coalition.core import tabular
from coalition.core.tabular import RowError, RowErrors, TableError
from coalition.measurement import imports
from tests.measurement.builders import hub_access, make_indicator

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
BOMB_ROWS = 12_000_000  # 312 MB of sheet XML, deflated to a few MB


def _zip_bomb() -> bytes:
    """An .xlsx whose one sheet holds ``BOMB_ROWS`` rows: a few MB on the wire, far more unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b"<row><c><v>1</v></c></row>" * 40_000
            for _ in range(BOMB_ROWS // 40_000):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _measure(call: Any) -> tuple[Any, int]:
    """What ``call`` returns (or raises) and the peak memory it added, in bytes (tracemalloc)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - the exception is the result under test
        result = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, peak - base


def test_a_zip_bomb_is_refused_before_it_is_parsed_in_little_memory(world: Any) -> None:
    bomb = _zip_bomb()
    assert len(bomb) < 10 * MB  # it is small on the wire ...
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert declared > tabular.MAX_UNCOMPRESSED_BYTES  # ... and large unpacked
    result, grown = _measure(lambda: imports.preview_import(hub_access(world.coalition), bomb, "bomb.xlsx"))
    assert isinstance(result, TableError), result
    assert "unpacks to more than 256 MB" in str(result)
    assert grown < 300 * MB


def test_a_million_bad_csv_rows_keep_a_bounded_error_list(world: Any) -> None:
    make_indicator(world.coalition, "Meals")
    lines = ["indicator,period,organisation,value"]
    for n in range(1_000_000):  # half unknown indicators, half text where a number belongs
        lines.append(f"Nope {n % 7},2025-Q1,Member Org,1" if n % 2 else f"Meals,2025-Q1,Member Org,x{n}")
    data = ("\n".join(lines) + "\n").encode()
    del lines
    preview, grown = _measure(lambda: imports.preview_import(hub_access(world.coalition), data, "bad.csv"))
    assert not isinstance(preview, Exception), preview
    assert grown < 300 * MB, grown / MB
    assert preview.rows == 1_000_000 and not preview.ok
    assert preview.errors.total == 1_000_000 and preview.errors.lines == 1_000_000
    assert len(preview.errors) == 2 * tabular.KEEP_PER_REASON  # the first 50 of each of the two reasons
    counts = {g["reason"]: (g["count"], g["lines"][:2]) for g in preview.grouped}
    assert counts == {
        "Unknown indicator (check the spelling against the template).": (500_000, [3, 5]),
        "This is not a number.": (500_000, [2, 4]),
    }


def test_row_errors_keep_the_first_of_each_reason_and_count_the_rest() -> None:
    errors = RowErrors(keep_per_reason=2, max_reasons=2)
    for line in range(10, 20):
        errors.append(RowError(line, "bad", "a"))
    errors.append(RowError(20, "worse", "b"))
    errors.append(RowError(20, "third reason", "c"))  # same line: still one rejected line
    assert [e.line for e in errors] == [10, 11, 20]
    assert (errors.total, errors.lines) == (12, 11)
    grouped = {(g["column"], g["reason"]): (g["count"], g["lines"], g["more"]) for g in tabular.group_errors(errors)}
    assert grouped[("a", "bad")] == (10, [10, 11], 8)
    assert grouped[("b", "worse")] == (1, [20], 0)
    assert grouped[("", "Further rows with other problems")] == (1, [], 1)


def test_rows_beyond_the_limit_are_refused_clearly() -> None:
    data = ("a\n" + "1\n" * 11).encode()
    _header, rows = tabular.read_csv_lists(data, ["a"], max_rows=10)
    with pytest.raises(TableError, match="more than 10 rows"):
        list(rows)
    _header, rows = tabular.read_csv_lists(data, ["a"], max_rows=11)
    assert len(list(rows)) == 11
