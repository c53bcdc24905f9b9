"""`python -m etl build [PATH ...] [--db FILE] [--force] [--reemplazar] [--espera SEGUNDOS]`: wires arguments to the
build and prints a Spanish summary.

Exit status:
  0  every file loaded (or nothing changed and the database is up to date);
  1  some file rejected, the rest loaded: the database is new and usable;
  2  usage error, or `--db` names an input file or a file this ETL did not write (nothing is touched);
  3  the database could not be written (no disk space, file too large, permission denied, read-only file system,
     another build holding it past the wait, or a failed integrity check): the previous one is intact.
"""

import argparse
import os
import sys
from pathlib import Path

from formatting import integer
from settings import DEFAULT_FICHAS_DIR, database_path

PROGRESS_THRESHOLD = 200
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_WRITTEN = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Error de uso: {message}\n")


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
    build.add_argument("--force", action="store_true", help="reconstruye todo aunque nada haya cambiado")
    build.add_argument(
        "--reemplazar",
        action="store_true",
        help="sobrescribe --db aunque no sea una base escrita por este ETL (o sea una de las fichas)",
    )
    build.add_argument(
        "--espera",
        type=float,
        default=None,
        metavar="SEGUNDOS",
        help="cuánto esperar a otra construcción de la misma base antes de desistir (por omisión 600)",
    )
    return parser.parse_args(argv)


def _progress(items):
    items = list(items)
    if len(items) < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="Leyendo fichas", unit=" archivos", file=sys.stderr)


def _waiting(db_path: Path):
    def say(holder: str) -> None:
        print(f"Otra construcción (proceso {holder}) está escribiendo {db_path}; esperando a que termine…",
              file=sys.stderr, flush=True)  # fmt: skip

    return say


def _summary(report) -> str:
    lines = []
    if report.unchanged:
        lines.append(f"Sin cambios: {report.db_path} ya está al día con estas fichas; no se reconstruyó.")
    else:
        lines.append(f"Base construida: {report.db_path}")
        reused = len(report.archivos) - report.parsed
        if reused:
            lines.append(
                f"Archivos analizados: {integer(report.parsed)}; sin cambios, copiados de la base anterior: "
                f"{integer(reused)}"
            )
    lines.append(f"Fichas cargadas: {integer(report.loaded)}")
    lines.append(f"Archivos rechazados: {integer(report.rejected)}")
    for p in report.errors:
        lines.append(f"  RECHAZADO {p.archivo}{f':{p.linea}' if p.linea else ''}: {p.mensaje}")
    if report.warning_count:
        lines.append(f"Advertencias: {integer(report.warning_count)}")
        for p in report.warnings:
            where = f"{p.archivo}{f':{p.linea}' if p.linea else ''}{f' [{p.seccion}]' if p.seccion else ''}"
            lines.append(f"  {where}: {p.mensaje}")
        if report.warning_count > len(report.warnings):
            lines.append(
                f"  … y {integer(report.warning_count - len(report.warnings))} más (tabla «problemas» de la base)."
            )
    return "\n".join(lines)


def _print_quietly(text: str) -> None:
    """Print to stdout; a reader that went away (`| head -1`) ends the output, not the command with a traceback."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python would try again to flush at exit and complain: point stdout at /dev/null instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    from etl.build import LOCK_WAIT_SECONDS, build
    from etl.errors import WriteError
    from etl.sources import UsageError

    db_path = args.db or database_path()
    try:
        report = build(
            args.paths or [DEFAULT_FICHAS_DIR],
            db_path,
            _progress,
            force=args.force,
            replace=args.reemplazar,
            lock_wait=LOCK_WAIT_SECONDS if args.espera is None else args.espera,
            waiting=_waiting(db_path),
        )
    except UsageError as error:
        print(f"Error de uso: {error}", file=sys.stderr)
        return EXIT_USAGE
    except WriteError as error:
        print(error, file=sys.stderr)
        return EXIT_NOT_WRITTEN
    _print_quietly(_summary(report))
    return EXIT_REJECTED if report.rejected else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
