"""Turn the text of one Formulario A1 export into a `Ficha` record. Never touches the database."""

import functools
import re
from operator import itemgetter

from etl.errors import FichaError
from etl.model import WARNING, Cliente, Ficha, Link, Objetivo, Problem, Producto
from etl.tables import Table, header_cells, split_cells
from etl.text import already_clean, clean, fold, parse_flag, parse_links, parse_quantity, short_text_cache

LEY = "ley_organica"
MISION = "mision"
MINISTERIALES = "objetivos_ministeriales"
INSTITUCIONALES = "objetivos_institucionales"
PRODUCTOS = "productos"
CLIENTES = "clientes"

SECTION_NAMES = {
    LEY: "Ley orgánica",
    MISION: "Misión institucional",
    MINISTERIALES: "Objetivos del Ministerio",
    INSTITUCIONALES: "Objetivos institucionales",
    PRODUCTOS: "Productos estratégicos",
    CLIENTES: "Clientes",
}

_HEADINGS = [
    (LEY, re.compile(r"(ley organica|marco legal)( o decreto)?( que (la|lo) rige)?|ley o decreto que (la|lo) rige")),
    (MISION, re.compile(r"mision( institucional)?")),
    (MINISTERIALES, re.compile(r"objetivos (estrategicos|relevantes) del ministerio")),
    (INSTITUCIONALES, re.compile(r"objetivos (estrategicos )?(institucionales|de la institucion|del servicio)")),
    (PRODUCTOS, re.compile(r"productos estrategicos( \(bienes y/o servicios\)| \(bienes y servicios\))?")),
    (CLIENTES, re.compile(r"(clientes|usuarios|beneficiarios)( ?/ ?(clientes|usuarios|beneficiarios))*")),
]
_HEADING_DECOR = "*#_: \t"
_TITLE = re.compile(r"ficha de definiciones estrategicas|\(?formulario [a-z]\d*\)?")
_FORM = re.compile(r"\(?formulario ([a-z]\d*)\)?\s*(\d{4})?")
_PERIOD = re.compile(r"ano (\d{4}) ?- ?(\d{4})")
_HEADER_KEYS = {"ministerio": "ministerio", "servicio": "servicio", "partida": "partida", "capitulo": "capitulo"}
_CODE = re.compile(r"[0-9]{1,3}")  # ASCII only: `\d` would also take other scripts' digits
MAX_TITLE_LINES = 12


def heading(line: str) -> str | None:
    """Section key of a heading line (`**Misión Institucional**`, `Mision institucional:`), else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or "\t" in stripped or stripped[0].isdigit() or stripped[0] == "|":
        return None
    return _section_key(stripped.strip(_HEADING_DECOR))


@functools.lru_cache(maxsize=1024)  # headings are spelled a handful of ways; keys are at most 90 characters
def _section_key(text: str) -> str | None:
    folded = fold(text)
    for key, pattern in _HEADINGS:
        if pattern.fullmatch(folded):
            return key
    return None


@short_text_cache(maxsize=1024)  # fichas repeat their first lines: a year's title, a ministry's header row
def _title_line(line: str) -> tuple[str, bool]:
    """One of the first lines folded, and whether it holds the title or the period."""
    folded = fold(line.strip(_HEADING_DECOR))
    return folded, bool(_TITLE.search(folded) or _PERIOD.search(folded))


@short_text_cache(maxsize=1024)  # a ministry's and a service's header rows repeat across fichas
def _named_values(line: str) -> tuple[tuple[str, str], ...]:
    """The (key, value) pairs a header block line names: `MINISTERIO<TAB>…<TAB>PARTIDA<TAB>09`, `Servicio: …`."""
    cells = [cell for cell in split_cells(line) if cell]
    if len(cells) == 1 and ":" in cells[0]:
        cells = [part.strip() for part in cells[0].split(":", 1)]
    pairs = []
    for key_cell, value in zip(cells, cells[1:], strict=False):
        key = _HEADER_KEYS.get(fold(key_cell.strip(_HEADING_DECOR)))
        if key and fold(value) not in _HEADER_KEYS:
            pairs.append((key, clean(value.strip("*"))))
    return tuple(pairs)


def parse(text: str) -> Ficha:
    """Parse one ficha. Raises `FichaError` (Spanish reason) when the text is not a usable ficha."""
    return _Parser(text.split("\n")).run()


class _Parser:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.problems: list[Problem] = []
        self.header: dict[str, str] = {}
        self.texts: dict[str, list[list[str]]] = {}
        self.tables: dict[str, list[Table]] = {}

    def warn(self, message: str, section: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(WARNING, message, SECTION_NAMES.get(section, section), line))

    def run(self) -> Ficha:
        anio, inicio, fin, body_start = self._title()
        self._body(body_start)
        ficha = Ficha(
            anio=anio,
            periodo_inicio=inicio,
            periodo_fin=fin,
            ministerio=self._required("ministerio", "MINISTERIO"),
            partida=self._code("partida", "PARTIDA"),
            servicio=self._required("servicio", "SERVICIO"),
            capitulo=self._code("capitulo", "CAPÍTULO"),
            ley_organica=self._text(LEY),
            mision=self._text(MISION),
        )
        self._records(ficha)
        _check_links(ficha, self.warn)
        ficha.problemas = self.problems
        return ficha

    # -- title and header block ------------------------------------------------------------------

    def _title(self) -> tuple[int, int | None, int | None, int]:
        head = []
        end = 0
        for number, line in enumerate(self.lines[:MAX_TITLE_LINES]):
            folded, titled = _title_line(line)
            if titled or (head and folded.startswith("(")):
                head.append(folded)
                end = number + 1
            elif head and folded:
                break
        title = " ".join(head)
        form = _FORM.search(title)
        if "ficha de definiciones estrategicas" not in title and not form:
            raise FichaError(
                "No es una Ficha de Definiciones Estratégicas: falta el título «FICHA DE DEFINICIONES ESTRATÉGICAS (Formulario A1)».",
                1,
            )
        if form and form[1] != "a1":
            raise FichaError(
                f"No es una Ficha de Definiciones Estratégicas: el título indica el Formulario {form[1].upper()}, no el A1.",
                1,
            )
        if not form or not form[2]:
            raise FichaError("Falta el año de la ficha: el título no dice «(Formulario A1) AAAA».", 1)
        period = _PERIOD.search(title)
        inicio, fin = (int(period[1]), int(period[2])) if period else (None, None)
        if not period:
            self.warn("El título no indica el período «AÑO AAAA-AAAA».", None, 1)
        return int(form[2]), inicio, fin, end

    def _required(self, key: str, label: str) -> str:
        value = self.header.get(key, "")
        if not value:
            raise FichaError(f"Falta {label} en el encabezado de la ficha.")
        return value

    def _code(self, key: str, label: str) -> str:
        value = self._required(key, label)
        if not _CODE.fullmatch(value):
            raise FichaError(f"{label} «{value[:40]}» no es un código numérico.")
        if int(value) > 99:
            raise FichaError(f"{label} «{value}» no es un código de dos dígitos.")
        return f"{int(value):02d}"

    # -- body ----------------------------------------------------------------------------------

    def _body(self, start: int) -> None:
        section: str | None = None
        table: Table | None = None
        for linea, line in enumerate(self.lines[start:], start + 1):
            stripped = line.strip()
            if not stripped:
                if section in (LEY, MISION) and table is None:
                    self.texts.setdefault(section, [[]]).append([])
                continue
            # Most lines are numbered rows (`12<TAB>…`, `| 12 | …`): no heading starts with a digit or `|`, and no
            # header's first cell (the line's first text, unless that cell is empty: no header either) with a digit.
            first_text = stripped[1:].lstrip() if stripped[0] == "|" else stripped
            numbered = "0" <= first_text[:1] <= "9"
            if not numbered and (key := heading(line)) is not None:
                section, table = key, None
                continue
            if section is None:
                for key, value in _named_values(line):
                    self.header.setdefault(key, value)
                continue
            if not numbered and (header := header_cells(line)) is not None and not (table and header == table.header):
                kind = _table_kind(header, section)
                wide = "\t" not in line and not line.strip().startswith("|")
                table = Table(kind, header, linea, wide)
                self.tables.setdefault(kind, []).append(table)
                continue
            if table is not None and table.add_line(line, linea, numbered):
                continue
            if section in (LEY, MISION):
                self.texts.setdefault(section, [[]])[-1].append(clean(line))
            else:
                self.warn(f"Línea fuera de una tabla, ignorada: «{clean(line)[:80]}».", section, linea)

    def _text(self, section: str) -> str | None:
        paragraphs = [" ".join(lines) for lines in self.texts.get(section, []) if lines]
        return "\n".join(paragraphs) or None

    # -- records -------------------------------------------------------------------------------

    def _records(self, ficha: Ficha) -> None:
        adders = {
            MINISTERIALES: self._ministerial,
            INSTITUCIONALES: self._institucional,
            PRODUCTOS: self._producto,
            CLIENTES: self._cliente,
        }
        for kind, add in adders.items():
            tables = self.tables.get(kind, [])
            if not tables:
                self.warn("Sección sin tabla: no se encontraron filas.", kind)
            seen: set[int] = set()
            for table in tables:
                roles = _roles(kind, table.header)
                width = len(table.header)
                plain = already_clean([cell for _, cells in table.rows for cell in cells])
                for linea, cells in table.rows:
                    values = cells if plain else list(map(clean, cells))
                    if len(values) != width:
                        values = self._fit(values, width, kind, linea)
                    numero = int(values[0].rstrip("."))
                    if numero in seen:
                        self.warn(f"Número {numero} repetido; se conserva la primera fila.", kind, linea)
                        continue
                    seen.add(numero)
                    add(ficha, numero, roles(values + _MISSING), linea)  # `_MISSING`: what a lacking column reads

    def _fit(self, values: list[str], width: int, kind: str, linea: int) -> list[str]:
        """A row's cells cut or padded to the header's `width`, with a warning unless only empty cells were cut."""
        message = f"La fila tiene {len(values)} celdas y el encabezado {width}; "
        if len(values) < width:
            self.warn(message + "las faltantes quedan vacías.", kind, linea)
            return values + [""] * (width - len(values))
        if any(values[width:]):
            self.warn(message + "se ignoran las sobrantes.", kind, linea)
        return values[:width]

    # One row's record from its cells in the order of `ROLES[kind]`, one method per kind of table. Records are built
    # by `_new` (tuple.__new__): the same named tuple as calling its class, without the Python-level `__new__` that
    # takes a third of a record's time; the values go in the order of the record's fields.

    def _ministerial(self, ficha: Ficha, numero: int, cells: tuple, linea: int) -> None:
        ficha.objetivos_ministeriales.append(_new(Objetivo, (numero, cells[0], linea)))

    def _institucional(self, ficha: Ficha, numero: int, cells: tuple, linea: int) -> None:
        descripcion, ministerio, productos = cells
        ficha.objetivos_institucionales.append(_new(Objetivo, (numero, descripcion, linea)))
        self._links(INSTITUCIONALES, numero, linea, ministerio, ficha.objetivo_institucional_ministerial)
        self._links(INSTITUCIONALES, numero, linea, productos, ficha.objetivo_institucional_producto)

    def _producto(self, ficha: Ficha, numero: int, cells: tuple, linea: int) -> None:
        nombre, descripcion, territorial, genero, clientes, subproductos, presupuesto = cells
        territorial_flag = self._flag(territorial, numero, linea)
        genero_flag = self._flag(genero, numero, linea)
        miles = None if presupuesto is None else parse_quantity(presupuesto)
        ficha.productos.append(
            _new(
                Producto,
                (numero, nombre, descripcion, territorial_flag, genero_flag, linea, subproductos, miles, presupuesto),
            )
        )
        self._links(PRODUCTOS, numero, linea, clientes, ficha.producto_cliente)

    def _flag(self, value: str, numero: int, linea: int) -> bool | None:
        """A product's Sí/No cell; a warning when it is neither but not empty."""
        flag = parse_flag(value)
        if flag is None and value:
            self.warn(
                f"Valor «{value[:20]}» no es Sí ni No en el producto {numero}; queda como desconocido.",
                PRODUCTOS,
                linea,
            )
        return flag

    def _cliente(self, ficha: Ficha, numero: int, cells: tuple, linea: int) -> None:
        descripcion, texto = cells
        ficha.clientes.append(_new(Cliente, (numero, descripcion, parse_quantity(texto), texto, linea)))

    def _links(self, kind: str, numero: int, linea: int, text: str, target: list[Link]) -> None:
        """The numbers row `numero` cites in `text`, added to `target`; a warning for what is not a number."""
        numbers, unknown = parse_links(text)
        if unknown:
            self.warn(f"Vínculo no reconocido en la fila {numero}: «{', '.join(unknown)[:80]}».", kind, linea)
        for destino in numbers:  # a loop, not a list comprehension: most cells cite one or two numbers
            target.append(_new(Link, (numero, destino, linea)))


_new = tuple.__new__


@functools.lru_cache(maxsize=1024)  # fichas share a handful of headers
def _table_kind(header: tuple[str, ...], section: str | None) -> str:
    """Which table a header row opens: by its columns first, by the section it stands in otherwise."""
    if any("cuantificacion" in cell for cell in header):
        return CLIENTES
    if any("vinculad" in cell for cell in header):
        return INSTITUCIONALES
    if any("genero" in cell or "territorial" in cell or cell.startswith("producto") for cell in header):
        return PRODUCTOS
    return section if section in (MINISTERIALES, INSTITUCIONALES, PRODUCTOS, CLIENTES) else MINISTERIALES


_ROLE_WORDS = {
    MINISTERIALES: [("descripcion", ("descripcion", "objetivo"))],
    INSTITUCIONALES: [
        ("ministerio", ("ministerio",)),
        ("productos", ("producto",)),
        ("descripcion", ("descripcion", "objetivo")),
    ],
    PRODUCTOS: [
        # First: `Subproducto-Productos Específicos` must not be taken for the product's name.
        ("subproductos", ("subproducto",)),
        ("presupuesto", ("presupuesto",)),
        ("territorial", ("territorial",)),
        ("genero", ("genero",)),
        ("clientes", ("cliente", "usuario", "beneficiario")),
        ("descripcion", ("descripcion",)),
        ("nombre", ("producto", "nombre")),
    ],
    CLIENTES: [
        ("cuantificacion", ("cuantificacion",)),
        ("descripcion", ("cliente", "usuario", "beneficiario", "descripcion")),
    ],
}
# Only product tables carry these columns; elsewhere they are no other role either.
_PRODUCT_ONLY_COLUMNS = ("subproducto", "presupuesto")


# The cells the record methods (`_ministerial`, ...) read for each kind of table, in order. A column the table lacks
# reads as "", or as None for the product columns whose absence differs from an empty cell (no budget column is not an
# empty budget).
ROLES = {
    MINISTERIALES: ("descripcion",),
    INSTITUCIONALES: ("descripcion", "ministerio", "productos"),
    PRODUCTOS: ("nombre", "descripcion", "territorial", "genero", "clientes", "subproductos", "presupuesto"),
    CLIENTES: ("descripcion", "cuantificacion"),
}
_ABSENT_AS_NONE = ("subproductos", "presupuesto")
_MISSING = ["", None]  # appended to a row's cells: positions -2 and -1


@functools.lru_cache(maxsize=1024)  # fichas share a handful of headers
def _roles(kind: str, header: tuple[str, ...]):
    """A function from a row's cells (with `_MISSING` appended) to the tuple of its cells in `ROLES` order."""
    columns = _columns(kind, header)
    positions = [columns.get(role, -1 if role in _ABSENT_AS_NONE else -2) for role in ROLES[kind]]
    if len(positions) == 1:  # itemgetter of one position returns the item, not a tuple
        (position,) = positions
        return lambda values: (values[position],)
    return itemgetter(*positions)


def _columns(kind: str, header: tuple[str, ...]) -> dict[str, int]:
    """Map roles (descripcion, ministerio, genero, ...) to column positions by header words.

    `Presupuesto 2015 (Miles de $)` is the budget; a `%` column beside it (the share of the total) is not.
    """
    columns: dict[str, int] = {}
    for position, name in enumerate(header[1:], start=1):
        if kind != PRODUCTOS and any(word in name for word in _PRODUCT_ONLY_COLUMNS):
            continue
        for role, words in _ROLE_WORDS[kind]:
            if role == "presupuesto" and "%" in name:
                continue
            if role not in columns and any(word in name for word in words):
                columns[role] = position
                break
    if "descripcion" not in columns and kind != PRODUCTOS and len(header) > 1:
        columns["descripcion"] = 1
    return columns


def _check_links(ficha: Ficha, warn) -> None:
    """Drop links to numbers the ficha does not define, recording each with its line."""
    checks = [
        ("objetivo_institucional_ministerial", INSTITUCIONALES, "objetivo ministerial", ficha.objetivos_ministeriales),
        ("objetivo_institucional_producto", INSTITUCIONALES, "producto", ficha.productos),
        ("producto_cliente", PRODUCTOS, "cliente", ficha.clientes),
    ]
    for attribute, section, noun, targets in checks:
        valid = {target.numero for target in targets}
        kept = []
        for link in getattr(ficha, attribute):
            if link.destino in valid:
                kept.append(link)
            else:
                warn(
                    f"La fila {link.origen} cita el {noun} {link.destino}, que no existe (hay {len(valid)}).",
                    section,
                    link.linea,
                )
        setattr(ficha, attribute, list(dict.fromkeys(kept)))
