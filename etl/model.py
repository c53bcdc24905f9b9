"""Plain records a parsed ficha is made of; the loader turns them into table rows.

Named tuples, not frozen dataclasses: a ficha makes about a hundred of them, and a frozen dataclass costs a
`object.__setattr__` per field to build.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

ERROR = "error"
WARNING = "advertencia"


class Problem(NamedTuple):
    nivel: str
    mensaje: str
    seccion: str | None = None
    linea: int | None = None


class Objetivo(NamedTuple):
    numero: int
    descripcion: str
    linea: int


class Producto(NamedTuple):
    numero: int
    nombre: str
    descripcion: str
    aplica_gestion_territorial: bool | None
    aplica_enfoque_genero: bool | None
    linea: int
    subproductos: str | None = None  # None: the table has no such column
    presupuesto_miles: int | None = None
    presupuesto_texto: str | None = None  # None: the table has no budget column


class Cliente(NamedTuple):
    numero: int
    descripcion: str
    cuantificacion: int | None
    cuantificacion_texto: str
    linea: int


class Link(NamedTuple):
    """`origen` cites `destino`, as written on line `linea`."""

    origen: int
    destino: int
    linea: int


@dataclass
class Ficha:
    anio: int
    periodo_inicio: int | None
    periodo_fin: int | None
    ministerio: str
    partida: str
    servicio: str
    capitulo: str
    ley_organica: str | None = None
    mision: str | None = None
    objetivos_ministeriales: list[Objetivo] = field(default_factory=list)
    objetivos_institucionales: list[Objetivo] = field(default_factory=list)
    productos: list[Producto] = field(default_factory=list)
    clientes: list[Cliente] = field(default_factory=list)
    objetivo_institucional_ministerial: list[Link] = field(default_factory=list)
    objetivo_institucional_producto: list[Link] = field(default_factory=list)
    producto_cliente: list[Link] = field(default_factory=list)
    problemas: list[Problem] = field(default_factory=list)

    @property
    def ficha_id(self) -> str:
        """Stable, readable key: `2021-09-21` is año, partida and capítulo."""
        return f"{self.anio}-{self.partida}-{self.capitulo}"
