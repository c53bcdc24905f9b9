"""A real `streamlit run` process for the benchmark and the browser tests: start it, find it, read its CPU and memory.

The process is the one users meet: its CPU time (from /proc) is what one page view costs the server.
"""

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.measure import ROOT

START_SECONDS = 60
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


class ServerFailed(RuntimeError):
    """The server did not answer its health check in time; the message ends with its log."""


@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    db: Path | None
    pid: int

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server process so far, every thread included."""
        with open(f"/proc/{self.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()  # the command name may hold spaces
        return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND  # utime, stime (fields 14 and 15)

    def rss_mb(self) -> float:
        """Resident memory now."""
        with open(f"/proc/{self.pid}/status") as handle:
            kb = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
        return kb / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(script: str, db: Path | None, log: Path, cwd: Path = ROOT, **environment: str):
    """`streamlit run SCRIPT` from `cwd` (the project root, or another commit's tree) on a free localhost port,
    reading `db` (FICHAS_DB); the address it yields ends in the server's base path, if `environment` sets one."""
    port = free_port()
    env = {**os.environ, **({"FICHAS_DB": str(db)} if db else {}), **environment}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base = environment.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
        url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
        _wait_healthy(url, process, log)
        yield Server(url, db, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise ServerFailed(f"el servidor no respondió: {log.read_text()[-2000:]}")
