"""The build stage: files -> records -> database.

Only new or changed files are parsed: the rows of every file whose content is unchanged are copied from the
previous database (when the same ETL version wrote it). When nothing changed, nothing is done, and neither DuckDB
nor the parser is imported: the manifest beside the database says so, and only files whose size or times changed
are hashed again.
"""

import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl import lock, manifest
from etl.duplicates import FirstPathWins
from etl.errors import FichaError, WriteError, write_cause
from etl.manifest import FileRecord, Stored
from etl.model import ERROR
from etl.reference import PARTIDAS_CSV
from etl.row_types import ArchivoRow, ProblemaRow
from etl.sources import SUFFIXES, Identity, Source, UsageError, discover, display_name, identity, read

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200
CHUNK_FILES = 32
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Up to this many files to parse, a rebuild starts from a copy of the previous database and prunes it (cheap, and
# their rows fit in memory); with more, it copies the unchanged rows into a new file.
FEW_CHANGES = 500
LOCK_WAIT_SECONDS = 600.0
SUMMARY_WARNINGS = 50  # warnings a summary lists; the rest are counted (all of them are in `problemas`)
LOADED, REJECTED, DUPLICATE = "cargada", "rechazada", "duplicada"

# Data files besides the code that shape the database: a change in any of them means a rebuild.
REFERENCE_FILES = (PARTIDAS_CSV,)
ETL_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in [*sorted(Path(__file__).parent.glob("*.py")), *REFERENCE_FILES])
).hexdigest()[:16]


@dataclass
class Report:
    """What a build did, or found already done, for the summary and the exit status."""

    db_path: Path
    unchanged: bool
    archivos: list[ArchivoRow]
    errors: list[ProblemaRow]  # problems of level error
    warnings: list[ProblemaRow]  # the first SUMMARY_WARNINGS warnings
    warning_count: int
    parsed: int = 0  # files read and parsed in this run; the others' rows were copied from the previous database
    hashed: int = 0  # files read and hashed in this run; the others' size, times and inode vouched for them

    @property
    def loaded(self) -> int:
        return sum(1 for archivo in self.archivos if archivo.estado == LOADED)

    @property
    def rejected(self) -> int:
        return sum(1 for archivo in self.archivos if archivo.estado != LOADED)

    @classmethod
    def of(cls, db_path: Path, unchanged: bool, stored: Stored, inputs: list, parsed: int = 0) -> "Report":
        archivos = [ArchivoRow(archivo, r.sha256, r.estado, r.ficha_id) for archivo, r in stored.files.items()]
        errors = [ProblemaRow(*row) for row in stored.errors]
        warnings = [ProblemaRow(*row) for row in stored.warnings]
        hashed = sum(1 for item in inputs if item.hashed)
        return cls(db_path, unchanged, archivos, errors, warnings, stored.warning_count, parsed, hashed)


@dataclass
class Input:
    """One input file before parsing: its content's hash, read now, vouched for by the manifest, or (in a full
    build, which parses every file) left to the worker that reads and parses it."""

    path: str
    archivo: str
    sha256: str
    error: str | None
    identity: Identity | None
    source: Source | None  # the bytes, when they were read in this run
    hashed: bool = True  # False when the manifest vouched for the hash


def build(
    paths: list[Path],
    db_path: Path,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    force: bool = False,
    replace: bool = False,
    lock_wait: float = LOCK_WAIT_SECONDS,
    waiting: Callable[[str], None] = lambda holder: None,
) -> Report:
    """Build `db_path` from the fichas under `paths`, unless the same inputs built it already.

    Raises UsageError when `db_path` is an input file or a file this ETL did not write (unless `replace`), and
    WriteError when the database cannot be written (the previous one is then intact).
    """
    files = discover(paths)
    stored = manifest.load(db_path)
    _refuse_foreign_target(db_path, paths, files, stored, replace)
    inputs = None
    if not force and stored is not None:
        inputs = _inventory(files, stored)
        if stored.huella == fingerprint(inputs):
            return Report.of(db_path, True, stored, inputs)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)  # the lock file goes beside the database
        with lock.held(db_path, lock_wait, waiting) as waited:
            if waited:  # another build ran meanwhile: start from what it left
                stored, inputs = manifest.load(db_path), None
            return _rebuild(files, db_path, progress, force, stored, inputs)
    except lock.Busy as error:
        raise WriteError(db_path, str(error)) from None
    except (UsageError, WriteError):
        raise
    except Exception as error:
        if (cause := write_cause(error)) is None:
            raise
        raise WriteError(db_path, cause) from None


def _rebuild(files, db_path, progress, force, stored, inputs) -> Report:
    """Under the lock: rebuild, reusing what the previous database holds for unchanged files."""
    if stored is None and db_path.exists():  # no manifest vouches for the database: ask the database itself
        from etl import loader  # here, not at the top: a no-op never needs DuckDB

        stored = loader.stored_state(db_path, SUMMARY_WARNINGS)
    previous = stored if stored is not None and stored.version_etl == ETL_VERSION and not force else None
    if previous is None:
        # Nothing to reuse, every file is parsed: each is read by the worker that parses it, so the main process
        # neither reads nor hashes it, nor hands its bytes over.
        return _write(db_path, inputs or _unread(files), None, progress)
    if inputs is None:
        inputs = _inventory(files, stored)
    if previous.huella == fingerprint(inputs):
        _save_manifest(db_path, previous, inputs)  # so that the next no-op needs no DuckDB
        return Report.of(db_path, True, previous, inputs)
    return _write(db_path, inputs, previous, progress)


def _write(db_path: Path, inputs: list[Input], previous: Stored | None, progress) -> Report:
    """Write the database from the inputs, reusing the rows `previous` holds for unchanged files."""
    to_parse = sum(1 for item in inputs if _reusable(item, previous) is None)
    with _parsers(to_parse) as pool, _collector_paused():
        from etl import loader  # once the workers are forked: they never hold DuckDB, and they parse meanwhile

        def metadata() -> dict[str, str]:  # asked once every file is read: workers hash the files they read
            return {loader.FINGERPRINT: fingerprint(inputs), loader.ETL_VERSION_KEY: ETL_VERSION}

        fates = _Fates(inputs, previous, pool, progress)
        written = loader.write_database(
            db_path, fates, metadata, db_path if previous else None, SUMMARY_WARNINGS, to_parse <= FEW_CHANGES
        )
    _save_manifest(db_path, written, inputs)
    return Report.of(db_path, False, written, inputs, fates.parsed)


def _save_manifest(db_path: Path, stored: Stored, inputs: list[Input]) -> None:
    identities = {item.archivo: item.identity for item in inputs if item.error is None}
    files = {
        archivo: FileRecord(record.sha256, record.estado, record.ficha_id, identities.get(archivo))
        for archivo, record in stored.files.items()
    }
    manifest.save(db_path, Stored(stored.huella, stored.version_etl, files, stored.errors, stored.warnings,
                                  stored.warning_count))  # fmt: skip


def fingerprint(inputs: list[Input]) -> str:
    """Identifies a build's inputs: the ETL code and every file's name and content."""
    digest = hashlib.sha256(ETL_VERSION.encode())
    for item in inputs:
        digest.update(f"{item.archivo}\0{item.sha256}\0{item.error}\n".encode())
    return digest.hexdigest()


def _inventory(files: list[str], stored: Stored | None) -> list[Input]:
    """Every file's hash: from the manifest when its size, times and inode are those recorded, else read now."""
    known = stored.files if stored is not None and stored.vouched else {}
    inputs = []
    for path in files:
        archivo = display_name(path)
        record = known.get(archivo)
        if record is not None and record.identity is not None and identity(path) == record.identity:
            inputs.append(Input(path, archivo, record.sha256, None, record.identity, None, hashed=False))
            continue
        source = read(path)
        inputs.append(Input(path, archivo, source.sha256, source.error, source.identity, source))
    return inputs


def _unread(files: list[str]) -> list[Input]:
    """The files of a full build, to be read (and hashed) by the workers that parse them."""
    return [Input(path, display_name(path), "", None, None, None) for path in files]


def _refuse_foreign_target(
    db_path: Path, paths: list[Path], files: list[str], stored: Stored | None, replace: bool
) -> None:
    """Never overwrite an input file, nor a file that is not a database this ETL wrote, unless told to."""
    if replace or not os.path.lexists(db_path):
        return
    hint = "Elija otro --db, o use --reemplazar si de verdad quiere sobrescribirlo."
    # A folder yields only files with an input suffix: any other file is an input only if named by itself.
    candidates = files if db_path.suffix.lower() in SUFFIXES else [path for path in paths if not path.is_dir()]
    target = os.path.realpath(db_path)
    if any(os.path.realpath(file) == target for file in candidates):
        raise UsageError(f"«{db_path}» es una de las fichas de entrada; no se sobrescribe. {hint}")
    if stored is None:
        from etl import loader  # only when no manifest vouches for the file

        if not loader.written_by_this_etl(db_path):
            raise UsageError(
                f"«{db_path}» ya existe y no es una base escrita por este ETL (no tiene su tabla «metadatos»); "
                f"no se sobrescribe. {hint}"
            )


def _reusable(item: Input, previous: Stored | None) -> FileRecord | None:
    """The previous database's record of this very file and content, whose outcome can be reused unparsed."""
    if previous is None or item.error is not None or not item.sha256:
        return None
    record = previous.files.get(item.archivo)
    return record if record is not None and record.sha256 == item.sha256 else None


class _Fates:
    """What to load for each file, in absolute-path order: parsed rows, rows copied from the previous database,
    or only its entry in `archivos` and its problems (rejected and duplicate files). Counts the files it parsed,
    and records in each input the hash and identity of the content its worker read."""

    def __init__(
        self,
        inputs: list[Input],
        previous: Stored | None,
        pool: ProcessPoolExecutor | None,
        progress=lambda items: items,
    ):
        self.inputs, self.previous, self.pool, self.progress = inputs, previous, pool, progress
        self.parsed = 0

    def __iter__(self) -> Iterator:
        from etl.loader import Fate
        from etl.rows import read_and_parse

        rule = FirstPathWins()
        unknown = [item for item in self.inputs if _reusable(item, self.previous) is None]
        parsed = _parse_all(unknown, self.pool)
        self.parsed += len(unknown)
        for item in self.progress(self.inputs):
            record = _reusable(item, self.previous)
            if record is None:
                result = _read_by_worker(item, *next(parsed))
            elif record.estado == REJECTED:
                yield Fate(ArchivoRow(item.archivo, item.sha256, REJECTED, None), copy_problems=True)
                continue
            elif duplicate := rule.admit(record.ficha_id, item.archivo, item.sha256):
                yield _duplicate_fate(item, duplicate)
                continue
            elif record.estado == LOADED:
                yield Fate(ArchivoRow(item.archivo, item.sha256, LOADED, record.ficha_id), copy_ficha=record.ficha_id,
                           copy_problems=True)  # fmt: skip
                continue
            else:  # a duplicate before, loaded now: its rows were never stored
                result = _read_by_worker(item, *read_and_parse(_handed_over(item)))
                self.parsed += 1
            if isinstance(result, FichaError):
                problem = ProblemaRow(item.archivo, None, ERROR, result.section, result.line, result.message)
                yield Fate(ArchivoRow(item.archivo, item.sha256, REJECTED, None), [problem])
            elif duplicate := rule.admit(result.ficha_id, item.archivo, item.sha256):
                yield _duplicate_fate(item, duplicate)
            else:
                yield Fate(ArchivoRow(item.archivo, item.sha256, LOADED, result.ficha_id), result.problemas, result)


def _duplicate_fate(item: Input, duplicate):
    from etl.loader import Fate

    problem = ProblemaRow(item.archivo, duplicate.ficha_id, ERROR, None, None, duplicate.message)
    return Fate(ArchivoRow(item.archivo, item.sha256, DUPLICATE, duplicate.ficha_id), [problem])


def _read_by_worker(item: Input, source: Source, result):
    """`result`, once `item` records the hash, identity or error of the content it was parsed from."""
    item.sha256, item.error, item.identity = source.sha256, source.error, source.identity
    return result


@contextmanager
def _parsers(files: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes to parse on every core; None when there are few files (starting them would cost more).

    Forked: they start at once and re-run no caller's main module (as "spawn" would). Forked before the files
    are parsed, so they hold no copy of the rows (and, in a full build, before the files are read). They only run
    the pure-Python parser, never DuckDB, and end as soon as every file is parsed (`_parse_all`).

    An executor, not `multiprocessing.Pool`: the pool's worker-handler thread spins for as long as a result waits
    in the pipe, and burned a core's fifth of the build; a worker that dies makes the executor fail, not hang.
    """
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if workers < 2 or files < PARALLEL_MIN_FILES:
        yield None
        return
    import etl.rows  # noqa: F401  (imported once, before the fork, rather than in every worker)

    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))
    pool.submit(int)  # the workers are forked at the first task: now, before the caller imports DuckDB
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)  # on failure, the files not yet handed out are never parsed


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while the database is written: the build's inputs, fates and rows never form
    cycles, yet collections would walk them all again. Small since rows travel as text (0,05 s of CPU in a
    10.000-ficha build; a third of the load when they were tuples), and more when a pruned rebuild holds every fate.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_all(items: list[Input], pool: ProcessPoolExecutor | None) -> Iterator:
    """Each file as read (without its bytes) with its rows or rejection, in order."""
    from etl.rows import read_and_parse

    if pool is None:
        yield from map(read_and_parse, map(_handed_over, items))
        return
    tasks = map(_handed_over, items)
    for count, result in enumerate(pool.map(read_and_parse, tasks, chunksize=CHUNK_FILES), start=1):
        if count == len(items):
            # Every file is parsed: the workers end now, and give back their memory before the database is checked
            # and written, rather than idling until the build ends.
            pool.shutdown(wait=False)
        yield result


def _worker_start(parent: int) -> None:
    """End with the build, and collect the worker's own garbage but never walk what it inherited (that would copy
    the parent's pages)."""
    _end_with(parent)
    gc.freeze()
    gc.enable()


def _end_with(parent: int) -> None:
    """Have the kernel kill this worker when the build's process ends, even by SIGKILL (the OOM killer, say):
    otherwise the worker would wait for files forever, holding the build's lock, which it inherited across the
    fork, so that every later build would wait for it. Linux only (`prctl`); elsewhere a worker ends with its
    queue."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the request above: nobody is left to send the signal
        os._exit(0)


def _handed_over(item: Input) -> Source | str:
    """The file as read before (its bytes dropped from the input once handed over), else its path: the worker reads
    it."""
    source, item.source = item.source, None
    return source if source is not None else item.path
