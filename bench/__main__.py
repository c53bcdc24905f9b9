"""`python -m bench [--sizes 10000] [--loads 7] [--pdf 30]`: the ETL over the floor, the pages over a bare page.

For each size it writes a synthetic corpus under bench/out/ (never data/fichas/) and one more ficha held aside;
times the floor (reading every file), a full build, a rebuild with nothing changed and a rebuild after adding the
held ficha, each as the command a user runs; then serves the dashboard on that database and the bare page of
bench/bare_page.py side by side and loads every page in headless Chromium. Every figure is printed with its ratio
to the yardstick measured in the same run, and the targets are judged at the largest size.
With `--antes REV` it also serves the app as it was at commit REV on the same fichas (bench/antes.py) and prints
each page now over before, with a verdict against the noise measured in the same run.
Then it writes `--pdf` of those fichas as PDFs and prints what reading them costs per ficha (0 skips it).
"""

import argparse
import os
import platform
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from app import registry
from bench import antes, browser, measure, pdfs
from bench.generator import generate
from bench.server import serving
from formatting import decimal, integer

DEFAULT_SIZES = [10000]
DEFAULT_LOADS = 7
DEFAULT_PDFS = 30  # below etl.build.PARALLEL_MIN_FILES: the build reads them one after another, as one core would
DEFAULT_OUT = measure.ROOT / "bench" / "out"
BARE = "bench/bare_page.py"
BARE_NAME = "Página mínima (bare)"
FROZEN_NAME = "Mínima con gc.freeze() (referencia)"  # shown, never judged
YARDSTICKS = (BARE_NAME, FROZEN_NAME)
# Targets from issue 13, each the limit of a ratio (or of MB).
LIMITS = {"etl": 15.0, "noop": 3.0, "added": 5.0, "peak_mb": 400.0, "browser": 1.3, "cpu": 1.2}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="fichas por corpus")
    parser.add_argument("--seed", type=int, default=2024, help="semilla del generador")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="carpeta de trabajo (se borra)")
    parser.add_argument("--loads", type=int, default=DEFAULT_LOADS, help="cargas medidas de cada página")
    parser.add_argument("--sin-paginas", action="store_true", help="sólo el ETL")
    parser.add_argument("--pdf", type=int, default=DEFAULT_PDFS, help="fichas PDF que medir (0: ninguna)")
    parser.add_argument(
        "--antes", default="", metavar="REV", help="commit con el que comparar las páginas ('': ninguno)"
    )
    return parser.parse_args(argv)


def _say(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


@dataclass
class SizeResult:
    figures: dict[str, float]
    pages: dict[str, browser.Loads]  # by page name; BARE_NAME is the yardstick
    server_rss_mb: float = 0.0
    antes: dict[str, browser.Loads] = field(default_factory=dict)  # REV's pages, by today's short name
    antes_etl: float = 0.0  # REV's ETL: full build of the same fichas (s)


def write_corpus_and_one_more(folder: Path, held: Path, n: int, seed: int) -> tuple[Counter, Counter]:
    """N fichas in `folder` and the (N+1)th in `held`; the rows expected without and with it."""
    without: Counter = Counter()
    previous = None
    for item in generate(n + 1, seed):  # each ficha written once the next one shows it was not the last
        if previous is not None:
            _write(folder, previous)
            without.update(previous.counts)
        previous = item
    _write(held, previous)
    return without, without + previous.counts


def _write(folder: Path, item) -> None:
    target = folder / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(item.data())


def _check_rows(db: Path, expected: Counter, what: str) -> None:
    loaded = measure.row_counts(db)
    if loaded != {table: expected[table] for table in loaded}:
        raise RuntimeError(f"{what}: the ETL did not load what was generated: {loaded} != {dict(expected)}")


def measure_etl(size: int, seed: int, out: Path) -> tuple[dict[str, float], Path]:
    """Floor, full build, no-op and one ficha added, on a fresh corpus; returns the figures and the database."""
    base = out / f"{size}"
    folder, held, db = base / "fichas", base / "una_mas", base / "fichas.duckdb"
    shutil.rmtree(base, ignore_errors=True)
    _say(f"{integer(size)} fichas: generando el corpus")
    without, with_one = write_corpus_and_one_more(folder, held, size, seed)
    figures = {
        "corpus_mb": measure.megabytes(folder),
        "productos": without["productos"],
        "floor": measure.floor(folder),
    }

    _say(f"{integer(size)} fichas: construcción completa")
    full = measure.run_etl(folder, db, tree_memory=False)  # timed alone: sampling its memory costs it CPU
    _check_rows(db, without, "full build")
    _say(f"{integer(size)} fichas: construcción completa otra vez, midiendo su memoria")
    memory = measure.run_etl(folder, base / "memoria.duckdb")
    _say(f"{integer(size)} fichas: reconstrucción sin cambios")
    noop = measure.run_etl(folder, db, tree_memory=False)
    _say(f"{integer(size)} fichas: reconstrucción con una ficha más")
    for file in held.rglob("*"):
        if file.is_file():
            target = folder / file.relative_to(held)
            target.parent.mkdir(parents=True, exist_ok=True)
            file.rename(target)
    added = measure.run_etl(folder, db, tree_memory=False)  # one file to parse: no workers, VmHWM is its peak
    _check_rows(db, with_one, "one ficha added")
    if full.unchanged or memory.unchanged or not noop.unchanged or added.unchanged:
        raise RuntimeError("the no-op should have found nothing changed, and the other builds should have built")
    floor = figures["floor"]
    figures.update(
        etl=full.seconds,
        etl_ratio=full.seconds / floor,
        fichas_per_s=size / full.seconds,
        peak_mb=memory.peak_mb,
        main_peak_mb=memory.main_peak_mb,
        noop=noop.seconds,
        noop_ratio=noop.seconds / floor,
        added=added.seconds,
        added_ratio=added.seconds / floor,
        added_parsed=added.parsed if added.parsed is not None else size + 1,
        added_peak_mb=added.peak_mb,
        db_mb=measure.megabytes(db),
    )
    return figures, db


def measure_pages(
    db: Path, loads: int, logs: Path, before: antes.Antes | None = None, before_db: Path | None = None
) -> tuple[dict[str, browser.Loads], float]:
    """Every dashboard page and the bare page, served side by side, loaded in interleaved rounds; with `before`,
    each page of that commit's dashboard (on `before_db`) right after today's page of the same name."""
    logs.mkdir(parents=True, exist_ok=True)
    with (
        serving(registry.SERVER, db, logs / "dashboard.log") as dashboard,
        serving(BARE, None, logs / "bare.log") as bare,
        serving(BARE, None, logs / "bare_frozen.log", BARE_GC_FREEZE="1") as bare_frozen,
        antes.served(before, before_db, logs / "antes.log") as old,
    ):
        targets = [browser.Target(BARE_NAME, bare, ""), browser.Target(FROZEN_NAME, bare_frozen, "")]
        for page in registry.PAGES:
            targets.append(browser.Target(page.short, dashboard, page.url_path, page.page_title))
            targets += antes.targets(page.short, old) if old else []
        results = browser.measure(targets, loads, say=_say)
        rss = dashboard.rss_mb()
    for log in ("dashboard.log", "bare.log", "bare_frozen.log", *(["antes.log"] if before else [])):
        if "Traceback" in (logs / log).read_text():
            raise RuntimeError(f"a server logged a traceback: {logs / log}")
    return results, rss


def measure_size(size: int, args: argparse.Namespace, before: antes.Antes | None = None) -> SizeResult:
    figures, db = measure_etl(size, args.seed, args.out)
    if args.sin_paginas:
        return SizeResult(figures, {})
    before_db, before_etl = None, 0.0
    if before:
        _say(f"{integer(size)} fichas: la base de {before.rev}, con su propio ETL")
        before_db = db.with_name("antes.duckdb")
        before_etl = measure.run_etl(db.with_name("fichas"), before_db, cwd=before.tree, tree_memory=False).seconds
        _check_rows(before_db, Counter(measure.row_counts(db)), f"{before.rev}'s build of the same fichas")
    _say(f"{integer(size)} fichas: páginas en Chromium ({args.loads} cargas de cada una)")
    pages, rss = measure_pages(db, args.loads, args.out / f"{size}" / "logs", before, before_db)
    now, old = antes.split(pages)
    return SizeResult(figures, now, rss, old, before_etl)


# -- printing ---------------------------------------------------------------------------------------------------

ETL_ROWS = [
    ("corpus_mb", "Corpus generado (MB)", 1),
    ("productos", "Productos estratégicos en el corpus", 0),
    ("floor", "Piso: listar, leer, decodificar y partir en líneas cada archivo (s)", 3),
    ("etl", "Construcción completa (s)", 2),
    ("etl_ratio", "Construcción completa / piso (×)", 1),
    ("fichas_per_s", "Fichas por segundo", 0),
    ("peak_mb", "Memoria máxima: PSS del ETL y sus procesos auxiliares (MB)", 0),
    ("main_peak_mb", "Memoria máxima del proceso principal, RSS (MB)", 0),
    ("noop", "Reconstrucción sin cambios (s)", 3),
    ("noop_ratio", "Sin cambios / piso (×)", 1),
    ("added", "Reconstrucción con una ficha más (s)", 2),
    ("added_ratio", "Una ficha más / piso (×)", 1),
    ("added_parsed", "Una ficha más: archivos analizados", 0),
    ("added_peak_mb", "Una ficha más: memoria máxima (MB)", 0),
    ("db_mb", "Base de datos (MB)", 1),
]


def _number(value: float, digits: int) -> str:
    return integer(value) if digits == 0 else decimal(value, digits)


def _render(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0]), *[c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]])

    return "\n".join([line(header), line(["-" * w for w in widths]), *[line(row) for row in rows]])


def etl_table(results: dict[int, SizeResult]) -> str:
    header = ["ETL (comando completo, con arranque de Python)", *[f"{integer(size)} fichas" for size in results]]
    rows = [
        [label, *[_number(result.figures[key], digits) for result in results.values()]]
        for key, label, digits in ETL_ROWS
    ]
    return _render(header, rows)


def pages_table(size: int, result: SizeResult) -> str:
    bare = result.pages[BARE_NAME]
    header = [f"Páginas con {integer(size)} fichas", "1.ª carga (s)", "p50 (s)", "p95 (s)", "p50/mín.",
              "CPU/vista (s)", "CPU/mín.", "Vistas/s", "KB/vista"]  # fmt: skip
    rows = []
    for name, loads in result.pages.items():
        rows.append([
            name, decimal(loads.first, 2), decimal(loads.p50, 2), decimal(loads.p95, 2),
            decimal(loads.p50 / bare.p50, 2), decimal(loads.cpu_per_view, 3),
            decimal(loads.cpu_per_view / bare.cpu_per_view, 2), decimal(1 / loads.cpu_per_view, 1),
            integer(loads.kb_per_view),
        ])  # fmt: skip
    return _render(header, rows)


def antes_table(size: int, result: SizeResult, rev: str) -> list[str]:
    """Each of today's pages over the same page at REV, loaded in the same rounds, with a verdict against the noise."""
    noise = antes.margins(result.pages[BARE_NAME])
    header = ["Página", "p50 ahora (s)", "p50 antes (s)", "ahora/antes", "Rondas ahora > antes", "CPU/vista ahora (s)",
              "CPU antes (s)", "ahora/antes", "KB/vista ahora", "KB antes", "Veredicto"]  # fmt: skip
    rows = []
    for page in registry.PAGES:
        now, before = result.pages[page.short], result.antes.get(page.short)
        if before is None:
            rows.append([page.short, decimal(now.p50, 2), "—", "—", "—", decimal(now.cpu_per_view, 3), "—", "—",
                         integer(now.kb_per_view), "—", "sin antes (página nueva)"])  # fmt: skip
            continue
        rows.append([
            page.short, decimal(now.p50, 2), decimal(before.p50, 2), decimal(now.p50 / before.p50, 2),
            antes.rounds_slower(now, before), decimal(now.cpu_per_view, 3), decimal(before.cpu_per_view, 3),
            decimal(now.cpu_per_view / before.cpu_per_view, 2), integer(now.kb_per_view),
            integer(before.kb_per_view), antes.verdict(now, before, noise),
        ])  # fmt: skip
    return [
        f"Antes y ahora con {integer(size)} fichas: las páginas de {rev} (su ETL, su panel) en las mismas rondas",
        _render(header, rows),
        *antes.describe(noise),
        f"ETL de {rev}, construcción completa de las mismas fichas: {decimal(result.antes_etl, 2)} s "
        f"(el de ahora: {decimal(result.figures['etl'], 2)} s).",
    ]


def _verdict(label: str, value: float, limit: float, unit: str, detail: str = "") -> str:
    verdict = "cumple" if value <= limit else f"NO CUMPLE ({decimal(value / limit, 2)}× el límite)"
    return f"  {label}: {decimal(value, 2)}{unit}{detail} (límite {decimal(limit, 1)}{unit}) → {verdict}"


def targets(size: int, result: SizeResult) -> list[str]:
    """One line per target at the largest size: the figure, the limit, and whether it holds."""
    figures = result.figures
    lines = [
        f"Metas con {integer(size)} fichas:",
        _verdict("Construcción completa / piso", figures["etl_ratio"], LIMITS["etl"], "×"),
        _verdict("Reconstrucción sin cambios / piso", figures["noop_ratio"], LIMITS["noop"], "×"),
        _verdict("Una ficha más / piso", figures["added_ratio"], LIMITS["added"], "×"),
        _verdict("Memoria máxima del ETL", figures["peak_mb"], LIMITS["peak_mb"], " MB"),
    ]
    if result.pages:
        bare = result.pages[BARE_NAME]
        for name, loads in result.pages.items():
            if name in YARDSTICKS:
                continue
            seconds = f" ({decimal(loads.p50, 2)} s / {decimal(bare.p50, 2)} s)"
            cpu = f" ({decimal(loads.cpu_per_view, 3)} s / {decimal(bare.cpu_per_view, 3)} s)"
            lines.append(_verdict(f"{name}: navegador p50 / mínima", loads.p50 / bare.p50, LIMITS["browser"], "×",
                                  seconds))  # fmt: skip
            lines.append(_verdict(f"{name}: CPU del servidor por vista / mínima",
                                  loads.cpu_per_view / bare.cpu_per_view, LIMITS["cpu"], "×", cpu))  # fmt: skip
    return lines


def capacity(result: SizeResult) -> list[str]:
    """Page views per second one server process sustains: one core of Python per process (the GIL)."""
    views = [loads for name, loads in result.pages.items() if name not in YARDSTICKS]
    if not views:
        return []
    mean_cpu = sum(loads.cpu_per_view for loads in views) / len(views)
    worst = max(views, key=lambda loads: loads.cpu_per_view)
    return [
        f"Capacidad de un proceso servidor (1 / CPU por vista; un proceso usa a lo más un núcleo): "
        f"{decimal(1 / mean_cpu, 1)} vistas/s en promedio de las páginas, {decimal(1 / worst.cpu_per_view, 1)} "
        f"en la más cara; con {os.cpu_count()} núcleos, {os.cpu_count()} procesos llegan a unas "
        f"{decimal(os.cpu_count() / mean_cpu, 0)} vistas/s (el navegador de prueba comparte la máquina).",
        f"Memoria del servidor del panel tras las cargas: {integer(result.server_rss_mb)} MB (RSS).",
    ]


def machine() -> list[str]:
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(decimal(value, 1) for value in os.getloadavg())
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("duckdb", "streamlit", "pandas", "plotly", "playwright", "pdfplumber")
    )
    return [
        f"Máquina: {os.cpu_count()} núcleos, {cpu}, {decimal(memory, 1)} GiB de RAM; carga al terminar: {load}",
        f"Python {platform.python_version()} ({platform.system()} {platform.release()}), {versions}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    args.out = args.out.resolve()
    if args.out.is_relative_to(measure.ROOT / "data"):
        print("Error de uso: las fichas sintéticas nunca van bajo data/.", file=sys.stderr)
        return 2
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1 or args.loads < 2 or args.pdf < 0:
        print(
            "Error de uso: los tamaños deben ser positivos; las cargas, al menos 2; los PDF, 0 o más.", file=sys.stderr
        )
        return 2
    started = time.perf_counter()
    try:
        before = antes.export(args.antes, args.out) if args.antes and not args.sin_paginas else None
    except antes.UsageError as error:
        print(f"Error de uso: {error}", file=sys.stderr)
        return 2
    results = {size: measure_size(size, args, before) for size in sizes}
    print("\n".join(machine()), flush=True)
    command = f"python -m bench --sizes {' '.join(map(str, sizes))} --seed {args.seed} --loads {args.loads}"
    print(f"Comando: {command} --pdf {args.pdf}{' --sin-paginas' if args.sin_paginas else ''}"
          f"{f' --antes {args.antes}' if before else ''}\n")  # fmt: skip
    print(etl_table(results))
    for size, result in results.items():
        if result.pages:
            print()
            print(pages_table(size, result))
    largest = results[sizes[-1]]
    print()
    print("\n".join(capacity(largest)))
    print()
    print("\n".join(targets(sizes[-1], largest)), flush=True)
    for size, result in results.items():
        if result.antes:
            print()
            print("\n".join(antes_table(size, result, before.rev)), flush=True)
    if args.pdf:  # after the figures above are printed: a slow or failing PDF step does not lose them
        _say(f"{integer(args.pdf)} fichas en PDF")
        pdf_figures = pdfs.measure_pdfs(args.pdf, args.seed, args.out)
        print(f"\nFichas en PDF ({integer(args.pdf)} fichas sintéticas, las mismas que en texto):")
        width = max(len(label) for _, label, _ in pdfs.ROWS)
        for key, label, digits in pdfs.ROWS:
            print(f"  {label.ljust(width)}  {_number(pdf_figures[key], digits).rjust(8)}")
    print(f"\nDuración total del benchmark: {decimal(time.perf_counter() - started, 0)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
