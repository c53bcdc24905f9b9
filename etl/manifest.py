"""What the last build left, kept beside the database in a small JSON file so that a rebuild with nothing changed
needs neither DuckDB nor the parser, and hashes only the files whose size or times changed.

The manifest is written after the database is swapped in and names that file's identity (device, inode, size,
modification time): it is believed only while the database is still that very file.
"""

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from etl.sources import Identity

FORMAT = 1


class FileRecord(NamedTuple):
    """One input file as the database holds it (a named tuple: a build makes one per file, twice)."""

    sha256: str
    estado: str
    ficha_id: str | None
    identity: Identity | None = None  # None when the database alone is known: the file must be hashed


@dataclass
class Stored:
    """A database's fingerprint, ETL version, files and the problems a summary shows."""

    huella: str | None
    version_etl: str | None
    files: dict[str, FileRecord]
    errors: list[tuple]
    warnings: list[tuple]  # the first few, for the summary
    warning_count: int
    vouched: bool = field(default=False)  # read from a manifest that matches the database file


def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.manifest.json")


def _database_identity(db_path: Path) -> list[int] | None:
    try:
        info = os.stat(db_path)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]


def load(db_path: Path) -> Stored | None:
    """The manifest's record, or None when it is missing, unreadable or not about the database as it is now."""
    try:
        data = json.loads(manifest_path(db_path).read_bytes())
        if data["formato"] != FORMAT or data["base"] != _database_identity(db_path):
            return None
        files = {
            archivo: FileRecord(sha256, estado, ficha_id, tuple(identity) if identity else None)
            for archivo, sha256, estado, ficha_id, identity in data["archivos"]
        }
        return Stored(
            data["huella"],
            data["version_etl"],
            files,
            [tuple(row) for row in data["errores"]],
            [tuple(row) for row in data["advertencias"]],
            data["total_advertencias"],
            vouched=True,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(db_path: Path, stored: Stored) -> None:
    """Write the manifest for the database now at `db_path`, atomically; a failure only costs the next no-op time."""
    data = {
        "formato": FORMAT,
        "base": _database_identity(db_path),
        "huella": stored.huella,
        "version_etl": stored.version_etl,
        "archivos": [
            [archivo, record.sha256, record.estado, record.ficha_id, record.identity]
            for archivo, record in stored.files.items()
        ],
        "errores": stored.errors,
        "advertencias": stored.warnings,
        "total_advertencias": stored.warning_count,
    }
    target = manifest_path(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp-manifest")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        for leftover in (temporary, target):  # a stale manifest is never believed, but do not leave it either
            with contextlib.suppress(OSError):
                leftover.unlink()
