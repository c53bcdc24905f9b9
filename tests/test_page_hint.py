"""app/page_hint.py's middleware, driven as an ASGI server drives it: what it changes, and all it leaves alone."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.page_hint import BaseUrlHint, hint

HTML = b"<!doctype html><html><head><title>x</title></head><body></body></html>"


def file_app(status: int = 200, content_type: bytes = b"text/html; charset=utf-8", chunks: int = 3):
    """An app answering every request as Streamlit's static files answer index.html: in chunks, with validators;
    it records the scopes it was called with."""
    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(scope)
        if scope["type"] != "http":
            return
        headers = [(b"content-type", content_type), (b"content-length", str(len(HTML)).encode()), (b"etag", b'"1"')]
        await send({"type": "http.response.start", "status": status, "headers": tuple(headers)})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        size = -(-len(HTML) // chunks)
        for start in range(0, len(HTML), size):
            more = start + size < len(HTML)
            await send({"type": "http.response.body", "body": HTML[start : start + size], "more_body": more})

    return app, seen


def call(middleware, scope) -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: the browser tests' Playwright runs one here
        thread.submit(asyncio.run, middleware(scope, receive, send)).result()
    return sent


def request(path: str, method: str = "GET", **headers: str) -> dict:
    raw = [(name.lower().replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {
        "type": "http",
        "method": method,
        "path": path,
        "headers": raw,
        "extensions": {"http.response.pathsend": {}},
    }


def headers_of(start: dict) -> dict[bytes, bytes]:
    return dict(start["headers"])


def test_a_page_gets_its_hint_after_head_with_its_length():
    app, seen = file_app()
    sent = call(
        BaseUrlHint(app, ["cobertura", "ficha"]), request("/cobertura", accept_encoding="gzip", range="bytes=0-9")
    )
    body = b"".join(message.get("body", b"") for message in sent[1:])
    assert body == HTML.replace(b"<head>", b"<head>" + hint("cobertura"))
    assert headers_of(sent[0])[b"content-length"] == str(len(body)).encode() and b"etag" not in headers_of(sent[0])
    assert seen[0]["headers"] == [] and "http.response.pathsend" not in seen[0]["extensions"]


def test_a_head_says_the_length_its_get_has():
    app, _ = file_app()
    sent = call(BaseUrlHint(app, ["cobertura"]), request("/cobertura", "HEAD"))
    assert headers_of(sent[0])[b"content-length"] == str(len(HTML) + len(hint("cobertura"))).encode()
    assert b"".join(message.get("body", b"") for message in sent[1:]) == b""


def test_under_a_base_path_only_the_pages_below_it_are_hinted():
    app, _ = file_app()
    middleware = BaseUrlHint(app, ["ficha"], base_url_path="/ficha/")
    assert hint("ficha") in call(middleware, request("/ficha/ficha"))[-1]["body"]
    for untouched in ("/ficha", "/ficha/", "/ficha/otra", "/cobertura"):
        sent = call(middleware, request(untouched))
        assert b"".join(message.get("body", b"") for message in sent[1:]) == HTML, untouched


def test_everything_else_passes_untouched():
    for status, content_type in [(404, b"text/html"), (200, b"application/javascript")]:
        app, _ = file_app(status, content_type)
        sent = call(BaseUrlHint(app, ["cobertura"]), request("/cobertura"))
        assert b"".join(message.get("body", b"") for message in sent[1:]) == HTML
        assert headers_of(sent[0])[b"etag"] == b'"1"'
    app, seen = file_app()
    lifespan = {"type": "lifespan"}
    assert call(BaseUrlHint(app, ["cobertura"]), lifespan) == [] and seen == [lifespan]
    post = request("/cobertura", "POST", range="bytes=0-9")
    call(BaseUrlHint(app, ["cobertura"]), post)
    assert seen[-1] is post
