"""One input file as table rows: the unit of work that worker processes parse and send back.

Imports stay light (no pandas, no duckdb) so worker processes start fast. A parsed file travels back as columns,
one list per column of each table: they cross process boundaries far faster than rows (a named tuple is rebuilt by
a Python call per row when unpickled), and the loader hands them to DuckDB as they are.
"""

from dataclasses import dataclass

from etl.errors import FichaError
from etl.model import WARNING, Ficha
from etl.parser import parse
from etl.pdf import pdf_text
from etl.reference import mismatch
from etl.row_types import ROW_TYPES, FichaRow, ProblemaRow
from etl.sources import Source
from etl.text import decode


@dataclass(frozen=True)
class ParsedFile:
    """An accepted ficha's identity, its rows per table as columns (in the order of the fields of its row type in
    `etl.row_types`) and its warnings."""

    ficha_id: str
    anio: int
    partida: str
    capitulo: str
    columns: dict[str, list[list]]
    problemas: list[ProblemaRow]


def parse_source(source: Source) -> Ficha:
    """Parse one read file; raises FichaError with the Spanish reason."""
    if source.error:
        raise FichaError(source.error)
    is_pdf = source.archivo.lower().endswith(".pdf")
    return parse(pdf_text(source.content) if is_pdf else decode(source.content))


def parse_file(source: Source) -> ParsedFile | FichaError:
    """Parse one file into rows, or return (not raise) why it is rejected, so it can travel back from a worker."""
    try:
        ficha = parse_source(source)
    except FichaError as error:
        return error
    fid = ficha.ficha_id
    problemas = [ProblemaRow(source.archivo, fid, p.nivel, p.seccion, p.linea, p.mensaje) for p in ficha.problemas]
    if message := mismatch(ficha.ministerio, ficha.partida, ficha.anio):
        problemas.append(ProblemaRow(source.archivo, fid, WARNING, None, None, message))
    columns = ficha_columns(ficha, source)
    return ParsedFile(fid, ficha.anio, ficha.partida, ficha.capitulo, columns, problemas)


def transposed(rows: list[tuple], width: int) -> list[list]:
    """Rows as `width` columns (lists of values), also when there are no rows."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


# Tables of a ficha's records, named as the Ficha's lists of them: every table whose rows start with the ficha's id,
# but `fichas` itself. A row of each is that id followed by one record's fields in order (tests/test_schema_docs.py
# checks that the fields line up with the row types).
RECORD_TABLES = tuple(
    table for table, row_type in ROW_TYPES.items() if row_type._fields[0] == "ficha_id" and table != "fichas"
)


def ficha_columns(f: Ficha, source: Source) -> dict[str, list[list]]:
    """Flatten one ficha's records into columns per table."""
    fid = f.ficha_id
    # ministerio_nombre and servicio_nombre start as written; loader.derive_names sets them across fichas.
    ficha = FichaRow(
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
        source.archivo,
        source.sha256,
        ministerio_nombre=f.ministerio,
        servicio_id=f"{f.partida}-{f.capitulo}",
        servicio_nombre=f.servicio,
    )
    columns = {"fichas": [[value] for value in ficha]}
    for table in RECORD_TABLES:
        records = getattr(f, table)
        columns[table] = [[fid] * len(records), *transposed(records, len(ROW_TYPES[table]._fields) - 1)]
    return columns
