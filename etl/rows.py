"""One input file as table rows: the unit of work that worker processes parse and send back.

Imports stay light (no pandas, no duckdb) so worker processes start fast. A worker reads the file itself (its bytes
never cross a process boundary) and sends back, for each table, the ficha's rows as one text (`etl.row_text`) that
DuckDB reads in C.
"""

from typing import NamedTuple

from etl.errors import FichaError
from etl.model import WARNING, Ficha
from etl.parser import parse
from etl.pdf import pdf_text
from etl.reference import mismatch
from etl.row_text import RowTextError, encode
from etl.row_types import ROW_TYPES, FichaRow, ProblemaRow
from etl.sources import Source, read
from etl.text import decode


class ParsedFile(NamedTuple):
    """An accepted ficha: its rows in each of ROW_TEXT_TABLES as text (their fields in the order of the table's row
    type in `etl.row_types`) and its warnings. A named tuple: a frozen dataclass costs a Python call per field to
    build, once per file."""

    ficha_id: str
    rows: dict[str, bytes]
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
    try:
        rows = {"fichas": encode([ficha_row(ficha, source)])}
        rows.update((table, encode(getattr(ficha, table), prefix=fid)) for table in RECORD_TABLES)
    except RowTextError as error:
        return FichaError(str(error))
    return ParsedFile(fid, rows, problemas)


def read_and_parse(task: Source | str) -> tuple[Source, ParsedFile | FichaError]:
    """A file read now (from its path) or before, with what `parse_file` made of it; the bytes are left behind."""
    source = task if isinstance(task, Source) else read(task)
    # The same as `dataclasses.replace(source, content=None)`, without its walk over the class's fields per file.
    return Source(**{**vars(source), "content": None}), parse_file(source)


# Tables of a ficha's records, named as the Ficha's lists of them: every table whose rows start with the ficha's id,
# but `fichas` itself. A row of each is that id followed by one record's fields in order (tests/test_schema_docs.py
# checks that the fields line up with the row types).
RECORD_TABLES = tuple(
    table for table, row_type in ROW_TYPES.items() if row_type._fields[0] == "ficha_id" and table != "fichas"
)
# Tables whose rows a parsed ficha brings as text.
ROW_TEXT_TABLES = ("fichas", *RECORD_TABLES)


def ficha_row(f: Ficha, source: Source) -> FichaRow:
    """The ficha's row of `fichas`. `ministerio_nombre` and `servicio_nombre` start as written;
    loader.derive_names sets them across fichas."""
    return FichaRow(
        f.ficha_id,
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
