"""Calidad de datos: every rejected file and every warning the ETL recorded, per file."""

import streamlit as st

from app import queries, ui
from formatting import integer

page = ui.start_page("calidad")
snap, filters = page.snap, page.filters
ui.explain(
    "Problemas que la carga registró: «error» es un archivo que no se cargó (no es una ficha, le falta su "
    "identificación o duplica otra); «advertencia» es algo omitido o dudoso en una ficha que sí se cargó. Los "
    "errores se muestran siempre; las advertencias, sólo de las fichas del filtro."
)
left, right = st.columns([1, 2])
niveles = left.multiselect(
    "Nivel", ["error", "advertencia"], default=["error", "advertencia"], key="calidad_nivel", select_all=False
)
text = right.text_input("Buscar en archivo o mensaje", key="calidad_texto", max_chars=200)
result = queries.problems(snap, filters, niveles, text.strip())
total = len(result.frame)
st.metric("Problemas", integer(total))
page.table(result, "Problemas registrados", "problemas")
page.table(
    queries.problems_per_file(snap, filters, niveles, text.strip()), "Problemas por archivo", "problemas_por_archivo"
)
page.workbook_button()
