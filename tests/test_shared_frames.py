"""Query results are cached once for every session (app/queries.py): a page that changes its copy changes no other."""

import logging

from app import db, queries
from app.filters import Filters


def test_a_page_changing_its_frame_leaves_the_cached_one_alone(real_db, monkeypatch):
    monkeypatch.setenv("FICHAS_DB", str(real_db))
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # no runtime here: Streamlit says so at every call
    snap = db.snapshot()
    first = queries.headline(snap, Filters()).frame
    original = first.copy()
    first.loc[0, "fichas"] = -1
    first["columna_de_una_pagina"] = "x"

    again = queries.headline(snap, Filters()).frame
    assert again.equals(original)
    assert again is not first
