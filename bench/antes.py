"""The app as it was at an earlier commit («antes»), measured in the same run as today's: same fichas, same browser.

`python -m bench --antes REV` exports REV's tree (`git archive`) under the bench's --out folder, builds its database
from the same corpus with REV's own ETL (run in that tree), serves it with REV's own dashboard and this venv, and
loads its pages in the same interleaved rounds as today's, each right after today's page of the same name. An old
commit may have no app/registry.py, so its pages are listed here, as data; each is matched to today's page by its
short name and checked at every load by the heading its address shows.

A page is «no más lenta» when its p50 and its CPU per view, now over before, are at most 1 plus the noise margin:
two standard errors of such a ratio, from how much the bare page (which never changes) moved between the rounds of
this same run, and never more than MAX_MARGIN, so that noise cannot hide a real regression larger than that.
"""

import contextlib
import io
import math
import shutil
import statistics
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from bench import browser
from bench.measure import ROOT
from bench.server import TICKS_PER_SECOND, serving
from formatting import decimal, integer

ENTRYPOINT = "dashboard.py"  # what REV's tree serves, unless it has SERVER (server.py, from issue 13 on)
SERVER = "server.py"
MAX_MARGIN = 0.10  # a margin wider than this could hide a real regression: a noisier run flags pages instead
MAD_TO_SIGMA = 1.4826  # median absolute deviation to standard deviation, for normally distributed noise


@dataclass(frozen=True)
class OldPage:
    short: str  # today's registry.Page.short, the page it is compared with
    path: str  # after the server's address
    heading: str  # its h1


# The pages of 10757ba (its dashboard.py's st.navigation, before issues 8-13): no Evolución yet.
PAGES = (
    OldPage("Inicio", "", "Fichas de Definiciones Estratégicas (Formulario A1)"),
    OldPage("Cobertura", "cobertura", "Cobertura de objetivos"),
    OldPage("Género y territorio", "genero_territorial", "Enfoque de género y gestión territorial"),
    OldPage("Clientes", "clientes", "Clientes y cuantificación"),
    OldPage("Ficha", "ficha", "Ficha"),
    OldPage("Calidad", "calidad", "Calidad de datos"),
)


class UsageError(Exception):
    """REV is not a commit of this repository; the message is Spanish."""


@dataclass(frozen=True)
class Antes:
    rev: str  # as the user wrote it
    commit: str
    tree: Path  # REV's files, exported


def export(rev: str, out: Path) -> Antes:
    """REV's tree extracted under `out`/antes-<commit> (replacing an earlier export)."""
    try:
        found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                               cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    except FileNotFoundError:
        raise UsageError("--antes necesita git, que no está instalado") from None
    if found.returncode != 0:
        raise UsageError(f"--antes {rev}: no es un commit de este repositorio")
    commit = found.stdout.strip()
    tree = out / f"antes-{commit[:10]}"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, filter="data")
    return Antes(rev, commit, tree)


def label(short: str) -> str:
    """The name of the old page's target in the browser's results."""
    return f"{short} (antes)"


@contextlib.contextmanager
def served(antes: Antes | None, db: Path, log: Path):
    """REV's dashboard on its database, from its own tree; nothing when there is no REV to compare with."""
    if antes is None:
        yield None
        return
    script = SERVER if (antes.tree / SERVER).is_file() else ENTRYPOINT
    with serving(script, db, log, cwd=antes.tree) as server:
        yield server


def targets(short: str, server, pages: tuple[OldPage, ...] = PAGES) -> list[browser.Target]:
    """The old page compared with today's page `short`, if it had one."""
    return [browser.Target(label(page.short), server, page.path, page.heading) for page in pages if page.short == short]


def split(results: dict[str, browser.Loads]) -> tuple[dict[str, browser.Loads], dict[str, browser.Loads]]:
    """Today's loads and the old pages' (by today's short name), from one run's results."""
    old = {page.short: results[label(page.short)] for page in PAGES if label(page.short) in results}
    now = {name: loads for name, loads in results.items() if name not in {label(short) for short in old}}
    return now, old


def spread(values: list[float]) -> float:
    """Relative standard deviation of a page that does not change, from its rounds; a round where the machine
    stalled barely moves it (median absolute deviation, not variance)."""
    middle = statistics.median(values)
    return MAD_TO_SIGMA * statistics.median(abs(value - middle) for value in values) / middle


@dataclass(frozen=True)
class Margins:
    loads: int
    p50_spread: float  # the bare page's, between rounds
    cpu_spread: float

    @property
    def p50_wanted(self) -> float:
        """Two standard errors of the ratio of two medians of `loads` loads: each median's is σ·√(π/2n)."""
        return 2 * self.p50_spread * math.sqrt(math.pi / self.loads)

    @property
    def cpu_wanted(self) -> float:
        """Two standard errors of the ratio of two means of `loads` views: each mean's is σ/√n."""
        return 2 * self.cpu_spread * math.sqrt(2 / self.loads)

    @property
    def p50(self) -> float:
        return min(MAX_MARGIN, self.p50_wanted)

    @property
    def cpu(self) -> float:
        return min(MAX_MARGIN, self.cpu_wanted)

    @property
    def wanted(self) -> float:
        return max(self.p50_wanted, self.cpu_wanted)

    @property
    def capped(self) -> bool:
        return self.wanted > MAX_MARGIN


def margins(bare: browser.Loads) -> Margins:
    """The noise of this run, from the bare page; CPU's never below what whole clock ticks can tell apart (each view
    is the difference of two readings cut to a tick: σ = tick/√6)."""
    resolution = 1 / TICKS_PER_SECOND / math.sqrt(6) / bare.cpu_per_view
    return Margins(len(bare.seconds), spread(bare.seconds), max(spread(bare.cpu), resolution))


def rounds_slower(now: browser.Loads, before: browser.Loads) -> str:
    """In how many rounds today's page took longer than the old one loaded right after it: with no real change,
    about half (all of 5 by chance: 1 time in 32), whatever the noise between rounds."""
    return f"{sum(a > b for a, b in zip(now.seconds, before.seconds, strict=True))}/{len(now.seconds)}"


def verdict(now: browser.Loads, before: browser.Loads, noise: Margins) -> str:
    slower = [
        what
        for what, ratio, margin in (
            ("p50", now.p50 / before.p50, noise.p50),
            ("CPU", now.cpu_per_view / before.cpu_per_view, noise.cpu),
        )
        if ratio > 1 + margin
    ]
    return f"MÁS LENTA ({' y '.join(slower)})" if slower else "no más lenta"


def _percent(fraction: float) -> str:
    return f"{decimal(100 * fraction, 1)} %"


def describe(noise: Margins) -> list[str]:
    """The noise of the run and the margin it gives, in Spanish, under the comparison table."""
    lines = [
        f"Ruido: entre rondas, la página mínima varió {_percent(noise.p50_spread)} en tiempo y "
        f"{_percent(noise.cpu_spread)} en CPU (desviación estándar estimada por la mediana de las desviaciones; la de "
        f"CPU, nunca menos que la resolución del reloj, {integer(TICKS_PER_SECOND)} tics/s). Con {noise.loads} cargas "
        f"eso da un margen de +{_percent(noise.p50)} en p50 y +{_percent(noise.cpu)} en CPU (dos errores estándar de "
        f"la razón, a lo más {_percent(MAX_MARGIN)}): «no más lenta» es ahora/antes ≤ 1 + margen en ambas.",
    ]
    if noise.capped:
        lines.append(
            f"Este ruido pedía un margen de {_percent(noise.wanted)}, más que el tope: una página «MÁS LENTA» por "
            "menos que eso puede ser ruido; repita con más cargas (--loads) antes de concluir."
        )
    return lines
