"""Own the database contract: the schema, the bulk load and the atomic swap of the finished file."""

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.model import ERROR, Ficha

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

# Column order of each table's bulk load, matching SCHEMA_SQL.
COLUMNS = {
    "fichas": [
        "ficha_id",
        "anio",
        "periodo_inicio",
        "periodo_fin",
        "ministerio",
        "partida",
        "servicio",
        "capitulo",
        "ley_organica",
        "mision",
        "archivo",
        "sha256",
    ],
    "objetivos_ministeriales": ["ficha_id", "numero", "descripcion", "linea"],
    "objetivos_institucionales": ["ficha_id", "numero", "descripcion", "linea"],
    "productos": [
        "ficha_id",
        "numero",
        "nombre",
        "descripcion",
        "aplica_gestion_territorial",
        "aplica_enfoque_genero",
        "linea",
    ],
    "clientes": ["ficha_id", "numero", "descripcion", "cuantificacion", "cuantificacion_texto", "linea"],
    "objetivo_institucional_ministerial": ["ficha_id", "objetivo_institucional", "objetivo_ministerial", "linea"],
    "objetivo_institucional_producto": ["ficha_id", "objetivo_institucional", "producto", "linea"],
    "producto_cliente": ["ficha_id", "producto", "cliente", "linea"],
    "problemas": ["archivo", "ficha_id", "nivel", "seccion", "linea", "mensaje"],
    "archivos": ["archivo", "sha256", "estado", "ficha_id"],
}
# Parents before children, so foreign keys hold at every insert.
LOAD_ORDER = list(COLUMNS)
FINGERPRINT = "huella"


@dataclass
class Loaded:
    """One accepted ficha and the file it came from."""

    archivo: str
    sha256: str
    ficha: Ficha


@dataclass
class Outcome:
    """What the build decided for each file, ready to be written."""

    loaded: list[Loaded]
    archivos: list[tuple]
    problemas: list[tuple]


def table_rows(outcome: Outcome) -> dict[str, list[tuple]]:
    """Flatten records into rows per table, in COLUMNS order."""
    rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
    for item in outcome.loaded:
        f, fid = item.ficha, item.ficha.ficha_id
        rows["fichas"].append(
            (
                fid,
                f.anio,
                f.periodo_inicio,
                f.periodo_fin,
                f.ministerio,
                f.partida,
                f.servicio,
                f.capitulo,
                f.ley_organica,
                f.mision,
                item.archivo,
                item.sha256,
            )
        )
        for table in ("objetivos_ministeriales", "objetivos_institucionales"):
            rows[table].extend((fid, o.numero, o.descripcion, o.linea) for o in getattr(f, table))
        rows["productos"].extend(
            (fid, p.numero, p.nombre, p.descripcion, p.aplica_gestion_territorial, p.aplica_enfoque_genero, p.linea)
            for p in f.productos
        )
        rows["clientes"].extend(
            (fid, c.numero, c.descripcion, c.cuantificacion, c.cuantificacion_texto, c.linea) for c in f.clientes
        )
        for table in ("objetivo_institucional_ministerial", "objetivo_institucional_producto", "producto_cliente"):
            rows[table].extend((fid, link.origen, link.destino, link.linea) for link in getattr(f, table))
    rows["problemas"] = outcome.problemas
    rows["archivos"] = outcome.archivos
    return rows


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
            for table, rows in table_rows(outcome).items():
                _bulk_insert(con, table, rows)
            con.executemany(
                "insert into metadatos values (?, ?)",
                [(FINGERPRINT, fingerprint), ("construida", datetime.now(UTC).isoformat(timespec="seconds"))],
            )
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
    frame = pd.DataFrame.from_records(rows, columns=columns)
    con.register("staging", frame)
    try:
        column_list = ", ".join(columns)  # identifiers from COLUMNS, never from input
        con.execute(f"insert into {table} ({column_list}) select {column_list} from staging")
    finally:
        con.unregister("staging")


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


def stored_state(db_path: Path) -> tuple[str | None, list[tuple], list[tuple]]:
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
    return (row[0] if row else None), archivos, problemas


def count_rejected(archivos: list[tuple]) -> int:
    return sum(1 for archivo in archivos if archivo[2] != "cargada")


def is_error(problem: tuple) -> bool:
    return problem[2] == ERROR
