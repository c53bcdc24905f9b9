"""Bytes for the download buttons: CSV for Excel in Spanish, and .xlsx workbooks."""

import io
import re
from datetime import datetime

import pandas as pd

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, `;` between fields and `,` for decimals: what Excel in Spanish opens correctly."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table, in order."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, frame in sheets.items():
            name = _sheet_name(title, used)
            frame.to_excel(writer, sheet_name=name, index=False)
            worksheet = writer.sheets[name]
            for column, header in zip(worksheet.columns, frame.columns, strict=False):
                width = max([len(str(header))] + [len(str(v)) for v in frame[header].head(200)])
                worksheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()


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


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title)[:31].strip() or "Hoja"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
