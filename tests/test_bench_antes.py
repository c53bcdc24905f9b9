"""`python -m bench --antes REV`: the verdict «no más lenta» against a noise margin measured in the same run, the
old commit's pages matched to today's, and a clear refusal of a REV that is not a commit.

The browser half (REV exported, built by its own ETL, served by its own dashboard) is tests/browser/test_bench_antes_in_browser.py.
"""

import pytest

from app import registry
from bench import antes
from bench.__main__ import BARE_NAME, SizeResult, antes_table, main
from bench.browser import Loads
from bench.server import TICKS_PER_SECOND


def loads(seconds: list[float], cpu: list[float]) -> Loads:
    return Loads(first=seconds[0], seconds=seconds, cpu=cpu, sent=[1000] * len(seconds))


STEADY = loads([1.0, 1.02, 0.98, 1.01, 0.99], [0.20, 0.20, 0.21, 0.19, 0.20])


def test_every_old_page_is_compared_with_todays_page_of_the_same_name():
    shorts = [page.short for page in registry.PAGES]
    assert [page.short for page in antes.PAGES] == [short for short in shorts if short != "Evolución"]


def test_a_page_within_the_noise_is_not_slower_and_one_beyond_it_is():
    noise = antes.margins(STEADY)
    assert 0 < noise.p50 < 0.05 and 0 < noise.cpu < 0.05
    before = loads([2.0] * 5, [0.1] * 5)
    assert antes.verdict(loads([2.0 * (1 + noise.p50 / 2)] * 5, [0.1] * 5), before, noise) == "no más lenta"
    assert antes.verdict(loads([2.0 * (1 + 2 * noise.p50)] * 5, [0.1] * 5), before, noise) == "MÁS LENTA (p50)"
    assert antes.verdict(loads([2.0] * 5, [0.1 * (1 + 2 * noise.cpu)] * 5), before, noise) == "MÁS LENTA (CPU)"
    assert antes.verdict(loads([1.0] * 5, [0.05] * 5), before, noise) == "no más lenta"


def test_the_margin_follows_the_bare_pages_spread_and_the_number_of_loads():
    noisy = antes.margins(loads([1.0, 1.04, 0.96, 1.05, 0.95], [0.2] * 5))
    assert noisy.p50 > antes.margins(STEADY).p50
    seven = antes.margins(loads([1.0, 1.04, 0.96, 1.05, 0.95, 1.0, 1.0], [0.2] * 7))
    assert seven.p50_spread == pytest.approx(noisy.p50_spread) and seven.p50 < noisy.p50


def test_noise_never_hides_a_regression_wider_than_the_cap():
    wild = antes.margins(loads([1.0, 1.5, 0.6, 1.4, 0.7], [0.2, 0.3, 0.1, 0.25, 0.15]))
    assert wild.capped and wild.wanted > antes.MAX_MARGIN
    assert wild.p50 == wild.cpu == antes.MAX_MARGIN
    before = loads([2.0] * 5, [0.1] * 5)
    assert antes.verdict(loads([2.0 * 1.12] * 5, [0.1] * 5), before, wild) == "MÁS LENTA (p50)"
    assert antes.verdict(loads([2.0] * 5, [0.112] * 5), before, wild) == "MÁS LENTA (CPU)"
    assert any("repita con más cargas" in line for line in antes.describe(wild))


def test_cpu_noise_is_never_below_the_clock_resolution():
    """Every bare view read the same number of ticks: the CPU margin still covers one tick either way."""
    exact = antes.margins(loads([1.0] * 5, [0.2] * 5))
    tick = 1 / TICKS_PER_SECOND
    assert exact.cpu_spread == pytest.approx(tick / 6**0.5 / 0.2)
    assert antes.verdict(loads([1.0] * 5, [0.2 + tick / 5] * 5), loads([1.0] * 5, [0.2] * 5), exact) == "no más lenta"


def test_rounds_slower_counts_the_rounds_where_todays_page_took_longer_than_the_old_one_beside_it():
    assert antes.rounds_slower(loads([2.0, 2.0, 2.0, 1.0, 1.0], [0.1] * 5), loads([1.5] * 5, [0.1] * 5)) == "3/5"


def test_the_comparison_table_has_every_page_and_a_verdict_for_each_that_existed_before():
    pages = {BARE_NAME: STEADY, **{page.short: loads([2.0] * 5, [0.2] * 5) for page in registry.PAGES}}
    old = {page.short: loads([1.0] * 5, [0.2] * 5) for page in antes.PAGES}
    table = "\n".join(antes_table(10, SizeResult({"etl": 3.0}, pages, 100.0, old, 4.0), "10757ba"))
    rows = {line.split("  ")[0]: line for line in table.splitlines()}
    assert rows["Evolución"].endswith("sin antes (página nueva)")
    for page in antes.PAGES:
        assert "2,00" in rows[page.short] and "5/5" in rows[page.short]
        assert rows[page.short].endswith("MÁS LENTA (p50)")
    assert "ETL de 10757ba, construcción completa de las mismas fichas: 4,00 s (el de ahora: 3,00 s)." in table


def test_a_rev_that_is_not_a_commit_is_refused_before_any_work(tmp_path, capsys):
    assert main(["--antes", "no-es-un-commit", "--out", str(tmp_path / "out")]) == 2
    assert "--antes no-es-un-commit: no es un commit de este repositorio" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
