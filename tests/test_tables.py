"""Tables on screen: fitted to 1.400 px, Chilean formats in long tables too, "—" for missing, Sí/No, whole texts."""

import math

import pandas as pd
import pytest
from helpers import ROOT, open_section
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
    layout = ui.grid_layout(per_ficha(400), unstyled=True)
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
    return open_section(at, "Vínculos de una ficha")  # the one-ficha matrix


def test_the_link_matrix_says_si_or_no_and_missing_values_show_a_dash(cobertura):
    assert not cobertura.exception
    (matrix,) = [frame for frame in cobertura.dataframe if frame.proto.alt == "Matriz de vínculos de la ficha elegida"]
    assert set(matrix.value["Vinculado"]) == {"Sí", "No"}
    assert {frame.proto.placeholder for frame in cobertura.dataframe} == {"—"}
    assert [heading.value for heading in cobertura.main.header] == ["Matriz de vínculos de la ficha elegida"]
    assert not [markdown.value for markdown in cobertura.markdown if markdown.value.startswith("#")]


def on_screen(layout: ui.GridLayout) -> dict[str, int]:
    return {name: layout.columns[name]["width"] for name in layout.order}


def test_numbers_are_as_wide_as_they_are_shown_not_as_their_raw_digits():
    frame = pd.DataFrame({"%": [100 / 3, 100.0], "Suma": pd.array([19_458_310, None], dtype="Int64")})
    widths = on_screen(ui.grid_layout(frame))
    assert widths["%"] <= 26 + 7.2 * len("100,0") + 1  # not the 18 characters of 33.333333333333336
    assert len("19.458.310") * 7 <= widths["Suma"] <= 26 + 7.2 * len("19.458.310") + 1


COVERAGE = ["Objetivos ministeriales", "Ministeriales vinculados", "% ministeriales vinculados"]
COVERAGE += ["Objetivos institucionales", "Institucionales con producto", "% institucionales con producto"]
COVERAGE += ["Clientes", "Clientes atendidos", "% clientes atendidos"]
FLAGS = ["% con enfoque de género", "% con gestión territorial", "Productos"]
FLAGS += [f"{flag}: {value}" for flag in ("Género", "Territorial") for value in ("Sí", "No", "Desconocido")]


def wide(numbers: list[str], rows: int = 3) -> pd.DataFrame:
    name = "DIRECCIÓN GENERAL DE CAPACITACIÓN Y EMPLEO REGIÓN MAULE"
    frame = pd.DataFrame({"Año": [2025] * rows, "Servicio": [name] * rows, "Ministerio": ["Ministerio de X"] * rows})
    for i, column in enumerate(numbers):
        frame[column] = [45.25 if column.startswith("%") else 1_000 + i] * rows
    return frame


def test_a_table_too_wide_leaves_out_the_counts_a_percentage_states_and_keeps_its_totals():
    layout = ui.grid_layout(wide(COVERAGE))
    assert sum(on_screen(layout).values()) <= ui.GRID_WIDTH
    assert {"Ministeriales vinculados", "Institucionales con producto", "Clientes atendidos"} <= set(layout.hidden)
    assert layout.order[:2] == ["Año", "Servicio"]
    assert {"Objetivos ministeriales", "Objetivos institucionales", "Clientes"} <= set(layout.order)
    assert {name for name in COVERAGE if name.startswith("%")} <= set(layout.order)


def test_counts_split_by_a_value_leave_the_screen_all_together():
    layout = ui.grid_layout(wide(FLAGS))
    assert sum(on_screen(layout).values()) <= ui.GRID_WIDTH
    assert [name for name in layout.order if ": " in name] == []
    assert set(FLAGS[:3]) <= set(layout.order)
    narrow = ui.grid_layout(wide(FLAGS[:3] + FLAGS[3:6]).drop(columns=["Servicio"]))
    assert set(FLAGS[3:6]) <= set(narrow.order)  # room enough: the split shows


def test_a_table_with_more_numbers_than_room_still_fits_and_says_what_it_left_out():
    numbers = [f"Indicador número {i}" for i in range(20)]
    layout = ui.grid_layout(wide(numbers))
    assert sum(on_screen(layout).values()) <= ui.GRID_WIDTH
    assert layout.order[:2] == ["Año", "Servicio"] and "Indicador número 0" in layout.order
    assert "Indicador número 19" in layout.hidden


def test_every_table_of_every_page_fits_the_screen_at_300_fichas(corpus300, monkeypatch):
    """The layouts the pages get, at every grouping level, for the 300-ficha corpus (the browser test checks the
    drawn grids of each page's first view)."""
    from app import db, queries
    from app.filters import Filters

    monkeypatch.setenv("FICHAS_DB", str(corpus300))
    snap, everything = db.snapshot(), Filters()
    ficha = queries.fichas_index(snap).frame["ficha_id"].iloc[0]
    results = [
        queries.overview_by_ministerio(snap, everything),
        queries.coverage_by_ficha(snap, everything),
        queries.uncovered(snap, everything),
        queries.link_matrix(snap, ficha),
        queries.flags_matrix(snap, everything),
        queries.products_with_flags(snap, everything),
        queries.clients_by_service(snap, everything),
        queries.clients_by_ministerio(snap, everything),
        queries.clients_by_product(snap, everything),
        queries.clients(snap, everything),
        queries.problems(snap, everything, ["error", "advertencia"], ""),
        queries.problems_per_file(snap, everything, ["error", "advertencia"], ""),
        queries.trend_by_year(snap, everything, "ministerio"),
        *[queries.coverage_by(snap, everything, level) for level in ("ministerio", "partida")],
        *[queries.flags_by(snap, everything, level) for level in ("ministerio", "partida", "servicio")],
    ]
    too_wide = {}
    for result in results:
        frame = columns.yes_no(result.frame)
        layout = ui.grid_layout(frame, unstyled=len(frame) > ui.STYLED_ROWS)
        if sum(on_screen(layout).values()) > ui.GRID_WIDTH:
            too_wide[", ".join(frame.columns[:4])] = on_screen(layout)
        floats = frame.select_dtypes("float").drop(columns=[c for c in frame if columns.is_percent(c)], errors="ignore")
        assert not [c for c in floats if floats[c].dropna().eq(floats[c].dropna().round()).all()], "counts as 81,0"
    assert too_wide == {}


def test_beside_prose_the_identity_another_column_implies_leaves_the_screen():
    frame = prose([LONG] * 3).assign(Ministerio="Ministerio de Agricultura")
    layout = ui.grid_layout(frame)
    assert "Ministerio" in layout.hidden and layout.columns["Descripción"]["width"] > 400
