"""The real server in headless Chromium: every page draws, a filter applies through the UI, a CSV downloads.

Without a browser these tests skip locally; with REQUIRE_BROWSER=1 (CI) a missing browser is a failure.
"""

import io
import os
from pathlib import Path

import pandas as pd
import pytest
from app_in_browser import assert_no_error, each_section, serving, wait_for_app
from helpers import HUASCO, ROOT
from playwright.sync_api import expect

from app import registry
from etl.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {page.url_path: page.page_title for page in registry.PAGES}


def screenshot(page, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / ".pytest_cache" / "capturas")
    folder.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its main element, so `full_page` alone captures one screen: fit the window to it.
    page.set_viewport_size({"width": page.viewport_size["width"], "height": 1000})
    page.wait_for_timeout(500)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height), 16_000)})
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_every_page_draws_without_errors(served, page):
    for path, title in PAGES.items():
        page.goto(f"{served.url}/{path}" + ("?ficha=2021-05-70" if path == "ficha" else ""))  # Los Lagos
        wait_for_app(page, title)
        assert_no_error(page)
        if path == "calidad":  # the shipped fichas have no problems: a count, and no table
            assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "0"
        elif path == "ficha":  # sections in tabs, as text; the Sankey in the last tab
            page.get_by_role("tab", name="Vínculos", exact=True).click()
            page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
            assert page.get_by_text("Objetivo institucional 2 → Productos 1, 3").count() == 1
        else:  # Inicio's table is in its second section
            page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=20_000)
            if path:
                page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=20_000)


def test_every_page_at_300_fichas_draws_and_is_captured(served_300, page):
    """`make screenshots` keeps these captures (docs/capturas/<slug>.png): every page at 300 fichas."""
    for spec in registry.PAGES:
        page.goto(f"{served_300.url}/{spec.url_path}")
        wait_for_app(page, spec.page_title)
        if spec.slug == "ficha":  # its sections are tabs: capture the one with the Sankey
            page.get_by_role("tab", name="Vínculos", exact=True).click()
        if spec.slug != "calidad":
            page.locator(".js-plotly-plot .main-svg >> visible=true").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)  # plotly's first layout pass
        assert_no_error(page)
        screenshot(page, spec.slug)


def test_filter_through_the_ui_and_download_csv(served, page):
    page.goto(f"{served.url}/cobertura")
    wait_for_app(page, "Cobertura de objetivos")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.locator("input").click()  # Ministerio comes first
    page.get_by_role("option", name="Ministerio de Educación (1)").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**ministerio=Ministerio*", timeout=20_000)
    page.get_by_text("Filtro: Ministerio: Ministerio de Educación").wait_for(timeout=20_000)
    wait_for_app(page, "Cobertura de objetivos")
    assert_no_error(page)

    page.get_by_role("tab", name="Por ficha", exact=True).click()
    page.wait_for_url("**cobertura_seccion=Por*", timeout=20_000)  # the open section, in the URL
    with page.expect_download(timeout=30_000) as download_info:
        page.locator(".st-key-cobertura_por_ficha_csv button").click()
    download = download_info.value
    assert download.suggested_filename == "cobertura_por_ficha.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel in Spanish shows accents
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Partida": str})
    assert frame["Servicio"].tolist() == ["SERVICIO LOCAL DE EDUCACIÓN HUASCO"]
    assert frame[["Partida", "Objetivos ministeriales", "% ministeriales vinculados"]].values.tolist() == [
        ["'09", 11, 100.0]  # the apostrophe keeps Excel from reading 9
    ]

    # The filter follows to another page, in the sidebar and in the URL.
    page.get_by_role("link", name="Clientes y cuantificación").click()
    wait_for_app(page, "Clientes y cuantificación")
    assert "ministerio=Ministerio+de+Educaci%C3%B3n" in page.url
    assert page.get_by_text("Filtro: Ministerio: Ministerio de Educación").count() == 1


def test_servicio_is_chosen_in_its_popover(served, page):
    """The servicio filter lists its options only when opened (app/filters.py, `on_demand`); its button counts."""
    page.goto(f"{served.url}/clientes")
    wait_for_app(page, "Clientes y cuantificación")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("button", name="Servicio: Todos", exact=True)).to_be_visible(timeout=30_000)
    expect(sidebar.locator("[data-testid='stMultiSelect']")).to_have_count(3, timeout=30_000)  # not Servicio's yet
    for search, url, chosen in [("LOS LAGOS", "servicio=05-70", "1 elegido"), ("HUASCO", "servicio=", "2 elegidos")]:
        sidebar.locator("[data-testid='stPopover'] button").click()
        chooser = page.locator("[data-testid='stPopoverBody'] [data-testid='stMultiSelect'] input")
        chooser.click()
        chooser.fill(search)
        page.get_by_role("option").filter(has_text=search).click()
        page.wait_for_url(f"**{url}*", timeout=20_000)
        page.get_by_text(search, exact=False).first.wait_for(timeout=20_000)
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        wait_for_app(page, "Clientes y cuantificación")
        assert sidebar.get_by_role("button", name=f"Servicio: {chosen}", exact=True).count() == 1
    assert (
        page.get_by_text(
            "Filtro: Servicio: GOBIERNO REGIONAL REGIÓN LOS LAGOS, SERVICIO LOCAL DE EDUCACIÓN HUASCO"
        ).count()
        == 1
    )
    assert_no_error(page)


def test_shared_link_opens_the_same_view(served, page):
    page.goto(f"{served.url}/?servicio=05-70")  # GOBIERNO REGIONAL REGIÓN LOS LAGOS
    wait_for_app(page, PAGES[""])
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Productos estratégicos")
    assert metric.locator("[data-testid='stMetricValue']").inner_text() == "5"
    assert_no_error(page)


def test_hostile_url_shows_text_not_html(served, page):
    hostile = "%3Cimg%20src%3Dx%20onerror%3D%22window.hacked%3D1%22%3E"
    page.goto(f"{served.url}/calidad?ministerio={hostile}&anio=%27%3B%20drop%20table%20fichas%3B%20--")
    wait_for_app(page, "Calidad de datos")
    assert_no_error(page)
    assert page.evaluate("() => window.hacked") is None
    assert page.locator("img[src='x']").count() == 0
    notice = page.locator("[data-testid='stSidebar'] [data-testid='stAlertContentWarning']").inner_text()
    assert '<img src=x onerror="window.hacked=1">' in notice


HOSTILE_TEXT = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script> **negrita** [enlace](http://x.cl)'


def test_ficha_text_is_shown_as_text_never_as_html(browser, tmp_path):
    """A ficha whose names and mission carry HTML and markdown: shown literally on every page, nothing runs."""

    source = tmp_path / "fichas"
    source.mkdir()
    text = HUASCO.read_text(encoding="utf-8")
    text = text.replace("SERVICIO LOCAL DE EDUCACIÓN HUASCO", f"SERVICIO {HOSTILE_TEXT}")
    text = text.replace("Proveer un servicio educativo", f"{HOSTILE_TEXT} Proveer un servicio educativo")
    text = text.replace("Estudiantes de los establecimientos", f"{HOSTILE_TEXT} Estudiantes")
    (source / "hostil.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "fichas.duckdb"
    assert build([source], db).loaded == 1
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        with serving(db, tmp_path / "streamlit.log") as server:
            for spec in registry.PAGES:
                page.goto(f"{server.url}/{spec.url_path}")
                wait_for_app(page, spec.page_title)
                for section in each_section(page, spec):
                    where = (spec.slug, section)
                    assert_no_error(page)
                    assert page.evaluate("() => window.hacked") is None, where
                    assert page.locator("img[src='x']").count() == 0, where
                    assert page.locator("main a[href='http://x.cl']").count() == 0, where
            page.goto(f"{server.url}/ficha")
            wait_for_app(page, "Ficha")
            main = page.locator("[data-testid='stMain']")
            assert HOSTILE_TEXT in main.inner_text()  # the mission, literally
            assert main.locator("strong", has_text="negrita").count() == 0
    finally:
        context.close()
