"""The real server in a real browser: start `streamlit run` on a database, and wait for a page to settle."""

import contextlib
import dataclasses
import shutil
from pathlib import Path

import helpers  # noqa: F401  (puts the project root on sys.path)
import pytest
from playwright.sync_api import expect

from app import registry
from bench import server
from bench.browser import CHROMIUM_ARGS  # noqa: F401  (the fixtures launch Chromium with them)


@dataclasses.dataclass(frozen=True)
class Served:
    url: str
    db: Path


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@contextlib.contextmanager
def serving(db: Path, log: Path, **environment: str):
    """`streamlit run server.py` (registry.SERVER) on a free localhost port, reading `db`, with `environment` added
    to its own; no traceback may reach its log."""
    try:
        with server.serving(registry.SERVER, db, log, **environment) as running:
            yield Served(running.url, db)
    except server.ServerFailed as failed:
        pytest.fail(str(failed))
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def wait_for_app(page, title: str) -> None:
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    alerts = page.locator("[data-testid='stAlertContentError']").all_inner_texts()
    assert alerts == []


def section_tabs(page, spec: registry.Page):
    """The tabs of the page's sections (`ui.PageTables.sections`), not those inside a section."""
    return page.locator(f".st-key-{spec.slug}_seccion [role='tablist']").first.get_by_role("tab")


def each_section(page, spec: registry.Page):
    """Open, by a click on its tab, each section of the page on screen (`ui.PageTables.sections`) after the first,
    and yield each label when it is on screen, the first one included; a page without sections yields None once."""
    tabs = section_tabs(page, spec)
    labels = tabs.all_inner_texts() or [None]
    for label in labels:
        if label != labels[0]:
            tab = tabs.filter(has_text=label).first
            tab.click()
            expect(tab).to_have_attribute("aria-selected", "true")
            wait_for_app(page, spec.page_title)
        yield label
