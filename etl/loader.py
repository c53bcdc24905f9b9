"""Own the database contract: the schema, the bulk load and the atomic swap of the finished file."""

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.reference import PARTIDAS_CSV, Partida, equivalent_official, partidas
from etl.row_types import ROW_TYPES, ArchivoRow, ProblemaRow

# The contract every page relies on; docs/esquema.md describes each column.
SCHEMA_SQL = """
create table fichas (
    ficha_id varchar primary key,
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
    servicio_nombre varchar not null,
    unique (anio, partida, capitulo)
);
create table objetivos_ministeriales (
    ficha_id varchar not null references fichas (ficha_id),
    numero integer not null,
    descripcion varchar not null,
    linea integer,
    primary key (ficha_id, numero)
);
create table objetivos_institucionales (
    ficha_id varchar not null references fichas (ficha_id),
    numero integer not null,
    descripcion varchar not null,
    linea integer,
    primary key (ficha_id, numero)
);
create table productos (
    ficha_id varchar not null references fichas (ficha_id),
    numero integer not null,
    nombre varchar not null,
    descripcion varchar not null,
    aplica_gestion_territorial boolean,
    aplica_enfoque_genero boolean,
    linea integer,
    subproductos varchar,
    presupuesto_miles bigint,
    presupuesto_texto varchar,
    primary key (ficha_id, numero)
);
create table clientes (
    ficha_id varchar not null references fichas (ficha_id),
    numero integer not null,
    descripcion varchar not null,
    cuantificacion bigint,
    cuantificacion_texto varchar not null,
    linea integer,
    primary key (ficha_id, numero)
);
create table objetivo_institucional_ministerial (
    ficha_id varchar not null,
    objetivo_institucional integer not null,
    objetivo_ministerial integer not null,
    linea integer,
    primary key (ficha_id, objetivo_institucional, objetivo_ministerial),
    foreign key (ficha_id, objetivo_institucional) references objetivos_institucionales (ficha_id, numero),
    foreign key (ficha_id, objetivo_ministerial) references objetivos_ministeriales (ficha_id, numero)
);
create table objetivo_institucional_producto (
    ficha_id varchar not null,
    objetivo_institucional integer not null,
    producto integer not null,
    linea integer,
    primary key (ficha_id, objetivo_institucional, producto),
    foreign key (ficha_id, objetivo_institucional) references objetivos_institucionales (ficha_id, numero),
    foreign key (ficha_id, producto) references productos (ficha_id, numero)
);
create table producto_cliente (
    ficha_id varchar not null,
    producto integer not null,
    cliente integer not null,
    linea integer,
    primary key (ficha_id, producto, cliente),
    foreign key (ficha_id, producto) references productos (ficha_id, numero),
    foreign key (ficha_id, cliente) references clientes (ficha_id, numero)
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
# Parents before children, so foreign keys hold at every insert.
LOAD_ORDER = list(COLUMNS)
FINGERPRINT = "huella"
# Data files besides the code that shape the database: a change in any of them means a rebuild.
REFERENCE_FILES = (PARTIDAS_CSV,)
# Written in metadatos as `version_esquema`; the dashboard refuses a database of another version.
SCHEMA_VERSION = "2"


@dataclass
class Outcome:
    """What the build decided for each file, ready to be written.

    `batches` yields the accepted fichas' rows per table (columns in COLUMNS order) a few hundred fichas at a
    time, so that no one holds them all; `archivos` and `problemas` are complete once it is exhausted.
    """

    batches: Iterable[dict[str, list[tuple]]]
    archivos: list[ArchivoRow]
    problemas: list[ProblemaRow]


def write_database(db_path: Path, outcome: Outcome, fingerprint: str) -> None:
    """Write a complete database beside `db_path`, then swap it in with one atomic rename.

    A crash or kill before the rename leaves the previous database untouched.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    try:
        with duckdb.connect(str(temporary)) as con:
            con.execute(SCHEMA_SQL)
            # Checkpoint once, at the end: one per batch would rewrite blocks and leave the old ones as holes.
            con.execute("set checkpoint_threshold = '1TB'")
            for batch in outcome.batches:  # parsed while the previous batch loads
                for table in LOAD_ORDER:
                    _bulk_insert(con, table, batch.get(table, []))
            _bulk_insert(con, "problemas", outcome.problemas)
            _bulk_insert(con, "archivos", outcome.archivos)
            con.executemany(
                "insert into metadatos values (?, ?)",
                [
                    (FINGERPRINT, fingerprint),
                    ("version_esquema", SCHEMA_VERSION),
                    ("construida", datetime.now(UTC).isoformat(timespec="seconds")),
                ],
            )
            derive_names(con)
            con.execute("checkpoint")
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, db_path)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = COLUMNS[table]
    con.register("staging", _arrow(columns, rows))
    try:
        column_list = ", ".join(columns)  # identifiers from COLUMNS, never from input
        con.execute(f"insert into {table} ({column_list}) select {column_list} from staging")
    finally:
        con.unregister("staging")


def _arrow(columns: tuple[str, ...], rows: Iterable[tuple]) -> pa.Table:
    """Rows as Arrow columns: DuckDB scans them without converting a Python object per value.

    No rows give empty text columns, so that queries naming the columns still bind."""
    values = list(zip(*rows, strict=True))
    if not values:
        return pa.table({name: pa.array([], pa.string()) for name in columns})
    return pa.table(dict(zip(columns, map(list, values), strict=True)))


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
    con.register("referencia_partidas", _arrow(Partida._fields, partidas()))
    con.register("equivalentes", _arrow(("partida", "ministerio", "oficial"), equivalents))
    try:
        con.execute(DERIVE_NAMES_SQL)
    finally:
        con.unregister("referencia_partidas")
        con.unregister("equivalentes")


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


def stored_state(db_path: Path) -> tuple[str | None, list[ArchivoRow], list[ProblemaRow]]:
    """Fingerprint, files and problems of an existing database; (None, [], []) when there is none usable."""
    if not db_path.exists():
        return None, [], []
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute("select valor from metadatos where clave = ?", [FINGERPRINT]).fetchone()
            archivos = con.execute("select archivo, sha256, estado, ficha_id from archivos order by archivo").fetchall()
            problemas = con.execute(
                "select archivo, ficha_id, nivel, seccion, linea, mensaje from problemas order by archivo, linea"
            ).fetchall()
    except duckdb.Error:
        return None, [], []
    return (row[0] if row else None), [ArchivoRow(*a) for a in archivos], [ProblemaRow(*p) for p in problemas]
