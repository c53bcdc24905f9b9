"""`python -m etl build [PATH ...] [--db FILE]`: wires arguments to the build and prints a Spanish summary.

Exit status: 0 every file loaded, 1 some file rejected (the rest loaded), 2 usage error.
"""

import argparse
import sys
from pathlib import Path

from etl.model import ERROR
from formatting import integer
from settings import DEFAULT_FICHAS_DIR, database_path

PROGRESS_THRESHOLD = 200


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, f"Error de uso: {message}\n")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="python -m etl", description="Carga fichas A1 de DIPRES en una base DuckDB.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    build = commands.add_parser("build", help="construye la base si las fichas cambiaron")
    build.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="RUTA",
        help=f"archivos o carpetas con fichas (por omisión {DEFAULT_FICHAS_DIR})",
    )
    build.add_argument(
        "--db", type=Path, default=None, help="archivo de la base (por omisión FICHAS_DB o data/fichas.duckdb)"
    )
    build.add_argument("--force", action="store_true", help="reconstruye aunque nada haya cambiado")
    return parser.parse_args(argv)


def _progress(items):
    items = list(items)
    if len(items) < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="Leyendo fichas", unit=" archivos", file=sys.stderr)


def _summary(report) -> str:
    lines = []
    if report.unchanged:
        lines.append(f"Sin cambios: {report.db_path} ya está al día con estas fichas; no se reconstruyó.")
    else:
        lines.append(f"Base construida: {report.db_path}")
    lines.append(f"Fichas cargadas: {integer(report.loaded)}")
    lines.append(f"Archivos rechazados: {integer(report.rejected)}")
    errors = [p for p in report.problemas if p.nivel == ERROR]
    warnings = [p for p in report.problemas if p.nivel != ERROR]
    for p in errors:
        lines.append(f"  RECHAZADO {p.archivo}{f':{p.linea}' if p.linea else ''}: {p.mensaje}")
    if warnings:
        lines.append(f"Advertencias: {integer(len(warnings))}")
        for p in warnings[:50]:
            where = f"{p.archivo}{f':{p.linea}' if p.linea else ''}{f' [{p.seccion}]' if p.seccion else ''}"
            lines.append(f"  {where}: {p.mensaje}")
        if len(warnings) > 50:
            lines.append(f"  … y {len(warnings) - 50} más (tabla «problemas» de la base).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    from etl.build import build
    from etl.sources import UsageError

    try:
        report = build(args.paths or [DEFAULT_FICHAS_DIR], args.db or database_path(), _progress, args.force)
    except UsageError as error:
        print(f"Error de uso: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"No se pudo escribir la base: {error.strerror or error}", file=sys.stderr)
        return 2
    print(_summary(report))
    return 1 if report.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
