"""Download bytes: CSV that Excel in Spanish opens, and workbooks with a first sheet saying what they hold."""

import io
from datetime import datetime

import openpyxl
import pandas as pd

from app.downloads import cover, csv_bytes, xlsx_bytes
from formatting import decimal, integer, percent

FRAME = pd.DataFrame({"Servicio": ["SERVICIO LOCAL DE EDUCACIÓN HUASCO"], "Clientes": [13331], "% atendidos": [45.25]})


def test_csv_has_bom_semicolons_and_decimal_commas():
    raw = csv_bytes(FRAME)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "Servicio;Clientes;% atendidos",
        "SERVICIO LOCAL DE EDUCACIÓN HUASCO;13331;45,25",
    ]


def test_workbook_sheets_in_order_with_spanish_headers():
    first = cover("Clientes", "Ministerio: A", ["data/fichas/a.txt"], datetime(2026, 11, 21, 9, 30))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Filtro": first, "Clientes por servicio": FRAME})))
    assert book.sheetnames == ["Filtro", "Clientes por servicio"]
    rows = list(book["Filtro"].values)
    assert rows[:4] == [
        ("Campo", "Valor"),
        ("Página", "Clientes"),
        ("Filtro", "Ministerio: A"),
        ("Fecha de exportación", "21-11-2026 09:30"),
    ]
    assert rows[-1] == (None, "data/fichas/a.txt")
    data = list(book["Clientes por servicio"].values)
    assert data == [("Servicio", "Clientes", "% atendidos"), ("SERVICIO LOCAL DE EDUCACIÓN HUASCO", 13331, 45.25)]


def test_sheet_names_are_made_valid_and_unique():
    long = "Productos estratégicos: bienes y/o servicios [2021]"
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({long: FRAME, long + " ": FRAME})))
    first, second = book.sheetnames
    assert first == "Productos estratégicos  bienes"
    assert second.endswith(" (2)") and len(second) <= 31
    assert not any(ch in name for name in book.sheetnames for ch in "[]:*?/\\")


def test_chilean_number_format():
    assert integer(13331) == "13.331"
    assert integer(19_458_310) == "19.458.310"
    assert integer(None) == "—"
    assert decimal(1234.56) == "1.234,6"
    assert percent(0.452) == "45,2 %"
    assert percent(float("nan")) == "—"
