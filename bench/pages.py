"""Each dashboard page's first and cached run under AppTest, and the app's memory across reruns.

AppTest runs the real scripts in this process, so `st.cache_data` and `st.cache_resource` are this process's:
they are cleared before every first run so it pays for its queries, its connection and nothing else.
"""

import gc
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from app import registry
from bench.measure import ROOT

DASHBOARD = ROOT / registry.ENTRYPOINT
INICIO = registry.HOME.file
PAGES = [page.file for page in registry.PAGES]
TIMEOUT = 300


@dataclass
class PageTimes:
    first: float
    cached: float


@dataclass
class Memory:
    rounds: list[float]  # RSS in MB after each round over every page
    reruns_per_round: int


@contextmanager
def _quiet():
    """Mute warnings: outside a real server Streamlit says at every turn that there is no session."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def _clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(at: AppTest) -> float:
    """Seconds of one script run; a page that raised or showed an error invalidates the benchmark."""
    start = time.perf_counter()
    at.run(timeout=TIMEOUT)
    seconds = time.perf_counter() - start
    if at.exception or at.error:
        problems = [item.value for item in at.exception] + [item.value for item in at.error]
        raise RuntimeError(f"the page failed under the benchmark: {problems}")
    return seconds


def _app(db: Path) -> AppTest:
    os.environ["FICHAS_DB"] = str(db)
    return AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)


def warm_up(db: Path) -> None:
    """Run every page once so module imports (plotly, pyarrow, …) are not charged to the first page measured."""
    with _quiet():
        at = _app(db)
        _run(at)
        for page in PAGES[1:]:
            _run(at.switch_page(page))
        _clear_caches()


def page_times(db: Path) -> dict[str, PageTimes]:
    """First run with cold caches, then a rerun with nothing changed, on a fresh AppTest for each page."""
    times = {}
    with _quiet():
        for page in PAGES:
            at = _app(db)
            if page != INICIO:
                _run(at)  # AppTest can only switch pages after a first run
                at.switch_page(page)
            _clear_caches()
            first = _run(at)
            times[page] = PageTimes(first, _run(at))
    return times


def memory(db: Path, rounds: int) -> Memory:
    """RSS after each round of reruns over the pages: it should stay flat once the caches are full.

    One session, as a user clicking through the pages; Inicio only opens it, because AppTest cannot switch
    back to a page that is a function rather than a file.
    """
    sizes = []
    with _quiet():
        at = _app(db)
        _run(at)
        for _ in range(rounds):
            for page in PAGES[1:]:
                _run(at.switch_page(page))
            gc.collect()
            sizes.append(rss_mb())
    return Memory(sizes, len(PAGES) - 1)


def rss_mb() -> float:
    """This process's resident memory now (not its peak)."""
    with open("/proc/self/statm") as handle:
        resident_pages = int(handle.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 1e6
