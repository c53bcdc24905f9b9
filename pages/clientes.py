"""Clientes y cuantificación: how many people or institutions each service says it serves."""

from functools import partial

import streamlit as st

from app import charts, figures, queries, ui

page = ui.start_page("clientes")
snap, filters = page.snap, page.filters

by_service = queries.clients_by_service(snap, filters)
ui.stop_if_empty(by_service.frame)

st.warning(
    "Precaución: los grupos de clientes de un mismo servicio se superponen (por ejemplo, estudiantes y sus apoderados "
    "cuentan a las mismas familias), y un mismo grupo puede ser cliente de varios servicios. Las sumas son cotas "
    "superiores de lo declarado, no personas distintas.",
    icon=":material/warning:",
)
# One section at a time: a chart and four tables were more than the browser draws in a blink.
services, ministries, products, everyone = page.sections(
    "Por servicio", "Por ministerio", "Por producto", "Todos los clientes"
)
with page.section(services, keep=("clientes_orden",)) as drawn:
    if drawn and by_service.frame["Suma de cuantificaciones"].fillna(0).gt(0).any():
        order = charts.order_control("clientes_orden")
        charts.draw("chart_clients", snap, by_service, figures.clients_by_service, order)
    elif drawn:
        st.info("Ninguna ficha del filtro trae cuantificaciones numéricas que graficar.")
    page.table(
        by_service,
        "Clientes por servicio",
        "clientes_por_servicio",
        "Por ficha: número de clientes, cuántos tienen una cuantificación numérica, la suma de esas cuantificaciones "
        "y la mayor. El eje pasa a escala logarítmica cuando los valores abarcan dos o más órdenes de magnitud.",
    )
# The other sections are one table each of the filter.
for tab, query, title, key, explanation in [
    (
        ministries,
        queries.clients_by_ministerio,
        "Totales por ministerio",
        "clientes_por_ministerio",
        "Suma de las cuantificaciones numéricas de todos los clientes de las fichas de cada ministerio.",
    ),
    (
        products,
        queries.clients_by_product,
        "Clientes a los que llega cada producto",
        "clientes_por_producto",
        "Clientes que la ficha asigna a cada producto estratégico y la suma de sus cuantificaciones numéricas.",
    ),
    (
        everyone,
        queries.clients,
        "Todos los clientes",
        "clientes_detalle",
        "Cada cliente con su cuantificación leída como número (vacía si el texto no lo es) y el texto original.",
    ),
]:
    with page.section(tab):
        page.table(partial(query, snap, filters), title, key, explanation)
page.workbook_button()
