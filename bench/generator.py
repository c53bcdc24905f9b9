"""Synthetic fichas for load tests: the real text format, realistic variety, the same output for the same seed.

Every file says in its first line that it is synthetic. None of it belongs in `data/fichas/`.
Each ficha comes with the counts the ETL must load from it, so a test can compare them with the database.

Example: `counts = write_corpus(Path("/tmp/fichas"), 1000, seed=1)`, then `counts["productos"]` is the number of
rows the ETL must load into `productos`.
"""

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SYNTHETIC_MARK = "<!-- SINTÉTICA: ficha generada para pruebas de carga, no es un documento de DIPRES -->"
REAL_FICHAS = Path(__file__).resolve().parent.parent / "data" / "fichas"
LAST_YEAR = 2025
MAX_QUANTITY = 20_000_000

# (partida, official name): 25 partidas. Fichas write the name in many spellings (see `_spellings`).
MINISTERIOS = [
    ("05", "Ministerio del Interior y Seguridad Pública"),
    ("06", "Ministerio de Relaciones Exteriores"),
    ("07", "Ministerio de Economía, Fomento y Turismo"),
    ("08", "Ministerio de Hacienda"),
    ("09", "Ministerio de Educación"),
    ("10", "Ministerio de Justicia y Derechos Humanos"),
    ("11", "Ministerio de Defensa Nacional"),
    ("12", "Ministerio de Obras Públicas"),
    ("13", "Ministerio de Agricultura"),
    ("14", "Ministerio de Bienes Nacionales"),
    ("15", "Ministerio del Trabajo y Previsión Social"),
    ("16", "Ministerio de Salud"),
    ("17", "Ministerio de Minería"),
    ("18", "Ministerio de Vivienda y Urbanismo"),
    ("19", "Ministerio de Transportes y Telecomunicaciones"),
    ("20", "Ministerio Secretaría General de Gobierno"),
    ("21", "Ministerio de Desarrollo Social y Familia"),
    ("22", "Ministerio Secretaría General de la Presidencia"),
    ("24", "Ministerio de Energía"),
    ("25", "Ministerio del Medio Ambiente"),
    ("26", "Ministerio del Deporte"),
    ("27", "Ministerio de la Mujer y la Equidad de Género"),
    ("29", "Ministerio de las Culturas, las Artes y el Patrimonio"),
    ("30", "Ministerio de Ciencia, Tecnología, Conocimiento e Innovación"),
    ("31", "Gobiernos Regionales"),
]
MAX_CAPITULOS = 99  # capítulo is a two-digit code
SHARED_NAME_SHARE = 0.1  # services that carry the name of a service of another partida
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
EMPTY, UNKNOWN_TEXT = "", "?"  # a flag cell left empty, or holding a text that is neither Sí nor No (both NULL)


@dataclass(frozen=True)
class Service:
    """One service: its identity (partida, capítulo) and the name it has in its first year."""

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
    budget: bool  # older forms: `Subproductos` and `Presupuesto AAAA (Miles de $)` columns in the products table
    budget_share: bool  # with `budget`, a `%` column after the budget


@dataclass(frozen=True)
class SyntheticFicha:
    """One generated file: where it goes, its text as written, and what the ETL must load from it."""

    path: str
    text: str
    encoding: str
    counts: Counter

    def data(self) -> bytes:
        return self.text.encode(self.encoding)


# -- a service's definitions, edited year after year --------------------------------------------------------


@dataclass
class Item:
    """An objective, product or client. `key` stays with it across years; its number is its place in the list."""

    key: int
    text: str
    detail: str = ""  # a product's description
    links: dict[str, set[int]] = field(default_factory=dict)  # target list -> keys of linked items
    flags: dict[str, object] = field(default_factory=dict)  # territorial / genero: True, False, EMPTY, UNKNOWN_TEXT
    quantity: int | str = 0  # a client's quantification: a number, or a text that is not one
    budget: int | str = 0  # a product's budget in miles de $, or a text that is not a number


@dataclass
class Definitions:
    """What a service's ficha says in one year; `evolve` makes next year's from it."""

    servicio: str
    om: list[Item]
    oi: list[Item]
    p: list[Item]
    c: list[Item]
    next_key: int = 0

    def new_key(self) -> int:
        self.next_key += 1
        return self.next_key


def years_for(n: int) -> int:
    """How many budget years a corpus of N fichas spans: 3 for small corpora, 5 from 1.200 fichas on."""
    return 3 if n < 1200 else 5


def services(rng: random.Random, count: int) -> list[Service]:
    """`count` services over the 25 partidas, of uneven size, each with a unique (partida, capítulo).

    Names repeat across partidas on purpose (SHARED_NAME_SHARE): identity is partida + capítulo, never the name.
    """
    weights = [rng.uniform(0.3, 2.0) for _ in MINISTERIOS]
    sizes = [1] * len(MINISTERIOS)
    for _ in range(count - len(MINISTERIOS)):
        open_ = [i for i, size in enumerate(sizes) if size < MAX_CAPITULOS]
        sizes[rng.choices(open_, [weights[i] for i in open_])[0]] += 1
    result: list[Service] = []
    for (partida, ministerio), size in zip(MINISTERIOS, sizes, strict=True):
        used: set[str] = set()
        for capitulo in range(1, size + 1):
            shared = [s.servicio for s in result if s.partida != partida and s.servicio not in used]
            if shared and rng.random() < SHARED_NAME_SHARE:
                name = rng.choice(shared)
            elif partida == "31":
                name = f"GOBIERNO REGIONAL REGIÓN {_REGIONS[(capitulo - 1) % len(_REGIONS)]}"
            else:
                name = f"{rng.choice(_SERVICE_KINDS)} {rng.choice(_SERVICE_TOPICS)}"
            if name in used:
                name = f"{name} {capitulo:02d}"
            used.add(name)
            result.append(Service(ministerio, partida, name, f"{capitulo:02d}"))
    return result[:count]


def plan(n: int, seed: int) -> list[tuple[int, Service]]:
    """N distinct (año, service) pairs: the same services over `years_for(n)` years, about one in twenty missing a year."""
    rng = random.Random(seed)
    years = years_for(n)
    catalogue = services(rng, min(math.ceil(n * 1.05 / years), len(MINISTERIOS) * MAX_CAPITULOS))
    pairs = [(anio, service) for service in catalogue for anio in range(LAST_YEAR - years + 1, LAST_YEAR + 1)]
    if len(pairs) < n:
        raise ValueError(f"at most {len(pairs)} fichas: {len(catalogue)} services over {years} years")
    chosen = sorted(rng.sample(range(len(pairs)), n))
    return [pairs[index] for index in chosen]


def generate(n: int, seed: int = 0) -> Iterator[SyntheticFicha]:
    """Yield N synthetic fichas; the same (n, seed) always gives the same files.

    Each service's definitions start from its own seed and are edited year after year (objectives added, removed,
    reworded and renumbered; flags changing; the service renamed now and then), so consecutive years differ as
    real ones do.
    """
    by_service: dict[Service, list[int]] = {}
    for anio, service in plan(n, seed):
        by_service.setdefault(service, []).append(anio)
    for service, years in by_service.items():
        rng = random.Random(f"{seed}-{service.partida}-{service.capitulo}")
        definitions = first_year(rng, service)
        for anio in range(years[0], years[-1] + 1):
            if anio > years[0]:
                evolve(rng, definitions, service)
            if anio in years:
                yield ficha(random.Random(f"{seed}-{service.partida}-{service.capitulo}-{anio}"), anio, service,
                            definitions)  # fmt: skip


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


def first_year(rng: random.Random, service: Service) -> Definitions:
    definitions = Definitions(service.servicio, [], [], [], [])
    sizes = {"om": rng.randint(2, 15), "oi": rng.randint(2, 12), "p": rng.randint(1, 12), "c": rng.randint(1, 20)}
    for kind in ("om", "c", "p", "oi"):  # targets before the items that link to them
        for _ in range(sizes[kind]):
            getattr(definitions, kind).append(_new_item(rng, definitions, kind))
    return definitions


def _new_item(rng: random.Random, definitions: Definitions, kind: str) -> Item:
    key = definitions.new_key()
    if kind == "om":
        return Item(key, _sentence(rng, 1, 6))
    if kind == "oi":
        links = {"om": _keys(rng, definitions.om, 4), "p": _keys(rng, definitions.p, 3)}
        return Item(key, _sentence(rng, 2, 10), links=links)
    if kind == "p":
        flags = {"territorial": _flag_value(rng), "genero": _flag_value(rng)}
        budget = rng.randint(50_000, 90_000_000) if rng.random() < 0.9 else rng.choice(["s/i", "No aplica"])
        return Item(key, _sentence(rng, 1, 2).rstrip("."), _sentence(rng, 2, 8), {"c": _keys(rng, definitions.c, 5)},
                    flags, budget=budget)  # fmt: skip
    noun = f"{rng.choice(_CLIENT_NOUNS)} de {rng.choice(_REGIONS).title()}"
    return Item(key, noun, quantity=_quantity_value(rng))


def _keys(rng: random.Random, items: list[Item], most: int) -> set[int]:
    """A random choice of 0..`most` items to link to: partial coverage, some rows with no link."""
    if not items or rng.random() < 0.1:
        return set()
    return {item.key for item in rng.sample(items, rng.randint(1, min(most, len(items))))}


def evolve(rng: random.Random, definitions: Definitions, service: Service) -> None:
    """Next year's definitions: a few items removed, added or reworded, flags and quantities changed."""
    if rng.random() < 0.04:
        definitions.servicio = f"{rng.choice(_SERVICE_KINDS)} {service.servicio.split(' DE ', 1)[-1]}"
    for kind, remove, add, reword in (("om", 0.15, 0.2, 0.25), ("oi", 0.15, 0.2, 0.3), ("p", 0.1, 0.15, 0.2),
                                      ("c", 0.1, 0.1, 0.1)):  # fmt: skip
        items = getattr(definitions, kind)
        if len(items) > 2 and rng.random() < remove:
            gone = items.pop(rng.randrange(len(items)))
            for other in (*definitions.oi, *definitions.p):
                for linked in other.links.values():
                    linked.discard(gone.key)
        if rng.random() < add:
            items.insert(rng.randint(0, len(items)), _new_item(rng, definitions, kind))
        if items and rng.random() < reword:
            item = rng.choice(items)
            item.text = _reworded(rng, item.text)
    for product in definitions.p:
        genero = product.flags["genero"]
        if genero is False and rng.random() < 0.15:  # the gender approach grows over the years
            product.flags["genero"] = True
        elif genero is True and rng.random() < 0.03:
            product.flags["genero"] = False
        if rng.random() < 0.05:
            product.flags["territorial"] = _flag_value(rng)
        if isinstance(product.budget, int):
            product.budget = int(product.budget * rng.uniform(0.9, 1.15))
    for client in definitions.c:
        if isinstance(client.quantity, int) and rng.random() < 0.5:
            client.quantity = max(1, min(MAX_QUANTITY, int(client.quantity * rng.uniform(0.85, 1.15))))


def _reworded(rng: random.Random, text: str) -> str:
    """The same objective with one phrase swapped: similar enough to pair with last year's, not equal."""
    for phrase in rng.sample(_PHRASES, len(_PHRASES)):
        if phrase in text:
            return text.replace(phrase, rng.choice([p for p in _PHRASES if p != phrase]), 1)
    return f"{text.rstrip('.')} en todo el territorio."


# -- one ficha ---------------------------------------------------------------------------------------


def style(rng: random.Random) -> Style:
    pipes = rng.random() < 0.2
    budget = rng.random() < 0.15
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
        budget=budget,
        budget_share=budget and rng.random() < 0.5,
    )


def ficha(rng: random.Random, anio: int, service: Service, definitions: Definitions) -> SyntheticFicha:
    """One year's definitions in the exported text format, and the counts of what the ETL must load from it."""
    look = style(rng)
    counts: Counter = Counter(fichas=1)
    lines = [SYNTHETIC_MARK, "", *_title(look, anio), ""]
    lines += _identity(look, rng, service, definitions.servicio)
    lines += _prose(look, rng)
    numbers = {
        kind: {item.key: n for n, item in enumerate(getattr(definitions, kind), 1)} for kind in ("om", "oi", "p", "c")
    }
    lines += _ministeriales(look, rng, definitions, counts)
    lines += _institucionales(look, rng, definitions, numbers, counts)
    lines += _productos(look, rng, anio, definitions, numbers, counts)
    lines += _clientes(look, rng, definitions, counts)
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


def _spellings(name: str, encoding: str) -> list[str]:
    """How fichas write one ministry: upper case with and without accents, as the law writes it, decomposed
    accents, a zero-width space, a non-breaking or a doubled space (the last three only where the encoding has them)."""
    upper = name.upper()
    plain = "".join(c for c in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(c))
    variants = [upper, upper, plain, plain, name, upper.replace(" ", "  ", 1), upper.replace(" ", "\xa0", 1)]
    if encoding != "cp1252":
        variants += [unicodedata.normalize("NFD", upper), upper.replace(" ", "\u200b ", 1)]
    return variants


def _identity(look: Style, rng: random.Random, service: Service, servicio: str) -> list[str]:
    partida = service.partida.lstrip("0") if look.short_partida else service.partida
    rows = [
        ["MINISTERIO", rng.choice(_spellings(service.ministerio, look.encoding)), "PARTIDA", partida],
        ["SERVICIO", servicio, "CAPITULO", service.capitulo],
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


def _ministeriales(look: Style, rng: random.Random, definitions: Definitions, counts: Counter) -> list[str]:
    kind = "Relevantes" if look.relevantes else "Estratégicos"
    rows = [[str(n), item.text] for n, item in enumerate(definitions.om, 1)]
    counts["objetivos_ministeriales"] += len(rows)
    return _heading(look, f"Objetivos {kind} del Ministerio") + _table(look, rng, ["Descripción"], rows, wrap=1)


def _linked(item: Item, target: str, numbers: dict[str, dict[int, int]]) -> list[int]:
    """The current numbers of the items `item` links to (links to removed items are gone)."""
    return sorted(numbers[target][key] for key in item.links.get(target, ()) if key in numbers[target])


def _institucionales(
    look: Style, rng: random.Random, definitions: Definitions, numbers: dict, counts: Counter
) -> list[str]:
    kind = "Relevantes" if look.relevantes else "Estratégicos"
    header = ["Descripción", f"Objetivos {kind} del Ministerio vinculados", "Productos Estratégicos vinculados"]
    rows = []
    for n, item in enumerate(definitions.oi, 1):
        ministerial, products = _linked(item, "om", numbers), _linked(item, "p", numbers)
        counts["objetivo_institucional_ministerial"] += len(ministerial)
        counts["objetivo_institucional_producto"] += len(products)
        rows.append([str(n), item.text, _links(rng, ministerial), _links(rng, products)])
    counts["objetivos_institucionales"] += len(rows)
    return _heading(look, "Objetivos Estratégicos Institucionales") + _table(look, rng, header, rows, wrap=1)


def _productos(look: Style, rng: random.Random, anio: int, definitions: Definitions, numbers: dict,
               counts: Counter) -> list[str]:  # fmt: skip
    header = ["Producto Estratégico", "Descripción", "Clientes"]
    if look.budget:
        header[1:1] = ["Subproductos"]
        header += [f"Presupuesto {anio} (Miles de $)"] + (["%"] if look.budget_share else [])
    if look.flag_columns:
        header += ["Aplica Gestión Territorial", "Aplica Enfoque de Género"]
    rows = []
    for n, item in enumerate(definitions.p, 1):
        clients = _linked(item, "c", numbers)
        counts["producto_cliente"] += len(clients)
        row = [str(n), item.text, item.detail, _links(rng, clients)]
        if look.budget:
            row[2:2] = [f"{item.text[:30]}; {item.text[-20:]}"]
            row += [_budget(item, counts)] + (["-"] if look.budget_share else [])
        if look.flag_columns:
            row += [
                _flag(rng, item.flags["territorial"], counts, "territorial"),
                _flag(rng, item.flags["genero"], counts, "genero"),
            ]
        else:
            counts["productos_territorial_nulo"] += 1
            counts["productos_genero_nulo"] += 1
        rows.append(row)
    counts["productos"] += len(rows)
    wrap = 3 if look.budget else 2
    return _heading(look, "Productos Estratégicos (Bienes y/o servicios)") + _table(look, rng, header, rows, wrap=wrap)


def _budget(item: Item, counts: Counter) -> str:
    if isinstance(item.budget, str):
        counts["productos_presupuesto_texto"] += 1
        return item.budget
    counts["productos_con_presupuesto"] += 1
    counts["suma_presupuesto"] += item.budget
    return f"{item.budget:,}".replace(",", ".")


def _clientes(look: Style, rng: random.Random, definitions: Definitions, counts: Counter) -> list[str]:
    rows = [[str(n), item.text, _quantity(rng, item.quantity, counts)] for n, item in enumerate(definitions.c, 1)]
    counts["clientes"] += len(rows)
    heading = _heading(look, look.clients_heading) if look.clients_heading else []
    label = rng.choices(["Clientes", "Usuarios", "Beneficiarios"], [80, 10, 10])[0]
    return heading + _table(look, rng, [label, "Cuantificación"], rows, wrap=None)


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


def _flag_value(rng: random.Random) -> object:
    """Sí or No, sometimes an empty cell or another text (both load as NULL; the text also warns)."""
    draw = rng.random()
    if draw < 0.9:
        return draw < 0.5
    return EMPTY if draw < 0.95 else UNKNOWN_TEXT


def _flag(rng: random.Random, value: object, counts: Counter, name: str) -> str:
    """The flag as written this year, in one of its spellings."""
    if isinstance(value, bool):
        return rng.choice(_FLAG_TEXTS[value])
    counts[f"productos_{name}_nulo"] += 1
    if value == EMPTY:
        return ""
    counts["problemas"] += 1  # «Valor … no es Sí ni No»
    return rng.choice(_UNKNOWN_FLAGS)


def _quantity_value(rng: random.Random) -> int | str:
    """A quantification from 1 to 20 million, or (15 %) a text that is not a number."""
    if rng.random() < 0.15:
        return rng.choice(_NON_NUMERIC)
    return min(MAX_QUANTITY, int(10 ** rng.uniform(0, math.log10(MAX_QUANTITY))))


def _quantity(rng: random.Random, value: int | str, counts: Counter) -> str:
    """The quantification as written: Chilean thousands, sometimes bare digits."""
    if isinstance(value, str):
        counts["clientes_cuantificacion_nula"] += 1
        return value
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
