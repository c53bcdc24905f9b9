"""Fixtures of the browser tests: headless Chromium, a page in it, and the real server on the real fichas."""

import os
import shutil

import pytest
from app_in_browser import CHROMIUM_ARGS, Served, chromium_path, serving


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium no está instalado (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def served(real_db, tmp_path_factory) -> Served:
    """The real server on a copy of the session's real-fichas database (a test rebuilds it while serving)."""
    db = tmp_path_factory.mktemp("browser") / "fichas.duckdb"
    shutil.copy(real_db, db)
    with serving(db, tmp_path_factory.mktemp("log") / "streamlit.log") as server:
        yield server


@pytest.fixture(scope="session")
def served_300(corpus300, tmp_path_factory) -> Served:
    """The real server on a copy of the session's 300-ficha database."""
    folder = tmp_path_factory.mktemp("browser300")
    shutil.copy(corpus300, folder / "fichas.duckdb")
    with serving(folder / "fichas.duckdb", folder / "streamlit.log") as server:
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="es-CL")
    opened = context.new_page()
    yield opened
    context.close()
