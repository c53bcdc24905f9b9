"""The server keeps answering every session while the ETL rebuilds and swaps the database file it reads."""

import os
import subprocess
import sys
import time

import pytest
from app_in_browser import assert_no_error, wait_for_app
from helpers import ROOT

from app import registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pages_keep_serving_while_the_database_is_rebuilt(served, browser):
    """Several browser sessions at once, while the ETL rebuilds and swaps the file the server reads."""
    database = str(served.db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rebuild = [sys.executable, "-m", "etl", "build", str(ROOT / "data" / "fichas"), "--db", database, "--force"]
    rebuilds = subprocess.Popen(
        ["bash", "-c", f"for i in $(seq 1 15); do {' '.join(rebuild)} >/dev/null || exit 1; done"], cwd=ROOT, env=env
    )
    expected = {
        "": ("Productos estratégicos", "7"),
        "?ministerio=Ministerio+de+Educaci%C3%B3n": ("Productos estratégicos", "2"),
        "?servicio=05-70": ("Productos estratégicos", "5"),  # GOBIERNO REGIONAL REGIÓN LOS LAGOS
        "?partida=09": ("Suma de cuantificaciones", "26.662"),
    }
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in expected]
    try:
        for round_ in range(3):
            pages = []
            for context, query in zip(contexts, expected, strict=True):
                page = context.new_page()
                page.goto(f"{served.url}/{query}", wait_until="commit")
                pages.append(page)
            for page, (label, value) in zip(pages, expected.values(), strict=True):
                wait_for_app(page, registry.HOME.page_title)
                assert_no_error(page)
                metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
                assert metric.locator("[data-testid='stMetricValue']").inner_text() == value, (round_, page.url)
                page.close()
        deadline = time.monotonic() + 120
        while rebuilds.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert rebuilds.returncode == 0
    finally:
        rebuilds.kill()
        for context in contexts:
            context.close()
