"""Find the input files and read them, turning every file-system failure into a Spanish reason."""

import functools
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.errors import os_cause

SUFFIXES = {".txt", ".md", ".pdf"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_BYTES = 10 * 1024 * 1024  # a real ficha is about 5 KB; anything this large is not one


class UsageError(Exception):
    """A command-line argument that cannot work (for example a path that does not exist)."""


# What says a file is still the one hashed before: size, modification and change times (ns), inode.
Identity = tuple[int, int, int, int]
# A file modified this recently may change again within the same timestamp tick (coarse on many file systems):
# its identity is not trusted later, so its content is hashed again.
SETTLE_NS = 2_000_000_000


@dataclass(frozen=True)
class Source:
    """One input file as read: its bytes, or the reason it could not be read.

    `identity` is taken before the bytes are read, and is None when it cannot vouch for them later.
    """

    archivo: str
    sha256: str
    content: bytes | None
    error: str | None = None
    identity: Identity | None = None


def display_name(path: Path | str) -> str:
    """Path as users see it: relative to the working directory when inside it.

    Bytes that are not UTF-8 (text with them cannot be printed or stored) and control characters (a line break would
    forge a line of the summary) are shown escaped: `mal\\xff.txt`, `a\\x0ab.txt`.
    """
    return _display_name(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=65_536)
def _display_name(name: str, cwd: str) -> str:
    # Plain strings, cached: discover() and read() both name every file, and building paths was most of a no-op
    # rebuild. Same result as `path.absolute().relative_to(Path.cwd())`, which is lexical (a Path's text is already
    # normalised): a relative path stays itself, an absolute one inside the working directory loses that prefix.
    inside = cwd.rstrip("/") + "/"
    if name.startswith(inside):
        name = name[len(inside) :]
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", name)


def discover(paths: list[Path]) -> list[str]:
    """Files named by `paths`, folders searched recursively for *.txt, *.md and *.pdf, symlink loops skipped.

    Sorted by absolute path, so the order (and which of two duplicates is kept) never depends on the working
    directory; a file named twice (relative and absolute, or by a folder and by itself) is listed once. Plain
    strings, as named (relative paths stay relative): a Path per file was most of the walk's time.
    """
    found: dict[str, str] = {}
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"No existe la ruta «{path}».")
        for file in _walk(path) if path.is_dir() else [os.fspath(path)]:
            found.setdefault(absolute_name(file), file)
    return [found[name] for name in sorted(found)]


def absolute_name(path: str) -> str:
    """The file's absolute path, normalised but with symlinks kept: the same from any working directory."""
    return os.path.abspath(path)


def identity(path: str) -> Identity | None:
    """What `read` would record for the file now, without reading it; None when it cannot be stat'ed."""
    try:
        return _identity(os.stat(path))
    except OSError:
        return None


def _identity(info: os.stat_result) -> Identity:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _settled(info: os.stat_result) -> Identity | None:
    """The identity, unless the file was written so recently that another write within the same tick could hide."""
    if time.time_ns() - info.st_mtime_ns < SETTLE_NS:
        return None
    return _identity(info)


def _walk(folder: Path) -> Iterator[str]:
    """The files' paths, as strings. Depth first with a stack, not recursion (os.walk recurses in Python 3.11: a
    deep enough tree crashed it)."""
    seen: set[tuple[int, int]] = set()
    pending = [str(folder)]
    while pending:
        root = pending.pop()
        try:
            info = os.stat(root)
            identity = info.st_dev, info.st_ino
            if identity in seen:  # a symlink loop, or a folder reached twice
                continue
            seen.add(identity)
            with os.scandir(root) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            yield root  # a folder that cannot be listed may hide fichas: `read` names it with the reason
            continue
        folders = []
        for entry in entries:
            if _is_folder(entry):
                folders.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:  # as Path.suffix, without a Path per file
                yield entry.path
        pending.extend(reversed(folders))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symlinks, as a user would expect
    except OSError:
        return False


def read(path: Path | str) -> Source:
    """Read one regular file; never raises and never blocks (FIFOs, sockets and devices are refused unopened)."""
    archivo = display_name(path)
    what = "el archivo"
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):  # only a folder that could not be listed gets here: raise why
            what = "la carpeta"
            os.scandir(path).close()
        if kind := _not_regular(mode):
            return Source(archivo, "", None, f"No es un archivo de texto sino {kind}; no se lee.")
        # O_NONBLOCK: should a FIFO replace the file after the check, opening it must not wait for a writer.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if kind := _not_regular(info.st_mode):
                return Source(archivo, "", None, f"No es un archivo de texto sino {kind}; no se lee.")
            content = b""
            if info.st_size <= MAX_BYTES:
                # Sized to the file: asking for MAX_BYTES at once would allocate that much for every file.
                content = handle.read(info.st_size + 1)
                if len(content) > info.st_size:  # it grew since: read on, up to the limit
                    content += handle.read(MAX_BYTES + 1 - len(content))
            settled = _settled(info) if len(content) == info.st_size else None  # it changed while read
        size = max(info.st_size, len(content))
        if size > MAX_BYTES:
            return Source(
                archivo,
                "",
                None,
                f"El archivo pesa {size // 1_048_576} MB; el máximo es 10 MB (una ficha real, aun en PDF, pesa mucho menos).",
            )
    except OSError as error:
        return Source(archivo, "", None, f"No se puede leer {what}: {os_cause(error)}.")
    return Source(archivo, hashlib.sha256(content).hexdigest(), content, identity=settled)


def _not_regular(mode: int) -> str | None:
    """What a non-regular file is, in Spanish; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kinds = [
        (stat.S_ISDIR, "una carpeta"),
        (stat.S_ISFIFO, "una tubería (FIFO)"),
        (stat.S_ISSOCK, "un socket"),
        (stat.S_ISCHR, "un dispositivo"),
        (stat.S_ISBLK, "un dispositivo"),
    ]
    return next((name for test, name in kinds if test(mode)), "un archivo especial")
