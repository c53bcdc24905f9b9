"""The server `make run` starts: Streamlit's own, serving dashboard.py, with one middleware that tells each page's
HTML where the server is.

Opened at a page's address (`/cobertura`), Streamlit's frontend cannot tell whether `/cobertura` is the server's
base path or a page under `/`. It asks `/cobertura/_stcore/health` first, gets a 404, waits 100 ms and asks
`/_stcore/health` (`getPossibleBaseUris` and `doInitPings` in its connection code): every page but Inicio paid
0,1–0,15 s for the guess on every load. The frontend does not guess when the page declares the base itself
(`window.__streamlit.BACKEND_BASE_URL`, read once when its bundle loads), so the middleware writes that declaration
into the HTML Streamlit serves for each page address, ahead of the bundle. The base is the address without the
page's slug, so it holds under `server.baseUrlPath` and behind a proxy that adds a prefix of its own.

`streamlit run app/asgi.py` finds `app` at the bottom and serves it (`st.App`: the same runtime and routes as
`streamlit run dashboard.py`, which still works, guess included).
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run app/asgi.py` puts app/ on the path, not the root dashboard.py needs
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from starlette.datastructures import MutableHeaders  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.types import ASGIApp, Message, Receive, Scope, Send  # noqa: E402

from app import registry  # noqa: E402

_PAGE_SLUG = "|".join(re.escape(page.url_path) for page in registry.FILE_PAGES)
HINT = (
    "<script>window.__streamlit = Object.assign({}, window.__streamlit, {BACKEND_BASE_URL: location.origin + "
    f"location.pathname.replace(new RegExp({json.dumps(f'/(?:{_PAGE_SLUG})/?$')}), '/')}});</script>"
).encode()
STREAMLIT_STATIC = Path(st.__file__).parent / "static"  # the frontend's files, index.html among them
_HEAD = b"<head>"
# Asked of the HTML so that its body arrives whole and plain (about 8 KB): never gzipped, never a 304.
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}


def _may_be_page(scope: Scope) -> bool:
    """An address the frontend's HTML answers: not a file (no dot in its last part), not one of Streamlit's APIs."""
    path: str = scope["path"]
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and "/_stcore/" not in path
        and "." not in path.rsplit("/", 1)[-1]
    )


class BaseUrlHint:
    """Writes `HINT` right after `<head>` in every HTML response to a page address; passes all else untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _may_be_page(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None  # an HTML response's start, held until its body is whole
        body: list[bytes] = []

        async def send_with_hint(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if MutableHeaders(raw=message["headers"]).get("content-type", "").startswith("text/html"):
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(body).replace(_HEAD, _HEAD + HINT, 1)
                headers = MutableHeaders(raw=start["headers"])
                for validator in ("etag", "last-modified"):  # they describe the file, not this body
                    del headers[validator]
                headers["content-length"] = str(len(html))
                await send({**start, "headers": headers.raw})
                message = {"type": "http.response.body", "body": html}
            await send(message)

        headers = [(name, value) for name, value in scope["headers"] if name not in _DROPPED_REQUEST_HEADERS]
        await self.app({**scope, "headers": headers}, receive, send_with_hint)


app = st.App(ROOT / registry.ENTRYPOINT, middleware=[Middleware(BaseUrlHint)])
