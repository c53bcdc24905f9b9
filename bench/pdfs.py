"""The cost of PDF fichas: N synthetic fichas written both as text exports and as PDFs, each corpus built by the
real ETL in a child process, and each PDF read on its own to give the per-ficha time and peak memory.

Example: `figures = measure_pdfs(60, seed=2024, out=Path("bench/out"))`.
"""

import shutil
import statistics
import time
import tracemalloc
from pathlib import Path

import pdfplumber

from bench import measure
from bench.generator import generate
from bench.pdf_writer import ficha_pdf
from etl.parser import parse
from etl.pdf import pdf_text


def write_corpora(folder: Path, n: int, seed: int) -> tuple[Path, Path]:
    """The same N synthetic fichas as text exports under folder/texto and as PDFs under folder/pdf."""
    texts, pdfs = folder / "texto", folder / "pdf"
    for item in generate(n, seed):
        text_path, pdf_path = texts / item.path, (pdfs / item.path).with_suffix(".pdf")
        text_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        text_path.write_bytes(item.data())
        pdf_path.write_bytes(ficha_pdf(item.data().decode(item.encoding).lstrip("\ufeff")))
    return texts, pdfs


def measure_pdfs(n: int, seed: int, out: Path) -> dict[str, float]:
    """Every PDF figure for N fichas (the build runs serially below etl.build.PARALLEL_MIN_FILES files)."""
    folder = out / "pdf"
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    texts, pdfs = write_corpora(folder, n, seed)
    figures = {"pdf_writing": time.perf_counter() - start, "pdf_mb": measure.megabytes(pdfs)}

    text_build = measure.run_etl(texts, folder / "texto.duckdb")
    pdf_build = measure.run_etl(pdfs, folder / "pdf.duckdb")
    from_text, from_pdf = measure.row_counts(folder / "texto.duckdb"), measure.row_counts(folder / "pdf.duckdb")
    if from_pdf != from_text:
        raise RuntimeError(f"the PDFs did not load the rows of their text exports: {from_pdf} != {from_text}")

    files = sorted(pdfs.rglob("*.pdf"))
    seconds, cpu, pages = [], [], []
    for file in files:
        content = file.read_bytes()
        start, start_cpu = time.perf_counter(), time.process_time()
        parse(pdf_text(content))
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        with pdfplumber.open(file) as document:
            pages.append(len(document.pages))
    largest = max(files, key=lambda file: file.stat().st_size)
    figures.update(
        pdf_pages=statistics.mean(pages),
        pdf_median=statistics.median(seconds),
        pdf_cpu_median=statistics.median(cpu),
        pdf_max=max(seconds),
        pdf_per_page=sum(seconds) / sum(pages),
        pdf_python_peak=_python_peak_mb(largest.read_bytes()),
        pdf_etl=pdf_build.seconds,
        pdf_etl_per_ficha=pdf_build.seconds / n,
        text_etl_per_ficha=text_build.seconds / n,
        pdf_etl_peak=pdf_build.peak_mb,
        text_etl_peak=text_build.peak_mb,
    )
    return figures


def _python_peak_mb(content: bytes) -> float:
    """Most memory Python held at once while reading one PDF (tracemalloc: allocations made by the reading only)."""
    tracemalloc.start()
    try:
        parse(pdf_text(content))
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


ROWS = [
    ("pdf_mb", "PDF generados (MB)", 1),
    ("pdf_pages", "Páginas por ficha (promedio)", 1),
    ("pdf_median", "Leer una ficha PDF: mediana (s)", 3),
    ("pdf_cpu_median", "Leer una ficha PDF: mediana del tiempo de CPU (s)", 3),
    ("pdf_max", "Leer una ficha PDF: la más lenta (s)", 3),
    ("pdf_per_page", "Leer una página (s)", 3),
    ("pdf_python_peak", "Leer la ficha PDF más grande: memoria máxima de Python (MB)", 1),
    ("pdf_etl", "ETL de todos los PDF: construcción (s)", 2),
    ("pdf_etl_per_ficha", "ETL de PDF: por ficha (s)", 3),
    ("text_etl_per_ficha", "ETL de las mismas fichas en texto: por ficha (s)", 4),
    ("pdf_etl_peak", "ETL de PDF: memoria máxima, PSS con sus procesos auxiliares (MB)", 0),
    ("text_etl_peak", "ETL de texto: memoria máxima (MB)", 0),
]
