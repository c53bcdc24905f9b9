"""The yardstick of the page figures: a bare Streamlit page with one Plotly chart and one dataframe, no database.

`make bench` serves it beside the dashboard and loads both the same way, so a page's cost is read as a ratio to
what Streamlit itself costs for a page with a chart and a table on this machine, in the same run.
"""

import pandas as pd
import plotly.express as px
import streamlit as st

ROWS = 25

st.set_page_config(page_title="Página mínima", layout="wide")
st.title("Página mínima")
frame = pd.DataFrame({"Grupo": [f"Grupo {i:02d}" for i in range(ROWS)], "Valor": [(i * 37) % 101 for i in range(ROWS)]})
st.plotly_chart(px.bar(frame, x="Valor", y="Grupo", orientation="h"))
st.dataframe(frame, hide_index=True)
