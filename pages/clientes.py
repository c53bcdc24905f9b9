"""Clientes y cuantificación: how many people or institutions each service says it serves."""

import streamlit as st

from app import charts, figures, queries, ui

page = ui.start_page("clientes")
snap, filters = page.snap, page.filters

by_service = queries.clients_by_service(snap, filters)
ui.stop_if_empty(by_service.frame)

if by_service.frame["Suma de cuantificaciones"].fillna(0).gt(0).any():
    order = charts.order_control("clientes_orden")
    charts.draw("chart_clients", snap, by_service, figures.clients_by_service, order)
else:
    st.info("Ninguna ficha del filtro trae cuantificaciones numéricas que graficar.")
page.table(
    by_service,
    "Clientes por servicio",
    "clientes_por_servicio",
    "Por ficha: número de clientes, cuántos tienen una cuantificación numérica, la suma de esas cuantificaciones y la "
    "mayor. El eje pasa a escala logarítmica cuando los valores abarcan dos o más órdenes de magnitud.",
)

st.warning(
    "Precaución: los grupos de clientes de un mismo servicio se superponen (por ejemplo, estudiantes y sus apoderados "
    "cuentan a las mismas familias), y un mismo grupo puede ser cliente de varios servicios. Las sumas son cotas "
    "superiores de lo declarado, no personas distintas.",
    icon=":material/warning:",
)
page.table(
    queries.clients_by_ministerio(snap, filters),
    "Totales por ministerio",
    "clientes_por_ministerio",
    "Suma de las cuantificaciones numéricas de todos los clientes de las fichas de cada ministerio.",
)
page.table(
    queries.clients_by_product(snap, filters),
    "Clientes a los que llega cada producto",
    "clientes_por_producto",
    "Clientes que la ficha asigna a cada producto estratégico y la suma de sus cuantificaciones numéricas.",
)
page.table(
    queries.clients(snap, filters),
    "Todos los clientes",
    "clientes_detalle",
    "Cada cliente con su cuantificación leída como número (vacía si el texto no lo es) y el texto original.",
)
page.workbook_button()
