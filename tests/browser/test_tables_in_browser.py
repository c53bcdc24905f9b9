"""300 synthetic fichas in Chromium: every page passes axe-core, and its downloads open in openpyxl and csv.

axe-core comes with axe-playwright-python (its axe.min.js, injected into our own Chromium page): a serious or
critical finding, or headings out of order, fails the page.
"""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from app_in_browser import assert_no_error, each_section, section_tabs, wait_for_app
from axe_playwright_python.sync_playwright import Axe

from app import registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FAILING_IMPACTS = {"serious", "critical"}
ALWAYS_FAILING = {"heading-order"}  # moderate for axe, but the brief of every page is headings in order
WORKBOOK = "Descargar todas las tablas de la página (Excel)"
# The tab that holds a table, on a page whose first view shows none.
TABLES_TAB = {"ficha": "Objetivos", "inicio": "Tabla"}
CHART_ONLY_SECTIONS = {"inicio": 1}  # sections without a table


def open_page(page, url: str, spec: registry.Page) -> None:
    page.goto(f"{url}/{spec.url_path}")
    wait_for_app(page, spec.page_title)
    page.locator("[data-testid='stDataFrame'], [data-testid='stText']").first.wait_for(timeout=30_000)
    assert_no_error(page)


def test_every_page_passes_axe(served_300, page):
    found = {}
    for spec in registry.PAGES:
        open_page(page, served_300.url, spec)
        for section in each_section(page, spec):  # every section of a page in sections
            violations = Axe().run(page).response["violations"]
            failing = [v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_FAILING]
            if failing:
                found[f"{spec.slug} · {section}" if section else spec.slug] = [
                    f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}" for v in failing
                ]
    assert found == {}


def download(page, button) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_every_page_downloads_its_workbook_a_csv_and_an_excel(served_300, page):
    for spec in registry.PAGES:
        open_page(page, served_300.url, spec)
        name, raw = download(page, page.get_by_role("button", name=re.compile(re.escape(WORKBOOK) + "$")))
        assert name == f"{spec.slug}.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(raw))
        assert book.sheetnames[0] == "Filtro" and len(book.sheetnames) >= 2, spec.slug
        # A table a section at least (Inicio's «Gráfico» has none), though only the first is open: the closed ones'
        # queries ran in the server for the download.
        tabled = section_tabs(page, spec).count() - CHART_ONLY_SECTIONS.get(spec.slug, 0)
        assert len(book.sheetnames) >= 1 + tabled, spec.slug
        for sheet in book.worksheets[1:]:
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, (spec.slug, sheet.title)
            assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        if spec.slug in TABLES_TAB:
            page.get_by_role("tab", name=TABLES_TAB[spec.slug], exact=True).click()

        name, raw = download(page, page.get_by_role("button", name=re.compile(r"CSV$")).first)
        assert name.endswith(".csv") and raw.startswith(b"\xef\xbb\xbf"), spec.slug
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows), spec.slug

        name, raw = download(page, page.get_by_role("button", name=re.compile(r"Excel$")).first)
        assert name.endswith(".xlsx"), spec.slug
        sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
        assert sheet.max_row >= 2 and sheet.freeze_panes == "A2", spec.slug
        headers = [cell.value for cell in sheet[1]]
        for header, cell in zip(headers, sheet[2], strict=True):
            if header in ("Partida", "Capítulo", "Ficha", "Servicio ID"):
                assert cell.data_type == "s" and cell.number_format == "@", (spec.slug, header)
            if header and header.startswith("%") and cell.value is not None:
                assert cell.number_format == "0.0%" and 0 <= cell.value <= 1, (spec.slug, header)
            if header == "Año":
                assert isinstance(cell.value, int) and cell.number_format == "0", (spec.slug, header)
