"""Long tables (app/table_page.py): a page of rows on screen, searched and sorted over every row; full downloads."""

import io

import pandas as pd
import pytest
from helpers import assert_clean, open_section, shown_table

from app import table_page, ui
from app.table_page import PAGE_ROWS

TITLE = "Todos los clientes"  # the longest table of the Clientes page


def frame(rows: int) -> pd.DataFrame:
    names = ["Educación", "Salud", "Niñez", "Árbol"] * (rows // 4)
    return pd.DataFrame({"Servicio": pd.array(names, dtype="str"), "Cuantificación": range(len(names)), "Año": "2024"})


def test_the_page_is_cut_after_searching_and_sorting_every_row():
    rows = frame(1000)
    first = table_page.choose(rows, "", None)
    assert first.rows.equals(rows.head(PAGE_ROWS)) and first.matching == 1000
    assert first.note.startswith(f"Se muestran {PAGE_ROWS} de 1.000 filas; descargue la tabla completa")

    largest = table_page.choose(rows, "", ("Cuantificación", True))  # the largest of all rows, not of the first page
    assert largest.rows["Cuantificación"].tolist() == list(range(999, 999 - PAGE_ROWS, -1))

    found = table_page.choose(rows, "  EDUCACION ", None)  # case, accents and stray spaces ignored
    assert found.matching == 250 and set(found.rows["Servicio"]) == {"Educación"}
    assert "de 250 filas que coinciden con la búsqueda (de 1.000)" in found.note
    assert table_page.choose(rows, "NINEZ", None).matching == 250  # ñ folds to n
    assert table_page.choose(rows, "2024", None).matching == 1000  # codes and years are text columns too
    assert table_page.choose(rows, "no está", None).rows.empty

    by_name = table_page.choose(rows, "", ("Servicio", False))  # Árbol sorts with the a's, not after Salud
    assert by_name.rows["Servicio"].iloc[0] == "Árbol"
    assert set(table_page.sort_options(rows)) >= {None, ("Cuantificación", True), ("Servicio", False)}


@pytest.mark.slow
def test_a_long_table_shows_a_page_and_downloads_every_row(corpus300, open_app):
    at = open_section(open_app(corpus300, "clientes"), "Todos los clientes")
    assert_clean(at)
    downloaded = pd.read_csv(
        io.BytesIO(at.session_state[ui.DOWNLOADS]["clientes_detalle.csv"]()), sep=";", encoding="utf-8-sig"
    )
    total = len(downloaded)
    assert total > ui.STYLED_ROWS
    assert len(shown_table(at, TITLE)) == PAGE_ROWS
    said = f"Se muestran {PAGE_ROWS} de {total:,} filas; descargue la tabla completa".replace(",", ".")
    assert any(said in caption.value for caption in at.caption)

    at.selectbox(key="clientes_detalle_tabla_orden").set_value(("Cuantificación", True)).run()
    largest = downloaded["Cuantificación"].dropna().astype(int).sort_values(ascending=False).head(PAGE_ROWS)
    assert shown_table(at, TITLE)["Cuantificación"].tolist() == largest.tolist()

    needle = downloaded["Servicio"].iloc[-1]
    at.text_input(key="clientes_detalle_tabla_buscar").set_value(needle.lower()).run()
    shown = shown_table(at, TITLE)
    expected = downloaded["Servicio"].str.contains(needle, regex=False).sum()
    assert 0 < len(shown) <= PAGE_ROWS and len(shown) == min(expected, PAGE_ROWS)
    assert shown.apply(lambda row: needle in " ".join(map(str, row)), axis=1).all()
    assert at.session_state[ui.DOWNLOADS]["clientes_detalle.csv"]().count(b"\n") == total + 1  # still every row
    assert_clean(at)


def test_choices_in_a_section_survive_a_visit_to_another(corpus300, open_app):
    at = open_section(open_app(corpus300, "clientes"), "Todos los clientes")
    at.selectbox(key="clientes_detalle_tabla_orden").set_value(("Cuantificación", True)).run()
    at.text_input(key="clientes_detalle_tabla_buscar").set_value("ministerio").run()
    open_section(at, "Por servicio")
    at.segmented_control(key="clientes_orden").set_value("nombre").run()
    open_section(at, "Todos los clientes")
    assert at.text_input(key="clientes_detalle_tabla_buscar").value == "ministerio"
    assert at.selectbox(key="clientes_detalle_tabla_orden").value == ("Cuantificación", True)
    open_section(at, "Por servicio")
    assert at.segmented_control(key="clientes_orden").value == "nombre"
    assert_clean(at)
    assert [warning.value for warning in at.warning] == [at.warning[0].value] and "Precaución" in at.warning[0].value


def test_the_grouping_survives_a_visit_to_a_section_that_does_not_draw_it(corpus300, open_app):
    at = open_app(corpus300, "genero_territorial")
    at.segmented_control(key="flags_nivel").set_value("partida").run()
    at.segmented_control(key="flags_orden").set_value("nombre").run()
    open_section(at, "Ambos enfoques")
    open_section(at, "Productos")
    assert at.segmented_control(key="flags_nivel").value == "partida"
    open_section(at, "Por grupo")
    assert (at.segmented_control(key="flags_nivel").value, at.segmented_control(key="flags_orden").value) == (
        "partida",
        "nombre",
    )
    assert_clean(at)
    assert not at.warning, [warning.value for warning in at.warning]
