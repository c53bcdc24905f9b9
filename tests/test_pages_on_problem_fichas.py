"""Pages on fichas that give them something to do: problems to search, names that look like HTML.

Both databases are built by the real ETL from edited copies of the shipped fichas.
"""

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import HUASCO, LOS_LAGOS, page_tables, read_text
from streamlit.testing.v1 import AppTest

from app import registry
from etl.build import build

EDUCACION = "Ministerio de Educación"  # the official name of partida 09, a filter value
QUIZAS_1 = ("huasco.txt", "advertencia", 46, "Valor «Quizás» no es Sí ni No en el producto 1; queda como desconocido.")
QUIZAS_2 = ("huasco.txt", "advertencia", 47, "Valor «Quizás» no es Sí ni No en el producto 2; queda como desconocido.")
VINCULO_1 = ("huasco.txt", "advertencia", 46, "Vínculo no reconocido en la fila 1: «dos».")
VINCULO_2 = ("huasco.txt", "advertencia", 47, "Vínculo no reconocido en la fila 2: «dos».")
LAGOS = ("lagos.txt", "advertencia", 27, "La fila 1 cita el objetivo ministerial 12, que no existe (hay 3).")
CARTA = (
    "carta.txt",
    "error",
    1,
    "No es una Ficha de Definiciones Estratégicas: falta el título «FICHA DE DEFINICIONES ESTRATÉGICAS "
    "(Formulario A1)».",
)
VACIA = ("vacia.txt", "error", None, "El archivo está vacío.")


# -- Calidad: search and level filter --------------------------------------------------------------


@pytest.fixture(scope="module")
def problems_db(tmp_path_factory) -> Path:
    """Two fichas with warnings (bad flags and links in Huasco, a dangling link in Los Lagos) and two rejected files."""
    folder = tmp_path_factory.mktemp("problemas") / "fichas"
    folder.mkdir()
    huasco = read_text(HUASCO).replace("\t1,2\tNo\tSi\n1", "\t1, dos\tQuizás\tSi\n1")
    (folder / "huasco.txt").write_text(huasco.replace("\t1,2\tNo\tSi", "\t1,dos\tQuizás\tSi"), encoding="utf-8")
    lagos = read_text(LOS_LAGOS).replace("\t1, 3\t1,2\n", "\t1, 12\t1,2\n")
    (folder / "lagos.txt").write_text(lagos, encoding="utf-8")
    (folder / "vacia.txt").write_bytes(b"")
    (folder / "carta.txt").write_text("Una carta cualquiera.\nSin título de ficha.", encoding="utf-8")
    db = folder.parent / "fichas.duckdb"
    report = build([folder], db)
    assert (report.loaded, report.rejected) == (2, 2)
    return db


def _order(row: tuple) -> tuple:
    """Rows compared by file, line and message (the page's order within a file is not the point here)."""
    return (row[0], row[2] or 0, row[3])


def problem_rows(at: AppTest) -> list[tuple]:
    frame = page_tables(at)["Problemas registrados"]
    lines = [None if pd.isna(line) else int(line) for line in frame["Línea"]]
    names = [Path(archivo).name for archivo in frame["Archivo"]]
    return sorted(zip(names, frame["Nivel"], lines, frame["Mensaje"], strict=True), key=_order)


def per_file(at: AppTest) -> dict[str, tuple[int, int]]:
    frame = page_tables(at)["Problemas por archivo"]
    return {
        Path(archivo).name: (int(errors), int(warnings))
        for archivo, errors, warnings in zip(frame["Archivo"], frame["Errores"], frame["Advertencias"], strict=True)
    }


def count(at: AppTest) -> str:
    return next(metric.value for metric in at.metric if metric.label == "Problemas")


def assert_problems(at: AppTest, expected: list[tuple]) -> None:
    """The page lists exactly `expected` (in any order) and counts them; no table at all when there are none."""
    assert not at.exception and not at.error
    assert count(at) == str(len(expected))
    if expected:
        assert problem_rows(at) == sorted(expected, key=_order)
    else:
        assert not at.dataframe


def test_every_problem_is_listed(problems_db, open_app):
    at = open_app(problems_db, "calidad")
    assert_problems(at, [CARTA, QUIZAS_1, VINCULO_1, QUIZAS_2, VINCULO_2, LAGOS, VACIA])
    assert per_file(at) == {"carta.txt": (1, 0), "vacia.txt": (1, 0), "huasco.txt": (0, 4), "lagos.txt": (0, 1)}


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["error"], [CARTA, VACIA]),
        (["advertencia"], [QUIZAS_1, VINCULO_1, QUIZAS_2, VINCULO_2, LAGOS]),
        ([], []),
    ],
)
def test_the_level_filter_keeps_only_that_level(problems_db, open_app, levels, expected):
    at = open_app(problems_db, "calidad")
    at.multiselect(key="calidad_nivel").set_value(levels).run()
    assert_problems(at, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quizás", [QUIZAS_1, QUIZAS_2]),  # case does not matter
        ("  VÍNCULO no RECONOCIDO ", [VINCULO_1, VINCULO_2]),  # nor spaces around it
        ("lagos.txt", [LAGOS]),  # the file name is searched too
        ("fila", [VINCULO_1, VINCULO_2, LAGOS]),
        ("%", []),  # a LIKE wildcard is a plain character
        ("no existe en ningún mensaje", []),
    ],
)
def test_the_text_search_finds_exactly_the_matching_rows(problems_db, open_app, text, expected):
    at = open_app(problems_db, "calidad")
    at.text_input(key="calidad_texto").input(text).run()
    assert_problems(at, expected)


def test_level_and_text_together(problems_db, open_app):
    at = open_app(problems_db, "calidad")
    at.multiselect(key="calidad_nivel").set_value(["advertencia"]).run()
    at.text_input(key="calidad_texto").input("archivo").run()  # "El archivo está vacío." is an error
    assert count(at) == "0"
    at.multiselect(key="calidad_nivel").set_value(["error", "advertencia"]).run()
    assert_problems(at, [VACIA])


def test_warnings_follow_the_sidebar_filter_and_errors_stay(problems_db, open_app):
    at = open_app(problems_db, "calidad", ministerio=EDUCACION)
    assert_problems(at, [CARTA, QUIZAS_1, VINCULO_1, QUIZAS_2, VINCULO_2, VACIA])


# -- ficha text that looks like HTML reaches the charts as text ------------------------------------

SERVICIO = 'SERVICIO <b>NEGRITA</b> <br>SALTO <a href="http://x.cl">ENLACE</a>'
PRODUCTO = '<a href="http://x.cl">Producto enlace</a> <br>uno'
CLIENTE = "<b>Estudiantes</b> del territorio"
RAW = ["<b>NEGRITA", "<br>SALTO", '<a href="http://x.cl">', "<b>Estudiantes", "<br>uno"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostil") / "fichas"
    folder.mkdir()
    text = (
        read_text(HUASCO)
        .replace("SERVICIO LOCAL DE EDUCACIÓN HUASCO", SERVICIO)
        .replace("1\tServicio de educación pública.\t", f"1\t{PRODUCTO}\t")
        .replace("1\tEstudiantes de los establecimientos educacionales del territorio\t", f"1\t{CLIENTE}\t")
    )
    (folder / "hostil.txt").write_text(text, encoding="utf-8")
    (folder / "lagos.txt").write_bytes(LOS_LAGOS.read_bytes())
    db = folder.parent / "fichas.duckdb"
    assert build([folder], db).rejected == 0
    return db


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def chart_texts(at: AppTest) -> list[str]:
    """Every string of every figure on the page, as sent to the browser."""
    return [text for chart in at.get("plotly_chart") for text in _strings(json.loads(chart.proto.spec))]


def assert_escaped(at: AppTest, *escaped: str) -> None:
    """No raw markup from the ficha in any figure of the page, and each `escaped` text somewhere in them."""
    assert not at.exception and not at.error
    joined = "\n".join(chart_texts(at))
    for raw in RAW:
        assert raw not in joined, raw
    for text in escaped:
        assert text in joined, text


def test_sankey_labels_carry_the_escaped_names(hostile_db, open_app):
    at = open_app(hostile_db, "ficha", ficha="2021-09-21")
    assert (at.selectbox(key="ficha_servicio").value, at.selectbox(key="ficha_anio").value) == ("09-21", "2021")
    assert_escaped(at, "&lt;a href=", "Producto enlace&lt;/a&gt;", "&lt;b&gt;Estudiantes&lt;/b&gt;")


def test_bar_labels_carry_the_escaped_service_name(hostile_db, open_app):
    at = open_app(hostile_db, "genero_territorial")
    at.button_group(key="flags_nivel").set_value("servicio").run()
    assert not at.exception
    assert_escaped(at, "SERVICIO &lt;b&gt;NEGRITA&lt;/b&gt;")
    at.switch_page(registry.by_slug("clientes").file).run()
    assert_escaped(at, "SERVICIO &lt;b&gt;NEGRITA&lt;/b&gt;")
