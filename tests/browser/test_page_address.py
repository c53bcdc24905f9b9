"""A page opened by its address connects at once: server.py's middleware (app/page_hint.py) writes the server's base
into the HTML, so Streamlit's frontend does not first try `/<page>/_stcore/...` (a 404 and a 100 ms wait)."""

import shutil
import urllib.request
from pathlib import Path

import pytest
import streamlit
from app_in_browser import assert_no_error, serving, wait_for_app

from app import page_hint, registry

pytestmark = pytest.mark.browser

PAGE = registry.by_slug("genero_territorial")
STREAMLIT_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"


def open_and_record(page, url: str, title: str = PAGE.page_title) -> list[str]:
    """Open `url` and return the path of every request the page made to the server, WebSocket included."""
    host = url.split("/")[2]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda socket: asked.append(socket.url))
    page.goto(url)
    wait_for_app(page, title)
    assert_no_error(page)
    return [address.split(host, 1)[1] for address in asked if host in address]


def _stcore(paths: list[str]) -> list[str]:
    return sorted({path for path in paths if "_stcore/" in path})


def test_a_page_opened_by_its_address_asks_only_the_server_base(served, page):
    asked = open_and_record(page, f"{served.url}/{PAGE.url_path}?anio=2021")
    assert _stcore(asked) == ["/_stcore/health", "/_stcore/host-config", "/_stcore/stream"]


def test_a_page_asks_nothing_of_other_hosts(served, page):
    """The icon, the fonts and the code all come from our server: a State network need not reach Google."""
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url) if served.url not in request.url else None)
    open_and_record(page, f"{served.url}/{PAGE.url_path}")
    assert elsewhere == []


@pytest.mark.parametrize("base", ["panel", "ficha"])  # a base path may be a page's slug too
def test_under_a_base_url_path_the_base_is_that_path(real_db, browser, tmp_path, base):
    shutil.copy(real_db, tmp_path / "fichas.duckdb")
    with serving(tmp_path / "fichas.duckdb", tmp_path / "log", STREAMLIT_SERVER_BASE_URL_PATH=base) as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-CL")
        try:
            page = context.new_page()
            assert server.url.endswith(f"/{base}")
            assert _stcore(open_and_record(page, f"{server.url}/{PAGE.url_path}")) == [
                f"/{base}/_stcore/health", f"/{base}/_stcore/host-config", f"/{base}/_stcore/stream"
            ]  # fmt: skip
            page.get_by_role("link", name="Clientes y cuantificación").click()
            page.wait_for_url(f"{server.url}/clientes")
            wait_for_app(page, registry.by_slug("clientes").page_title)
            home = context.new_page()
            assert _stcore(open_and_record(home, server.url, registry.HOME.page_title)) == [
                f"/{base}/_stcore/health", f"/{base}/_stcore/host-config", f"/{base}/_stcore/stream"
            ]  # fmt: skip
        finally:
            context.close()


def get(url: str, method: str = "GET", **headers: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), {name.lower(): value for name, value in response.headers.items()}


def test_the_hint_is_in_each_page_html_once_and_nothing_else_changes(served):
    for page in registry.FILE_PAGES:
        url = f"{served.url}/{page.url_path}"
        html, headers = get(url, **{"Accept-Encoding": "gzip", "If-None-Match": "*", "Range": "bytes=0-99"})
        hint = page_hint.hint(page.url_path)
        assert html.count(hint) == 1 and html.index(hint) < html.index(b'<script type="module"'), page.slug
        assert int(headers["content-length"]) == len(html) and "etag" not in headers, page.slug
        assert int(get(url, "HEAD")[1]["content-length"]) == len(html), page.slug
    assert b"__streamlit" not in get(f"{served.url}/")[0]  # Inicio is at the base: the first guess is right
    assert get(f"{served.url}/_stcore/health")[0] == b"ok"
    bundle = next(STREAMLIT_JS.glob("index.*.js"))
    assert get(f"{served.url}/static/js/{bundle.name}")[0] == bundle.read_bytes()
