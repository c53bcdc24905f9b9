"""Own the database contract: the schema, the bulk load, the integrity checks and the atomic swap of the finished
file."""

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

import duckdb

from etl import row_text
from etl.errors import IntegrityError
from etl.manifest import FileRecord, Stored, manifest_path
from etl.reference import Partida, equivalent_official, partidas
from etl.row_types import ROW_TYPES, ArchivoRow, ProblemaRow
from etl.rows import ROW_TEXT_TABLES, ParsedFile
from etl.sources import MAX_BYTES

# The contract every page relies on; docs/esquema.md describes each column. Keys and links of the ficha tables are
# not declared (DuckDB checks declared ones row by row: seconds per 10.000 fichas) but checked once, set-based,
# after the load: see KEYS and LINKS.
SCHEMA_SQL = """
create table fichas (
    ficha_id varchar not null,
    anio integer not null,
    periodo_inicio integer,
    periodo_fin integer,
    ministerio varchar not null,
    partida varchar not null,
    servicio varchar not null,
    capitulo varchar not null,
    ley_organica varchar,
    mision varchar,
    archivo varchar not null,
    sha256 varchar not null,
    ministerio_nombre varchar not null,
    servicio_id varchar not null,
    servicio_nombre varchar not null
);
create table objetivos_ministeriales (
    ficha_id varchar not null,
    numero integer not null,
    descripcion varchar not null,
    linea integer
);
create table objetivos_institucionales (
    ficha_id varchar not null,
    numero integer not null,
    descripcion varchar not null,
    linea integer
);
create table productos (
    ficha_id varchar not null,
    numero integer not null,
    nombre varchar not null,
    descripcion varchar not null,
    aplica_gestion_territorial boolean,
    aplica_enfoque_genero boolean,
    linea integer,
    subproductos varchar,
    presupuesto_miles bigint,
    presupuesto_texto varchar
);
create table clientes (
    ficha_id varchar not null,
    numero integer not null,
    descripcion varchar not null,
    cuantificacion bigint,
    cuantificacion_texto varchar not null,
    linea integer
);
create table objetivo_institucional_ministerial (
    ficha_id varchar not null,
    objetivo_institucional integer not null,
    objetivo_ministerial integer not null,
    linea integer
);
create table objetivo_institucional_producto (
    ficha_id varchar not null,
    objetivo_institucional integer not null,
    producto integer not null,
    linea integer
);
create table producto_cliente (
    ficha_id varchar not null,
    producto integer not null,
    cliente integer not null,
    linea integer
);
create table problemas (
    archivo varchar not null,
    ficha_id varchar,
    nivel varchar not null check (nivel in ('error', 'advertencia')),
    seccion varchar,
    linea integer,
    mensaje varchar not null
);
create table archivos (
    archivo varchar primary key,
    sha256 varchar not null,
    estado varchar not null check (estado in ('cargada', 'rechazada', 'duplicada')),
    ficha_id varchar
);
create table metadatos (
    clave varchar primary key,
    valor varchar not null
);
"""

# Column order of each table's bulk load, matching SCHEMA_SQL: the fields of its row type.
COLUMNS = {table: row_type._fields for table, row_type in ROW_TYPES.items()}
# Keys of the ficha tables, checked after the load: each tuple of columns is unique in its table.
KEYS = {
    "fichas": [("ficha_id",), ("anio", "partida", "capitulo")],
    "objetivos_ministeriales": [("ficha_id", "numero")],
    "objetivos_institucionales": [("ficha_id", "numero")],
    "productos": [("ficha_id", "numero")],
    "clientes": [("ficha_id", "numero")],
    "objetivo_institucional_ministerial": [("ficha_id", "objetivo_institucional", "objetivo_ministerial")],
    "objetivo_institucional_producto": [("ficha_id", "objetivo_institucional", "producto")],
    "producto_cliente": [("ficha_id", "producto", "cliente")],
}
# Links checked after the load: (table, columns) -> (table, columns), every child row has its parent row.
LINKS = [
    (("objetivos_ministeriales", ("ficha_id",)), ("fichas", ("ficha_id",))),
    (("objetivos_institucionales", ("ficha_id",)), ("fichas", ("ficha_id",))),
    (("productos", ("ficha_id",)), ("fichas", ("ficha_id",))),
    (("clientes", ("ficha_id",)), ("fichas", ("ficha_id",))),
    (("objetivo_institucional_ministerial", ("ficha_id", "objetivo_institucional")),
     ("objetivos_institucionales", ("ficha_id", "numero"))),
    (("objetivo_institucional_ministerial", ("ficha_id", "objetivo_ministerial")),
     ("objetivos_ministeriales", ("ficha_id", "numero"))),
    (("objetivo_institucional_producto", ("ficha_id", "objetivo_institucional")),
     ("objetivos_institucionales", ("ficha_id", "numero"))),
    (("objetivo_institucional_producto", ("ficha_id", "producto")), ("productos", ("ficha_id", "numero"))),
    (("producto_cliente", ("ficha_id", "producto")), ("productos", ("ficha_id", "numero"))),
    (("producto_cliente", ("ficha_id", "cliente")), ("clientes", ("ficha_id", "numero"))),
    (("archivos", ("ficha_id",)), ("fichas", ("ficha_id",))),
]  # fmt: skip
FILE_TABLES = ("problemas", "archivos")  # rows per input file; every other table with ficha_id holds a ficha's rows
FINGERPRINT = "huella"
ETL_VERSION_KEY = "version_etl"
BUILT = "construida"
BATCH_FICHAS = 500  # parsed fichas per insert: few statements, and the build never holds every row at once
# The longest row of text DuckDB's CSV reader is asked to take: a whole file's text in one row, decoded from a
# single-byte encoding (up to 3 bytes per character in UTF-8), is still shorter.
MAX_ROW_BYTES = 3 * MAX_BYTES + 1024
_LINE_BREAK = row_text.LINE_BREAK.encode()
DUCKDB_MAGIC = b"DUCK"  # at byte 8 of every DuckDB file
BUILDING = "construyendo"  # what the database being written is attached as
ROW_GROUP_ROWS = 32_768
# Written in metadatos as `version_esquema`; the dashboard refuses a database of another version.
SCHEMA_VERSION = "2"
SCHEMA_VERSION_KEY = "version_esquema"


@dataclass
class Fate:
    """What the build decided for one input file: its `archivos` row and what to load for it."""

    archivo: ArchivoRow
    problemas: list[ProblemaRow] = field(default_factory=list)
    parsed: ParsedFile | None = None  # a ficha parsed now, with its rows
    copy_ficha: str | None = None  # a ficha whose rows are copied from the previous database
    copy_problems: bool = False  # this file's problems are copied from the previous database


T = TypeVar("T")


def batched(items: Iterable[T], size: int, weight: Callable[[T], int] = lambda item: 1) -> Iterator[list[T]]:
    """Consecutive lists of items whose weights add up to `size` (the last may weigh less)."""
    batch, total = [], 0
    for item in items:
        batch.append(item)
        total += weight(item)
        if total >= size:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def write_database(
    db_path: Path,
    fates: Iterable[Fate],
    metadata: Callable[[], dict[str, str]],
    previous: Path | None,
    sample: int,
    few_changes: bool = False,
) -> Stored:
    """Write a complete database beside `db_path`, then swap it in with one atomic rename; return what it holds.

    Rows of unchanged files come from `previous` (the database being replaced, written by this same ETL version):
    with `few_changes`, the new file starts as a copy of it, pruned of every row no fate keeps (the fates are then
    held in memory, so the caller says so only when few files were parsed); otherwise the kept rows are copied into
    a new file, set-based. A crash, a kill or a failed check before the rename leaves the previous database untouched.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    pruned = previous is not None and few_changes
    row_texts = _RowTexts(temporary)
    try:
        if pruned:
            shutil.copyfile(previous, temporary)
        with duckdb.connect() as con:
            # Row groups a quarter of DuckDB's default: an insert of a table's texts writes, compressed, every
            # group it fills (up to 161.000 rows a table here: most would otherwise wait, uncompressed, for the
            # final checkpoint, 0,5 s on one core). Pages load as fast from them; their queries take a little
            # more CPU (BENCHMARKS.md, «ETL, ronda 4»).
            con.execute(f"attach $path as {BUILDING} (row_group_size {ROW_GROUP_ROWS})", {"path": str(temporary)})
            con.execute(f"use {BUILDING}")
            if pruned:
                fates = list(fates)
                _prune(con, *_copied(fates))
            else:
                con.execute(SCHEMA_SQL)
            # Checkpoint once, at the end: one per batch would rewrite blocks and leave the old ones as holes.
            con.execute("set checkpoint_threshold = '1TB'")
            copied = _load(con, fates, row_texts)
            if previous is not None and not pruned:
                _copy_previous(con, previous, *copied)
            # The checks read while the names are written: neither needs the other, so they run at once.
            with ThreadPoolExecutor(1) as checker:
                checked = checker.submit(_closing, _cursor(con), check_integrity, db_path)
                derive_names(con)  # over every ficha, copied or parsed: they depend on each other
                checked.result()
            built = datetime.now(UTC).isoformat(timespec="seconds")
            con.executemany(
                "insert into metadatos values (?, ?)",
                [*metadata().items(), (SCHEMA_VERSION_KEY, SCHEMA_VERSION), (BUILT, built)],
            )
            con.execute("checkpoint")
            written = _stored(con, sample)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, db_path)
    except row_text.RowTextError as error:  # a file's problem or name with a control character: a bug of ours
        raise IntegrityError(db_path, str(error)) from None
    finally:
        row_texts.close()
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal"), *row_texts.paths.values()):
            leftover.unlink(missing_ok=True)
    return written


def _load(con: duckdb.DuckDBPyConnection, fates: Iterable[Fate], row_texts: "_RowTexts") -> tuple[list[str], list[str]]:
    """Load the fates' rows; return the fichas and files whose rows come from the previous database.

    While the parsers run, a batch at a time, the rows of the parsed fichas, the problems and `archivos` are
    appended to `row_texts`. Once every file is parsed, DuckDB reads those texts, a table per core at
    once: one thread per statement reads a text faster than several do.

    (Inserting the texts while the parsers run, each time followed by a checkpoint, shortened the build's end but
    not the build: the cores were busy parsing, the checkpoints cost more in all, and left the file twice as big,
    with the blocks each one rewrote.)"""
    (cores,) = con.execute("select current_setting('threads')").fetchone()  # as many as DuckDB would use
    con.execute("set threads = 1")  # the parsers have every core meanwhile, and the texts are read a table a thread
    try:
        copied = _load_batches(con, fates, row_texts)
        row_texts.close()
        with ThreadPoolExecutor(cores) as pool:
            cursors = {table: _cursor(con) for table in row_texts.paths}  # made here: `con` is this thread's
            list(pool.map(lambda table: _closing(cursors[table], _insert_row_text, table, row_texts), cursors))
    finally:
        con.execute("reset threads")
    return copied


def _load_batches(
    con: duckdb.DuckDBPyConnection, fates: Iterable[Fate], row_texts: "_RowTexts"
) -> tuple[list[str], list[str]]:
    copied_fichas, copied_files = [], []
    for batch in batched(fates, BATCH_FICHAS, weight=lambda fate: fate.parsed is not None):
        files = {
            "problemas": row_text.encode([problem for fate in batch for problem in fate.problemas]),
            "archivos": row_text.encode([fate.archivo for fate in batch]),
        }
        row_texts.append([fate.parsed.rows for fate in batch if fate.parsed is not None] + [files])
        fichas, files = _copied(batch)
        copied_fichas += fichas
        copied_files += files
    return copied_fichas, copied_files


class _RowTexts:
    """Rows as text (`etl.row_text`), a file per table beside the temporary database (named after it, so
    `remove_stale_temporaries` finds what a killed build left)."""

    def __init__(self, temporary: Path):
        self.paths = {
            table: temporary.with_name(f"{temporary.name}.{table}") for table in (*ROW_TEXT_TABLES, *FILE_TABLES)
        }
        self.line_breaks: set[str] = set()  # tables with a value that has line breaks
        self._files: dict[str, BinaryIO] = {}

    def append(self, texts: list[dict[str, bytes]]) -> None:
        """Append these texts of rows (each a text per table, for some of the tables), one write per table."""
        for table, path in self.paths.items():
            if text := b"".join([rows[table] for rows in texts if table in rows]):
                if table not in self._files:
                    self._files[table] = path.open("wb")
                self._files[table].write(text)
                if _LINE_BREAK in text:
                    self.line_breaks.add(table)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection for another thread, on the database `con` uses (a cursor starts on the default one)."""
    cursor = con.cursor()
    cursor.execute(f"use {BUILDING}")
    return cursor


def _closing(cursor: duckdb.DuckDBPyConnection, work: Callable, *args):
    """`work(cursor, *args)`, run by another thread, then the cursor closed."""
    with cursor:
        return work(cursor, *args)


def _insert_row_text(con: duckdb.DuckDBPyConnection, table: str, row_texts: _RowTexts) -> None:
    """Insert the rows `row_texts` wrote for `table`, if any, read by DuckDB's CSV reader with the table's types."""
    if (path := row_texts.paths[table]).exists():
        _read_row_text(con, table, path, table in row_texts.line_breaks)


def _read_row_text(con: duckdb.DuckDBPyConnection, table: str, path: Path, line_breaks: bool) -> None:
    names = COLUMNS[table]
    types = dict(con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and table_name = $table", {"table": table},
    ).fetchall())  # fmt: skip
    # Identifiers from COLUMNS, never from input; a text's line breaks come back from row_text.LINE_BREAK.
    restored = [f"replace({name}, $line_break, $newline)" if types[name] == "VARCHAR" else name for name in names]
    con.execute(
        f"insert into {table} ({', '.join(names)}) select {', '.join(restored if line_breaks else names)} "
        "from read_csv($path, columns = $columns, delim = $field, nullstr = $null, quote = '', escape = '', "
        "header = false, auto_detect = false, max_line_size = $max_row)",
        {
            "path": str(path),
            "columns": {name: types[name] for name in names},
            "field": row_text.FIELD,
            "null": row_text.NULL,
            "max_row": MAX_ROW_BYTES,
        }
        | ({"line_break": row_text.LINE_BREAK, "newline": "\n"} if line_breaks else {}),
    )


def _copied(fates: Iterable[Fate]) -> tuple[list[str], list[str]]:
    """The fichas whose rows, and the files whose problems, come from the previous database."""
    fichas = [fate.copy_ficha for fate in fates if fate.copy_ficha is not None]
    return fichas, [fate.archivo.archivo for fate in fates if fate.copy_problems]


def _prune(con: duckdb.DuckDBPyConnection, fichas: list[str], files: list[str]) -> None:
    """In a copy of the previous database, delete every row not kept: what remains is what `_copy_previous` would
    have copied. `archivos` and `metadatos` are written anew."""
    with _copies_registered(con, fichas, files):
        for table in _ficha_tables(con):
            con.execute(f"delete from {table} where ficha_id not in (select ficha_id from copied_fichas)")
        con.execute("delete from problemas where archivo not in (select archivo from copied_files)")
        con.execute("delete from archivos")
        con.execute("delete from metadatos")


@contextmanager
def _copies_registered(con: duckdb.DuckDBPyConnection, fichas: list[str], files: list[str]) -> Iterator[None]:
    """`copied_fichas` (ficha_id) and `copied_files` (archivo): what comes from the previous database."""
    with _listed(
        con, {"copied_fichas": {"ficha_id": ("varchar", fichas)}, "copied_files": {"archivo": ("varchar", files)}}
    ):
        yield


@contextmanager
def _listed(con: duckdb.DuckDBPyConnection, tables: dict[str, dict[str, tuple[str, list]]]) -> Iterator[None]:
    """Temporary tables made of Python lists: for each table, a list per column with its SQL type, passed as
    parameters (no NumPy, pandas or pyarrow in the build: importing any of them would cost more than the load)."""
    for name, columns in tables.items():
        values = ", ".join(f"unnest(${column}::{kind}[]) as {column}" for column, (kind, _) in columns.items())
        con.execute(f"create temp table {name} as select {values}",  # identifiers and types from this module
                    {column: items for column, (_, items) in columns.items()})  # fmt: skip
    try:
        yield
    finally:
        for name in tables:
            con.execute(f"drop table if exists temp.{name}")


def _ficha_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables that hold a ficha's rows: every table with a `ficha_id` column but those kept per file."""
    rows = con.execute(
        "select table_name from duckdb_columns() "
        "where database_name = current_database() and column_name = 'ficha_id' order by 1"
    ).fetchall()
    return [table for (table,) in rows if table not in FILE_TABLES]


def _copy_previous(con: duckdb.DuckDBPyConnection, previous: Path, fichas: list[str], files: list[str]) -> None:
    """Copy the rows of unchanged fichas and files from the previous database, one statement per table.

    Every table with a `ficha_id` column is copied by name, so tables and columns added to the schema need no
    change here (the previous database was written by this same ETL version, hence with this same schema).
    """
    con.execute("attach $path as previous (read_only)", {"path": str(previous)})
    try:
        with _copies_registered(con, fichas, files):
            for table in _ficha_tables(con):  # identifiers from our own schema, never from input
                con.execute(
                    f"insert into {table} by name select * from previous.{table} "
                    "where ficha_id in (select ficha_id from copied_fichas)"
                )
            con.execute(
                "insert into problemas by name select * from previous.problemas "
                "where archivo in (select archivo from copied_files)"
            )
    finally:
        con.execute("detach previous")


def check_integrity(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Fail when any key in KEYS repeats or any link in LINKS has no parent: one set-based query for all."""
    checks = []
    for table, keys in KEYS.items():
        for columns in keys:
            listed = ", ".join(columns)
            what = f"«{table}» repite la clave ({listed})"
            checks.append((what, f"select {listed} from {table} group by all having count(*) > 1"))
    for (child, child_columns), (parent, parent_columns) in LINKS:
        on = " and ".join(f"c.{a} = p.{b}" for a, b in zip(child_columns, parent_columns, strict=True))
        not_null = " and ".join(f"c.{a} is not null" for a in child_columns)
        what = f"«{child}» cita en ({', '.join(child_columns)}) una fila de «{parent}» que no existe"
        sql = f"select {', '.join(f'c.{a}' for a in child_columns)} from {child} c anti join {parent} p on {on}"
        checks.append((what, f"{sql} where {not_null}"))
    counts = con.execute("select " + ", ".join(f"(select count(*) from ({sql}))" for _, sql in checks)).fetchone()
    broken = [(what, sql, count) for (what, sql), count in zip(checks, counts, strict=True) if count]
    if broken:
        lines = []
        for what, sql, count in broken:
            example = con.execute(f"{sql} limit 1").fetchone()
            lines.append(f"{count} filas: {what}, p. ej. {example}")
        raise IntegrityError(db_path, "; ".join(lines))


def transposed(rows: list[tuple], width: int) -> list[list]:
    """Rows as `width` columns (lists of values), also when there are no rows."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


# Names that depend on other fichas, set once every ficha is in, over the whole table (so an incremental build that
# keeps earlier fichas gets them right too). `referencia_partidas` is data/partidas.csv, registered by derive_names.
DERIVE_NAMES_SQL = """
update fichas set ministerio_nombre = nombres.nombre
from (
    with grafias as (
        select partida, ministerio, count(*) as fichas, max(anio) as ultimo_anio
        from fichas
        group by partida, ministerio
    ),
    mas_frecuente as (
        select partida, ministerio as nombre
        from grafias
        qualify row_number() over (partition by partida order by fichas desc, ultimo_anio desc, ministerio) = 1
    )
    select f.ficha_id, coalesce(r.ministerio, e.oficial, m.nombre) as nombre
    from fichas f
    join mas_frecuente m on m.partida = f.partida
    left join equivalentes e on e.partida = m.partida and e.ministerio = m.nombre
    left join referencia_partidas r
        on r.partida = f.partida and f.anio between coalesce(r.desde, f.anio) and coalesce(r.hasta, f.anio)
) as nombres
where fichas.ficha_id = nombres.ficha_id and fichas.ministerio_nombre is distinct from nombres.nombre;

update fichas set servicio_nombre = ultimos.nombre
from (select servicio_id, arg_max(servicio, anio) as nombre from fichas group by servicio_id) as ultimos
where fichas.servicio_id = ultimos.servicio_id and fichas.servicio_nombre is distinct from ultimos.nombre;
"""


def derive_names(con: duckdb.DuckDBPyConnection) -> None:
    """Set `ministerio_nombre` (official, else the partida's most frequent spelling, itself official where it names a
    ministry the reference knows in another year) and `servicio_nombre` (the most recent ficha's) from every ficha."""
    spellings = con.execute("select distinct partida, ministerio from fichas").fetchall()
    equivalents = [
        (partida, written, official)
        for partida, written in spellings
        if (official := equivalent_official(partida, written)) is not None
    ]
    partida, desde, hasta, ministerio = transposed(list(partidas()), len(Partida._fields))
    written, spelled, official = transposed(equivalents, 3)
    tables = {
        "referencia_partidas": {"partida": ("varchar", partida), "desde": ("integer", desde),
                                "hasta": ("integer", hasta), "ministerio": ("varchar", ministerio)},
        "equivalentes": {"partida": ("varchar", written), "ministerio": ("varchar", spelled),
                         "oficial": ("varchar", official)},
    }  # fmt: skip
    with _listed(con, tables):
        con.execute(DERIVE_NAMES_SQL)


def remove_stale_temporaries(db_path: Path) -> None:
    """Delete temporaries left by builds that were killed (their process no longer exists)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        pid = leftover.name.removeprefix(f".{db_path.name}.").split(".")[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def written_by_this_etl(db_path: Path) -> bool:
    """Whether the file is a database this ETL wrote (a DuckDB file with its fingerprint in `metadatos`).

    Read without writing a byte: a file that is not DuckDB is never opened by DuckDB at all. A database of ours
    too damaged to open still counts when its manifest is beside it.
    """
    try:
        with open(db_path, "rb") as handle:
            if handle.read(12)[8:12] != DUCKDB_MAGIC:
                return False
        with duckdb.connect(str(db_path), read_only=True) as con:
            return bool(
                con.execute("select count(*) from metadatos where clave = $k", {"k": FINGERPRINT}).fetchone()[0]
            )
    except (OSError, duckdb.Error):
        return manifest_path(db_path).exists()


def stored_state(db_path: Path, sample: int) -> Stored | None:
    """What an existing database holds, as a manifest would say it; None when there is none usable."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return _stored(con, sample)
    except duckdb.Error:
        return None


def _stored(con: duckdb.DuckDBPyConnection, sample: int) -> Stored:
    metadata = dict(con.execute("select clave, valor from metadatos").fetchall())
    files = {
        archivo: FileRecord(sha256, estado, ficha_id)
        for archivo, sha256, estado, ficha_id in con.execute(
            "select archivo, sha256, estado, ficha_id from archivos order by archivo"
        ).fetchall()
    }
    problems = "select archivo, ficha_id, nivel, seccion, linea, mensaje from problemas where nivel = $nivel"
    order = " order by archivo, linea nulls first, mensaje"
    errors = con.execute(problems + order, {"nivel": "error"}).fetchall()
    warnings = con.execute(problems + order + " limit $n", {"nivel": "advertencia", "n": sample}).fetchall()
    (warning_count,) = con.execute(
        "select count(*) from problemas where nivel = $nivel", {"nivel": "advertencia"}
    ).fetchone()
    return Stored(metadata.get(FINGERPRINT), metadata.get(ETL_VERSION_KEY), files, errors, warnings, warning_count)
