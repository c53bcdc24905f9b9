"""The middleware of server.py: each page's HTML says where the server is, so the browser connects at once.

Opened at a page's address (`/cobertura`), Streamlit's frontend cannot tell whether `/cobertura` is the server's
base path or a page under `/`. It asks `/cobertura/_stcore/health` first, gets a 404, waits 100 ms and asks
`/_stcore/health` (`getPossibleBaseUris` and `doInitPings` in its connection code): every page but Inicio paid
0,1–0,15 s for the guess on every load. The frontend does not guess when the page declares the base itself
(`window.__streamlit.BACKEND_BASE_URL`, read once when its bundle loads), so the middleware writes that declaration
into the HTML Streamlit serves at a page's address, ahead of the bundle: the address without `/<slug>`. The slug
is what follows the server's own base path (`server.baseUrlPath`), and the browser takes exactly that suffix off
its own address, so a proxy that adds a prefix of its own keeps working. Inicio, at the base itself, needs no
hint: the frontend's first guess is right there.
"""

import json
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_HEAD = b"<head>"
# Asked of the HTML so that its body arrives whole, plain and from its first byte (about 8 KB): never gzipped,
# never a 304, never a range.
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"if-range"}
_PATHSEND = "http.response.pathsend"  # a server's shortcut that would send the file without passing through here


def hint(slug: str) -> bytes:
    """The script that declares the server's base to the page served at `<base>/<slug>`."""
    return (
        "<script>((path, page) => { window.__streamlit = Object.assign({}, window.__streamlit, {BACKEND_BASE_URL: "
        "location.origin + (path.endsWith(page) ? path.slice(0, -page.length) : path)}); })"
        f"(location.pathname, {json.dumps(f'/{slug}')});</script>"
    ).encode()


class BaseUrlHint:
    """Writes `hint(slug)` right after `<head>` in the HTML answered at `<base>/<slug>`, for each of `slugs`;
    passes everything else (files, Streamlit's API, WebSockets, lifespan) untouched."""

    def __init__(self, app: ASGIApp, slugs: Iterable[str], base_url_path: str = "") -> None:
        self.app = app
        base = f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else ""
        self.hints = {f"{base}/{slug}": hint(slug) for slug in slugs}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page_hint = self.hints.get(scope["path"]) if scope["type"] == "http" else None
        if page_hint is None or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None  # an HTML response's start, held until its body is whole
        body: list[bytes] = []

        async def send_with_hint(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if message["status"] == 200 and headers.get("content-type", "").startswith("text/html"):
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(body)
                await send(_with_hint_length(start, len(html) if html else None, len(page_hint)))
                message = {"type": "http.response.body", "body": html.replace(_HEAD, _HEAD + page_hint, 1)}
            await send(message)

        headers = [(name, value) for name, value in scope["headers"] if name not in _DROPPED_REQUEST_HEADERS]
        extensions = {name: value for name, value in scope.get("extensions", {}).items() if name != _PATHSEND}
        await self.app({**scope, "headers": headers, "extensions": extensions}, receive, send_with_hint)


def _with_hint_length(start: Message, body_length: int | None, hint_length: int) -> Message:
    """`start` for the hinted body: its length (a HEAD's has no body: the file's length, from the header, plus the
    hint's), without the validators that describe the file rather than this body."""
    headers = MutableHeaders(raw=list(start["headers"]))
    for validator in ("etag", "last-modified"):
        del headers[validator]
    length = body_length if body_length is not None else int(headers.get("content-length", 0))
    headers["content-length"] = str(length + hint_length)
    return {**start, "headers": headers.raw}
