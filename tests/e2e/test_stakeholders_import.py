"""Journey: a hub imports a CSV with one bad row (the preview names the line), confirms, and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

CSV = (
    "name,sector,power,interest,engagement\n"
    "Harbour Street Residents,resident,2,5,contacted\n"
    "Valley Chamber of Commerce,private,4,2,identified\n"
    "Broken Row,private,11,2,identified\n"
)


def test_hub_imports_with_a_preview_confirms_and_exports(page: Any, world: Any, tmp_path: Path) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    base = f"/c/{world.coalition.pk}/stakeholders/"
    page.goto(base)
    page.get_by_role("link", name="Import CSV").click()
    expect(page.get_by_role("heading", name="Import stakeholders from a CSV file")).to_be_visible()
    assert_accessible(page)

    upload = tmp_path / "stakeholders.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Preview import").click()
    expect(page.get_by_text("Nothing has been saved yet.")).to_be_visible()
    errors = page.locator("table.import-errors")
    assert "4" in errors.locator("tbody tr td").first.inner_text()
    assert "must be a whole number from 1 to 5" in errors.inner_text()
    assert_accessible(page)

    page.get_by_label("Import only the valid rows and leave out the 1 rejected row").check()
    page.get_by_role("button", name="Import the valid rows: create 2, update 0").click()
    expect(page.get_by_text("2 created, 0 updated, 0 unchanged, 1 rejected rows skipped")).to_be_visible()
    expect(page.get_by_role("link", name="Harbour Street Residents")).to_be_visible()
    assert page.get_by_role("link", name="Broken Row").count() == 0

    page.get_by_label("Sector").select_option("private")
    page.wait_for_url("**sector=private**")
    page.locator("#results").get_by_role("link", name="Valley Chamber of Commerce").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these as CSV").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Valley Chamber of Commerce" in exported
    assert "Harbour Street Residents" not in exported
