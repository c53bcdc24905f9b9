"""Every table of every page fits a 1.400 px window with the sidebar open: no grid scrolls sideways.

The signal is the grid's own scroller (glide-data-grid's `.dvn-scroller`): its scroll width is the sum of the
column widths the browser drew, its client width the room the page gives the table. A table that overflows by
a pixel makes the reader scroll sideways for what it hides.
"""

import pytest
from app_in_browser import assert_no_error, wait_for_app

from app import registry
from bench.browser import READY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(grid => {
    const scroller = grid.querySelector('.dvn-scroller');
    const heading = [...document.querySelectorAll('h2')].filter(
        h => h.compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    return [heading ? heading.innerText : '?', scroller.scrollWidth - scroller.clientWidth];
})"""
DRAWN = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(
    grid => grid.querySelector('.dvn-scroller'))"""
# Views beyond each page's first screen: (page slug, the key of a control, the option to click in it).
OTHER_VIEWS = [
    ("cobertura", "cobertura_nivel", "Partida"),
    ("genero_territorial", "flags_nivel", "Partida"),
    ("genero_territorial", "flags_nivel", "Servicio"),
]


def overflowing(page) -> dict[str, int]:
    """Each table that scrolls sideways, by its heading, with how many pixels it hides; waits for every grid."""
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    page.wait_for_timeout(500)
    return {heading: hidden for heading, hidden in page.evaluate(OVERFLOW) if hidden > 0}


def tables_of_every_page(url: str, page) -> dict[str, dict[str, int]]:
    found, counted = {}, 0
    for spec in registry.PAGES:
        page.goto(f"{url}/{spec.url_path}")
        wait_for_app(page, spec.page_title)
        assert_no_error(page)
        views = [None, *[(key, option) for slug, key, option in OTHER_VIEWS if slug == spec.slug]]
        for view in views:
            if view:
                key, option = view
                page.locator(f".st-key-{key}").get_by_role("radio", name=option, exact=True).click()
                wait_for_app(page, spec.page_title)
            name = spec.slug + (f" ({view[1]})" if view else "")
            if wide := overflowing(page):
                found[name] = wide
            counted += page.locator("[data-testid='stDataFrame']").count()
    assert counted >= 10  # the test looked at tables, not at empty pages
    return found


def test_no_table_scrolls_sideways_at_300_fichas(served_300, page):
    assert tables_of_every_page(served_300.url, page) == {}


def test_no_table_scrolls_sideways_at_2_fichas(served, page):
    assert tables_of_every_page(served.url, page) == {}
