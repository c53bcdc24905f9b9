"""The yardstick of the page figures: a bare Streamlit page with one Plotly chart and one dataframe, no database.

`make bench` serves it beside the dashboard and loads both the same way, so a page's cost is read as a ratio to
what Streamlit itself costs for a page with a chart and a table on this machine, in the same run.

With BARE_GC_FREEZE=1 it freezes its loaded modules out of the garbage collector, as app/ui.py does, so the run
also shows how much of the bare page's server CPU is Streamlit's full collection after every run.
"""

import gc
import os

import pandas as pd
import plotly.express as px
import streamlit as st

ROWS = 25

st.set_page_config(page_title="Página mínima", layout="wide")
st.title("Página mínima")
frame = pd.DataFrame({"Grupo": [f"Grupo {i:02d}" for i in range(ROWS)], "Valor": [(i * 37) % 101 for i in range(ROWS)]})
st.plotly_chart(px.bar(frame, x="Valor", y="Grupo", orientation="h"))
st.dataframe(frame, hide_index=True)


@st.cache_resource
def freeze_once() -> bool:
    gc.freeze()
    return True


if os.environ.get("BARE_GC_FREEZE") == "1":
    freeze_once()
