"""PDF fichas as DIPRES publishes them: each loads exactly the rows of its text export; unreadable ones are refused
with a Spanish reason while the good file beside them still loads."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT, every_table, query
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from bench.generator import generate
from bench.pdf_writer import ficha_pdf
from etl import pdf
from etl.build import build

IGNORED = {"linea", "archivo", "sha256"}  # where a row came from, not what it says
REAL = {"huasco": HUASCO, "los_lagos": LOS_LAGOS}

BUDGET_HEADER = (
    "Número\tProducto Estratégico\tSubproductos\tDescripción\tClientes\tPresupuesto 2021 (Miles de $)\t%"
    "\tAplica Gestión Territorial\tAplica Enfoque de Género"
)
BUDGET_ROWS = [
    "1\tServicio de educación pública.\tApoyo técnico-pedagógico a 14 establecimientos, 2 jardines infantiles y 1 "
    "liceo técnico-profesional\tProveer un servicio educacional de calidad, con 1.250 horas de apoyo, 3 redes y 45 "
    "talleres\t1,2\t12.345.678\t45,2\tNo\tSi",
    "2\tAcceso a información y participación de la comunidad educativa del territorio.\t\tFomentar la participación "
    "de la comunidad educativa\t1,2\t\t\tNo\tSi",
    "3\tMantención de la infraestructura escolar.\tReparaciones menores; mejoramiento de 7 patios\tPlan de "
    "mantención, mejoramiento, regularización e inversión\t1\tNo disponible\t3,1\tSi\tNo",
]
FORMULARIO_H = """**FORMULARIO H: INDICADORES DE DESEMPEÑO AÑO 2021**

MINISTERIO\tMINISTERIO DE EDUCACION\tPARTIDA\t09
SERVICIO\tSERVICIO LOCAL DE EDUCACIÓN HUASCO\tCAPITULO\t21

N°\tProducto Estratégico\tNombre Indicador\tFórmula de cálculo\tMeta 2021
1\tServicio de educación pública.\tPorcentaje de establecimientos con plan de mejora\t(N° con plan/N° total)*100\t95 %
"""


def tables_of(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (metadatos aside: it says when and from what the file was built), sorted, without
    the columns that only say where a row came from."""
    return every_table(db, skip_tables={"metadatos"}, skip_columns=IGNORED)


def built(folder: Path, name: str, content: bytes, tmp_path: Path) -> Path:
    """A database built by the real ETL from one file."""
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    db = tmp_path / f"{folder.name}.duckdb"
    build([folder], db)
    return db


def assert_same_rows(text: str, pdf_bytes: bytes, tmp_path: Path, suffix: str = ".txt") -> dict[str, list[tuple]]:
    from_text = tables_of(built(tmp_path / "texto", f"ficha{suffix}", text.encode("utf-8"), tmp_path))
    from_pdf = tables_of(built(tmp_path / "pdf", "ficha.pdf", pdf_bytes, tmp_path))
    assert from_text["fichas"], "the text export itself did not load"
    for table, rows in from_text.items():
        assert from_pdf[table] == rows, table
    return from_pdf


def pages_of(pdf_bytes: bytes) -> list[list[list[list[str | None]]]]:
    """Tables per page, as pdfplumber reads them: to check that the generated PDF has what real ones have."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as document:
        return [page.extract_tables() for page in document.pages]


# -- the two real fichas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("split_rows", [False, True], ids=["filas_enteras", "filas_cortadas"])
@pytest.mark.parametrize("name", REAL)
def test_pdf_gives_the_rows_of_its_text_export(name, split_rows, tmp_path):
    text = REAL[name].read_text(encoding="utf-8")
    pdf_bytes = ficha_pdf(text, split_rows=split_rows)
    pages = pages_of(pdf_bytes)
    # What the published form has: several pages; the identity block as a four-column table; a table that goes on
    # onto the next page under its repeated header; text wrapping inside cells.
    assert len(pages) >= 2
    assert pages[0][0][0] == ["MINISTERIO", pages[0][0][0][1], "PARTIDA", pages[0][0][0][3]]
    assert pages[1][0][0][0] == "Número" and pages[1][0][1][0] != "1"
    assert any("\n" in (cell or "") for table in pages[0] for row in table for cell in row)
    if split_rows:  # a row cut by the page break: its number stays above, the rest of its cells continue below
        assert pages[1][0][1][0] == ""

    rows = assert_same_rows(text, pdf_bytes, tmp_path)
    assert len(rows["fichas"]) == 1 and rows["problemas"] == []


def test_long_descriptions_with_commas_and_numbers_stay_one_cell(tmp_path):
    rows = assert_same_rows(LOS_LAGOS.read_text(encoding="utf-8"), ficha_pdf(LOS_LAGOS.read_text()), tmp_path)
    descriptions = [row for row in rows["objetivos_institucionales"] if row[1] == 5]
    assert "1) Liderazgo, 2) Ciudadanía, socios y colaboradores, 3) Personas" in descriptions[0][2]
    assert ("2021-05-70", 10, "Habitantes de la Región de Los Lagos", 828_708, "828.708") in rows["clientes"]


@pytest.mark.slow
def test_synthetic_fichas_in_every_export_variant_give_the_same_rows(tmp_path):
    """Pipe tables, wrapped cells, page breaks, headings without bold, two-paragraph missions, Latin-1 files."""
    for item in generate(12, seed=5):
        text = item.data().decode(item.encoding).lstrip("\ufeff")
        assert_same_rows(text, ficha_pdf(text), tmp_path / item.path.replace("/", "_"), Path(item.path).suffix)


def test_page_numbers_at_the_foot_are_not_read_as_text():
    law = "Ley N°21,040, del 24 de noviembre de 2017 (CREA EL SISTEMA DE EDUCACIÓN PÚBLICA)."
    ficha = HUASCO.read_text(encoding="utf-8").replace(law, "2017")  # a lone number, but in the page's body
    lines = pdf.pdf_text(ficha_pdf(ficha)).split("\n")
    assert not any("Página" in line for line in lines)
    assert "2017" in lines
    assert "Número\tClientes\tCuantificación" in lines


# -- budget and subproducts ---------------------------------------------------------------------------------------


def budget_ficha() -> str:
    text = HUASCO.read_text(encoding="utf-8")
    start = text.index("Número\tProducto Estratégico")
    end = text.index("\n\nNúmero\tClientes")
    return text[:start] + "\n".join([BUDGET_HEADER, *BUDGET_ROWS]) + text[end:]


def test_budget_and_subproducts_load_from_pdf_as_from_text(tmp_path):
    text = budget_ficha()
    rows = assert_same_rows(text, ficha_pdf(text), tmp_path)
    db = tmp_path / "pdf.duckdb"
    productos = query(
        db, "select numero, subproductos, presupuesto_miles, presupuesto_texto from productos order by numero"
    )
    assert productos == [
        (1, "Apoyo técnico-pedagógico a 14 establecimientos, 2 jardines infantiles y 1 liceo técnico-profesional",
         12_345_678, "12.345.678"),
        (2, "", None, ""),
        (3, "Reparaciones menores; mejoramiento de 7 patios", None, "No disponible"),
    ]  # fmt: skip
    assert len(rows["productos"]) == 3


def test_without_budget_columns_they_are_null(tmp_path):
    db = built(tmp_path / "pdf", "huasco.pdf", ficha_pdf(HUASCO.read_text(encoding="utf-8")), tmp_path)
    assert query(db, "select distinct subproductos, presupuesto_miles, presupuesto_texto from productos") == [
        (None, None, None)
    ]


# -- rejections, each beside a good PDF that still loads -----------------------------------------------------------


def scanned_pdf() -> bytes:
    """A page that is only a picture of text, as a scanner makes it."""
    picture = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(40, 760, 24):
        draw.rectangle((40, y, 560 - (y % 97), y + 10), fill="black")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    page.showPage()
    page.save()
    return buffer.getvalue()


def good_pdf() -> bytes:
    return ficha_pdf(HUASCO.read_text(encoding="utf-8"))


def damaged_pdf() -> bytes:
    whole = good_pdf()
    return whole[:400] + bytes(range(256)) * 8 + whole[-300:]  # header and end marker kept, objects gone


REJECTED = {
    "escaneado": (scanned_pdf, "PDF sin texto (escaneado): requiere OCR"),
    "cifrado": (lambda: ficha_pdf(LOS_LAGOS.read_text(encoding="utf-8"), encrypt="secreta"), pdf.ENCRYPTED),
    "truncado": (lambda: good_pdf()[: len(good_pdf()) // 2], pdf.TRUNCATED),
    "danado": (damaged_pdf, "PDF dañado o ilegible"),
    "no_es_pdf": (lambda: LOS_LAGOS.read_bytes(), pdf.NOT_PDF),
    "formulario_h": (
        lambda: ficha_pdf(FORMULARIO_H),
        "No es una Ficha de Definiciones Estratégicas: el título indica el Formulario H, no el A1.",
    ),
}


@pytest.mark.parametrize("kind", REJECTED)
def test_unreadable_pdf_is_rejected_with_its_reason_and_the_good_one_loads(kind, folder, tmp_path):
    make, reason = REJECTED[kind]
    folder.write("2021/buena.pdf", good_pdf())
    folder.write(f"2021/{kind}.pdf", make())
    db = tmp_path / "f.duckdb"
    report = build([folder.path], db)
    assert (report.loaded, report.rejected) == (1, 1)
    assert query(db, "select ficha_id from fichas") == [("2021-09-21",)]
    ((archivo, estado),) = query(db, "select archivo, estado from archivos where estado <> 'cargada'")
    assert archivo.endswith(f"2021/{kind}.pdf") and estado == "rechazada"
    ((nivel, mensaje),) = query(db, "select nivel, mensaje from problemas")
    assert nivel == "error" and mensaje.startswith(reason), mensaje


def test_the_command_names_the_rejected_pdf_and_its_reason(tmp_path):
    fichas = tmp_path / "fichas"
    (fichas / "2021").mkdir(parents=True)
    (fichas / "2021" / "buena.pdf").write_bytes(good_pdf())
    (fichas / "2021" / "escaneada.pdf").write_bytes(scanned_pdf())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", str(fichas), "--db", str(tmp_path / "f.duckdb")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Fichas cargadas: 1" in result.stdout
    assert "escaneada.pdf" in result.stdout and "requiere OCR" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr and result.stderr == ""
