"""Synthetic fichas for load tests: the real text format, realistic variety, the same output for the same seed.

Every file says in its first line that it is synthetic. None of it belongs in `data/fichas/`.
Each ficha comes with the counts the ETL must load from it, so a test can compare them with the database.

Example: `counts = write_corpus(Path("/tmp/fichas"), 1000, seed=1)`, then `counts["productos"]` is the number of
rows the ETL must load into `productos`.
"""

import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SYNTHETIC_MARK = "<!-- SINTÉTICA: ficha generada para pruebas de carga, no es un documento de DIPRES -->"
REAL_FICHAS = Path(__file__).resolve().parent.parent / "data" / "fichas"
LAST_YEAR = 2025
MAX_QUANTITY = 20_000_000

# (partida, ministerio) as a ficha writes them: 25 ministerios, some with accents and some without.
MINISTERIOS = [
    ("05", "MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA"),
    ("06", "MINISTERIO DE RELACIONES EXTERIORES"),
    ("07", "MINISTERIO DE ECONOMIA, FOMENTO Y TURISMO"),
    ("08", "MINISTERIO DE HACIENDA"),
    ("09", "MINISTERIO DE EDUCACION"),
    ("10", "MINISTERIO DE JUSTICIA Y DERECHOS HUMANOS"),
    ("11", "MINISTERIO DE DEFENSA NACIONAL"),
    ("12", "MINISTERIO DE OBRAS PÚBLICAS"),
    ("13", "MINISTERIO DE AGRICULTURA"),
    ("14", "MINISTERIO DE BIENES NACIONALES"),
    ("15", "MINISTERIO DEL TRABAJO Y PREVISION SOCIAL"),
    ("16", "MINISTERIO DE SALUD"),
    ("17", "MINISTERIO DE MINERÍA"),
    ("18", "MINISTERIO DE VIVIENDA Y URBANISMO"),
    ("19", "MINISTERIO DE TRANSPORTES Y TELECOMUNICACIONES"),
    ("20", "MINISTERIO SECRETARÍA GENERAL DE GOBIERNO"),
    ("21", "MINISTERIO DE DESARROLLO SOCIAL Y FAMILIA"),
    ("22", "MINISTERIO SECRETARÍA GENERAL DE LA PRESIDENCIA"),
    ("24", "MINISTERIO DE ENERGÍA"),
    ("25", "MINISTERIO DEL MEDIO AMBIENTE"),
    ("26", "MINISTERIO DEL DEPORTE"),
    ("27", "MINISTERIO DE LA MUJER Y LA EQUIDAD DE GÉNERO"),
    ("29", "MINISTERIO DE LAS CULTURAS, LAS ARTES Y EL PATRIMONIO"),
    ("30", "MINISTERIO DE CIENCIA, TECNOLOGÍA, CONOCIMIENTO E INNOVACIÓN"),
    ("31", "GOBIERNOS REGIONALES"),  # partida 31 in the Ley de Presupuestos (data/partidas.csv)
]
_SERVICE_KINDS = [
    "SUBSECRETARÍA DE",
    "SERVICIO NACIONAL DE",
    "DIRECCIÓN GENERAL DE",
    "INSTITUTO NACIONAL DE",
    "SUPERINTENDENCIA DE",
    "FONDO NACIONAL DE",
    "AGENCIA DE",
    "COMISIÓN NACIONAL DE",
]
_SERVICE_TOPICS = [
    "EDUCACIÓN PÚBLICA",
    "PESCA Y ACUICULTURA",
    "TURISMO",
    "ADUANAS",
    "VIALIDAD",
    "RIEGO",
    "SALUD PÚBLICA",
    "VIVIENDA",
    "ARCHIVOS",
    "DEPORTES",
    "ESTADÍSTICAS",
    "CAPACITACIÓN Y EMPLEO",
    "PATRIMONIO",
    "ENERGÍA",
    "AGUAS",
    "SEGURIDAD SOCIAL",
]
_REGIONS = [
    "ARICA Y PARINACOTA",
    "TARAPACÁ",
    "ANTOFAGASTA",
    "ATACAMA",
    "COQUIMBO",
    "VALPARAÍSO",
    "O'HIGGINS",
    "MAULE",
    "ÑUBLE",
    "BIOBÍO",
    "LA ARAUCANÍA",
    "LOS RÍOS",
    "LOS LAGOS",
    "AYSÉN",
    "MAGALLANES",
    "METROPOLITANA",
]
_VERBS = ["Fortalecer", "Mejorar", "Promover", "Asegurar", "Contribuir a", "Implementar", "Desarrollar", "Ampliar"]
_PHRASES = [
    "la calidad de la gestión pública",
    "el acceso a la información",
    "la participación de la ciudadanía",
    "las comunidades educativas del territorio",
    "los planes y programas regionales",
    "la inversión pública regional",
    "la eficiencia en el uso de los recursos",
    "la coordinación con los actores relevantes",
    "una atención oportuna y de calidad",
    "la equidad de género",
    "el desarrollo sustentable, económico y social",
    "la fiscalización del cumplimiento de la normativa",
    "la infraestructura y su mantención",
    "la modernización tecnológica y digital",
    "los procesos institucionales",
    "la transparencia y la rendición de cuentas",
    "la evaluación y el seguimiento de las políticas",
    "la ejecución presupuestaria",
    "la niñez y los adultos mayores",
    "los pueblos originarios",
    "las pymes y los trabajadores",
    "los territorios más rezagados o vulnerables",
    "las familias de la región",
    "el patrimonio cultural",
]
_CONNECTORS = ["de", "y", "para", "mediante", "a través de", "en", "con"]
_CLIENT_NOUNS = [
    "Personas naturales",
    "Estudiantes",
    "Madres, padres y apoderados",
    "Municipios",
    "Empresas",
    "Organizaciones sociales",
    "Servicios públicos",
    "Habitantes de la región",
    "Trabajadores",
    "Adultos mayores",
    "Instituciones de educación superior",
    "Pequeños agricultores",
    "Pescadores artesanales",
    "Consejeros regionales",
]
_NON_NUMERIC = ["No aplica", "s/i", "-", "Sin información", "", "Aprox. 5.000", "Variable"]
_FLAG_TEXTS = {True: ["Si", "Si", "SI", "Sí", "X"], False: ["No", "No", "NO"]}
_UNKNOWN_FLAGS = ["s/i", "N/A", "Parcial", "En estudio"]
_MONTHS = ["enero", "marzo", "mayo", "julio", "septiembre", "noviembre", "diciembre"]


@dataclass(frozen=True)
class Service:
    ministerio: str
    partida: str
    servicio: str
    capitulo: str


@dataclass(frozen=True)
class Style:
    """The format variants one ficha is written with (all of them ones the ETL accepts)."""

    pipes: bool  # markdown `|` tables instead of tabs
    crlf: bool
    encoding: str  # utf-8, utf-8-sig or cp1252
    relevantes: bool  # the older heading "Objetivos Relevantes del Ministerio"
    flag_columns: bool  # False: the products table lacks both «Aplica …» columns (NULL flags)
    clients_heading: str | None  # None: the clients table follows the products one with no heading
    number_label: str  # first header cell: Número, Nº or N°
    bold: bool
    title_lines: int  # the title on one line or two
    period: bool  # the title says «AÑO 2019-2022»
    wrap: bool  # long cells continue on the next line (tab tables only)
    page_break: bool  # blank lines and the header repeated inside a table
    short_partida: bool  # `PARTIDA 9` instead of `09`


@dataclass(frozen=True)
class SyntheticFicha:
    """One generated file: where it goes, its text as written, and what the ETL must load from it."""

    path: str
    text: str
    encoding: str
    counts: Counter

    def data(self) -> bytes:
        return self.text.encode(self.encoding)


def services(rng: random.Random) -> list[Service]:
    """About 400 services over the 25 ministerios, each with a unique (partida, capítulo) and name."""
    result = []
    names: set[str] = set()
    for partida, ministerio in MINISTERIOS:
        for capitulo in range(1, rng.randint(6, 26) + 1):
            name = f"{rng.choice(_SERVICE_KINDS)} {rng.choice(_SERVICE_TOPICS)}"
            if name in names:
                name = f"{name} REGIÓN {rng.choice(_REGIONS)}"
            if name in names:
                name = f"{name} {capitulo:02d}"
            names.add(name)
            result.append(Service(ministerio, partida, name, f"{capitulo:02d}"))
    return result


def plan(n: int, seed: int) -> list[tuple[int, Service]]:
    """N distinct (año, service) pairs over as many recent years as N needs, in a stable order."""
    rng = random.Random(seed)
    catalogue = services(rng)
    years = max(1, math.ceil(n / len(catalogue)))
    pairs = [(anio, service) for anio in range(LAST_YEAR - years + 1, LAST_YEAR + 1) for service in catalogue]
    chosen = rng.sample(range(len(pairs)), n)
    return [pairs[index] for index in sorted(chosen)]


def generate(n: int, seed: int = 0) -> Iterator[SyntheticFicha]:
    """Yield N synthetic fichas; the same (n, seed) always gives the same files."""
    for index, (anio, service) in enumerate(plan(n, seed)):
        yield ficha(random.Random(f"{seed}-{index}"), anio, service)


def write_corpus(folder: Path, n: int, seed: int = 0) -> Counter:
    """Write N fichas under `folder` (one subfolder per year) and return the counts expected in the database."""
    if folder.resolve().is_relative_to(REAL_FICHAS):
        raise ValueError(f"synthetic fichas never go under {REAL_FICHAS}: {folder}")
    total: Counter = Counter()
    for item in generate(n, seed):
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data())
        total.update(item.counts)
    return total


# -- one ficha ---------------------------------------------------------------------------------------


def style(rng: random.Random) -> Style:
    pipes = rng.random() < 0.2
    return Style(
        pipes=pipes,
        crlf=rng.random() < 0.1,
        encoding=rng.choices(["utf-8", "utf-8-sig", "cp1252"], [75, 10, 15])[0],
        relevantes=rng.random() < 0.3,
        flag_columns=rng.random() >= 0.1,
        clients_heading=rng.choices([None, "Clientes", "Clientes / Usuarios / Beneficiarios"], [60, 20, 20])[0],
        number_label=rng.choices(["Número", "Nº", "N°"], [80, 10, 10])[0],
        bold=rng.random() >= 0.15,
        title_lines=rng.choices([2, 1], [80, 20])[0],
        period=rng.random() >= 0.03,
        wrap=not pipes and rng.random() < 0.15,
        page_break=rng.random() < 0.1,
        short_partida=rng.random() < 0.1,
    )


def ficha(rng: random.Random, anio: int, service: Service) -> SyntheticFicha:
    """One ficha in the exported text format, and the counts of what it holds."""
    look = style(rng)
    counts: Counter = Counter(fichas=1)
    lines = [SYNTHETIC_MARK, "", *_title(look, anio), ""]
    lines += _identity(look, service)
    lines += _prose(look, rng)
    sizes = {"om": rng.randint(2, 15), "oi": rng.randint(2, 12), "p": rng.randint(1, 12), "c": rng.randint(1, 20)}
    lines += _ministeriales(look, rng, sizes, counts)
    lines += _institucionales(look, rng, sizes, counts)
    lines += _productos(look, rng, sizes, counts)
    lines += _clientes(look, rng, sizes, counts)
    if not look.period:
        counts["problemas"] += 1  # «El título no indica el período»
        counts["fichas_sin_periodo"] += 1
    text = "\n".join(lines) + "\n"
    if look.crlf:
        text = text.replace("\n", "\r\n")
    extension = "md" if look.pipes else "txt"
    path = f"{anio}/sintetica_{anio}_{service.partida}_{service.capitulo}.{extension}"
    return SyntheticFicha(path, text, look.encoding, counts)


def _title(look: Style, anio: int) -> list[str]:
    start = anio - (anio - 2019) % 4
    period = f" AÑO {start}-{start + 3}" if look.period else ""
    first, second = f"FICHA DE DEFINICIONES ESTRATÉGICAS{period}", f"(Formulario A1) {anio}"
    mark = "**" if look.bold else ""
    if look.title_lines == 2:
        return [f"{mark}{first}  ", f"{second}{mark}"]
    return [f"{mark}{first} {second}{mark}"]


def _identity(look: Style, service: Service) -> list[str]:
    partida = service.partida.lstrip("0") if look.short_partida else service.partida
    rows = [
        ["MINISTERIO", service.ministerio, "PARTIDA", partida],
        ["SERVICIO", service.servicio, "CAPITULO", service.capitulo],
    ]
    return [_row(look, cells) for cells in rows] + [""]


def _heading(look: Style, text: str) -> list[str]:
    return [f"**{text}**" if look.bold else text, ""]


def _prose(look: Style, rng: random.Random) -> list[str]:
    number = f"{rng.randint(18_000, 21_700):,}".replace(",", ".")
    law = f"Ley N° {number}, del {rng.randint(1, 28)} de {rng.choice(_MONTHS)} de {rng.randint(1980, 2020)}."
    lines = _heading(look, "Ley orgánica o Decreto que la rige") + [law, ""]
    lines += _heading(look, rng.choice(["Misión institucional", "Mision institucional", "Misión Institucional"]))
    for _ in range(rng.randint(1, 2)):
        lines += [_sentence(rng, 6, 16), ""]
    return lines


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """A plausible objective or description of `low` to `high` phrases."""
    words = [rng.choice(_PHRASES)]
    for _ in range(rng.randint(low, high) - 1):
        words += [rng.choice(_CONNECTORS), rng.choice(_PHRASES)]
    return f"{rng.choice(_VERBS)} {' '.join(words)}.".replace(" de el ", " del ")


def _ministeriales(look: Style, rng: random.Random, sizes: dict, counts: Counter) -> list[str]:
    kind = "Relevantes" if look.relevantes else "Estratégicos"
    rows = [[str(k), _sentence(rng, 1, 6)] for k in range(1, sizes["om"] + 1)]
    counts["objetivos_ministeriales"] += len(rows)
    return _heading(look, f"Objetivos {kind} del Ministerio") + _table(look, rng, ["Descripción"], rows, wrap=1)


def _institucionales(look: Style, rng: random.Random, sizes: dict, counts: Counter) -> list[str]:
    kind = "Relevantes" if look.relevantes else "Estratégicos"
    header = ["Descripción", f"Objetivos {kind} del Ministerio vinculados", "Productos Estratégicos vinculados"]
    rows = []
    for k in range(1, sizes["oi"] + 1):
        ministerial = _subset(rng, sizes["om"], 4)
        products = _subset(rng, sizes["p"], 3)
        counts["objetivo_institucional_ministerial"] += len(ministerial)
        counts["objetivo_institucional_producto"] += len(products)
        rows.append([str(k), _sentence(rng, 2, 10), _links(rng, ministerial), _links(rng, products)])
    counts["objetivos_institucionales"] += len(rows)
    return _heading(look, "Objetivos Estratégicos Institucionales") + _table(look, rng, header, rows, wrap=1)


def _productos(look: Style, rng: random.Random, sizes: dict, counts: Counter) -> list[str]:
    header = ["Producto Estratégico", "Descripción", "Clientes"]
    if look.flag_columns:
        header += ["Aplica Gestión Territorial", "Aplica Enfoque de Género"]
    rows = []
    for k in range(1, sizes["p"] + 1):
        clients = _subset(rng, sizes["c"], 5)
        counts["producto_cliente"] += len(clients)
        row = [str(k), _sentence(rng, 1, 2).rstrip("."), _sentence(rng, 2, 8), _links(rng, clients)]
        if look.flag_columns:
            row += [_flag(rng, counts, "territorial"), _flag(rng, counts, "genero")]
        else:
            counts["productos_territorial_nulo"] += 1
            counts["productos_genero_nulo"] += 1
        rows.append(row)
    counts["productos"] += len(rows)
    return _heading(look, "Productos Estratégicos (Bienes y/o servicios)") + _table(look, rng, header, rows, wrap=2)


def _clientes(look: Style, rng: random.Random, sizes: dict, counts: Counter) -> list[str]:
    rows = []
    for k in range(1, sizes["c"] + 1):
        rows.append([str(k), f"{rng.choice(_CLIENT_NOUNS)} de {rng.choice(_REGIONS).title()}", _quantity(rng, counts)])
    counts["clientes"] += len(rows)
    heading = _heading(look, look.clients_heading) if look.clients_heading else []
    label = rng.choices(["Clientes", "Usuarios", "Beneficiarios"], [80, 10, 10])[0]
    return heading + _table(look, rng, [label, "Cuantificación"], rows, wrap=None)


def _subset(rng: random.Random, size: int, most: int) -> list[int]:
    """A sorted random choice of 0..`most` numbers out of 1..size: partial coverage, some rows with no link."""
    if rng.random() < 0.1:
        return []
    return sorted(rng.sample(range(1, size + 1), rng.randint(1, min(most, size))))


def _links(rng: random.Random, numbers: list[int]) -> str:
    """A link cell as fichas write it: `1, 2`, `1,2`, `1 y 2`, `1-3`, or `No se vincula` / `-` / empty."""
    if not numbers:
        return rng.choice(["No se vincula", "-", ""])
    texts = [str(number) for number in numbers]
    consecutive = len(numbers) >= 3 and numbers[-1] - numbers[0] == len(numbers) - 1
    if consecutive and rng.random() < 0.3:
        return f"{numbers[0]}-{numbers[-1]}"
    if len(texts) >= 2 and rng.random() < 0.2:
        return f"{', '.join(texts[:-1])} y {texts[-1]}"
    return rng.choice([", ", ","]).join(texts)


def _flag(rng: random.Random, counts: Counter, name: str) -> str:
    """Sí or No in their spellings, sometimes empty or another text (both load as NULL; the text also warns)."""
    draw = rng.random()
    if draw < 0.9:
        return rng.choice(_FLAG_TEXTS[draw < 0.5])
    counts[f"productos_{name}_nulo"] += 1
    if draw < 0.95:
        return ""
    counts["problemas"] += 1  # «Valor … no es Sí ni No»
    return rng.choice(_UNKNOWN_FLAGS)


def _quantity(rng: random.Random, counts: Counter) -> str:
    """A quantification from 1 to 20 million in Chilean format, or (15 %) a text that is not a number."""
    if rng.random() < 0.15:
        counts["clientes_cuantificacion_nula"] += 1
        return rng.choice(_NON_NUMERIC)
    value = min(MAX_QUANTITY, int(10 ** rng.uniform(0, math.log10(MAX_QUANTITY))))
    counts["suma_cuantificacion"] += value
    if rng.random() < 0.1:
        return str(value)
    return f"{value:,}".replace(",", ".")


# -- tables --------------------------------------------------------------------------------------------


def _row(look: Style, cells: list[str]) -> str:
    return f"| {' | '.join(cells)} |" if look.pipes else "\t".join(cells)


def _table(look: Style, rng: random.Random, header: list[str], rows: list[list[str]], wrap: int | None) -> list[str]:
    """Header, rule (pipe tables), rows; maybe a page break, maybe long cells continued on the next line."""
    head = [_row(look, [look.number_label, *header])]
    if look.pipes:
        head.append(_row(look, ["---"] * (len(header) + 1)))
    lines = list(head)
    broken_at = rng.randint(2, len(rows) - 1) if look.page_break and len(rows) >= 3 else None
    for position, cells in enumerate(rows):
        if position == broken_at:
            lines += ["", "", *head]
        if look.wrap and wrap is not None and len(cells[wrap]) > 60 and rng.random() < 0.5:
            lines += _wrapped(cells, wrap)
        else:
            lines.append(_row(look, cells))
    return [*lines, ""]


def _wrapped(cells: list[str], column: int) -> list[str]:
    """Cell `column` cut at a space: its tail starts the next line, as PDF conversions leave long cells."""
    text = cells[column]
    cut = text.rfind(" ", 0, 40)
    first, rest = cells[: column + 1], cells[column:]
    first[-1], rest[0] = text[:cut], text[cut + 1 :]
    return ["\t".join(first), "\t".join(rest)]
