"""Enfoque de género y gestión territorial: where each approach applies, with unknown as its own category."""

import streamlit as st

from app import figures, queries, ui

page = ui.start_page("genero_territorial")
snap, filters = page.snap, page.filters

ui.stop_if_empty(
    queries.products_with_flags(snap, filters).frame, "No hay productos estratégicos para el filtro actual."
)

level = (
    st.segmented_control(
        "Agrupar por",
        ["ministerio", "partida", "servicio"],
        default="ministerio",
        format_func=str.capitalize,
        key="flags_nivel",
    )
    or "ministerio"
)
label = queries.GROUP_COLUMNS[level]
grouped = queries.flags_by(snap, filters, level)
ui.explain(
    "Cada barra cuenta los productos estratégicos del grupo según la columna «Aplica …» de su ficha: Sí, No, o "
    "Desconocido cuando la ficha no trae la columna o su valor no es Sí ni No."
)
left, right = st.columns(2)
with left:
    st.header("Enfoque de género")
    st.plotly_chart(figures.flag_bars(grouped.frame, label, "Género"), key="chart_genero")
with right:
    st.header("Gestión territorial")
    st.plotly_chart(figures.flag_bars(grouped.frame, label, "Territorial"), key="chart_territorial")
page.table(
    grouped,
    f"Productos por {level}",
    f"enfoques_por_{level}",
    "Porcentaje = productos con «Sí» sobre todos los productos del grupo (los desconocidos cuentan en el total).",
)

matrix = queries.flags_matrix(snap, filters)
st.plotly_chart(figures.flag_matrix(matrix.frame), key="chart_matrix")
page.table(matrix, "Productos según ambos enfoques", "ambos_enfoques", "Productos contados por su par de valores.")

st.header("Productos detrás de cada barra")
groups = grouped.frame[label].tolist()
chosen = st.selectbox(label, ["(todos)", *groups], key="flags_grupo")
shown = queries.products_with_flags(snap, filters, level, None if chosen == "(todos)" else chosen)
page.table(
    shown, "Lista de productos", "productos_enfoques", "Cada producto con sus dos valores, tal como los dice la ficha."
)
page.workbook_button()
