"""What the benchmark measures outside the dashboard: the floor, the ETL and the database it writes."""

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
FLOOR_REPEATS = 3


SAMPLE_SECONDS = 0.05


@dataclass
class EtlRun:
    seconds: float  # the whole command, as a user runs it: interpreter start-up and imports included
    peak_mb: float  # peak of the summed PSS of the ETL and its worker processes, or its own peak RSS if higher
    main_peak_mb: float  # peak RSS of the main process alone (VmHWM, sampled)
    summary: str  # what the command printed

    @property
    def unchanged(self) -> bool:
        return any(line.startswith("Sin cambios") for line in self.summary.splitlines())

    @property
    def parsed(self) -> int | None:
        """Files the build parsed, when it says so (an incremental build reuses the others)."""
        found = re.search(r"Archivos analizados: ([\d.]+)", self.summary)
        return int(found.group(1).replace(".", "")) if found else None


def floor(folder: Path) -> float:
    """Seconds to list, read, decode and split into lines every file: what no ETL in Python can beat.

    Best of a few runs, so the page cache is warm as it is for the ETL.
    """
    best = float("inf")
    for _ in range(FLOOR_REPEATS):
        start = time.perf_counter()
        lines = 0
        for root, _dirs, files in os.walk(folder):
            for name in files:
                with open(os.path.join(root, name), "rb") as handle:
                    lines += len(handle.read().decode("utf-8", "replace").split("\n"))
        best = min(best, time.perf_counter() - start)
    return best


def run_etl(folder: Path, db: Path, cwd: Path = ROOT, tree_memory: bool = True) -> EtlRun:
    """`python -m etl build FOLDER --db DB` as a user runs it, timed whole, its memory sampled as it runs.

    With `tree_memory`, the PSS of the command and of its worker processes, read every SAMPLE_SECONDS from
    /proc/PID/smaps_rollup: reading it walks every mapping of each process, which costs the machine CPU the command
    would otherwise use (measured: 0,2 s of a 4,8 s build on 2 cores). A run that is timed is run without it; the
    peak RSS of the main process alone (VmHWM, kept by the kernel) costs nothing and is always read.
    `cwd` is the tree whose ETL runs: this one, or another commit's (bench/antes.py)."""
    command = [sys.executable, "-m", "etl", "build", str(folder), "--db", str(db)]
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        peak = main_peak = 0.0
        while child.poll() is None:
            if tree_memory:
                peak = max(peak, _tree_pss_mb(child.pid))
            main_peak = max(main_peak, _high_water_mb(child.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        output.seek(0)
        summary = output.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"the ETL failed or rejected synthetic files (exit {child.returncode}):\n{summary[:2000]}")
    return EtlRun(seconds, max(peak, main_peak), main_peak, summary)


def _high_water_mb(pid: int) -> float:
    """A process's peak RSS so far (VmHWM, which starts afresh at exec; getrusage's ru_maxrss carries the
    benchmark's own peak across the fork and exec)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return 0.0  # the process ended between two reads


def _tree_pss_mb(pid: int) -> float:
    """Memory of a process and its descendants now: PSS, so pages workers share with their parent count once."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:")) / 1024
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending += [int(child) for child in handle.read().split()]
        except (OSError, StopIteration, ValueError):
            continue  # the process ended between two reads
    return total


def megabytes(path: Path) -> float:
    """Size of a file, or of every file under a folder, in MB."""
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file()) / 1e6


TABLES = [
    "fichas",
    "objetivos_ministeriales",
    "objetivos_institucionales",
    "productos",
    "clientes",
    "objetivo_institucional_ministerial",
    "objetivo_institucional_producto",
    "producto_cliente",
    "problemas",
]


def row_counts(db: Path) -> dict[str, int]:
    """Rows per table, to check that the ETL loaded what the generator wrote."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}
