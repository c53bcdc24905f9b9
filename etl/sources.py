"""Find the input files and read them, turning every file-system failure into a Spanish reason."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".txt", ".md"}
MAX_BYTES = 10 * 1024 * 1024  # a real ficha is about 5 KB; anything this large is not one


class UsageError(Exception):
    """A command-line argument that cannot work (for example a path that does not exist)."""


@dataclass(frozen=True)
class Source:
    """One input file as read: its bytes, or the reason it could not be read."""

    archivo: str
    sha256: str
    content: bytes | None
    error: str | None = None


def display_name(path: Path) -> str:
    """Path as users see it: relative to the working directory when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def discover(paths: list[Path]) -> list[Path]:
    """Files named by `paths`, folders searched recursively for *.txt and *.md, symlink loops skipped."""
    found: dict[str, Path] = {}
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"No existe la ruta «{path}».")
        if path.is_dir():
            for file in _walk(path):
                found.setdefault(display_name(file), file)
        else:
            found.setdefault(display_name(path), path)
    return [found[name] for name in sorted(found)]


def _walk(folder: Path):
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=lambda error: None):
        real = os.path.realpath(root)
        if real in seen:  # a symlink loop, or a folder reached twice
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in SUFFIXES:
                yield Path(root, name)


def read(path: Path) -> Source:
    """Read one file; never raises."""
    archivo = display_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Source(
                archivo,
                "",
                None,
                f"El archivo pesa {size // 1_048_576} MB; una ficha real pesa pocos KB (máximo 10 MB).",
            )
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except PermissionError:
        return Source(archivo, "", None, "No se puede leer el archivo: permiso denegado.")
    except OSError as error:
        return Source(archivo, "", None, f"No se puede leer el archivo: {error.strerror or error}.")
    return Source(archivo, hashlib.sha256(content).hexdigest(), content)
