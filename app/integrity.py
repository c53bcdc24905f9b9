"""Can the pages trust this database file? Checked once per version of the file, before anything is drawn.

A file can be missing a part (truncated), have altered blocks (DuckDB finds them by their checksums, but only
when it reads them, so every table is read once here, end to end), belong to something else, or follow an
older contract. Each case gets one Spanish sentence that names the file and how to fix it; `None` means the
file is sound. The expected tables and columns come from the ETL's schema constant, never from a second list.
"""

import functools
import logging
from pathlib import Path

import duckdb

from app.filters import printable
from etl import loader
from etl.errors import OS_CAUSES

# `make build` repairs a damaged database of ours when its manifest vouches for it; without one, the ETL takes
# the file for someone else's and wants `--reemplazar` (etl/build.py), which the message says.
REBUILD = (
    "Reconstrúyala con `make build` (o `python -m etl build --force`; si el ETL no la reconoce como suya, "
    "agregue `--reemplazar`)."
)
_ALIAS = "revisada"
_SHOWN_MISSING = 6  # missing columns named in the message; the rest are counted

logger = logging.getLogger(__name__)


@functools.cache
def expected_columns() -> dict[str, dict[str, str]]:
    """table -> column -> DuckDB type, as `loader.SCHEMA_SQL` creates them."""
    with duckdb.connect(":memory:") as con:
        con.execute(loader.SCHEMA_SQL)
        return _columns(con, con.execute("select current_database()").fetchone()[0])


def _columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() where database_name = $database "
        "order by table_name, column_index",
        {"database": database},
    ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, {})[column] = data_type
    return found


def inspect(path: Path) -> str | None:
    """Why the pages cannot use the database at `path` (one Spanish sentence), or None when it is sound."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as error:
        cause = OS_CAUSES.get(error.errno, "el sistema no permite leerla")
        return f"No se puede leer la base `{path}`: {cause}. {REBUILD}"
    if head[8:12] != loader.DUCKDB_MAGIC:
        return _foreign(path, "no es un archivo de DuckDB")
    # A private instance, closed at the end: it reads the file from disk and keeps none of it in memory.
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach $path as {_ALIAS} (read_only)", {"path": str(path)})
        fault = _contract_fault(con, path)
        if fault is None:
            _read_every_value(con)
        return fault
    except duckdb.Error as error:
        return _damaged(path, error)
    finally:
        con.close()


def _contract_fault(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """A file of another kind or of another contract version: which, in words."""
    found = _columns(con, _ALIAS)
    if "metadatos" not in found:
        if "fichas" in found:
            return _older(path, "no tiene la tabla «metadatos» con su versión")
        return _foreign(path, "no tiene las tablas de una base de fichas")
    row = con.execute(
        f"select max(valor) from {_ALIAS}.metadatos where clave = $clave", {"clave": loader.SCHEMA_VERSION_KEY}
    ).fetchone()
    version = row[0] if row else None
    if version is None:
        return _older(path, f"no declara su versión (`{loader.SCHEMA_VERSION_KEY}`)")
    if version != loader.SCHEMA_VERSION:
        return _older(path, f"es de la versión {printable(version, 12)} del formato")
    if missing := _missing(found, expected_columns()):
        shown = ", ".join(missing[:_SHOWN_MISSING])
        if len(missing) > _SHOWN_MISSING:
            shown += f" y {len(missing) - _SHOWN_MISSING} más"
        return _older(path, f"le faltan partes del formato, o tienen otro tipo: {shown}")
    return None


def _missing(found: dict[str, dict[str, str]], expected: dict[str, dict[str, str]]) -> list[str]:
    """Expected tables absent from `found`, then expected columns absent or of another type."""
    missing = []
    for table, columns in expected.items():
        if table not in found:
            missing.append(f"tabla {table}")
            continue
        missing += [f"{table}.{column}" for column, kind in columns.items() if found[table].get(column) != kind]
    return missing


def _read_every_value(con: duckdb.DuckDBPyConnection) -> None:
    """Read every value of every table once, so that a damaged block anywhere raises now, not mid-page."""
    for table in expected_columns():  # identifiers from our own schema
        con.execute(f"select bit_xor(hash(columns(*))) from {_ALIAS}.{table}").fetchall()


def _damaged(path: Path, error: duckdb.Error) -> str:
    logger.warning("database %s failed its check: %s", path, error)
    text = str(error)
    if "Could not read enough bytes" in text or "reached end of file" in text.lower():
        cause = "el archivo está incompleto (termina antes de lo que su contenido indica)"
    elif "checksum" in text:
        cause = "tiene bloques alterados (no coinciden con sus sumas de verificación)"
    else:
        cause = "DuckDB no pudo leerla"
    return f"La base `{path}` está dañada: {cause}. No se muestra nada de ella. {REBUILD}"


def _foreign(path: Path, reason: str) -> str:
    return (
        f"El archivo `{path}` no es una base de fichas: {reason}. No se muestra nada de él. Indique la base de "
        "fichas en la variable `FICHAS_DB`, o construya una en otro archivo: `FICHAS_DB=otra.duckdb make build` "
        "(o `python -m etl build --force --db otra.duckdb`)."
    )


def _older(path: Path, reason: str) -> str:
    return (
        f"La base `{path}` no sigue el formato que este panel lee (versión {loader.SCHEMA_VERSION}): {reason}. "
        f"{REBUILD}"
    )
