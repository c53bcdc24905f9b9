"""The build stage: files -> records -> database, skipped when nothing changed."""

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path

from etl import loader
from etl.errors import FichaError
from etl.model import ERROR
from etl.row_types import ArchivoRow, ProblemaRow
from etl.rows import ParsedFile, parse_file
from etl.sources import Source, discover, read

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200
CHUNK_FILES = 32
BATCH_FICHAS = 500  # fichas per insert: few statements, and the build never holds every row at once

ETL_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in [*sorted(Path(__file__).parent.glob("*.py")), *loader.REFERENCE_FILES])
).hexdigest()[:16]


@dataclass
class Report:
    """What a build did, for the summary and the exit status."""

    db_path: Path
    unchanged: bool
    archivos: list[tuple]
    problemas: list[tuple]

    @property
    def loaded(self) -> int:
        return sum(1 for archivo in self.archivos if archivo.estado == "cargada")

    @property
    def rejected(self) -> int:
        return sum(1 for archivo in self.archivos if archivo.estado != "cargada")


def fingerprint(sources: list[Source]) -> str:
    """Identifies a build's inputs: the ETL code and every file's name and content."""
    digest = hashlib.sha256(ETL_VERSION.encode())
    for source in sources:
        digest.update(f"{source.archivo}\0{source.sha256}\0{source.error}\n".encode())
    return digest.hexdigest()


def build(
    paths: list[Path],
    db_path: Path,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    force: bool = False,
) -> Report:
    """Build `db_path` from the fichas under `paths`, unless the same inputs built it already."""
    files = discover(paths)
    with _parsers(len(files)) as pool:
        sources = [read(path) for path in progress(files)]
        current = fingerprint(sources)
        stored, archivos, problemas = loader.stored_state(db_path)
        if stored == current and not force:
            return Report(db_path, True, archivos, problemas)
        with _collector_paused():
            outcome = _decide(sources, pool)
            loader.write_database(db_path, outcome, current)
    return Report(db_path, False, outcome.archivos, outcome.problemas)


@contextmanager
def _parsers(files: int) -> Iterator[Pool | None]:
    """Worker processes to parse on every core; None when there are few files (starting them would cost more).

    Forked: they start at once and re-run no caller's main module (as "spawn" would). Forked before the files
    are read, so they hold no copy of them. They only run the pure-Python parser, never DuckDB.
    """
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if workers < 2 or files < PARALLEL_MIN_FILES:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        yield pool


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while the build holds millions of row tuples.

    Rows never form cycles, yet every collection would walk all of them again: a third of the load time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_all(sources: list[Source], pool: Pool | None) -> Iterator[ParsedFile | FichaError]:
    """Each file's rows or rejection, in order."""
    if pool is None:
        return map(parse_file, _handed_over(sources))
    return pool.imap(parse_file, _handed_over(sources), chunksize=CHUNK_FILES)


def _worker_start() -> None:
    """Collect a worker's own garbage, but never walk what it inherited: that would copy the parent's pages."""
    gc.freeze()
    gc.enable()


def _handed_over(sources: list[Source]) -> Iterator[Source]:
    """Take the sources out of the list one by one, so each file's bytes are freed once it is parsed."""
    sources.reverse()
    while sources:
        yield sources.pop()


def _decide(sources: list[Source], pool: Pool | None = None) -> loader.Outcome:
    """Parse every file and keep the first ficha of each (año, partida, capítulo), as the loader asks for them.

    The sources are consumed: the list is empty once the outcome's batches are exhausted.
    """
    archivos: list[tuple] = []
    problemas: list[tuple] = []
    return loader.Outcome(_accepted(sources, pool, archivos, problemas), archivos, problemas)


def _accepted(
    sources: list[Source], pool: Pool | None, archivos: list, problemas: list
) -> Iterator[dict[str, list[tuple]]]:
    """Rows of the accepted fichas, BATCH_FICHAS at a time; every file's fate goes into `archivos` and `problemas`
    on the way."""
    by_key: dict[str, str] = {}
    batch: dict[str, list[tuple]] = {}
    accepted = 0
    files = [(source.archivo, source.sha256) for source in sources]  # kept: the sources themselves are handed over
    for (archivo, sha256), parsed in zip(files, _parse_all(sources, pool), strict=True):
        if isinstance(parsed, FichaError):
            archivos.append(ArchivoRow(archivo, sha256, "rechazada", None))
            problemas.append(ProblemaRow(archivo, None, ERROR, parsed.section, parsed.line, parsed.message))
            continue
        fid = parsed.ficha_id
        if fid in by_key:
            archivos.append(ArchivoRow(archivo, sha256, "duplicada", fid))
            message = f"Ficha duplicada: año {parsed.anio}, partida {parsed.partida}, capítulo {parsed.capitulo} ya se cargó desde «{by_key[fid]}»; este archivo no se carga."
            problemas.append(ProblemaRow(archivo, fid, ERROR, None, None, message))
            continue
        by_key[fid] = archivo
        for table, rows in parsed.rows.items():
            batch.setdefault(table, []).extend(rows)
        archivos.append(ArchivoRow(archivo, sha256, "cargada", fid))
        problemas.extend(parsed.problemas)
        accepted += 1
        if accepted % BATCH_FICHAS == 0:
            yield batch
            batch = {}
    if batch:
        yield batch
