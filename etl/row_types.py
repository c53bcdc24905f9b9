"""One named row type per table: the single place that says which columns a table is loaded with, in which order.

NamedTuples because they are tuples: as cheap to transpose into the columns the loader hands DuckDB as plain
ones, yet read by name. `loader.COLUMNS` is derived from their `_fields`; SCHEMA_SQL declares the same columns.
"""

from typing import NamedTuple


class FichaRow(NamedTuple):
    ficha_id: str
    anio: int
    periodo_inicio: int | None
    periodo_fin: int | None
    ministerio: str
    partida: str
    servicio: str
    capitulo: str
    ley_organica: str | None
    mision: str | None
    archivo: str
    sha256: str
    ministerio_nombre: str
    servicio_id: str
    servicio_nombre: str


class ObjetivoMinisterialRow(NamedTuple):
    ficha_id: str
    numero: int
    descripcion: str
    linea: int | None


class ObjetivoInstitucionalRow(NamedTuple):
    ficha_id: str
    numero: int
    descripcion: str
    linea: int | None


class ProductoRow(NamedTuple):
    ficha_id: str
    numero: int
    nombre: str
    descripcion: str
    aplica_gestion_territorial: bool | None
    aplica_enfoque_genero: bool | None
    linea: int | None
    subproductos: str | None
    presupuesto_miles: int | None
    presupuesto_texto: str | None


class ClienteRow(NamedTuple):
    ficha_id: str
    numero: int
    descripcion: str
    cuantificacion: int | None
    cuantificacion_texto: str
    linea: int | None


class ObjetivoInstitucionalMinisterialRow(NamedTuple):
    ficha_id: str
    objetivo_institucional: int
    objetivo_ministerial: int
    linea: int | None


class ObjetivoInstitucionalProductoRow(NamedTuple):
    ficha_id: str
    objetivo_institucional: int
    producto: int
    linea: int | None


class ProductoClienteRow(NamedTuple):
    ficha_id: str
    producto: int
    cliente: int
    linea: int | None


class ProblemaRow(NamedTuple):
    archivo: str
    ficha_id: str | None
    nivel: str
    seccion: str | None
    linea: int | None
    mensaje: str


class ArchivoRow(NamedTuple):
    archivo: str
    sha256: str
    estado: str
    ficha_id: str | None


# Each table's row type, parents before children (the load order).
ROW_TYPES: dict[str, type[tuple]] = {
    "fichas": FichaRow,
    "objetivos_ministeriales": ObjetivoMinisterialRow,
    "objetivos_institucionales": ObjetivoInstitucionalRow,
    "productos": ProductoRow,
    "clientes": ClienteRow,
    "objetivo_institucional_ministerial": ObjetivoInstitucionalMinisterialRow,
    "objetivo_institucional_producto": ObjetivoInstitucionalProductoRow,
    "producto_cliente": ProductoClienteRow,
    "problemas": ProblemaRow,
    "archivos": ArchivoRow,
}
