"""Child process of the benchmark: run `python -m etl build` once and report its time and peak memory as JSON.

A process of its own so its peak RSS is the ETL's alone. The imports happen before the clock starts, so
`seconds` is the build itself; the parent also times the whole command, start-up included.
"""

import contextlib
import io
import json
import resource
import sys
import time

import etl.build  # noqa: F401  (imported before the clock: duckdb and pandas take a while to load)
from etl.__main__ import main


def run(folder: str, db: str) -> dict:
    output = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(output):
        status = main(["build", folder, "--db", db])
    seconds = time.perf_counter() - start
    summary = output.getvalue()
    return {
        "seconds": seconds,
        "status": status,
        "unchanged": summary.startswith("Sin cambios"),
        "peak_rss_kb": _peak_rss_kb(),
        "summary": summary.splitlines()[:4],
    }


def _peak_rss_kb() -> int:
    """This process's own peak RSS. Not getrusage's ru_maxrss: Linux carries that across exec, so a child of a
    benchmark that had grown to 700 MB would report 700 MB whatever the ETL used. VmHWM starts afresh at exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2])))
