"""Builds killed with SIGKILL at random moments never leave a partial or unreadable database: the previous one stays
in place, byte for byte, until a complete new one replaces it, and the next build succeeds and cleans up."""

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT

SEED = 5
FICHAS = 300
ADDED_PER_ROUND = 3  # every round changes the input, so every build really writes a new database
KILLS = 10
TIMEOUT = 120
TEMPLATES = [HUASCO.read_text(encoding="utf-8"), LOS_LAGOS.read_text(encoding="utf-8")]


def ficha_text(index: int) -> str:
    """A real ficha under its own (año, partida, capítulo): unique for index < 10,000."""
    text = TEMPLATES[index % 2]
    text = re.sub(r"PARTIDA\t\d+", f"PARTIDA\t{index // 10 % 100:02d}", text)
    text = re.sub(r"CAPITULO\t\d+", f"CAPITULO\t{index // 1000 + 1:02d}", text)
    return text.replace("(Formulario A1) 2021", f"(Formulario A1) {2012 + index % 10}")


def write_fichas(folder: Path, count: int) -> None:
    for index in range(count):
        path = folder / f"{index:04d}.txt"
        if not path.exists():
            path.write_text(ficha_text(index), encoding="utf-8")


def start_build(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FICHAS_DB", None)
    command = [sys.executable, "-m", "etl", "build", str(folder), "--db", str(db)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def temporaries(db: Path, pid: int | str = "*") -> list[Path]:
    """The temporaries builds write beside the database (all of them, or those of one process)."""
    return sorted(db.parent.glob(f".{db.name}.{pid}.tmp*"))


@dataclass(frozen=True)
class State:
    """A database as found on disk: its bytes' digest, and what DuckDB reads from it."""

    digest: str
    fichas: int
    archivos: int
    huella: str


def state(db: Path) -> State | None:
    """None when there is no database; otherwise it must open read-only and answer."""
    if not db.exists():
        return None
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with duckdb.connect(str(db), read_only=True) as con:
        fichas = con.execute("select count(*) from fichas").fetchone()[0]
        archivos = con.execute("select count(*) from archivos").fetchone()[0]
        (huella,) = con.execute("select valor from metadatos where clave = 'huella'").fetchone()
        # every child row still has its parent: a half-written file would not get this far
        orphans = con.execute(
            "select count(*) from productos p left join fichas f using (ficha_id) where f.ficha_id is null"
        ).fetchone()[0]
    assert orphans == 0
    return State(digest, fichas, archivos, huella)


def run_to_the_end(folder: Path, db: Path) -> tuple[float, float]:
    """One build left alone: when its temporary appeared and when it swapped in the new database, in seconds."""
    before = db.stat().st_ino if db.exists() else None
    started = time.monotonic()
    process = start_build(folder, db)
    appeared = swapped = None
    while process.poll() is None:
        elapsed = time.monotonic() - started
        if appeared is None and temporaries(db, process.pid):
            appeared = elapsed
        if swapped is None and db.exists() and db.stat().st_ino != before:
            swapped = elapsed
        time.sleep(0.002)
        assert elapsed < TIMEOUT
    out, err = process.communicate()
    assert process.returncode == 0, out + err
    assert appeared is not None and swapped is not None
    return appeared, swapped


def kill_after(process: subprocess.Popen, db: Path, delay: float, after_temporary: bool) -> bool:
    """SIGKILL the build `delay` seconds after it starts, or after its temporary appears; False if it had ended."""
    started = time.monotonic()
    while after_temporary and not temporaries(db, process.pid) and process.poll() is None:
        assert time.monotonic() - started < TIMEOUT
        time.sleep(0.001)
    time.sleep(delay)
    ended = process.poll() is not None
    if not ended:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=TIMEOUT)
    return not ended


@pytest.mark.slow
def test_killed_builds_keep_the_previous_database(tmp_path):
    rng = random.Random(SEED)
    folder = tmp_path / "fichas"
    folder.mkdir()
    db = tmp_path / "fichas.duckdb"
    write_fichas(folder, FICHAS)

    # A build killed before it ever finished leaves no database at all, not a partial one.
    first = start_build(folder, db)
    assert kill_after(first, db, 0, after_temporary=True)
    assert first.returncode == -signal.SIGKILL
    assert state(db) is None and temporaries(db, first.pid)

    run_to_the_end(folder, db)
    assert temporaries(db) == [], "a build that ends must remove the temporaries of killed builds"
    assert (state(db).fichas, state(db).archivos) == (FICHAS, FICHAS)
    # Calibrate the random delays on this machine on a build like those killed below: an incremental one (it copies
    # the unchanged fichas, parses the added ones), timing when it starts writing and when it swaps the file in.
    write_fichas(folder, FICHAS + ADDED_PER_ROUND)
    writing_starts, swap = run_to_the_end(folder, db)
    previous = state(db)
    assert (previous.fichas, previous.archivos) == (FICHAS + ADDED_PER_ROUND, FICHAS + ADDED_PER_ROUND)

    outcomes = []
    for round_number in range(2, KILLS + 2):
        expected = FICHAS + ADDED_PER_ROUND * round_number
        write_fichas(folder, expected)
        # Half the kills land anywhere before the writing starts, half while the new database is written.
        after_temporary = round_number % 2 == 0
        delay = rng.uniform(0, swap - writing_starts if after_temporary else writing_starts)
        process = start_build(folder, db)
        killed = kill_after(process, db, delay, after_temporary)
        now = state(db)
        assert now is not None, "a killed build removed the previous database"
        if now.digest == previous.digest:
            outcomes.append("kept while writing" if temporaries(db, process.pid) else "kept")
            assert killed, "a build that ran to its end did not replace the database"
        else:
            # The kill came after the atomic swap: the database is the new one, and complete.
            outcomes.append("replaced")
            assert (now.fichas, now.archivos) == (expected, expected)
            assert now.huella != previous.huella
            previous = now
        if killed:
            assert process.returncode == -signal.SIGKILL
        else:
            assert process.returncode == 0, process.stderr

    # The seeded delays must really have interrupted builds, some of them while writing (a loaded machine may let
    # a few reach the swap: those count as "replaced", and were checked complete).
    assert outcomes.count("kept") >= KILLS // 4 and outcomes.count("kept while writing") >= 1, outcomes

    final = start_build(folder, db)
    out, err = final.communicate(timeout=TIMEOUT)
    assert final.returncode == 0, out + err
    assert "Traceback" not in out + err
    now = state(db)
    expected = FICHAS + ADDED_PER_ROUND * (KILLS + 1)
    assert (now.fichas, now.archivos) == (expected, expected)
    if outcomes[-1] == "replaced":  # the last round got to swap in these very files: nothing left to do
        assert out.startswith("Sin cambios") and now == previous
    else:
        assert out.startswith("Base construida") and now.huella != previous.huella
    assert temporaries(db) == []
    # Beside the database only its manifest; no temporary, and no lock once the build has ended.
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".fichas.duckdb.manifest.json",
        "fichas",
        "fichas.duckdb",
    ]
