"""Cobertura de objetivos: which ministry objectives, institutional objectives and clients are picked up."""

import streamlit as st

from app import charts, ficha_picker, figures, queries, ui

page = ui.start_page("cobertura")
snap, filters = page.snap, page.filters

by_ficha = queries.coverage_by_ficha(snap, filters)
ui.stop_if_empty(by_ficha.frame)

grouping, order = charts.grouping_controls(["ministerio", "partida"], "cobertura")
level = grouping.level
grouped = queries.coverage_by(snap, filters, level)
charts.draw("chart_coverage", snap, grouped, figures.coverage, grouping.plural, order)
page.table(
    grouped,
    f"Cobertura por {level}",
    f"cobertura_por_{level}",
    "Cada porcentaje suma lo cubierto en todas las fichas del grupo y lo divide por el total del grupo: "
    "objetivos ministeriales citados por al menos un objetivo institucional, objetivos institucionales con al menos "
    "un producto vinculado y clientes atendidos por al menos un producto.",
)
page.table(
    by_ficha,
    "Cobertura por ficha",
    "cobertura_por_ficha",
    "Para cada ficha: objetivos ministeriales vinculados por al menos un objetivo institucional, objetivos "
    "institucionales vinculados a al menos un producto y clientes atendidos por al menos un producto, sobre sus totales.",
)
page.table(
    queries.uncovered(snap, filters),
    "Lo que no cuelga de nada",
    "sin_cobertura",
    "Objetivos ministeriales que ningún objetivo institucional recoge, objetivos institucionales sin producto, "
    "productos sin objetivo institucional o sin clientes, y clientes que ningún producto atiende, con su texto completo.",
)

st.header("Vínculos entre objetivos de una ficha")
# One ficha's drill-down, run and drawn only when opened: three pickers, a heatmap and a table off every other view.
links = st.expander("Elegir una ficha y ver su matriz de vínculos", key="cobertura_vinculos", on_change="rerun")
if links.open:
    with links:
        ui.explain(
            "Celda oscura: el objetivo institucional (fila) declara contribuir al objetivo del ministerio (columna)."
        )
        chosen = ficha_picker.choose(snap, filters, "cobertura")
        matrix = queries.link_matrix(snap, chosen)
        if matrix.frame.empty:
            st.info("Esta ficha no tiene objetivos institucionales y ministeriales que cruzar.")
        else:
            charts.draw("chart_heatmap", snap, matrix, figures.link_heatmap)
        page.table(matrix, "Matriz de vínculos de la ficha elegida", "matriz_vinculos")
page.workbook_button()
