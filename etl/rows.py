"""One input file as table rows: the unit of work that worker processes parse and send back.

Imports stay light (no pandas, no duckdb) so worker processes start fast, and rows are plain tuples because
they cross process boundaries far faster than record objects do.
"""

from dataclasses import dataclass

from etl.errors import FichaError
from etl.model import Ficha
from etl.parser import parse
from etl.pdf import pdf_text
from etl.sources import Source
from etl.text import decode


@dataclass(frozen=True)
class ParsedFile:
    """An accepted ficha's identity, its rows per table (columns in `loader.COLUMNS` order) and its warnings."""

    ficha_id: str
    anio: int
    partida: str
    capitulo: str
    rows: dict[str, list[tuple]]
    problemas: list[tuple]


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
    problemas = [(source.archivo, fid, p.nivel, p.seccion, p.linea, p.mensaje) for p in ficha.problemas]
    return ParsedFile(fid, ficha.anio, ficha.partida, ficha.capitulo, ficha_rows(ficha, source), problemas)


def ficha_rows(f: Ficha, source: Source) -> dict[str, list[tuple]]:
    """Flatten one ficha's records into rows per table."""
    fid = f.ficha_id
    fichas = (fid, f.anio, f.periodo_inicio, f.periodo_fin, f.ministerio, f.partida, f.servicio, f.capitulo)
    rows = {"fichas": [(*fichas, f.ley_organica, f.mision, source.archivo, source.sha256)]}
    for table in ("objetivos_ministeriales", "objetivos_institucionales"):
        rows[table] = [(fid, o.numero, o.descripcion, o.linea) for o in getattr(f, table)]
    rows["productos"] = [
        (fid, p.numero, p.nombre, p.descripcion, p.aplica_gestion_territorial, p.aplica_enfoque_genero, p.linea)
        for p in f.productos
    ]
    rows["clientes"] = [
        (fid, c.numero, c.descripcion, c.cuantificacion, c.cuantificacion_texto, c.linea) for c in f.clientes
    ]
    for table in ("objetivo_institucional_ministerial", "objetivo_institucional_producto", "producto_cliente"):
        rows[table] = [(fid, link.origen, link.destino, link.linea) for link in getattr(f, table)]
    return rows
