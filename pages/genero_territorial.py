"""Enfoque de género y gestión territorial: where each approach applies, with unknown as its own category."""

from functools import partial

import pandas as pd
import streamlit as st

from app import charts, figures, queries, ui

LEVELS = ["ministerio", "partida", "servicio"]


def crossed(matrix: pd.DataFrame) -> pd.DataFrame:
    """The pairs of values as the 3 × 3 table they are (a chart of the same nine numbers cost a Plotly chart a view)."""
    flag_values = list(figures.FLAG_COLORS)  # Sí, No, Desconocido
    return (
        matrix.pivot(index="Enfoque de género", columns="Gestión territorial", values="Productos")
        .reindex(index=flag_values, columns=flag_values)
        .fillna(0)
        .astype(int)
        .rename(columns=lambda value: f"Territorial: {value}")
        .reset_index()
    )


page = ui.start_page("genero_territorial")
snap, filters = page.snap, page.filters

ui.stop_if_empty(
    queries.products_with_flags(snap, filters).frame, "No hay productos estratégicos para el filtro actual."
)

charts.budget_shares(snap, filters)

# One section at a time: two charts, three tables and their pickers were more than the browser draws in a blink.
by_group, both, products = page.sections("Por grupo", "Ambos enfoques", "Productos")
# «Agrupar por» is drawn in «Productos» too: written back only in a run that draws it nowhere (a widget with a default
# whose value the same run wrote back makes Streamlit log a "set via the Session State API" warning).
grouping_key, order_key = charts.control_keys("flags")
with page.section(by_group, keep=(order_key,) if products.open else (grouping_key, order_key)) as drawn:
    grouping = charts.chosen_grouping(LEVELS, "flags")
    if drawn:
        grouping, order = charts.grouping_controls(LEVELS, "flags")
        grouped = queries.flags_by(snap, filters, grouping.level)
        ui.explain(
            "Cada barra reparte el 100 % de los productos estratégicos del grupo según la columna «Aplica …» de su "
            "ficha: Sí, No, o Desconocido cuando la ficha no trae la columna o su valor no es Sí ni No. Las "
            "cantidades, al pasar el cursor y en la tabla."
        )
        # Only the open tab's chart is drawn (a rerun when the reader switches): one Plotly chart less a view.
        genero, territorial = st.tabs(
            ["Enfoque de género", "Gestión territorial"], key="flags_enfoque", on_change="rerun"
        )
        for tab, key, flag in [(genero, "chart_genero", "Género"), (territorial, "chart_territorial", "Territorial")]:
            if tab.open:
                with tab:
                    charts.draw(key, snap, grouped, figures.flag_shares, flag, grouping.plural, order)
    page.table(
        partial(queries.flags_by, snap, filters, grouping.level),
        f"Productos por {grouping.level}",
        f"enfoques_por_{grouping.level}",
        "Porcentaje = productos con «Sí» sobre todos los productos del grupo (los desconocidos cuentan en el total).",
    )

with page.section(both) as drawn:
    matrix = partial(queries.flags_matrix, snap, filters)
    page.table(
        matrix,
        "Productos según ambos enfoques",
        "ambos_enfoques",
        "Productos contados por su par de valores: el enfoque de género en las filas, la gestión territorial en las "
        "columnas (las descargas traen un par por fila).",
        screen=crossed(matrix().frame) if drawn else None,
    )

with page.section(products, keep=("flags_grupo",)) as drawn:
    grouping, chosen = charts.chosen_grouping(LEVELS, "flags"), None
    if drawn:
        ui.explain("Los productos detrás de cada barra de «Por grupo»: elija el grupo.")
        grouping = charts.grouping_control(LEVELS, "flags")
        grouped = queries.flags_by(snap, filters, grouping.level).frame
        group_names = dict(zip(grouped[grouping.key], figures.marks(grouped)["label"], strict=True))
        chosen = st.selectbox(
            grouping.label,
            [None, *group_names],
            format_func=lambda key: group_names.get(key, "(todos)"),
            key="flags_grupo",
        )
    page.table(
        partial(queries.products_with_flags, snap, filters, grouping.level, chosen),
        "Lista de productos",
        "productos_enfoques",
        "Cada producto con sus dos valores, tal como los dice la ficha.",
    )
page.workbook_button()
