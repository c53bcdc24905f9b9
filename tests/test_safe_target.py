"""The build is safe with the user's files and honest when it cannot write: `--db` never replaces a file this ETL
did not write, write failures exit 3 with one Spanish line and leave the previous database, one build at a time,
duplicates kept by a rule independent of the working directory, and a closed pipe ends quietly."""

import hashlib
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from helpers import FICHAS_DIR, HUASCO, ROOT, drop_root_read_override, query

from bench.generator import write_corpus


def etl_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", *map(str, args)]


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FICHAS_DB", None)
    return env


def run_etl(*args, cwd=ROOT, prefix=(), preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, *etl_command(*args)], cwd=cwd, env=environment(), capture_output=True, text=True, timeout=300,
        preexec_fn=preexec_fn,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- never destroy a file we did not write ----------------------------------------------------------


def foreign_targets(tmp_path: Path) -> dict[str, Path]:
    notes = tmp_path / "notas.txt"
    notes.write_text("Notas de la reunión: no borrar.\n")
    foreign = tmp_path / "ajena.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("create table ventas as select range as id from range(100)")
    return {"notas.txt": notes, "ajena.duckdb": foreign}


@pytest.mark.parametrize("name", ["notas.txt", "ajena.duckdb", "ficha de entrada"])
def test_db_that_we_did_not_write_is_refused(tmp_path, name):
    inputs = tmp_path / "fichas"
    inputs.mkdir()
    shutil.copyfile(HUASCO, inputs / "ficha1.txt")
    target = foreign_targets(tmp_path).get(name, inputs / "ficha1.txt")
    before = digest(target)
    result = run_etl("build", inputs, "--db", target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(target) in result.stderr and "no se sobrescribe" in result.stderr and "--reemplazar" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert digest(target) == before
    assert sorted(path.name for path in target.parent.iterdir() if path.name.startswith(".")) == []


def test_reemplazar_replaces_a_foreign_file_and_our_own_database_is_fine(tmp_path):
    target = foreign_targets(tmp_path)["notas.txt"]
    result = run_etl("build", FICHAS_DIR, "--db", target, "--reemplazar")
    assert result.returncode == 0, result.stderr
    assert query(target, "select count(*) from fichas") == [(2,)]
    again = run_etl("build", FICHAS_DIR, "--db", target, "--force")  # now it is ours: no flag needed
    assert again.returncode == 0 and "Base construida" in again.stdout
    (tmp_path / f".{target.name}.manifest.json").unlink()  # without the manifest, metadatos still say it is ours
    assert run_etl("build", FICHAS_DIR, "--db", target, "--force").returncode == 0


# -- exit 3: the database could not be written, the previous one is intact ---------------------------


def previous_database(tmp_path: Path) -> tuple[Path, Path, str]:
    """A folder, a database built from it, the database's digest; then the folder changes, so a rebuild writes."""
    inputs = tmp_path / "fichas"
    write_corpus(inputs, 40, 3)
    db = tmp_path / "base" / "fichas.duckdb"
    db.parent.mkdir()
    assert run_etl("build", inputs, "--db", db).returncode == 0
    shutil.copyfile(HUASCO, inputs / "nueva.txt")
    return inputs, db, digest(db)


def assert_not_written(result, db: Path, before: str, cause: str) -> None:
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stderr.strip() == f"No se pudo escribir la base «{db}»: {cause}. La base anterior queda intacta."
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert digest(db) == before
    assert sorted(path.name for path in db.parent.iterdir()) == [".fichas.duckdb.manifest.json", "fichas.duckdb"]


def test_file_size_limit_exits_3_and_keeps_the_previous_database(tmp_path):
    inputs, db, before = previous_database(tmp_path)
    limit = db.stat().st_size // 2  # the new database cannot be written whole

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_etl("build", inputs, "--db", db, preexec_fn=small_files)
    assert_not_written(result, db, before, "archivo demasiado grande")


def test_read_only_folder_exits_3(tmp_path):
    inputs, db, before = previous_database(tmp_path)
    db.parent.chmod(0o555)
    try:
        result = run_etl("build", inputs, "--db", db, prefix=drop_root_read_override())
    finally:
        db.parent.chmod(0o755)
    assert_not_written(result, db, before, "permiso denegado")


def in_namespace() -> list[str]:
    """Run as root of a user and mount namespace of our own, where a tmpfs can be mounted without privileges."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        message = "unshare --user --mount no está permitido en esta máquina"
        if os.environ.get("REQUIRE_NAMESPACES"):
            pytest.fail(message)
        pytest.skip(message)
    return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c"]


@pytest.mark.parametrize(
    ("setup", "cause"),
    [
        # fill the small disk, leaving less than a new database needs
        ('head -c "$(( $(stat -f -c %a "$DIR") * $(stat -f -c %S "$DIR") - 4096 ))" /dev/zero > "$DIR/relleno"',
         "sin espacio en disco"),
        ('mount -o remount,ro "$DIR"', "sistema de archivos de sólo lectura"),
    ],
)  # fmt: skip
def test_full_disk_and_read_only_file_system_exit_3(tmp_path, setup, cause):
    inputs, db, before = previous_database(tmp_path)
    script = (
        f'DIR={db.parent} && mkdir -p /tmp && cp "$DIR/fichas.duckdb" "$DIR/.fichas.duckdb.manifest.json" /tmp/ 2>/dev/null; '
        f'mount -t tmpfs -o size=8m tmpfs "$DIR" && cp -p /tmp/fichas.duckdb "$DIR"/ && {setup} && '
        f'{" ".join(map(str, etl_command("build", inputs, "--db", db)))}; echo "rc=$?"; '
        f'sha256sum "$DIR/fichas.duckdb"; ls -A "$DIR"'
    )
    result = subprocess.run(
        [*in_namespace(), script], cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=300
    )
    assert "rc=3" in result.stdout, result.stdout + result.stderr
    assert f"No se pudo escribir la base «{db}»: {cause}. La base anterior queda intacta." in result.stderr
    assert "Traceback" not in result.stderr
    assert f"{before}  {db}" in result.stdout  # the copy in the small disk is unchanged
    listing = result.stdout.split(str(db), 1)[1].split()
    assert not [name for name in listing if ".tmp" in name or name.endswith(".lock")], listing


# -- one build at a time ------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_at_once_give_one_complete_database_and_honest_messages(tmp_path):
    big, small = tmp_path / "grande", tmp_path / "chica"
    write_corpus(big, 1500, 1)
    write_corpus(small, 300, 2)
    db = tmp_path / "fichas.duckdb"
    first = subprocess.Popen(etl_command("build", big, "--db", db), cwd=ROOT, env=environment(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lock = tmp_path / ".fichas.duckdb.lock"
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = subprocess.run(etl_command("build", small, "--db", db), cwd=ROOT, env=environment(),
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and "Fichas cargadas: 1.500\n" in out, out + err
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"Otra construcción (proceso {first.pid}) está escribiendo {db}; esperando" in second.stderr
    assert "Fichas cargadas: 300\n" in second.stdout
    # The second waited for the first, then wrote its own: the file holds what the last message reported.
    assert query(db, "select count(*) from fichas") == [(300,)]
    assert query(db, "select count(*) from archivos") == [(300,)]
    assert not lock.exists()


def test_a_build_that_cannot_wait_refuses_with_exit_3(tmp_path):
    import fcntl

    db = tmp_path / "fichas.duckdb"
    lock = tmp_path / ".fichas.duckdb.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with lock.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(f"{holder.pid}\n")
            handle.flush()
            result = run_etl("build", FICHAS_DIR, "--db", db, "--espera", "0.5")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"otra construcción (proceso {holder.pid}) está escribiendo «{db}»" in result.stderr
    assert result.stdout == "" and not db.exists()
    # A lock left by a process that is gone is taken over.
    lock.write_text("999999999\n")
    assert run_etl("build", FICHAS_DIR, "--db", db, "--espera", "0").returncode == 0
    assert not lock.exists()


# -- duplicates, from any working directory -----------------------------------------------------------


def test_the_same_duplicate_is_kept_from_any_working_directory(tmp_path):
    inputs = tmp_path / "entrada"
    (inputs / "b").mkdir(parents=True)
    (inputs / "b" / "ficha.txt").write_bytes(HUASCO.read_bytes())
    shutil.copyfile(HUASCO, inputs / "copia_z.txt")
    kept = set()
    for number, cwd in enumerate([tmp_path, inputs / "b", Path("/")]):
        db = tmp_path / f"base{number}.duckdb"
        result = run_etl("build", os.path.relpath(inputs, cwd), "--db", db, cwd=cwd)
        assert result.returncode == 1, result.stderr
        ((archivo,),) = query(db, "select archivo from fichas")
        kept.add(os.path.normpath(os.path.join(cwd, archivo)))
        ((mensaje,),) = query(db, "select mensaje from problemas")
        assert "de los archivos con la misma ficha se carga el de ruta absoluta primera en orden alfabético" in mensaje
        assert mensaje.endswith("Ambos archivos tienen el mismo contenido.")
    assert kept == {str(inputs / "b" / "ficha.txt")}


# -- quiet pipes ----------------------------------------------------------------------------------------


def test_a_closed_stdout_ends_quietly(tmp_path):
    inputs = tmp_path / "fichas"
    write_corpus(inputs, 30, 4)
    for index in range(1000):  # a summary longer than a pipe holds (64 KB): many rejected files
        (inputs / f"mala_{index:04d}_con_un_nombre_largo_para_llenar_la_tuberia.txt").write_text("no es una ficha")
    db = tmp_path / "fichas.duckdb"
    etl = subprocess.Popen(etl_command("build", inputs, "--db", db), cwd=ROOT, env=environment(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    head = subprocess.run(["head", "-1"], stdin=etl.stdout, capture_output=True, timeout=300)
    etl.stdout.close()
    stderr = etl.stderr.read().decode()
    etl.wait(timeout=300)
    assert head.stdout.decode().startswith("Base construida")
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert etl.returncode == 1  # the build's own status: some files rejected, the rest loaded
    assert query(db, "select count(*) from fichas") == [(30,)]
