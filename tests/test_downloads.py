"""Download bytes: CSV that Excel in Spanish opens, workbooks made for Excel in Chile, and both inert."""

import csv
import io
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from app.downloads import SHEET_LIMIT, cover, csv_bytes, page_workbook, sheet_name, xlsx_bytes
from formatting import decimal, integer, percent

FRAME = pd.DataFrame(
    {
        "Año": ["2021"],
        "Partida": ["09"],
        "Ficha": ["2025-09-14"],
        "Servicio": ["SERVICIO LOCAL DE EDUCACIÓN HUASCO"],
        "Clientes": [13331],
        "% atendidos": [45.25],
        "Vinculado": [True],
    }
)
# Ficha text that a spreadsheet would run: OWASP's CSV-injection examples.
HOSTILE = ['=HYPERLINK("http://x","clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1", "\r=1+1", "#N/A"]


def read_book(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def test_csv_has_bom_semicolons_decimal_commas_and_codes_kept_as_text():
    raw = csv_bytes(FRAME)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "Año;Partida;Ficha;Servicio;Clientes;% atendidos;Vinculado",
        "2021;'09;'2025-09-14;SERVICIO LOCAL DE EDUCACIÓN HUASCO;13331;45,25;Sí",
    ]


def test_csv_text_that_starts_a_formula_gets_an_apostrophe_numbers_do_not():
    frame = pd.DataFrame({"Producto": [*HOSTILE, "Normal = bien", None], "Cuantificación": [-2] * 9})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline=""), delimiter=";"))
    products = [row[0] for row in rows[1:]]
    assert products == ["'" + text for text in HOSTILE[:6]] + ["#N/A", "Normal = bien", ""]
    assert {row[1] for row in rows[1:]} == {"-2"}
    assert not [field for row in rows[1:] for field in row[:1] if field[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_workbook_sheets_in_order_with_the_filter_first():
    first = cover("Clientes", "Ministerio: A", ["data/fichas/a.txt"], datetime(2026, 11, 21, 9, 30))
    book = read_book(xlsx_bytes({"Filtro": first, "Clientes por servicio": FRAME}))
    assert book.sheetnames == ["Filtro", "Clientes por servicio"]
    rows = list(book["Filtro"].values)
    assert rows[:4] == [
        ("Campo", "Valor"),
        ("Página", "Clientes"),
        ("Filtro", "Ministerio: A"),
        ("Fecha de exportación", "21-11-2026 09:30"),
    ]
    assert rows[-1] == (None, "data/fichas/a.txt")


def test_workbook_is_made_for_excel_in_chile():
    sheet = read_book(xlsx_bytes({"Clientes por servicio": FRAME}))["Clientes por servicio"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G2"
    header, row = sheet[1], sheet[2]
    assert [cell.value for cell in header] == list(FRAME.columns)
    assert all(cell.font.bold for cell in header)
    by_name = {h.value: cell for h, cell in zip(header, row, strict=True)}
    assert (by_name["Año"].value, by_name["Año"].number_format) == (2021, "0")  # a number, never `2.021`
    assert (by_name["Partida"].value, by_name["Partida"].data_type, by_name["Partida"].number_format) == (
        "09",
        "s",
        "@",
    )
    assert (by_name["Ficha"].value, by_name["Ficha"].data_type) == ("2025-09-14", "s")
    assert (by_name["Clientes"].value, by_name["Clientes"].number_format) == (13331, "#,##0")
    assert by_name["% atendidos"].value == pytest.approx(0.4525)
    assert by_name["% atendidos"].number_format == "0.0%"
    assert by_name["Vinculado"].value == "Sí"
    widths = {cell.column_letter: sheet.column_dimensions[cell.column_letter].width for cell in header}
    assert widths["D"] >= len("SERVICIO LOCAL DE EDUCACIÓN HUASCO") and widths["A"] < 12


def test_workbook_text_is_never_a_formula():
    frame = pd.DataFrame({"Producto": HOSTILE, "Clientes": range(len(HOSTILE))})
    sheet = read_book(xlsx_bytes({"Productos": frame}))["Productos"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [text.replace("\r", "\n") for text in HOSTILE]  # XML reads \r as \n
    assert {cell.data_type for cell in cells} == {"s"}
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type in ("f", "e")]


def test_workbook_drops_characters_excel_cannot_store():
    frame = pd.DataFrame({"Producto": ["Educación\x01 pública\x1b"]})
    assert read_book(xlsx_bytes({"Productos": frame}))["Productos"]["A2"].value == "Educación pública"


def test_missing_values_are_empty_cells():
    frame = pd.DataFrame({"Cuantificación": [1.0, None], "Texto": ["a", None]})
    sheet = read_book(xlsx_bytes({"Clientes": frame}))["Clientes"]
    assert [(a.value, b.value) for a, b in sheet.iter_rows(min_row=2)] == [(1, "a"), (None, None)]
    assert sheet["A2"].number_format == "#,##0"


def test_page_workbook_has_the_cover_then_every_table():
    tables = {"Clientes a los que llega cada producto": FRAME, "Todos los clientes": FRAME}
    book = read_book(page_workbook("Clientes", "Sin filtros", ["a.txt"], datetime(2026, 1, 2), tables))
    assert book.sheetnames == ["Filtro", "Clientes a los que llega", "Todos los clientes"]
    assert book["Todos los clientes"]["B2"].value == "09"


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Clientes a los que llega cada producto"], ["Clientes a los que llega"]),
        (["Productos estratégicos: bienes y/o servicios [2021]"], ["Productos estratégicos bienes y"[:-2]]),
        (
            ["Lo que no cuelga de nada", "Lo que no cuelga de nada"],
            ["Lo que no cuelga de nada", "Lo que no cuelga de nada (2)"],
        ),
        (["Objetivos estratégicos institucionales"] * 2, ["Objetivos estratégicos", "Objetivos estratégicos (2)"]),
        (["Supercalifragilisticoespialidosoextraordinario"], ["Supercalifragilisticoespialidos"]),
        (["[]:*?/\\"], ["Hoja"]),
    ],
)
def test_sheet_names_are_valid_unique_and_cut_between_words(titles, expected):
    used: set[str] = set()
    names = [sheet_name(title, used) for title in titles]
    assert names == expected
    assert all(len(name) <= SHEET_LIMIT and not set(name) & set("[]:*?/\\") for name in names)


def test_chilean_number_format():
    assert integer(13331) == "13.331"
    assert integer(19_458_310) == "19.458.310"
    assert integer(None) == "—"
    assert decimal(1234.56) == "1.234,6"
    assert percent(0.452) == "45,2 %"
    assert percent(float("nan")) == "—"
