"""Shared fixtures: the two real fichas, and helpers that write files and build real databases."""

import contextlib
import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.build import build  # noqa: E402

FICHAS_DIR = ROOT / "data" / "fichas"
HUASCO = FICHAS_DIR / "000_049fc97d0de0459f.txt"
LOS_LAGOS = FICHAS_DIR / "002_b87f4e61cff57db4.txt"


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def content(ficha) -> dict:
    """A parsed ficha without line numbers or problems, for comparing two renderings of one ficha."""

    def strip(value):
        if isinstance(value, list):
            return [strip(item) for item in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("linea", "problemas")}
        return value

    return strip(dataclasses.asdict(ficha))


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture
def huasco_text() -> str:
    return read_text(HUASCO)


@pytest.fixture
def lagos_text() -> str:
    return read_text(LOS_LAGOS)


@pytest.fixture
def real_db(tmp_path_factory) -> Path:
    """A database built by the real ETL from the shipped fichas."""
    db = tmp_path_factory.mktemp("real") / "fichas.duckdb"
    report = build([FICHAS_DIR], db)
    assert report.rejected == 0
    return db


@pytest.fixture
def folder(tmp_path):
    """Write files into a fresh input folder: folder.write("a.txt", text, encoding="utf-8")."""

    class Folder:
        path = tmp_path / "fichas"

        def write(self, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_bytes(text.encode(encoding))
            return target

    Folder.path.mkdir()
    return Folder()


# -- the real server in a real browser ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Served:
    url: str
    db: Path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium no está instalado (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path, log: Path):
    """`streamlit run dashboard.py` on a free localhost port, reading `db`; no traceback may reach its log."""
    port = _free_port()
    env = {**os.environ, "FICHAS_DB": str(db)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"el servidor no respondió: {log.read_text()[-2000:]}")
    try:
        yield Served(url, db)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> Served:
    """The real server on a database built from the real fichas."""
    db = tmp_path_factory.mktemp("browser") / "fichas.duckdb"
    build([ROOT / "data" / "fichas"], db)
    with serving(db, tmp_path_factory.mktemp("log") / "streamlit.log") as server:
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="es-CL")
    opened = context.new_page()
    yield opened
    context.close()


def wait_for_app(page, title: str) -> None:
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    alerts = page.locator("[data-testid='stAlertContentError']").all_inner_texts()
    assert alerts == []
