"""A damaged database in the real server and browser: the Spanish message on every page, never Streamlit's error page."""

import os
import shutil

import pytest
from app_in_browser import serving, wait_for_app
from test_browser import PAGES, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STREAMLIT_ERROR_PAGE = ["Ask Google", "Ask ChatGPT", "Traceback"]


def test_a_truncated_database_gets_the_message_on_every_page(real_db, page, tmp_path):
    db = tmp_path / "fichas.duckdb"
    shutil.copy(real_db, db)
    os.truncate(db, 1 << 20)  # as a full disk or an interrupted copy leaves it
    with serving(db, tmp_path / "streamlit.log") as server:
        for path, title in PAGES.items():
            page.goto(f"{server.url}/{path}")
            wait_for_app(page, title)
            page.locator("[data-testid='stAlertContentError']").first.wait_for(timeout=30_000)
            main = page.locator("[data-testid='stMain']")
            text = main.inner_text()
            for english in STREAMLIT_ERROR_PAGE:
                assert english not in text, (path, text)
            assert page.locator("[data-testid='stException']").count() == 0, path
            alerts = page.locator("[data-testid='stAlertContentError']").all_inner_texts()
            assert len(alerts) == 1 and f"La base {db.resolve()} está dañada" in alerts[0], (path, alerts)
            assert "make build" in alerts[0] and "python -m etl build --force" in alerts[0]
            assert (
                page.locator(".js-plotly-plot").count() == 0 and page.locator("[data-testid='stMetric']").count() == 0
            )
            if path == "":
                screenshot(page, "base_danada")
