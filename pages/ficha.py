"""Ficha: one ficha in full, section by section, and how its objectives flow to products and clients."""

import pandas as pd
import streamlit as st

from app import figures, queries, ui
from formatting import integer

page = ui.start_page("ficha")
snap, filters = page.snap, page.filters

labels = queries.ficha_labels(snap, filters)
ui.stop_if_empty(labels)
requested = st.query_params.get("ficha")
chosen = st.selectbox(
    "Ficha",
    list(labels),
    index=list(labels).index(requested) if requested in labels else 0,
    format_func=labels.get,
    key="ficha_elegida",
)
st.query_params["ficha"] = chosen

header = queries.ficha_header(snap, chosen).frame.iloc[0]
st.subheader("Identificación")
st.text(f"Servicio: {header['servicio']}\nMinisterio: {header['ministerio']}")  # ficha text: never markdown
identity = st.columns(3)
identity[0].metric("Partida · Capítulo", f"{header['partida']} · {header['capitulo']}")
identity[1].metric("Año", str(header["anio"]))
period = f"{header['periodo_inicio']}-{header['periodo_fin']}" if pd.notna(header["periodo_inicio"]) else "—"
identity[2].metric("Período", period)
st.text(f"Archivo de origen: {header['archivo']} · SHA-256 {header['sha256'][:16]}…")

st.subheader("Ley orgánica o Decreto que la rige")
st.text(header["ley_organica"] or "La ficha no trae esta sección.")
st.subheader("Misión institucional")
st.text(header["mision"] or "La ficha no trae esta sección.")

ministeriales = queries.ficha_objetivos_ministeriales(snap, chosen)
institucionales = queries.ficha_objetivos_institucionales(snap, chosen)
productos = queries.ficha_productos(snap, chosen)
clientes = queries.ficha_clientes(snap, chosen)
page.table(ministeriales, "Objetivos estratégicos del ministerio", "ficha_objetivos_ministeriales", full_text=True)
page.table(institucionales, "Objetivos estratégicos institucionales", "ficha_objetivos_institucionales", full_text=True)
page.table(productos, "Productos estratégicos (bienes y/o servicios)", "ficha_productos", full_text=True)
page.table(
    clientes,
    "Clientes",
    "ficha_clientes",
    f"Suma de cuantificaciones numéricas: {integer(clientes.frame['Cuantificación'].sum())}.",
    full_text=True,
)

st.subheader("De los objetivos del ministerio a los clientes")
ui.explain(
    "Cada banda es un vínculo declarado en la ficha: objetivo ministerial (OM) → objetivo institucional (OI) → "
    "producto (P) → cliente (C). Un nodo sin bandas no está vinculado."
)
names = {
    "OM": dict(zip(ministeriales.frame["Número"], ministeriales.frame["Descripción"], strict=True)),
    "OI": dict(zip(institucionales.frame["Número"], institucionales.frame["Descripción"], strict=True)),
    "P": dict(zip(productos.frame["Número"], productos.frame["Producto"], strict=True)),
    "C": dict(zip(clientes.frame["Número"], clientes.frame["Cliente"], strict=True)),
}
flows = queries.ficha_flows(snap, chosen)
if flows.frame.empty:
    st.info("Esta ficha no declara vínculos entre sus secciones.")
else:
    st.plotly_chart(figures.sankey(flows.frame, names), key="chart_sankey")
page.table(
    flows, "Vínculos de la ficha", "ficha_vinculos", "Etapa om-oi, oi-p o p-c, con el número de origen y de destino."
)
page.workbook_button()
