"""Bytes for the download buttons: CSV for Excel in Spanish, and .xlsx workbooks made for Excel in Chile.

Both are inert: ficha text never becomes a formula. In the workbook every text cell is written as a string
(openpyxl would otherwise store a text starting with `=` as a formula); in the CSV a text field starting with
`=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe, as OWASP's guidance on CSV injection says.
"""

import io
import math
import re
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.columns import is_code, is_percent, is_year, yes_no

SHEET_LIMIT = 31  # characters Excel allows in a sheet name
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Words a sheet name should not end on once cut ("Clientes a los que llega cada" reads cut).
_TRAILING_WORDS = frozenset(
    [
        "a",
        "al",
        "cada",
        "con",
        "de",
        "del",
        "el",
        "en",
        "la",
        "las",
        "lo",
        "los",
        "o",
        "para",
        "por",
        "que",
        "se",
        "sin",
        "su",
        "sus",
        "u",
        "y",
        "e",
    ]
)
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INTEGER_FORMAT = "#,##0"  # Excel shows it with the reader's separators: 13.331 in Chile
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"
YEAR_FORMAT = "0"
TEXT_FORMAT = "@"
_MAX_WIDTH = 60


def inert_text(value: str) -> str:
    """A CSV text field that no spreadsheet runs as a formula (OWASP: prefix the trigger characters with `'`)."""
    return "'" + value if value.startswith(_CSV_TRIGGERS) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, `;` between fields and `,` for decimals: what Excel in Spanish opens correctly.

    Codes get the same leading apostrophe, so Excel keeps partida `09` and ficha `2025-09-14` as text. Lines end
    in CRLF (RFC 4180), so a field holding a line break or a carriage return is quoted.
    """
    frame = yes_no(frame).copy()
    for name in frame.columns:
        column = frame[name]
        if is_code(name):
            frame[name] = column.map(lambda value: value if _missing(value) else "'" + str(value))
        elif column.dtype == object or pd.api.types.is_string_dtype(column):
            frame[name] = column.map(lambda value: inert_text(value) if isinstance(value, str) else value)
    return frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table, in order: header frozen and filtered, numbers formatted, codes as text."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, frame in sheets.items():
        _write_sheet(book.create_sheet(sheet_name(title, used)), frame)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def page_workbook(
    page: str, filter_text: str, files: list[str], when: datetime, tables: dict[str, pd.DataFrame]
) -> bytes:
    """The page's workbook: a first sheet "Filtro" saying what was exported, then every table of the page."""
    return xlsx_bytes({"Filtro": cover(page, filter_text, files, when), **tables})


def cover(page: str, filter_text: str, files: list[str], when: datetime) -> pd.DataFrame:
    """The workbook's first sheet: what was exported, with which filter, when, and from which files."""
    rows = [
        ("Página", page),
        ("Filtro", filter_text),
        ("Fecha de exportación", when.strftime("%d-%m-%Y %H:%M")),
        ("Archivos de origen", f"{len(files)}"),
    ]
    rows += [("", name) for name in files]
    return pd.DataFrame(rows, columns=["Campo", "Valor"])


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name within 31 characters, cut between words (records it in `used`)."""
    base = _fit(" ".join(_SHEET_FORBIDDEN.sub(" ", title).split()), SHEET_LIMIT) or "Hoja"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = _fit(base, SHEET_LIMIT - len(suffix)) + suffix, n + 1
    used.add(name.lower())
    return name


def _fit(text: str, limit: int) -> str:
    """The longest run of whole words within `limit`, not ending on a joining word (a single long word is cut)."""
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")[:-1] or [text[:limit]]
    while len(words) > 1 and words[-1].lower() in _TRAILING_WORDS:
        words.pop()
    return " ".join(words).strip()


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _column_kind(name: str, column: pd.Series) -> str:
    if is_code(name):
        return "code"
    if is_year(name) and column.dropna().astype(str).str.fullmatch(r"\d{4}").all():
        return "year"
    if pd.api.types.is_bool_dtype(column):
        return "flag"
    if pd.api.types.is_numeric_dtype(column):
        if is_percent(name):
            return "percent"
        return "integer" if pd.api.types.is_integer_dtype(column) or _whole(column) else "decimal"
    return "text"


def _whole(column: pd.Series) -> bool:
    values = column.dropna()
    return bool(len(values)) and bool((values == values.round()).all())


def _cell_value(kind: str, value):
    """The value as Excel stores it: numbers as numbers, percentages as shares, everything else as text."""
    if _missing(value):
        return None
    if kind == "year":
        return int(value)
    if kind == "percent":
        return float(value) / 100
    if kind == "integer":
        return int(value)
    if kind == "decimal":
        return float(value)
    if kind == "flag":
        return "Sí" if value else "No"
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


_FORMATS = {
    "code": TEXT_FORMAT,
    "year": YEAR_FORMAT,
    "percent": PERCENT_FORMAT,
    "integer": INTEGER_FORMAT,
    "decimal": DECIMAL_FORMAT,
}


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    kinds = [_column_kind(str(name), frame[name]) for name in frame.columns]
    sheet.append([str(name) for name in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(kind, value) for kind, value in zip(kinds, row, strict=True)])
    for index, (name, kind) in enumerate(zip(frame.columns, kinds, strict=True), start=1):
        letter = get_column_letter(index)
        number_format = _FORMATS.get(kind)
        cells = sheet[letter][1:]
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula nor an error code, whatever the text says
            if number_format:
                cell.number_format = number_format
        shown = [len(str(name))] + [len(str(cell.value)) + (4 if kind != "text" else 0) for cell in cells[:500]]
        sheet.column_dimensions[letter].width = min(_MAX_WIDTH, max(8, max(shown) + 2))
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(1, len(frame) + 1)}"
