"""`python -m bench --antes REV`, the browser half: REV's tree exported, its database built from the same fichas by
its own ETL, its own dashboard serving every old page at the address the benchmark lists, checked by the heading.

The whole `python -m bench --antes` is not run here: even at 12 fichas and 2 loads it loads 15 pages three times
each (today's seven, the old six, the two bare ones) and took 194 s on the shared 2-core machine; this test runs the
same functions on the old pages alone.
"""

import subprocess

import pytest
from helpers import ROOT, query

from app import registry
from bench import antes, measure
from bench import browser as bench_browser
from bench.generator import write_corpus

pytestmark = [pytest.mark.slow, pytest.mark.browser]

OLD = "10757ba"  # the Makefile's BENCH_ANTES: the app before issues 8-13


def compared_commit() -> tuple[str, tuple[antes.OldPage, ...]]:
    """The old commit and its page list; in a clone without that history (a shallow CI checkout), this very commit
    with today's pages, so the export, its own ETL, its own server and the heading check are still exercised."""
    found = subprocess.run(["git", "cat-file", "-e", f"{OLD}^{{commit}}"], cwd=ROOT, capture_output=True)
    if found.returncode == 0:
        return OLD, antes.PAGES
    return "HEAD", tuple(antes.OldPage(page.short, page.url_path, page.page_title) for page in registry.PAGES)


def test_antes_builds_with_its_own_etl_and_serves_its_own_pages(browser, tmp_path):
    rev, pages = compared_commit()
    before = antes.export(rev, tmp_path / "out")
    assert (before.tree / "dashboard.py").is_file()
    if rev == OLD:  # an old commit: its pages are listed in bench/antes.py
        assert not (before.tree / "app" / "registry.py").exists()

    expected = write_corpus(tmp_path / "fichas", 6, seed=5)
    db = tmp_path / "antes.duckdb"
    measure.run_etl(tmp_path / "fichas", db, cwd=before.tree)
    assert measure.row_counts(db) == {table: expected[table] for table in measure.TABLES}
    columns = {row[0] for row in query(db, "select column_name from information_schema.columns")}
    assert ("servicio_id" in columns) == (rev != OLD)  # its own schema (v1 before issue 9), not today's

    log = tmp_path / "antes.log"
    with antes.served(before, db, log) as old:
        targets = [target for page in registry.PAGES for target in antes.targets(page.short, old, pages)]
        assert [target.name for target in targets] == [antes.label(page.short) for page in pages]
        results = bench_browser.measure_in(browser, targets, 1, say=lambda _: None)
        assert all(loads.sent[0] > 0 and loads.cpu[0] > 0 for loads in results.values()), results
        swapped = bench_browser.Target("Cobertura (antes)", old, "calidad", "Cobertura de objetivos")
        with pytest.raises(RuntimeError, match="showed «Calidad de datos», not «Cobertura de objetivos»"):
            bench_browser.measure_in(browser, [swapped], 0, say=lambda _: None)  # its first load
    assert "Traceback" not in log.read_text()
