"""Every download of every page, built by the callable its button holds and read back: CSV, Excel, page workbook.

AppTest never calls a download button's deferred callable, so the page keeps the callables of its last run in the
session (`ui.DOWNLOADS`); these tests call each one. The database holds a hostile ficha, built by the real ETL, whose
texts are spreadsheet formulas: every download must stay inert.
"""

import csv
import io

import openpyxl
import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT, open_section, query, read_text, sections
from streamlit.testing.v1 import AppTest

from app import registry, ui
from etl.build import build

FORMULAS = {
    "Servicio de educación pública.": '=HYPERLINK("http://x","clic")',
    "Estudiantes de los establecimientos educacionales del territorio": "+cmd|' /C calc'!A0",
    "Madres, padres y apoderados de los estudiantes del territorio": "@SUM(1+1)",
    "Mejorar la calidad de la educación en todos sus niveles.": "-2+3",
}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostil")
    (folder / "fichas").mkdir()
    text = read_text(HUASCO)
    for original, formula in FORMULAS.items():
        assert original in text
        text = text.replace(original, formula)
    (folder / "fichas" / "hostil.txt").write_text(text, encoding="utf-8")
    (folder / "fichas" / "lagos.txt").write_text(read_text(LOS_LAGOS), encoding="utf-8")
    db = folder / "fichas.duckdb"
    assert build([folder / "fichas"], db).rejected == 0
    return db


def page_downloads(db, monkeypatch, page: registry.Page, **query_params) -> dict[str, bytes]:
    """Run one page in AppTest, open each of its sections, and call every download builder it handed to a button;
    the page workbook is the one of the first view, when every section but the first is closed."""
    monkeypatch.setenv("FICHAS_DB", str(db))
    at = AppTest.from_file(str(ROOT / registry.ENTRYPOINT), default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    if not page.is_home:
        at.switch_page(page.file).run()
    assert not at.exception, at.exception
    files = {}
    labels = sections(at)[1] or [None]
    for label in labels:
        if label != labels[0]:
            open_section(at, label)
            assert not at.exception, at.exception
        builders = at.session_state[ui.DOWNLOADS]
        assert len(at.get("download_button")) == len(builders), (page.slug, sorted(builders))  # one builder a button
        files.update({name: build() for name, build in builders.items() if name not in files})
    return files


def read_csv(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_inert_workbook(raw: bytes, name: str) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        assert formulas == [], (name, sheet.title, formulas)
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, (name, sheet.title)
    return book


@pytest.mark.parametrize("page", registry.PAGES, ids=[page.slug for page in registry.PAGES])
def test_every_download_of_every_page_is_built_read_back_and_inert(hostile_db, monkeypatch, page):
    ficha = query(hostile_db, "select ficha_id from fichas where archivo like '%hostil.txt'")[0][0]
    files = page_downloads(hostile_db, monkeypatch, page, ficha=ficha)
    workbook = files.pop(f"{page.slug}.xlsx")
    tables = sorted(name.removesuffix(".csv") for name in files if name.endswith(".csv"))
    assert tables and sorted(name.removesuffix(".xlsx") for name in files if name.endswith(".xlsx")) == tables
    seen = set()
    for name, raw in files.items():
        if name.endswith(".csv"):
            rows = read_csv(raw)
            assert rows and rows[0], name
            fields = [field for row in rows[1:] for field in row]
            assert not [field for field in fields if field.startswith(TRIGGERS)], name
            seen.update(field for field in fields if field.lstrip("'") in FORMULAS.values())
        else:
            book = assert_inert_workbook(raw, name)
            assert len(book.sheetnames) == 1
            values = [cell.value for row in book.active.iter_rows() for cell in row]
            seen.update(value for value in values if value in FORMULAS.values())
    book = assert_inert_workbook(workbook, f"{page.slug}.xlsx")
    assert book.sheetnames[0] == "Filtro" and len(book.sheetnames) == 1 + len(tables)
    assert [cell.value for cell in book["Filtro"][2]] == ["Página", page.title]
    if page.slug == "ficha":  # the page that shows every hostile text: each one downloaded, as text
        assert {text.lstrip("'") for text in seen} == set(FORMULAS.values())
        assert {text for text in seen if text.startswith("'")} == {"'" + text for text in FORMULAS.values()}
