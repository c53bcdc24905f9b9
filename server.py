"""`streamlit run server.py` (what `make run` starts): Streamlit serving dashboard.py, plus app/page_hint.py.

A script beside dashboard.py, so Streamlit reads the same .streamlit/config.toml and puts the same folder on the
path, wherever it is started from. `streamlit run dashboard.py` serves the same panel, without the hint.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from app import registry
from app.page_hint import BaseUrlHint

app = st.App(
    Path(__file__).resolve().parent / registry.ENTRYPOINT,
    middleware=[
        Middleware(
            BaseUrlHint,
            slugs=[page.url_path for page in registry.FILE_PAGES],
            base_url_path=config.get_option("server.baseUrlPath"),
        )
    ],
)
