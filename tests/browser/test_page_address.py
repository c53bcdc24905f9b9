"""A page opened by its address connects at once: app/asgi.py writes the server's base into the HTML, so
Streamlit's frontend does not first try `/<page>/_stcore/...` (a 404 and a 100 ms wait before the right address)."""

import shutil
import urllib.request

import pytest
from app_in_browser import assert_no_error, serving, wait_for_app

from app import asgi, registry

pytestmark = pytest.mark.browser

PAGE = registry.by_slug("genero_territorial")


def open_and_record(page, url: str) -> list[str]:
    """Open `url` and return the path of every request the page made to the server, WebSocket included."""
    host = url.split("/")[2]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda socket: asked.append(socket.url))
    page.goto(url)
    wait_for_app(page, PAGE.page_title)
    assert_no_error(page)
    return [address.split(host, 1)[1] for address in asked if host in address]


def test_a_page_asks_nothing_of_other_hosts(served, page):
    """The icon, the fonts and the code all come from our server: a State network need not reach Google."""
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url) if served.url not in request.url else None)
    open_and_record(page, f"{served.url}/{PAGE.url_path}")
    assert elsewhere == []


def _stcore(paths: list[str]) -> list[str]:
    return sorted({path for path in paths if "_stcore/" in path})


def test_a_page_opened_by_its_address_asks_only_the_server_base(served, page):
    asked = open_and_record(page, f"{served.url}/{PAGE.url_path}?anio=2021")
    assert _stcore(asked) == ["/_stcore/health", "/_stcore/host-config", "/_stcore/stream"]


def test_under_a_base_url_path_the_base_is_that_path(real_db, browser, tmp_path):
    shutil.copy(real_db, tmp_path / "fichas.duckdb")
    with serving(tmp_path / "fichas.duckdb", tmp_path / "log", STREAMLIT_SERVER_BASE_URL_PATH="panel") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-CL")
        try:
            page = context.new_page()
            assert server.url.endswith("/panel")
            asked = open_and_record(page, f"{server.url}/{PAGE.url_path}")
            assert _stcore(asked) == ["/panel/_stcore/health", "/panel/_stcore/host-config", "/panel/_stcore/stream"]
            page.get_by_role("link", name="Clientes y cuantificación").click()
            page.wait_for_url(f"{server.url}/clientes")
            wait_for_app(page, registry.by_slug("clientes").page_title)
        finally:
            context.close()


def get(url: str, **headers: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.read(), {name.lower(): value for name, value in response.headers.items()}


def test_the_hint_is_in_every_page_html_once_and_nothing_else_changes(served):
    for page in registry.PAGES:
        html, headers = get(f"{served.url}/{page.url_path}", **{"Accept-Encoding": "gzip", "If-None-Match": "*"})
        assert html.count(asgi.HINT) == 1 and html.index(asgi.HINT) < html.index(b'<script type="module"')
        assert int(headers["content-length"]) == len(html) and "etag" not in headers, page.slug
    assert get(f"{served.url}/_stcore/health")[0] == b"ok"
    index = next((asgi.STREAMLIT_STATIC / "static" / "js").glob("index.*.js"))
    assert get(f"{served.url}/static/js/{index.name}")[0] == index.read_bytes()
