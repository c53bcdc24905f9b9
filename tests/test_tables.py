"""Tables on screen: fitted to 1.400 px, Chilean formats in long tables too, "—" for missing, Sí/No, whole texts."""

import math

import pandas as pd
import pytest
from helpers import ROOT
from streamlit.testing.v1 import AppTest

from app import columns, ui

LONG = "Fortalecer la coordinación del gobierno regional con los actores clave de la región " * 4  # ~340 chars


def per_ficha(rows: int) -> pd.DataFrame:
    """The shape of a per-ficha coverage table: identity, counts and percentages."""
    return pd.DataFrame(
        {
            "Año": [2025] * rows,
            "Ministerio": ["Ministerio de Agricultura"] * rows,
            "Partida": ["13"] * rows,
            "Capítulo": ["04"] * rows,
            "Servicio": ["DIRECCIÓN GENERAL DE CAPACITACIÓN Y EMPLEO REGIÓN MAULE"] * rows,
            "Objetivos ministeriales": [11] * rows,
            "% ministeriales vinculados": [45.25] * rows,
            "Suma de cuantificaciones": [19_458_310] * rows,
            "Ficha": ["2025-13-04"] * rows,
        }
    )


def formats(layout: ui.GridLayout) -> dict[str, str | None]:
    return {name: config["type_config"].get("format") for name, config in layout.columns.items()}


def test_a_long_table_gets_chilean_number_formats_whatever_the_browser_locale():
    layout = ui.grid_layout(per_ficha(400), streamed=True)
    assert formats(layout) == {
        "Año": "%d",  # 2025, never 2.025
        "Ministerio": None,
        "Partida": None,
        "Capítulo": None,
        "Servicio": None,
        "Objetivos ministeriales": "%'.,d",  # sprintf-js: `'.` sets the thousands separator -> 19.458.310
        "% ministeriales vinculados": "%'.,.0f",
        "Suma de cuantificaciones": "%'.,d",
        "Ficha": None,
    }


def test_a_short_table_leaves_numbers_to_the_styler_except_years():
    layout = ui.grid_layout(per_ficha(3))
    assert {name for name, fmt in formats(layout).items() if fmt} == {"Año"}
    html = ui.styled(pd.DataFrame({"Clientes": [13331, None], "%": [45.25, 1.0]})).to_html()
    assert "13.331" in html and "45,2" in html and "—" in html


def test_numbers_come_first_and_implied_identity_leaves_the_screen_when_full():
    layout = ui.grid_layout(per_ficha(3))
    assert layout.order[:4] == ["Año", "Servicio", "% ministeriales vinculados", "Objetivos ministeriales"]
    assert "Suma de cuantificaciones" in layout.order
    assert layout.hidden and set(layout.hidden) <= {"Ficha", "Capítulo", "Partida", "Ministerio"}
    widths = {name: layout.columns[name]["width"] for name in layout.order}
    assert sum(widths.values()) <= ui.GRID_WIDTH, widths
    assert widths["Suma de cuantificaciones"] >= len("19.458.310") * 7  # never cut to "1."


def test_a_table_per_ministerio_keeps_its_ministerio():
    name = "MINISTERIO DE LAS CULTURAS, LAS ARTES Y EL PATRIMONIO"
    frame = pd.DataFrame({"Ministerio": [name], "Fichas": [3], "% con enfoque de género": [40.0]})
    layout = ui.grid_layout(frame)
    assert layout.order == ["Ministerio", "% con enfoque de género", "Fichas"] and layout.hidden == []
    assert layout.columns["Ministerio"]["width"] >= len(name) * 7  # room to spare: the name shows whole


def prose(texts: list[str]) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "Año": [2025] * n,
            "Servicio": ["AGENCIA DE ARCHIVOS"] * n,
            "Tipo": ["Objetivo ministerial sin objetivo institucional"] * n,
            "Número": range(1, n + 1),
            "Descripción": texts,
        }
    )


def test_long_texts_wrap_in_rows_tall_enough_to_read_them_whole():
    layout = ui.grid_layout(prose([LONG] * 10))
    width = layout.columns["Descripción"]["width"]
    assert width >= 300
    lines = math.ceil(len(LONG) * 6.6 / (width - 26))
    assert layout.row_height == lines * 21 + 16 > 64  # Streamlit wraps text only in rows taller than 64 px
    assert not layout.clipped


def test_one_very_long_text_does_not_make_every_row_tall_and_says_how_to_read_it():
    layout = ui.grid_layout(prose([LONG[:150]] * 9 + [LONG * 5]))
    width = layout.columns["Descripción"]["width"]
    assert layout.row_height == max(3, math.ceil(150 * 6.6 / (width - 26))) * 21 + 16
    assert layout.clipped


def test_names_alone_do_not_make_rows_tall():
    frame = pd.DataFrame(
        {"Servicio": ["COMISIÓN NACIONAL DE ARCHIVOS REGIÓN DEL LIBERTADOR GENERAL BERNARDO O'HIGGINS"]}
    )
    assert ui.grid_layout(frame).row_height is None


def test_flags_read_si_no():
    frame = columns.yes_no(pd.DataFrame({"Vinculado": [True, False], "Número": [1, 2]}))
    assert frame["Vinculado"].tolist() == ["Sí", "No"] and frame["Número"].tolist() == [1, 2]


@pytest.fixture
def cobertura(real_db, monkeypatch):
    monkeypatch.setenv("FICHAS_DB", str(real_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/cobertura.py").run()
    at.session_state["cobertura_vinculos"] = True  # open the one-ficha matrix
    return at.run()


def test_the_link_matrix_says_si_or_no_and_missing_values_show_a_dash(cobertura):
    assert not cobertura.exception
    (matrix,) = [frame for frame in cobertura.dataframe if frame.proto.alt == "Matriz de vínculos de la ficha elegida"]
    assert set(matrix.value["Vinculado"]) == {"Sí", "No"}
    assert {frame.proto.placeholder for frame in cobertura.dataframe} == {"—"}
    assert [heading.value for heading in cobertura.header][:3] == [
        "Cobertura por ministerio",
        "Cobertura por ficha",
        "Lo que no cuelga de nada",
    ]
    assert not [markdown.value for markdown in cobertura.markdown if markdown.value.startswith("#")]
