"""Enfoque de género y gestión territorial: where each approach applies, with unknown as its own category."""

import streamlit as st

from app import charts, figures, queries, ui

page = ui.start_page("genero_territorial")
snap, filters = page.snap, page.filters

ui.stop_if_empty(
    queries.products_with_flags(snap, filters).frame, "No hay productos estratégicos para el filtro actual."
)

charts.budget_shares(snap, filters)

grouping, order = charts.grouping_controls(["ministerio", "partida", "servicio"], "flags")
level = grouping.level
grouped = queries.flags_by(snap, filters, level)
ui.explain(
    "Cada barra reparte el 100 % de los productos estratégicos del grupo según la columna «Aplica …» de su ficha: "
    "Sí, No, o Desconocido cuando la ficha no trae la columna o su valor no es Sí ni No. Las cantidades, al pasar "
    "el cursor y en la tabla."
)
# Only the open tab's chart is drawn (a rerun when the reader switches): one Plotly chart less on every view.
genero, territorial = st.tabs(["Enfoque de género", "Gestión territorial"], key="flags_enfoque", on_change="rerun")
if genero.open:
    with genero:
        charts.draw("chart_genero", snap, grouped, figures.flag_shares, "Género", grouping.plural, order)
if territorial.open:
    with territorial:
        charts.draw("chart_territorial", snap, grouped, figures.flag_shares, "Territorial", grouping.plural, order)
page.table(
    grouped,
    f"Productos por {level}",
    f"enfoques_por_{level}",
    "Porcentaje = productos con «Sí» sobre todos los productos del grupo (los desconocidos cuentan en el total).",
)

matrix = queries.flags_matrix(snap, filters)
flag_values = list(figures.FLAG_COLORS)  # Sí, No, Desconocido
crossed = (  # on screen as the 3 × 3 table it is (a chart of the same nine numbers cost a Plotly chart a view)
    matrix.frame.pivot(index="Enfoque de género", columns="Gestión territorial", values="Productos")
    .reindex(index=flag_values, columns=flag_values)
    .fillna(0)
    .astype(int)
    .rename(columns=lambda value: f"Territorial: {value}")
    .reset_index()
)
page.table(
    matrix,
    "Productos según ambos enfoques",
    "ambos_enfoques",
    "Productos contados por su par de valores: el enfoque de género en las filas, la gestión territorial en las "
    "columnas (las descargas traen un par por fila).",
    screen=crossed,
)

st.header("Productos detrás de cada barra")
group_names = dict(zip(grouped.frame[grouping.key], figures.marks(grouped.frame)["label"], strict=True))
chosen = st.selectbox(
    grouping.label, [None, *group_names], format_func=lambda key: group_names.get(key, "(todos)"), key="flags_grupo"
)
shown = queries.products_with_flags(snap, filters, level, chosen)
page.table(
    shown, "Lista de productos", "productos_enfoques", "Cada producto con sus dos valores, tal como los dice la ficha."
)
page.workbook_button()
