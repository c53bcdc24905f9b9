"""Real exports vary: each variant of the format parses to exactly what the base format gives."""

import re

import pytest
from helpers import content

from etl.parser import parse
from etl.text import decode


def _to_pipe_tables(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            if re.match(r"N[úu]mero\t", line):
                out.append("|" + "|".join("---" for _ in cells) + "|")
        else:
            out.append(line)
    return "\n".join(out)


def _page_breaks(text: str) -> str:
    """Blank lines and the header row repeated in the middle of every table."""
    lines = text.split("\n")
    out, header = [], None
    for line in lines:
        if re.match(r"N[úu]mero\t", line):
            header = line
        elif header and re.match(r"3\t", line):
            out += ["", "", header]
        out.append(line)
    return "\n".join(out)


def _wrap_cells(text: str) -> str:
    """Long cells continue on the next line, as PDF conversions leave them."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) >= 3 and len(cells[1]) > 60:
            cut = cells[1].rfind(" ", 0, 40)
            out.append("\t".join([cells[0], cells[1][:cut]]))
            out.append("\t".join([cells[1][cut + 1 :], *cells[2:]]))
        else:
            out.append(line)
    return "\n".join(out)


def _wrap_link_lists(text: str) -> str:
    """`1, 2, 3, 5` broken as `1, 2,` / `3, 5` at the end of the line."""
    return re.sub(r"\t(\d+, \d+,) (\d+[0-9, ]*)\t", r"\t\1\n\2\t", text)


VARIANTS = {
    "sin negritas": lambda t: t.replace("**", ""),
    "títulos sin tildes ni mayúsculas y con dos puntos": lambda t: (
        t.replace("**Mision institucional**", "MISION INSTITUCIONAL:")
        .replace("**Misión institucional**", "mision institucional:")
        .replace("**Ley orgánica o Decreto que la rige**", "Ley Organica o Decreto que la rige:")
        .replace("**Objetivos Estratégicos del Ministerio**", "OBJETIVOS ESTRATEGICOS DEL MINISTERIO")
        .replace("**Objetivos Estratégicos Institucionales**", "## Objetivos estrategicos institucionales")
    ),
    "objetivos relevantes del ministerio": lambda t: t.replace(
        "Objetivos Estratégicos del Ministerio**", "Objetivos Relevantes del Ministerio**"
    ),
    "título en una línea": lambda t: t.replace("2019-2022  \n(Formulario A1)", "2019-2022 (Formulario A1)"),
    "título sin negritas en una línea": lambda t: t.replace(
        "**FICHA DE DEFINICIONES ESTRATÉGICAS AÑO 2019-2022  \n(Formulario A1) 2021**",
        "FICHA DE DEFINICIONES ESTRATÉGICAS AÑO 2019-2022 (Formulario A1) 2021",
    ),
    "clientes con título propio": lambda t: t.replace("\nNúmero\tClientes\t", "\n**Clientes**\n\nNúmero\tClientes\t"),
    "clientes / usuarios / beneficiarios": lambda t: t.replace(
        "\nNúmero\tClientes\t", "\nClientes / Usuarios / Beneficiarios\nNúmero\tClientes\t"
    ),
    "tablas con barras markdown": _to_pipe_tables,
    "saltos de página": _page_breaks,
    "celdas partidas en dos líneas": _wrap_cells,
    "listas de vínculos partidas": _wrap_link_lists,
    "Nº en vez de Número": lambda t: t.replace("Número\t", "Nº\t"),
    # Folding drops trailing colons: a long first cell may still name the number column.
    "Número seguido de muchos dos puntos": lambda t: t.replace("Número\t", "Número::::::::::\t"),
    "fin de línea CRLF": lambda t: t.replace("\n", "\r\n"),
    "SI y NO en mayúsculas, Sí con tilde": lambda t: t.replace("\tNo\tSi", "\tNO\tSí"),
    "listas con y": lambda t: re.sub(r"\t(\d+),(\d+)$", r"\t\1 y \2", t, flags=re.M),
}


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("which", ["huasco_text", "lagos_text"])
def test_variant_parses_like_the_original(name, which, request):
    original = request.getfixturevalue(which)
    variant = VARIANTS[name](original)
    assert variant != original, "the variant must change the text"
    parsed = parse(decode(variant.encode("utf-8")))
    assert content(parsed) == content(parse(original))
    assert [p for p in parsed.problemas] == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings(encoding, lagos_text):
    parsed = parse(decode(lagos_text.encode(encoding)))
    assert parsed.servicio == "GOBIERNO REGIONAL REGIÓN LOS LAGOS"
    assert content(parsed) == content(parse(lagos_text))


def test_cp1252_specific_characters():
    text = "“Comillas” – guion"
    assert decode(text.encode("cp1252")) == text


def _small_ficha(products_header: str, product_rows: list[str], client_rows: list[str], extra: str = "") -> str:
    return "\n".join(
        [
            "**FICHA DE DEFINICIONES ESTRATÉGICAS AÑO 2015-2018 (Formulario A1) 2016**",
            "",
            "MINISTERIO\tMINISTERIO DE PRUEBA\tPARTIDA\t9",
            "SERVICIO\tSERVICIO DE PRUEBA\tCAPITULO\t1",
            "",
            "**Objetivos Relevantes del Ministerio**",
            "Número\tDescripción",
            "1\tObjetivo ministerial uno.",
            "2\tObjetivo ministerial dos.",
            "",
            "**Objetivos Estratégicos Institucionales**",
            "Número\tDescripción\tObjetivos Relevantes del Ministerio vinculados\tProductos Estratégicos vinculados",
            "1\tObjetivo institucional uno.\t1 y 2\t1",
            "2\tObjetivo institucional dos.\tNo se vincula\t",
            "",
            "**Productos Estratégicos (Bienes y/o servicios)**",
            products_header,
            *product_rows,
            extra,
            "Número\tClientes\tCuantificación",
            *client_rows,
        ]
    )


def test_year_without_flag_columns_gives_unknown():
    text = _small_ficha(
        "Número\tProducto Estratégico\tDescripción\tClientes",
        ["1\tProducto uno\tDescripción uno\t1, 2"],
        ["1\tPersonas\t19.458.310", "2\tInstituciones\t12"],
    )
    ficha = parse(text)
    assert (ficha.anio, ficha.periodo_inicio, ficha.partida, ficha.capitulo) == (2016, 2015, "09", "01")
    (producto,) = ficha.productos
    assert producto.aplica_enfoque_genero is None and producto.aplica_gestion_territorial is None
    assert ficha.clientes[0].cuantificacion == 19_458_310
    assert [(link.origen, link.destino) for link in ficha.objetivo_institucional_ministerial] == [(1, 1), (1, 2)]
    assert [(link.origen, link.destino) for link in ficha.objetivo_institucional_producto] == [(1, 1)]
    assert ficha.problemas == []


def test_extra_columns_are_tolerated():
    text = _small_ficha(
        "Nº\tProducto Estratégico\tSubproducto(s)\tDescripción\tClientes\tPresupuesto\tAplica Gestión Territorial"
        "\tAplica Enfoque de Género",
        ["1\tProducto uno\tSub A; Sub B\tDescripción uno\t2\t1.000.000\tSI\tNO"],
        ["1\tPersonas\t10", "2\tInstituciones\t12"],
    )
    (producto,) = parse(text).productos
    assert (producto.nombre, producto.descripcion) == ("Producto uno", "Descripción uno")
    assert (producto.aplica_gestion_territorial, producto.aplica_enfoque_genero) == (True, False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("No aplica", None), ("s/i", None), ("-", None), ("", None), ("13.331", 13331), ("7", 7), ("Aprox. 5", None)],
)
def test_quantification_text_is_kept(cell, expected):
    text = _small_ficha(
        "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género",
        ["1\tProducto uno\tDescripción\t1\tSi\tNo"],
        [f"1\tPersonas\t{cell}"],
    )
    (cliente,) = parse(text).clientes
    assert (cliente.cuantificacion, cliente.cuantificacion_texto) == (expected, cell)


def test_clients_table_with_whitespace_columns():
    """The clients header row alone, its cells separated by runs of spaces instead of tabs."""
    text = _small_ficha(
        "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género",
        ["1\tProducto uno\tDescripción\t1\tSi\tNo"],
        [],
    ).replace("Número\tClientes\tCuantificación", "Número   Clientes   Cuantificación\n1   Personas naturales   1.234")
    (cliente,) = parse(text).clientes
    assert (cliente.descripcion, cliente.cuantificacion) == ("Personas naturales", 1234)
