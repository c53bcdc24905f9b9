"""Ficha: one ficha in full, section by section in tabs, and how its objectives flow to products and clients."""

import pandas as pd
import streamlit as st

from app import charts, ficha_picker, ficha_text, figures, queries, ui

page = ui.start_page("ficha")
snap, filters = page.snap, page.filters

chosen = ficha_picker.choose(snap, filters, "ficha", requested=st.query_params.get("ficha"))
ui.stop_if_empty([] if chosen is None else [chosen])
st.query_params["ficha"] = chosen

header = queries.ficha_header(snap, chosen).frame.iloc[0]
st.header("Identificación")
names = [
    f"Servicio: {header['servicio_nombre']} ({header['servicio_id']})",
    f"Ministerio: {header['ministerio_nombre']}",
]
if header["servicio"] != header["servicio_nombre"]:
    names.append(f"Servicio, como lo escribe esta ficha: {header['servicio']}")
if header["ministerio"] != header["ministerio_nombre"]:
    names.append(f"Ministerio, como lo escribe esta ficha: {header['ministerio']}")
st.text("\n".join(names))  # ficha text: never markdown
identity = st.columns(3)
identity[0].metric("Partida · Capítulo", f"{header['partida']} · {header['capitulo']}")
identity[1].metric("Año", str(header["anio"]))
period = f"{header['periodo_inicio']}-{header['periodo_fin']}" if pd.notna(header["periodo_inicio"]) else "—"
identity[2].metric("Período", period)
ui.explain(
    "Nombres oficiales: el del ministerio es el de su partida en ese año; el del servicio, el que usa su ficha más "
    f"reciente. Archivo de origen: {header['archivo']} · SHA-256 {header['sha256'][:16]}…"
)

ministeriales = queries.ficha_objetivos_ministeriales(snap, chosen)
institucionales = queries.ficha_objetivos_institucionales(snap, chosen)
productos = queries.ficha_productos(snap, chosen)
clientes = queries.ficha_clientes(snap, chosen)
flows = queries.ficha_flows(snap, chosen)

mission, objectives, products, links = st.tabs(
    ["Misión y ley orgánica", "Objetivos", "Productos y clientes", "Vínculos"]
)
with mission:
    st.header("Misión institucional")
    st.text(header["mision"] or "La ficha no trae esta sección.")
    st.header("Ley orgánica o decreto que la rige")
    st.text(header["ley_organica"] or "La ficha no trae esta sección.")
with objectives:
    page.table(ministeriales, "Objetivos estratégicos del ministerio", "ficha_objetivos_ministeriales", full_text=True)
    page.table(
        institucionales, "Objetivos estratégicos institucionales", "ficha_objetivos_institucionales", full_text=True
    )
with products:
    page.table(
        productos,
        "Productos estratégicos (bienes y/o servicios)",
        "ficha_productos",
        "Cada producto con sus clientes por nombre y, entre paréntesis, la cuantificación de cada cliente.",
        full_text=ficha_text.products_text(productos.frame, clientes.frame, flows.frame),
    )
    page.table(
        clientes,
        "Clientes",
        "ficha_clientes",
        f"Entre paréntesis, la cuantificación que da la ficha. Suma de las numéricas: "
        f"{ficha_text.quantity(clientes.frame['Cuantificación'].sum(), None)}.",
        full_text=[ficha_text.client_line(row) for _, row in clientes.frame.iterrows()],
    )
with links:
    st.header("De los objetivos del ministerio a los clientes")
    ui.explain(
        "Cada banda es un vínculo declarado en la ficha: objetivo ministerial (OM) → objetivo institucional (OI) → "
        "producto (P) → cliente (C). Un nodo sin bandas no está vinculado."
    )
    nodes = {
        "OM": dict(zip(ministeriales.frame["Número"], ministeriales.frame["Descripción"], strict=True)),
        "OI": dict(zip(institucionales.frame["Número"], institucionales.frame["Descripción"], strict=True)),
        "P": dict(zip(productos.frame["Número"], productos.frame["Producto"], strict=True)),
        "C": dict(zip(clientes.frame["Número"], clientes.frame["Cliente"], strict=True)),
    }
    if flows.frame.empty:
        st.info("Esta ficha no declara vínculos entre sus secciones.")
    else:
        charts.draw("chart_sankey", snap, flows, figures.sankey, nodes)
    sentences = ficha_text.link_sentences(flows.frame)
    page.table(
        queries.Result(sentences, flows.sql, flows.params),
        "Vínculos de la ficha",
        "ficha_vinculos",
        "Cada línea, lo que vincula un objetivo o producto; las descargas traen un vínculo por fila.",
        full_text=ficha_text.link_blocks(flows.frame),
    )
page.workbook_button()
