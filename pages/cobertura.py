"""Cobertura de objetivos: which ministry objectives, institutional objectives and clients are picked up."""

from functools import partial

import streamlit as st

from app import charts, ficha_picker, figures, queries, ui

LEVELS = ["ministerio", "partida"]

page = ui.start_page("cobertura")
snap, filters = page.snap, page.filters

ui.stop_if_empty(queries.coverage_by_ficha(snap, filters).frame)

# One section at a time: a chart, three long tables and a drill-down were more than the browser draws in a blink.
by_group, by_ficha, uncovered, links = page.sections(
    "Por grupo", "Por ficha", "Lo que no cuelga de nada", "Vínculos de una ficha"
)
with page.section(by_group, keep=charts.control_keys("cobertura")) as drawn:
    grouping = charts.chosen_grouping(LEVELS, "cobertura")
    if drawn:
        grouping, order = charts.grouping_controls(LEVELS, "cobertura")
        grouped = queries.coverage_by(snap, filters, grouping.level)
        charts.draw("chart_coverage", snap, grouped, figures.coverage, grouping.plural, order)
    page.table(
        partial(queries.coverage_by, snap, filters, grouping.level),
        f"Cobertura por {grouping.level}",
        f"cobertura_por_{grouping.level}",
        "Cada porcentaje suma lo cubierto en todas las fichas del grupo y lo divide por el total del grupo: "
        "objetivos ministeriales citados por al menos un objetivo institucional, objetivos institucionales con al "
        "menos un producto vinculado y clientes atendidos por al menos un producto.",
    )
for tab, query, title, key, explanation in [  # a table each of the filter
    (
        by_ficha,
        queries.coverage_by_ficha,
        "Cobertura por ficha",
        "cobertura_por_ficha",
        "Para cada ficha: objetivos ministeriales vinculados por al menos un objetivo institucional, objetivos "
        "institucionales vinculados a al menos un producto y clientes atendidos por al menos un producto, sobre sus "
        "totales.",
    ),
    (
        uncovered,
        queries.uncovered,
        "Lo que no cuelga de nada",
        "sin_cobertura",
        "Objetivos ministeriales que ningún objetivo institucional recoge, objetivos institucionales sin producto, "
        "productos sin objetivo institucional o sin clientes, y clientes que ningún producto atiende, con su texto "
        "completo.",
    ),
]:
    with page.section(tab):
        page.table(partial(query, snap, filters), title, key, explanation)
with page.section(links, keep=ficha_picker.Keys("cobertura").all) as drawn:
    chosen = ficha_picker.held(snap, filters, "cobertura")  # closed: the workbook's ficha is the one last chosen
    if drawn:
        ui.explain(
            "Celda oscura: el objetivo institucional (fila) declara contribuir al objetivo del ministerio (columna)."
        )
        chosen = ficha_picker.choose(snap, filters, "cobertura")
        matrix = queries.link_matrix(snap, chosen)
        if matrix.frame.empty:
            st.info("Esta ficha no tiene objetivos institucionales y ministeriales que cruzar.")
        else:
            charts.draw("chart_heatmap", snap, matrix, figures.link_heatmap)
    page.table(partial(queries.link_matrix, snap, chosen), "Matriz de vínculos de la ficha elegida", "matriz_vinculos")
page.workbook_button()
