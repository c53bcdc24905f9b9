"""Several Streamlit processes on one database file (the README's deployment): a rebuild reaches all of them.

Two real servers read the same file; while the real ETL rebuilds it from other fichas and swaps it, both keep
answering pages in Chromium, and afterwards both show the new data.
"""

import shutil
import subprocess
import sys

import pytest
from app_in_browser import assert_no_error, serving, wait_for_app
from helpers import ROOT

from app import registry
from bench.generator import write_corpus
from formatting import integer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_FICHAS = 300


def fichas_shown(page, url: str) -> str:
    """Open Inicio in a fresh session and read its «Fichas» metric."""
    page.goto(url)
    wait_for_app(page, registry.HOME.page_title)
    assert_no_error(page)
    metric = page.locator("[data-testid='stMetric']").filter(has=page.get_by_text("Fichas", exact=True))
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def answer_pages_at_once(pages, servers, slugs) -> None:
    """Ask every server for a page before waiting for any, so all of them work at the same time."""
    for page, server, slug in zip(pages, servers, slugs, strict=True):
        page.goto(f"{server.url}/{slug}", wait_until="commit")
    for page, slug in zip(pages, slugs, strict=True):
        wait_for_app(page, registry.by_slug(slug).page_title)
        assert_no_error(page)


def test_two_servers_on_one_database_both_serve_through_a_rebuild_and_show_it(real_db, browser, tmp_path):
    database = tmp_path / "fichas.duckdb"
    shutil.copy(real_db, database)
    new_fichas = tmp_path / "otras_fichas"
    write_corpus(new_fichas, NEW_FICHAS, seed=13)
    rebuild = [sys.executable, "-m", "etl", "build", str(new_fichas), "--db", str(database)]

    with serving(database, tmp_path / "uno.log") as one, serving(database, tmp_path / "dos.log") as two:
        servers = [one, two]
        contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in servers]
        try:
            pages = [context.new_page() for context in contexts]
            assert [fichas_shown(page, server.url) for page, server in zip(pages, servers, strict=True)] == ["2", "2"]

            rounds = 0
            with subprocess.Popen(rebuild, cwd=ROOT, stdout=subprocess.DEVNULL) as running:
                while rounds == 0 or running.poll() is None:  # the first round starts as the rebuild does
                    answer_pages_at_once(pages, servers, ["clientes", "cobertura"])
                    rounds += 1
            assert running.returncode == 0

            shown = [fichas_shown(page, server.url) for page, server in zip(pages, servers, strict=True)]
            assert shown == [integer(NEW_FICHAS)] * 2
        finally:
            for context in contexts:
                context.close()
