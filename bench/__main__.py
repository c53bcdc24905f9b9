"""`python -m bench [--sizes 1000 10000] [--pdf 60]`: the cost of the ETL and of every page as the corpus grows.

For each size it writes a synthetic corpus under bench/out/ (never data/fichas/), builds it with the real ETL,
rebuilds it with nothing changed, and runs every page under AppTest; then it prints one table with a column
per size, the ratio of the largest to the smallest, and whether the targets hold at the largest size.
Then it writes `--pdf` of those fichas as PDFs and prints what reading them costs per ficha (0 skips it).
"""

import argparse
import os
import platform
import shutil
import sys
import time
from importlib.metadata import version
from pathlib import Path

from app import registry
from bench import measure, pages, pdfs
from bench.generator import write_corpus
from formatting import decimal, integer

DEFAULT_SIZES = [1000, 10000]
DEFAULT_PDFS = 60  # below etl.build.PARALLEL_MIN_FILES: the build reads them one after another, as one core would
DEFAULT_OUT = measure.ROOT / "bench" / "out"
PAGE_NAMES = {page.file: page.short for page in registry.PAGES}
# Targets at the largest size, from the issue: the limit of each figure.
LIMITS = {"etl_floor": 10.0, "noop_floor": 3.0, "etl_peak": 500.0, "first": 2.0, "cached": 0.3, "app_growth": 10.0}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="fichas por corpus")
    parser.add_argument("--seed", type=int, default=2024, help="semilla del generador")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="carpeta de trabajo (se borra)")
    parser.add_argument("--rounds", type=int, default=5, help="rondas por las páginas para medir la memoria")
    parser.add_argument("--pdf", type=int, default=DEFAULT_PDFS, help="fichas PDF que medir (0: ninguna)")
    return parser.parse_args(argv)


def _say(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def measure_size(size: int, seed: int, out: Path, rounds: int, warm: bool) -> dict[str, float]:
    """Every figure for one corpus size."""
    folder, db = out / f"{size}" / "fichas", out / f"{size}" / "fichas.duckdb"
    shutil.rmtree(folder.parent, ignore_errors=True)
    figures: dict[str, float] = {}

    _say(f"{integer(size)} fichas: generando el corpus")
    start = time.perf_counter()
    expected = write_corpus(folder, size, seed)
    figures["generation"] = time.perf_counter() - start
    figures["corpus_mb"] = measure.megabytes(folder)
    figures["floor"] = measure.floor(folder)

    _say(f"{integer(size)} fichas: ETL")
    build = measure.run_etl(folder, db)
    noop = measure.run_etl(folder, db)
    if build.unchanged or not noop.unchanged:
        raise RuntimeError("the second build should have found nothing changed, and the first should have built")
    loaded = measure.row_counts(db)
    if loaded != {table: expected[table] for table in loaded}:
        raise RuntimeError(f"the ETL did not load what was generated: {loaded} != {dict(expected)}")
    figures.update(
        etl=build.seconds,
        etl_wall=build.wall,
        fichas_per_s=size / build.seconds,
        etl_floor=build.seconds / figures["floor"],
        etl_peak=build.peak_mb,
        etl_main_peak=build.main_peak_mb,
        noop=noop.seconds,
        noop_wall=noop.wall,
        noop_floor=noop.seconds / figures["floor"],
        db_mb=measure.megabytes(db),
        productos=expected["productos"],
    )

    _say(f"{integer(size)} fichas: páginas")
    if warm:
        pages.warm_up(db)
    for page, times in pages.page_times(db).items():
        figures[f"first:{page}"] = times.first
        figures[f"cached:{page}"] = times.cached
    _say(f"{integer(size)} fichas: memoria de la app en {rounds} rondas")
    app = pages.memory(db, rounds)
    figures.update(app_first=app.rounds[0], app_last=app.rounds[-1], app_growth=app.rounds[-1] - app.rounds[0])
    figures["app_reruns"] = app.reruns_per_round * (len(app.rounds) - 1)
    return figures


def _rows() -> list[tuple[str, str, int]]:
    """(key, Spanish label, decimals) in the order printed."""
    rows = [
        ("corpus_mb", "Corpus generado (MB)", 1),
        ("productos", "Productos estratégicos en el corpus", 0),
        ("floor", "Piso: listar, leer, decodificar y partir en líneas (s)", 3),
        ("etl", "ETL: construcción (s)", 2),
        ("etl_wall", "ETL: comando completo, con arranque de Python (s)", 2),
        ("fichas_per_s", "ETL: fichas por segundo", 0),
        ("etl_floor", "ETL / piso (×)", 1),
        ("etl_peak", "ETL: memoria máxima, PSS con sus procesos auxiliares (MB)", 0),
        ("etl_main_peak", "ETL: memoria máxima del proceso principal, RSS (MB)", 0),
        ("noop", "Reconstrucción sin cambios (s)", 3),
        ("noop_wall", "Sin cambios: comando completo (s)", 2),
        ("noop_floor", "Sin cambios / piso (×)", 1),
        ("db_mb", "Base de datos (MB)", 1),
    ]
    for page, name in PAGE_NAMES.items():
        rows.append((f"first:{page}", f"{name}: primera ejecución (s)", 3))
        rows.append((f"cached:{page}", f"{name}: en caché (s)", 3))
    rows += [
        ("app_first", "App: RSS tras la primera ronda (MB)", 0),
        ("app_last", "App: RSS tras la última ronda (MB)", 0),
        ("app_growth", "App: crecimiento entre ambas (MB)", 1),
        ("app_reruns", "App: ejecuciones entre ambas", 0),
    ]
    return rows


def _number(value: float, digits: int) -> str:
    return integer(value) if digits == 0 else decimal(value, digits)


def table(results: dict[int, dict[str, float]]) -> str:
    sizes = list(results)
    ratio = f"{_short(sizes[-1])}/{_short(sizes[0])}" if len(sizes) > 1 else None
    header = ["Medida", *[f"{integer(size)} fichas" for size in sizes], *([ratio] if ratio else [])]
    lines = []
    for key, label, digits in _rows():
        cells = [label, *[_number(results[size][key], digits) for size in sizes]]
        if ratio:
            first, last = results[sizes[0]][key], results[sizes[-1]][key]
            cells.append(decimal(last / first, 1) if first else "—")
        lines.append(cells)
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def render(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0]), *[c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]])

    return "\n".join([render(header), render(["-" * w for w in widths]), *[render(row) for row in lines]])


def _short(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def targets(size: int, figures: dict[str, float]) -> list[str]:
    """One line per target at the largest size: the figure, the limit, and whether it holds."""
    checks = [
        ("ETL dentro de 10× el piso", figures["etl_floor"], LIMITS["etl_floor"], "×"),
        ("Reconstrucción sin cambios dentro de 3× el piso", figures["noop_floor"], LIMITS["noop_floor"], "×"),
        ("Memoria máxima del ETL bajo 500 MB", figures["etl_peak"], LIMITS["etl_peak"], " MB"),
    ]
    for page, name in PAGE_NAMES.items():
        checks.append((f"{name}: primera ejecución bajo 2 s", figures[f"first:{page}"], LIMITS["first"], " s"))
        checks.append((f"{name}: en caché bajo 0,3 s", figures[f"cached:{page}"], LIMITS["cached"], " s"))
    checks.append(("Memoria de la app plana (crece ≤ 10 MB)", figures["app_growth"], LIMITS["app_growth"], " MB"))
    lines = [f"Metas con {integer(size)} fichas:"]
    for label, value, limit, unit in checks:
        verdict = "cumple" if value <= limit else f"NO CUMPLE ({decimal(value / limit, 1)}× el límite)"
        lines.append(f"  {label}: {decimal(value, 2)}{unit} (límite {decimal(limit, 1)}{unit}) → {verdict}")
    return lines


def machine() -> list[str]:
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{name} {version(name)}" for name in ("duckdb", "streamlit", "pandas", "pdfplumber"))
    return [
        f"Máquina: {os.cpu_count()} núcleos, {cpu}, {decimal(memory, 1)} GiB de RAM",
        f"Python {platform.python_version()} ({platform.system()} {platform.release()}), {versions}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    out = args.out.resolve()
    if out.is_relative_to(measure.ROOT / "data"):
        print("Error de uso: las fichas sintéticas nunca van bajo data/.", file=sys.stderr)
        return 2
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1 or args.rounds < 2 or args.pdf < 0:
        print(
            "Error de uso: los tamaños deben ser positivos; las rondas, al menos 2; los PDF, 0 o más.", file=sys.stderr
        )
        return 2
    started = time.perf_counter()
    results = {}
    for position, size in enumerate(sizes):
        results[size] = measure_size(size, args.seed, out, args.rounds, warm=position == 0)
    pdf_figures = None
    if args.pdf:
        _say(f"{integer(args.pdf)} fichas en PDF")
        pdf_figures = pdfs.measure_pdfs(args.pdf, args.seed, out)
    print("\n".join(machine()))
    print(f"Comando: python -m bench --sizes {' '.join(map(str, sizes))} --seed {args.seed} --pdf {args.pdf}\n")
    print(table(results))
    print()
    print("\n".join(targets(sizes[-1], results[sizes[-1]])))
    if pdf_figures:
        print(f"\nFichas en PDF ({integer(args.pdf)} fichas sintéticas, las mismas que en texto):")
        width = max(len(label) for _, label, _ in pdfs.ROWS)
        for key, label, digits in pdfs.ROWS:
            print(f"  {label.ljust(width)}  {_number(pdf_figures[key], digits).rjust(8)}")
    print(f"\nDuración total del benchmark: {decimal(time.perf_counter() - started, 0)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
