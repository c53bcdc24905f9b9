"""Page loads in headless Chromium: how long until a page is drawn, and how much server CPU each view costs.

A load opens a new tab (a new Streamlit session) at the page's address and ends when the script has finished
(`data-test-script-state="notRunning"` on the app), no element is still a skeleton, every Plotly chart has drawn its
SVG and every dataframe its canvas. The skeletons matter: Streamlit loads the code of a chart (a 4,7 MB chunk, about
0,9 s of the browser's time) and of a dataframe only when the first one arrives, and shows a skeleton meanwhile, so
a page is on screen a second or more after its script has finished. Each target keeps one browser context, so its
static files come from the browser cache after the first load, as they do for a returning user. Rounds interleave the targets (the bare page first in each round), so a
machine that gets busier mid-run slows every target alike and the ratios hold.

One more tab per server stays open all along, as on a server with many viewers: when its last session closes,
Streamlit forgets the compiled page scripts (`_script_cache.clear()` in runtime/websocket_session_manager.py), and
every view would pay for compiling them again.
"""

import dataclasses
import statistics
import time

from bench.server import Server

VIEWPORT = {"width": 1400, "height": 1000}
LOAD_TIMEOUT_MS = 120_000
SETTLE_SECONDS = 0.3  # after closing the tab: the server ends the session (its CPU is part of the view)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip

READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || !document.querySelector('h1')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;  // an element whose code is loading
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
        if (!chart.querySelector('.main-svg')) return false;
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]'))
        if (!grid.querySelector('canvas')) return false;
    return true;
}"""
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    server: Server
    path: str  # after the server's address
    heading: str = ""  # the page's title (h1), when known: a page that shows another one's is a wrong address


@dataclasses.dataclass
class Loads:
    first: float = 0.0  # the first load: Streamlit's caches empty for this page, the browser's too
    seconds: list[float] = dataclasses.field(default_factory=list)
    cpu: list[float] = dataclasses.field(default_factory=list)
    sent: list[int] = dataclasses.field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return _percentile(self.seconds, 0.95)

    @property
    def cpu_per_view(self) -> float:
        return sum(self.cpu) / len(self.cpu)

    @property
    def kb_per_view(self) -> float:
        return statistics.median(self.sent) / 1000


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _load(context, target: Target) -> tuple[float, int]:
    """Seconds from asking for the page in a new tab to the page drawn, and the bytes the server sent over the
    WebSocket meanwhile; a page showing an error is a failure."""
    tab = context.new_page()
    received = [0]

    def count(frame) -> None:
        received[0] += len(frame)

    tab.on("websocket", lambda socket: socket.on("framereceived", count))
    try:
        start = time.perf_counter()
        tab.goto(f"{target.server.url}/{target.path}", wait_until="commit")
        tab.wait_for_function(READY, polling=20, timeout=LOAD_TIMEOUT_MS)
        seconds = time.perf_counter() - start
        if tab.locator(ERRORS).count():
            raise RuntimeError(f"{target.name} showed an error: {tab.locator(ERRORS).first.inner_text()[:500]}")
        if target.heading and (shown := tab.locator("h1").first.inner_text().strip()) != target.heading:
            raise RuntimeError(f"{target.name} at /{target.path} showed «{shown}», not «{target.heading}»")
        return seconds, received[0]
    finally:
        tab.close()


def measure(targets: list[Target], loads: int, say=print) -> dict[str, Loads]:
    """`loads` timed loads of every target after one untimed first load, in a Chromium of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return measure_in(browser, targets, loads, say)
        finally:
            browser.close()


def measure_in(browser, targets: list[Target], loads: int, say=print) -> dict[str, Loads]:
    """`measure` in a Chromium already launched (a test's); CPU read before and after each view."""
    results = {target.name: Loads() for target in targets}
    contexts = {target.name: browser.new_context(viewport=VIEWPORT, locale="es-CL") for target in targets}
    resident = browser.new_context(viewport=VIEWPORT, locale="es-CL")
    try:
        for first in {target.server: target for target in targets}.values():  # one tab per server
            tab = resident.new_page()
            tab.goto(f"{first.server.url}/{first.path}", wait_until="commit")
            tab.wait_for_function(READY, polling=100, timeout=LOAD_TIMEOUT_MS)
        for target in targets:
            results[target.name].first = _load(contexts[target.name], target)[0]
        for round_ in range(loads):
            say(f"ronda {round_ + 1} de {loads}")
            for target in targets:
                result = results[target.name]
                before = target.server.cpu_seconds()
                seconds, sent = _load(contexts[target.name], target)
                time.sleep(SETTLE_SECONDS)
                result.cpu.append(target.server.cpu_seconds() - before)
                result.seconds.append(seconds)
                result.sent.append(sent)
    finally:
        for context in [*contexts.values(), resident]:
            context.close()
    return results
