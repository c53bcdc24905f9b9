"""The build stage: files -> records -> database, skipped when nothing changed."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from etl import loader
from etl.errors import FichaError
from etl.model import ERROR, Ficha
from etl.parser import parse
from etl.sources import Source, discover, read
from etl.text import decode

ETL_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
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
        return sum(1 for archivo in self.archivos if archivo[2] == "cargada")

    @property
    def rejected(self) -> int:
        return loader.count_rejected(self.archivos)


def parse_source(source: Source) -> Ficha:
    """Parse one read file; raises FichaError with the Spanish reason."""
    if source.error:
        raise FichaError(source.error)
    return parse(decode(source.content))


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
    sources = [read(path) for path in progress(discover(paths))]
    current = fingerprint(sources)
    stored, archivos, problemas = loader.stored_state(db_path)
    if stored == current and not force:
        return Report(db_path, True, archivos, problemas)
    outcome = _decide(sources)
    loader.write_database(db_path, outcome, current)
    return Report(db_path, False, outcome.archivos, outcome.problemas)


def _decide(sources: list[Source]) -> loader.Outcome:
    """Parse every file and keep the first ficha of each (año, partida, capítulo)."""
    outcome = loader.Outcome([], [], [])
    by_key: dict[str, str] = {}
    for source in sources:
        try:
            ficha = parse_source(source)
        except FichaError as error:
            outcome.archivos.append((source.archivo, source.sha256, "rechazada", None))
            outcome.problemas.append((source.archivo, None, ERROR, error.section, error.line, error.message))
            continue
        fid = ficha.ficha_id
        if fid in by_key:
            outcome.archivos.append((source.archivo, source.sha256, "duplicada", fid))
            message = f"Ficha duplicada: año {ficha.anio}, partida {ficha.partida}, capítulo {ficha.capitulo} ya se cargó desde «{by_key[fid]}»; este archivo no se carga."
            outcome.problemas.append((source.archivo, fid, ERROR, None, None, message))
            continue
        by_key[fid] = source.archivo
        outcome.loaded.append(loader.Loaded(source.archivo, source.sha256, ficha))
        outcome.archivos.append((source.archivo, source.sha256, "cargada", fid))
        outcome.problemas.extend((source.archivo, fid, p.nivel, p.seccion, p.linea, p.mensaje) for p in ficha.problemas)
    return outcome
